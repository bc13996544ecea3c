"""The supervision workbench as the supervision team uses it: refreshing keeps one signal per fingerprint and a
dismissed one dismissed; a signal's evidence side by side (notes with their common text marked, photos through the
signal's own protected view); looking at, dismissing with a reason (else a translated error and nothing written),
turning into a clue; every other role refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils.html import escape

from audit.models import AuditEvent
from oversight.demo_signals import demo_photo
from oversight.models.clues import Clue, ClueSource
from oversight.models.signals import Signal, SignalKind, SignalStatus
from oversight.services.signals import signals_refresh
from oversight.tests.reviews_world import at
from oversight.tests.signals_world import NOW, OTHER, WINDOW, visit
from oversight.tests.test_signals_visits import NOTE, NOTE_EDITED

pytestmark = pytest.mark.usefixtures("demo")
K = SignalKind
URL = "/oversight/signals/"


@pytest.fixture
def planted() -> Any:
    """A copied note and a reused photo in June 2031, refreshed; time frozen in August."""
    with at(NOW):
        visit("2031-06-02", notes=NOTE, photos=(demo_photo(),))
        visit("2031-06-09", who=OTHER, notes=NOTE_EDITED)
        visit("2031-06-12", photos=(demo_photo(size=(400, 300), quality=60),))
        signals_refresh(actor=None, window=WINDOW, kinds=[K.NOTE_COPIED, K.PHOTO_REUSED])
        yield {s.kind: s for s in Signal.objects.filter(kind__in=[K.NOTE_COPIED, K.PHOTO_REUSED])}


def _english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_refresh_updates_the_signals_found_again_and_a_dismissed_one_stays_dismissed(planted: Any) -> None:
    copied = planted[K.NOTE_COPIED]
    copied.status, copied.dismiss_reason = SignalStatus.DISMISSED, "已电话回访，情况属实"
    copied.save()
    count = Signal.objects.count()
    with at(NOW):
        again = signals_refresh(actor=None, window=WINDOW, kinds=[K.NOTE_COPIED, K.PHOTO_REUSED])
    assert again.new == 0 and Signal.objects.count() == count
    copied.refresh_from_db()
    assert copied.status == SignalStatus.DISMISSED and copied.dismiss_reason == "已电话回访，情况属实"


def test_the_workbench_shows_new_signals_by_kind_and_the_persons_with_the_most(planted: Any, client_as: Any) -> None:
    with at(NOW):
        page = _english(client_as("supervisor")).get(URL)
        filtered = client_as("supervisor").get(URL, {"kind": K.PHOTO_REUSED, "person": "x", "status": "nope"})
    assert page.status_code == 200 and filtered.status_code == 200
    html = page.content.decode()
    assert "Visit notes copied" in html and "Visit photo reused" in html
    assert escape(planted[K.NOTE_COPIED].summary) in html
    assert escape(planted[K.NOTE_COPIED].summary) not in filtered.content.decode()


def test_a_copied_notes_page_marks_their_common_text_side_by_side(planted: Any, client_as: Any) -> None:
    with at(NOW):
        page = client_as("supervisor").get(f"{URL}{planted[K.NOTE_COPIED].pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("data-note") == 2
    assert (
        "走访长宇<mark>社区老旧小区，听取</mark>居民<mark>对加装电梯、楼道照明和停车难的意见，与物业公司商定</mark>下"
        in html
    )


def test_a_reused_photos_page_shows_both_photos_through_the_signal_and_no_one_else_gets_them(
    planted: Any, client_as: Any
) -> None:
    signal = planted[K.PHOTO_REUSED]
    with at(NOW):
        page = client_as("supervisor").get(f"{URL}{signal.pk}/")
        first = client_as("supervisor").get(f"{URL}{signal.pk}/photos/0/")
        second = client_as("supervisor").get(f"{URL}{signal.pk}/photos/1/")
        beyond = client_as("supervisor").get(f"{URL}{signal.pk}/photos/2/")
        refused = [client_as(who).get(f"{URL}{signal.pk}/photos/0/").status_code for who in ("cadre", "coordinator")]
        anonymous = client_as(None).get(f"{URL}{signal.pk}/photos/0/")
    assert page.status_code == 200 and f"{URL}{signal.pk}/photos/1/" in page.content.decode()
    assert first.status_code == second.status_code == 200 and first["Content-Type"] == "image/jpeg"
    assert first["Cache-Control"] == "private, max-age=3600" and beyond.status_code == 404
    assert refused == [403, 403] and anonymous.status_code == 302


def test_marking_a_signal_looked_at_records_who_and_when(planted: Any, client_as: Any) -> None:
    signal = planted[K.PHOTO_REUSED]
    with at(NOW):
        response = client_as("supervisor").post(f"{URL}{signal.pk}/seen/")
    signal.refresh_from_db()
    assert response.status_code == 302 and signal.status == SignalStatus.SEEN
    assert signal.handled_by is not None and signal.handled_by.username == "supervisor"


def test_dismissing_without_a_reason_is_refused_with_a_message_and_nothing_is_written(
    planted: Any, client_as: Any
) -> None:
    signal = planted[K.NOTE_COPIED]
    events = AuditEvent.objects.count()
    with at(NOW):
        response = _english(client_as("supervisor")).post(f"{URL}{signal.pk}/dismiss/", {"reason": "   "})
    assert response.status_code == 400
    assert "Say why the signal is dismissed: the reason is required." in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW and signal.dismiss_reason == "" and AuditEvent.objects.count() == events


@pytest.mark.parametrize("reason", ["\u200b\u200b", "理由\x00", "长" * 2001])
def test_a_reason_of_invisible_characters_a_nul_or_too_long_is_refused_and_nothing_is_written(
    reason: str, planted: Any, client_as: Any
) -> None:
    signal = planted[K.NOTE_COPIED]
    events = AuditEvent.objects.count()
    with at(NOW):
        response = client_as("supervisor").post(f"{URL}{signal.pk}/dismiss/", {"reason": reason})
        clue = client_as("supervisor").post(f"{URL}{signal.pk}/clue/", {"text": "线索\x00"})
    assert response.status_code == 400 and clue.status_code == 400
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW and AuditEvent.objects.count() == events
    assert not Clue.objects.filter(signal=signal).exists()


def test_a_dismissed_signal_keeps_its_reason_and_cannot_be_dismissed_again(planted: Any, client_as: Any) -> None:
    signal = planted[K.NOTE_COPIED]
    client = _english(client_as("supervisor"))
    with at(NOW):
        done = client.post(f"{URL}{signal.pk}/dismiss/", {"reason": "回访核实，两位干部同日参加同一会议"})
        again = client.post(f"{URL}{signal.pk}/dismiss/", {"reason": "再次"})
    signal.refresh_from_db()
    assert done.status_code == 302 and signal.status == SignalStatus.DISMISSED
    assert signal.dismiss_reason == "回访核实，两位干部同日参加同一会议"
    assert again.status_code == 400 and "already" in again.content.decode()
    assert AuditEvent.objects.filter(action="oversight.signal_dismiss").count() == 1


def test_a_signal_turned_into_a_clue_is_marked_and_the_clue_comes_from_it(planted: Any, client_as: Any) -> None:
    signal = planted[K.PHOTO_REUSED]
    client = client_as("supervisor")
    with at(NOW):
        response = client.post(f"{URL}{signal.pk}/clue/", {"text": ""})
        again = client.post(f"{URL}{signal.pk}/clue/", {"text": "再次"})
    signal.refresh_from_db()
    clue = Clue.objects.get(signal=signal)
    assert response.status_code == 302 and signal.status == SignalStatus.CLUED
    assert clue.source == ClueSource.SIGNAL and signal.summary in clue.text
    assert again.status_code == 400 and Clue.objects.filter(signal=signal).count() == 1


def test_only_the_supervision_team_reaches_the_workbench_and_a_missing_signal_is_not_found(
    planted: Any, client_as: Any
) -> None:
    signal = planted[K.NOTE_COPIED]
    with at(NOW):
        for who in ("cadre", "coordinator", "leader", "assessor", "handler", "auditor", "resident"):
            client = client_as(who)
            assert client.get(URL).status_code == 403, who
            assert client.get(f"{URL}{signal.pk}/").status_code == 403, who
            assert client.post(f"{URL}{signal.pk}/dismiss/", {"reason": "x"}).status_code == 403, who
        assert client_as("supervisor").get(f"{URL}999999/").status_code == 404
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW


def test_the_refresh_button_queues_a_job_that_finds_the_signals(
    client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from core.jobs.models import Job
    from core.jobs.queue import job_execute
    from oversight.tasks_signals import signals_refresh_run

    with at(NOW), django_capture_on_commit_callbacks() as queued:
        response = client_as("supervisor").post(f"{URL}refresh/")
    job = Job.objects.get(kind="oversight.signals_refresh")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/" and len(queued) == 1
    with at(NOW):
        job_execute(str(job.pk), signals_refresh_run)
    job.refresh_from_db()
    assert job.finished and job.error == "", job.error
    assert AuditEvent.objects.filter(action="oversight.signals_refresh").exists()
