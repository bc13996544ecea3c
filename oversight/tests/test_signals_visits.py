"""The detectors of formalism in the visit records, each on a planted case that fires and a clean one that must not:
copied notes (Chinese-aware near-duplicates), reused photos (content and perceptual hash), late entries, overlong
days, overlapping visits and implausible regularity. Time frozen in 2031, far from the demo's records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from core.imagehash import HashIndex, hamming, phash
from oversight.demo_signals import demo_photo
from oversight.models.signals import SignalKind
from oversight.signals import Thresholds, detect, text
from oversight.signals.visits import regularity
from oversight.tests.reviews_world import at
from oversight.tests.signals_world import CADRE, NOW, OTHER, WINDOW, kinds, visit

pytestmark = pytest.mark.usefixtures("demo")
K = SignalKind

NOTE = "走访长宇社区老旧小区，听取居民对加装电梯、楼道照明和停车难的意见，与物业公司商定下周召开三方联动会议。"
NOTE_EDITED = "走访卫王社区老旧小区，听取群众对加装电梯、楼道照明和停车难的意见，与物业公司商定本周召开三方联动会议。"
SAME_TOPIC = "到长宇社区了解加装电梯进展，三栋居民担心费用分摊，约定由社区牵头召开业主协商会，下月前拿出分摊方案。"


@pytest.fixture(autouse=True)
def august_2031() -> Any:
    with at(NOW), translation.override("en"):
        yield


def test_a_note_copied_with_a_few_characters_changed_is_near_duplicate_and_a_note_on_the_same_topic_is_not() -> None:
    copied = text.jaccard(text.shingles(NOTE), text.shingles(NOTE_EDITED))
    other = text.jaccard(text.shingles(NOTE), text.shingles(SAME_TOPIC))
    assert copied >= 0.6 > 0.2 > other
    assert text.normalise("Ａ，b 1２。社区") == "ab社区"  # full-width folded; punctuation, spaces and digits gone


def test_a_note_copied_by_another_person_fires_once_on_the_later_visit() -> None:
    visit("2031-06-02", notes=NOTE)
    later = visit("2031-06-09", who=OTHER, notes=NOTE_EDITED)
    visit("2031-06-10", notes=SAME_TOPIC)
    found = detect(WINDOW, kinds=[K.NOTE_COPIED])
    assert kinds(found) == [K.NOTE_COPIED]
    assert found[0].person_id == later.person_id and found[0].keys[1] == f"visit:{later.pk}"
    assert found[0].evidence["compared"]["same_person"] is False


def test_copied_notes_of_the_same_person_fire_and_three_copies_give_two_signals() -> None:
    for day in ("2031-06-02", "2031-06-03", "2031-06-04"):
        visit(day, notes=NOTE)
    found = detect(WINDOW, kinds=[K.NOTE_COPIED])
    assert len(found) == 2 and all(f.evidence["compared"]["same_person"] for f in found)


def test_short_routine_notes_repeated_every_week_are_not_compared() -> None:
    for day in ("2031-06-02", "2031-06-09", "2031-06-16"):
        visit(day, notes="社区值班值守，巡查小区安全隐患。")
    assert detect(WINDOW, kinds=[K.NOTE_COPIED]) == []


def test_the_note_similarity_threshold_is_configurable(settings: Any) -> None:
    visit("2031-06-02", notes=NOTE)
    visit("2031-06-09", who=OTHER, notes=NOTE_EDITED)
    settings.SIGNAL_THRESHOLDS = {"note_similarity": 0.95}
    assert detect(WINDOW, kinds=[K.NOTE_COPIED]) == []


def test_minhash_banding_finds_the_same_pairs_as_comparing_all_pairs() -> None:
    notes = [NOTE, NOTE_EDITED, SAME_TOPIC, SAME_TOPIC + "补充", "完全不同的一条关于企业用工需求和融资对接的记录内容"]
    items = [(i, text.shingles(n)) for i, n in enumerate(notes)]
    fast = {tuple(sorted((int(a), int(b)))) for a, b, _s in text.similar_pairs(items, 0.6)}  # type: ignore[call-overload]
    slow = {(a, b) for a, b, _s in text.similar_pairs_brute(items, 0.6)}
    assert fast == slow == {(0, 1), (2, 3)}


def test_a_resaved_or_resized_photo_is_within_a_few_bits_and_a_different_photo_is_far() -> None:
    original = phash(demo_photo())
    assert hamming(original, phash(demo_photo(quality=40))) <= 4
    assert hamming(original, phash(demo_photo(size=(320, 240), quality=70))) <= 4
    assert all(hamming(original, phash(demo_photo(seed))) > 16 for seed in range(20, 30))
    assert phash(b"not an image") == ""


def test_the_hash_index_finds_every_hash_within_k_bits_as_comparing_all_does() -> None:
    import random

    rng = random.Random(5)
    stored = [rng.getrandbits(64) for _i in range(400)]
    stored += [h ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)) for h in stored[:100]]  # near copies
    index = HashIndex()
    for n, value in enumerate(stored):
        index.add(f"{value:016x}", n)
    for probe in stored[:150] + [rng.getrandbits(64) for _i in range(50)]:
        for k in (0, 3, 6, 9):
            found = sorted((d, n) for d, n in index.near(f"{probe:016x}", k))  # type: ignore[type-var]
            every = sorted(((probe ^ v).bit_count(), n) for n, v in enumerate(stored) if (probe ^ v).bit_count() <= k)
            assert found == every


def test_a_photo_reused_resized_on_another_visit_fires_and_different_photos_and_missing_photos_do_not() -> None:
    first = visit("2031-06-02", photos=(demo_photo(),))
    visit("2031-06-03", photos=(demo_photo(seed=99),))
    visit("2031-06-04")  # no photo at all: never a signal
    again = visit("2031-06-05", photos=(demo_photo(size=(400, 300), quality=60),))
    found = detect(WINDOW, kinds=[K.PHOTO_REUSED])
    assert [f.keys for f in found] == [(f"visit:{first.pk}", f"visit:{again.pk}")]
    assert found[0].evidence["compared"]["pairs"][0]["distance"] <= Thresholds().photo_hamming


def test_the_same_file_on_two_visits_fires_by_its_content_hash() -> None:
    visit("2031-06-02", photos=(demo_photo(),), direct=True)
    visit("2031-06-09", who=OTHER, photos=(demo_photo(),), direct=True)
    found = detect(WINDOW, kinds=[K.PHOTO_REUSED])
    assert len(found) == 1 and found[0].evidence["compared"]["pairs"][0]["same_file"] is True


def test_a_visit_entered_long_after_its_date_fires_with_its_reason_and_one_entered_in_time_does_not() -> None:
    visit("2031-06-02", late_days=3)
    late = visit("2031-06-03", late_days=12, late_reason="外出学习，返回后补录")
    found = detect(WINDOW, kinds=[K.LATE_ENTRY])
    assert [f.keys for f in found] == [(f"visit:{late.pk}",)]
    assert (
        found[0].evidence["late_reason"] == "外出学习，返回后补录" and found[0].evidence["compared"]["days_late"] == 12
    )


def test_more_than_sixteen_hours_of_visits_in_a_day_fires_and_a_full_day_does_not() -> None:
    visit("2031-06-02", "05:00", "14:00", direct=True)
    visit("2031-06-02", "14:00", "23:00", direct=True)  # 18 hours
    visit("2031-06-03", "08:00", "12:00")
    visit("2031-06-03", "13:00", "18:00")
    found = detect(WINDOW, kinds=[K.LONG_DAY])
    assert [f.day for f in found] == [dt.date(2031, 6, 2)] and found[0].evidence["compared"]["hours"] == "18.0"


def test_overlapping_visits_of_one_person_fire_and_back_to_back_visits_do_not() -> None:
    one = visit("2031-06-02", "09:00", "12:00", direct=True)
    two = visit("2031-06-02", "11:00", "13:00", direct=True)
    visit("2031-06-03", "09:00", "12:00")
    visit("2031-06-03", "12:00", "13:00")
    visit("2031-06-02", "09:00", "12:00", who=OTHER)  # another person at the same time is no overlap
    found = detect(WINDOW, kinds=[K.OVERLAP])
    assert [f.keys for f in found] == [(f"visit:{one.pk}", f"visit:{two.pk}")]


def _working_days(first: str, count: int) -> list[str]:
    day, out = dt.date.fromisoformat(first), list[str]()
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day += dt.timedelta(days=1)
    return out


def test_the_same_hours_every_working_day_for_three_weeks_fire_and_two_weeks_or_varied_hours_do_not() -> None:
    for day in _working_days("2031-06-02", 15):
        visit(day, "08:30", "17:30", who=CADRE)
    for day in _working_days("2031-06-02", 14):
        visit(day, "09:00", "17:00", who=OTHER)
    found = list(regularity(WINDOW, Thresholds()))
    assert [(f.person_id, f.evidence["compared"]["working_days"]) for f in found] == [(found[0].person_id, 15)]
    assert found[0].evidence["compared"]["hours"] == "08:30–17:30"
