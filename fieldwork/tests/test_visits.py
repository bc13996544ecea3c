"""The visit service: its rules at their edges, idempotent imports, photos, and the matters a visit raises."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from PIL import Image

from audit.models import AuditEvent
from core.exceptions import NotAllowed
from core.uploads import CleanFile, clean_upload
from fieldwork.models import PlaceKind, Visit, VisitKind, VisitPhoto
from fieldwork.services import RaisedMatter, visit_create, visit_delete
from matters.models import Category, Channel, Matter
from org.models import ContactPoint, Person, Unit

pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2022, 7, 15)


@pytest.fixture(autouse=True)
def _frozen_and_private_media(settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _cadre() -> Person:
    return Person.objects.get(name="长宇社区党员干部（演示）")


def _changyu() -> Unit:
    return Unit.objects.get(name="长宇社区")


def _visit(**overrides: Any) -> Visit:
    """A site visit by the demo cadre to 长宇社区 today, entered by the cadre; override any argument."""
    args: dict[str, Any] = {
        "actor": _user("cadre"),
        "person": _cadre(),
        "date": TODAY,
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "unit": _changyu(),
        "hours": Decimal("2"),
    }
    args.update(overrides)
    return visit_create(**args)


def _refused(field: str, **overrides: Any) -> list[str]:
    """Assert that the visit is refused with an error on `field` and nothing written; return the messages."""
    counts = (Visit.objects.count(), Matter.objects.count(), VisitPhoto.objects.count())
    with pytest.raises(ValidationError) as exc:
        _visit(**overrides)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert (Visit.objects.count(), Matter.objects.count(), VisitPhoto.objects.count()) == counts
    return exc.value.message_dict[field]


def _jpeg() -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, format="JPEG")
    return clean_upload("site.jpg", out.getvalue())


def test_a_visit_of_exactly_24_hours_is_accepted_and_24_point_1_refused() -> None:
    assert _visit(hours=Decimal("24")).hours == Decimal("24.0")
    Visit.objects.all().delete()
    assert "24" in _refused("hours", hours=Decimal("24.1"))[0]


def test_two_visits_may_fill_a_day_to_24_hours_but_not_beyond() -> None:
    _visit(hours=Decimal("20"))
    _visit(hours=Decimal("4"))
    _refused("hours", hours=Decimal("0.5"))


def test_more_than_24_hours_across_two_visits_is_refused_with_the_hours_already_logged() -> None:
    _visit(hours=Decimal("20"))
    message = _refused("hours", hours=Decimal("4.5"))[0]
    assert "24" in message and "20" in message


def test_the_day_limit_counts_the_person_not_other_people() -> None:
    _visit(hours=Decimal("20"))
    other = Person.objects.get(name="杨立新")
    assert _visit(person=other, actor=_user("leader"), hours=Decimal("20")).hours == Decimal("20")
    assert _visit(date=TODAY - dt.timedelta(days=1), hours=Decimal("20")).pk


def test_hours_are_derived_from_start_and_end_to_a_tenth_of_an_hour() -> None:
    visit = _visit(hours=None, start_time=dt.time(9, 0), end_time=dt.time(11, 20))
    assert visit.hours == Decimal("2.3")
    assert (visit.start_time, visit.end_time) == (dt.time(9, 0), dt.time(11, 20))


def test_an_end_equal_to_the_start_is_refused_on_the_end_time() -> None:
    _refused("end_time", hours=None, start_time=dt.time(9, 0), end_time=dt.time(9, 0))


def test_an_end_before_the_start_is_refused_even_with_hours_given() -> None:
    _refused("end_time", start_time=dt.time(14, 0), end_time=dt.time(9, 0))


def test_hours_that_do_not_fit_between_start_and_end_are_refused() -> None:
    _refused("hours", hours=Decimal("3"), start_time=dt.time(9, 0), end_time=dt.time(11, 0))


def test_neither_hours_nor_times_is_refused() -> None:
    _refused("hours", hours=None)
    _refused("end_time", hours=None, start_time=dt.time(9, 0))


def test_zero_or_negative_hours_are_refused() -> None:
    _refused("hours", hours=Decimal("0"))
    _refused("hours", hours=Decimal("-1"))
    _refused("hours", hours=None, start_time=dt.time(9, 0), end_time=dt.time(9, 2))  # rounds to 0.0


def test_today_is_accepted_and_tomorrow_refused() -> None:
    assert _visit(date=TODAY).date == TODAY
    _refused("date", date=TODAY + dt.timedelta(days=1))


def test_today_is_the_local_date_not_utc() -> None:
    # 2022-07-16 01:00 in Beijing is still 2022-07-15 in UTC: the 16th is today.
    late = dt.datetime(2022, 7, 16, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert _visit(date=dt.date(2022, 7, 16), now=late).date == dt.date(2022, 7, 16)


def test_the_entry_time_is_recorded_beside_the_visit_date() -> None:
    visit = _visit(date=TODAY - dt.timedelta(days=3))
    assert visit.entered_at == NOW
    assert visit.created_by == _user("cadre")


def test_a_community_place_needs_a_community() -> None:
    _refused("unit", unit=None)
    assert "正信花园" in _refused("unit", unit=Unit.objects.get(name="正信花园"))[0]
    _refused("unit", unit=Unit.objects.get(name="基建办"))


def test_a_compound_place_takes_a_compound() -> None:
    visit = _visit(place_kind=PlaceKind.COMPOUND, unit=Unit.objects.get(name="正信花园"))
    assert visit.place_label == "正信花园"
    _refused("unit", place_kind=PlaceKind.COMPOUND, unit=_changyu())


def test_a_contact_point_place_needs_the_point_and_takes_its_unit() -> None:
    _refused("contact_point", place_kind=PlaceKind.CONTACT_POINT, unit=None)
    point = ContactPoint.objects.get(leader__name="杨立新")
    visit = _visit(
        person=point.leader, actor=_user("leader"), place_kind=PlaceKind.CONTACT_POINT, contact_point=point, unit=None
    )
    assert visit.contact_point == point and visit.unit == point.unit


def test_a_household_or_other_place_needs_its_details() -> None:
    _refused("place_detail", place_kind=PlaceKind.HOUSEHOLD, unit=None)
    _refused("place_detail", place_kind=PlaceKind.OTHER, unit=None, place_detail="   ")
    visit = _visit(place_kind=PlaceKind.HOUSEHOLD, unit=_changyu(), place_detail="长宇新城3栋2单元 王某家")
    assert visit.unit is None and visit.place_label == "长宇新城3栋2单元 王某家"


def test_an_unknown_place_kind_is_refused() -> None:
    _refused("place_kind", place_kind="moon")


def test_html_in_notes_or_place_details_is_refused() -> None:
    _refused("notes", notes="走访<script>alert(1)</script>")
    _refused("place_detail", place_kind=PlaceKind.OTHER, unit=None, place_detail='<img src="x">')


def test_photos_are_stored_and_a_pdf_is_refused() -> None:
    visit = _visit(photos=[_jpeg(), _jpeg()])
    assert [p.content_type for p in visit.photos.all()] == ["image/jpeg", "image/jpeg"]
    assert visit.photos.first().file.read().startswith(b"\xff\xd8")  # type: ignore[union-attr]
    pdf = CleanFile(b"%PDF-1.4\n%%EOF", "application/pdf", "pdf", "report.pdf")
    assert "report.pdf" in _refused("photos", photos=[_jpeg(), pdf])[0]


def test_a_text_file_named_jpg_is_not_an_image() -> None:
    with pytest.raises(ValidationError):
        clean_upload("photo.jpg", b"just some text, not a picture")


def test_problems_found_become_matters_of_the_visit_channel_linked_to_the_visit() -> None:
    category = Category.objects.first()
    visit = _visit(
        raised=[
            RaisedMatter(problem="小区路灯不亮", category=category),
            RaisedMatter(problem="垃圾清运不及时", location="长宇新城东门"),
        ]
    )
    matters = list(visit.matters.order_by("id"))
    assert [m.problem for m in matters] == ["小区路灯不亮", "垃圾清运不及时"]
    assert {m.channel for m in matters} == {Channel.VISIT}
    assert matters[0].category == category
    assert [m.location for m in matters] == ["长宇社区", "长宇新城东门"]
    assert {m.created_by for m in matters} == {_user("cadre")}
    assert list(Visit.objects.filter(matters=matters[0])) == [visit]


def test_a_household_visit_does_not_put_the_household_into_its_matters() -> None:
    visit = _visit(
        place_kind=PlaceKind.HOUSEHOLD, unit=None, place_detail="王某家", raised=[RaisedMatter(problem="屋顶漏水")]
    )
    assert visit.matters.get().location == ""


def test_a_refused_visit_raises_no_matter() -> None:
    _visit(hours=Decimal("23"))
    _refused("hours", hours=Decimal("2"), raised=[RaisedMatter(problem="路面破损")])


def test_problems_with_markup_or_empty_are_refused() -> None:
    _refused("raised", raised=[RaisedMatter(problem="<b>x</b>")])
    _refused("raised", raised=[RaisedMatter(problem="  ")])
    _refused("raised", raised=[RaisedMatter(problem=f"问题{i}") for i in range(4)])


def test_the_same_import_key_returns_the_visit_already_recorded() -> None:
    first = _visit(import_key="sheet-2022-07:row-5", raised=[RaisedMatter(problem="路灯不亮")])
    again = _visit(import_key="sheet-2022-07:row-5", hours=Decimal("3"), raised=[RaisedMatter(problem="路灯不亮")])
    assert again.pk == first.pk
    assert Visit.objects.count() == 1 and Matter.objects.count() == 1


def test_the_audit_records_the_visit_without_the_household_details_or_notes() -> None:
    visit = _visit(place_kind=PlaceKind.HOUSEHOLD, unit=None, place_detail="王某家 13800000000", notes="家中困难")
    event = AuditEvent.objects.get(action="fieldwork.visit_create", target_id=str(visit.pk))
    after = event.after or {}
    assert after["hours"] == "2.0" and after["place_kind"] == "household"
    assert "王某" not in str(event.after) and "困难" not in str(event.after)
    assert event.actor_name == "cadre"


def test_the_author_may_delete_a_visit_within_7_days_and_its_matters_stay(
    django_capture_on_commit_callbacks: Any,
) -> None:
    visit = _visit(raised=[RaisedMatter(problem="路灯不亮")], photos=[_jpeg()])
    pk, photo = visit.pk, visit.photos.get().file
    assert photo.storage.exists(photo.name)
    with (
        time_machine.travel(NOW + dt.timedelta(days=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        visit_delete(actor=_user("cadre"), visit=visit)
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not photo.storage.exists(photo.name)
    assert Matter.objects.count() == 1
    assert AuditEvent.objects.filter(action="fieldwork.visit_delete", target_id=str(pk)).exists()


def test_a_visit_cannot_be_deleted_after_7_days_nor_by_someone_else() -> None:
    visit = _visit()
    with pytest.raises(NotAllowed):
        visit_delete(actor=_user("handler"), visit=visit)
    with pytest.raises(NotAllowed):
        visit_delete(actor=_user("leader"), visit=visit)
    with time_machine.travel(NOW + dt.timedelta(days=7, minutes=1), tick=False), pytest.raises(NotAllowed):
        visit_delete(actor=_user("coordinator"), visit=visit)
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_the_coordinator_may_delete_someone_elses_visit_within_7_days() -> None:
    visit = _visit()
    visit_delete(actor=_user("coordinator"), visit=visit)
    assert not Visit.objects.filter(pk=visit.pk).exists()
