"""The signals' settings and machinery: thresholds from settings (a bad one stops loudly), the stored photos'
fingerprints filled for files kept before the fields existed, and the nightly refresh over the current campaign."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone

from core.imagehash import fill_hashes, phash, sha256
from fieldwork.models import VisitPhoto
from oversight.demo_signals import demo_photo
from oversight.models.signals import Signal, SignalKind
from oversight.signals import thresholds
from oversight.tasks_signals import signals_nightly
from oversight.tests.reviews_world import at
from oversight.tests.signals_world import NOW, visit

pytestmark = pytest.mark.usefixtures("demo")


def test_thresholds_come_from_settings_and_a_bad_one_stops_loudly(settings: Any) -> None:
    settings.SIGNAL_THRESHOLDS = {"long_day_hours": "14", "photo_hamming": 3}
    assert (thresholds().long_day_hours, thresholds().photo_hamming) == (14.0, 3)
    assert thresholds().late_after == settings.VISIT_LATE_DAYS
    for bad in ({"nonsense": 1}, {"note_similarity": "high"}, {"returned_times": -1}):
        settings.SIGNAL_THRESHOLDS = bad
        with pytest.raises(ImproperlyConfigured):
            thresholds()


def test_photos_stored_before_the_fingerprints_existed_get_them_filled() -> None:
    with at(NOW):
        made = visit("2031-06-02")
    content = demo_photo()
    photo = VisitPhoto(visit=made, content_type="image/jpeg", size=len(content))
    photo.file.save("old.jpg", ContentFile(content), save=False)
    photo.save()
    assert photo.sha256 == "" and fill_hashes(VisitPhoto, images_only=True) >= 1
    photo.refresh_from_db()
    assert (photo.sha256, photo.phash) == (sha256(content), phash(content))


def test_a_visit_photo_gets_its_fingerprints_where_it_is_stored() -> None:
    with at(NOW):
        made = visit("2031-06-02", photos=(demo_photo(),))
    stored = made.photos.get()
    assert len(stored.sha256) == 64 and len(stored.phash) == 16


def test_the_nightly_refresh_finds_the_signals_of_the_current_campaign() -> None:
    with at("2031-08-04"):
        visit("2031-08-01", late_days=0)
        late = visit("2031-07-20", late_days=14, late_reason="补录")
        from campaigns import services as campaign_services
        from org.models import Unit

        campaign_services.campaign_create(
            actor=None, name="2031年活动（测试）", organiser=Unit.objects.get(ref="seed:park"),
            starts_on=dt.date(2031, 5, 1), ends_on=dt.date(2031, 12, 31),
        )  # fmt: skip
        signals_nightly.work(now=timezone.now())  # type: ignore[attr-defined]
    found = Signal.objects.get(kind=SignalKind.LATE_ENTRY)
    assert found.evidence["records"][0]["id"] == late.pk
