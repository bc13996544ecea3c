"""The visit pages as each persona uses them: the phone form, the visit page, its photos and the lists."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.roles import Role
from fieldwork.models import PlaceKind, Visit, VisitKind, VisitPhoto
from fieldwork.selectors import visit_place_for
from fieldwork.services import visit_create
from fieldwork.tests.entry import on_the_day
from matters.models import Category, Channel, Matter
from org.models import ContactPoint, Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = dt.date(2022, 7, 15)
NEW = "/fieldwork/visits/new/"


@pytest.fixture(autouse=True)
def _frozen_and_private_media(settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _jpeg_upload(name: str = "site.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _form(**overrides: Any) -> dict[str, Any]:
    """A valid visit form: a site visit to 长宇社区 today, 9:00–11:30."""
    data: dict[str, Any] = {
        "date": TODAY.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "hours": "",
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "community": Unit.objects.get(name="长宇社区").pk,
        "participants": "12",
        "notes": "了解居民出行困难",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _visit_of(username: str, **overrides: Any) -> Visit:
    user = _user(username)
    args: dict[str, Any] = {
        "actor": user,
        "person": user.person,
        "date": TODAY,
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "unit": Unit.objects.get(name="长宇社区"),
        "hours": Decimal("2"),
    }
    args.update(overrides)
    args.setdefault("now", on_the_day(args["date"]))
    return visit_create(**args)


def _no_person_coordinator() -> Any:
    user = get_user_model().objects.create_user("nobody", password="nobody-pass-2026")
    user.groups.add(Group.objects.get(name=Role.COORDINATOR))
    return user


# --- who may open the pages ---


@pytest.mark.parametrize(
    "url",
    [NEW, "/fieldwork/visits/", "/fieldwork/contact-points/", "/fieldwork/registration/", "/fieldwork/registrations/"],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client_as: ClientAs, url: str) -> None:
    response = client_as(None).get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("username", ["cadre", "handler", "leader", "coordinator", "assessor", "supervisor"])
def test_every_working_persona_opens_the_visit_form_and_the_list(client_as: ClientAs, username: str) -> None:
    client = client_as(username)
    form = client.get(NEW)
    assert form.status_code == 200
    assert form.context["form"]["date"].value() == TODAY
    assert client.get("/fieldwork/visits/").status_code == 200


def test_the_system_administrator_is_refused_with_a_page_not_an_error(client_as: ClientAs) -> None:
    response = client_as("sysadmin").get(NEW)
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


def test_a_working_account_without_a_person_gets_a_clear_message(client_as: ClientAs) -> None:
    client = Client()
    client.force_login(_no_person_coordinator())
    for url in (NEW, "/fieldwork/registration/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "fieldwork/visit_no_person.html" in [t.name for t in response.templates]
    assert client.post(NEW, _form()).status_code == 403
    assert client.get("/fieldwork/visits/").status_code == 200
    assert client.get("/fieldwork/contact-points/").status_code == 200
    assert not Visit.objects.exists()


def test_a_cadre_whose_account_lost_its_person_gets_the_same_message(client_as: ClientAs) -> None:
    Person.objects.filter(user__username="cadre").update(user=None)
    response = client_as("cadre").get(NEW)
    assert response.status_code == 403
    assert "fieldwork/visit_no_person.html" in [t.name for t in response.templates]


# --- logging a visit ---


def test_a_cadre_logs_a_visit_with_photos_and_a_problem_and_lands_on_the_visit_page(client_as: ClientAs) -> None:
    client = client_as("cadre")
    category = Category.objects.first()
    assert category is not None
    response = client.post(
        NEW,
        _form(
            photos=[_jpeg_upload("a.jpg"), _jpeg_upload("b.jpg")],
            problem_1="长宇新城东门路灯不亮",
            category_1=category.pk,
            problem_2="垃圾清运不及时",
        ),
        follow=True,
    )
    visit = Visit.objects.get()
    assert response.redirect_chain == [(f"/fieldwork/visits/{visit.pk}/", 302)]
    assert visit.person.name == "长宇社区党员干部（演示）"
    assert visit.hours == Decimal("2.5") and visit.participants == 12
    assert visit.photos.count() == 2
    matters = list(visit.matters.order_by("id"))
    assert [m.channel for m in matters] == [Channel.VISIT, Channel.VISIT]
    assert matters[0].category == category and matters[1].category is None
    page = response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert "2022-07-15 10:00" in page  # the entry time beside the visit date
    for photo in visit.photos.all():
        assert f"/fieldwork/visits/photos/{photo.pk}/" in page
    for matter in matters:
        assert f"/matters/{matter.pk}/" in page
    assert client.get(f"/matters/{matters[0].pk}/").status_code == 200


def test_hours_alone_are_enough(client_as: ClientAs) -> None:
    response = client_as("cadre").post(NEW, _form(start_time="", end_time="", hours="1.5"))
    assert response.status_code == 302
    assert Visit.objects.get().hours == Decimal("1.5")


def test_a_leader_logs_a_visit_at_their_contact_point_offered_first(client_as: ClientAs) -> None:
    client = client_as("leader")
    own = ContactPoint.objects.get(leader__name="杨立新")
    choices = list(client.get(NEW).context["form"].fields["contact_point"].queryset)
    assert choices[0] == own and len(choices) == ContactPoint.objects.count()
    response = client.post(
        NEW, _form(place_kind=PlaceKind.CONTACT_POINT, community="", contact_point=own.pk, kind="survey_meeting")
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.contact_point == own and visit.unit == own.unit


def test_a_household_visit_keeps_its_details_and_ignores_other_place_inputs(client_as: ClientAs) -> None:
    response = client_as("cadre").post(
        NEW, _form(place_kind=PlaceKind.HOUSEHOLD, place_detail="长宇新城3栋 王某家", kind="household")
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.unit is None and visit.place_detail == "长宇新城3栋 王某家"


def _refused(client: Client, data: dict[str, Any], field: str | None) -> str:
    """Post the form, expect it back (200) with an error tied to `field`, and nothing written; return the page."""
    before = (Visit.objects.count(), Matter.objects.count(), VisitPhoto.objects.count())
    response = client.post(NEW, data)
    assert response.status_code == 200
    form = response.context["form"]
    if field is None:
        assert form.non_field_errors()
    else:
        assert form.errors.get(field), form.errors
        bound = form[field]
        page = response.content.decode()
        assert f'id="{bound.auto_id}_error"' in page
        assert f'aria-describedby="{bound.auto_id}_error' in page
    assert (Visit.objects.count(), Matter.objects.count(), VisitPhoto.objects.count()) == before
    return response.content.decode()


def test_an_end_before_the_start_is_shown_on_the_end_time(client_as: ClientAs) -> None:
    _refused(client_as("cadre"), _form(start_time="14:00", end_time="09:00", problem_1="路灯不亮"), "end_time")


def test_a_date_in_the_future_is_shown_on_the_date(client_as: ClientAs) -> None:
    _refused(client_as("cadre"), _form(date="2022-07-16"), "date")


def test_more_than_24_hours_in_a_day_across_two_visits_is_refused(client_as: ClientAs) -> None:
    client = client_as("cadre")
    assert client.post(NEW, _form(start_time="", end_time="", hours="20")).status_code == 302
    page = _refused(client, _form(start_time="", end_time="", hours="4.5"), "hours")
    assert "24" in page


def test_a_unit_of_the_wrong_kind_is_refused(client_as: ClientAs) -> None:
    compound = Unit.objects.get(name="正信花园")
    _refused(client_as("cadre"), _form(community=compound.pk), "community")


def test_a_missing_place_is_refused_beside_the_matching_input(client_as: ClientAs) -> None:
    client = client_as("cadre")
    _refused(client, _form(community=""), "community")
    _refused(client, _form(place_kind=PlaceKind.COMPOUND), "compound")
    _refused(client, _form(place_kind=PlaceKind.CONTACT_POINT), "contact_point")
    _refused(client, _form(place_kind=PlaceKind.OTHER), "place_detail")


def test_an_unknown_place_kind_is_refused(client_as: ClientAs) -> None:
    _refused(client_as("cadre"), _form(place_kind="moon"), "place_kind")


def test_a_text_file_named_jpg_is_refused(client_as: ClientAs) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    page = _refused(client_as("cadre"), _form(photos=[_jpeg_upload(), fake]), "photos")
    assert "photo.jpg" in page


def test_a_pdf_is_refused_as_a_photo(client_as: ClientAs) -> None:
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    _refused(client_as("cadre"), _form(photos=[pdf]), "photos")


def test_html_in_the_notes_or_a_problem_is_refused(client_as: ClientAs) -> None:
    client = client_as("cadre")
    _refused(client, _form(notes="<script>alert(1)</script>"), "notes")
    _refused(client, _form(problem_1='<a href="javascript:x">点我</a>'), "problem_1")


def test_a_category_without_a_problem_is_refused(client_as: ClientAs) -> None:
    category = Category.objects.first()
    assert category is not None
    _refused(client_as("cadre"), _form(category_1=category.pk), "problem_1")


@pytest.mark.parametrize(
    "overrides",
    [
        {"hours": "abc", "start_time": "", "end_time": ""},
        {"hours": "99999", "start_time": "", "end_time": ""},
        {"start_time": "25:99"},
        {"date": "2022-02-30"},
        {"participants": "-1"},
        {"participants": "一百"},
        {"kind": "party"},
        {"community": "99999999999999999999"},
        {"contact_point": "x", "place_kind": PlaceKind.CONTACT_POINT},
        {"category_1": "0", "problem_1": "x"},
        {"date": ""},
    ],
)
def test_nonsense_input_is_answered_with_the_form_not_an_error(client_as: ClientAs, overrides: dict[str, str]) -> None:
    response = client_as("cadre").post(NEW, _form(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Visit.objects.exists()


# --- the visit page, photos, visibility ---


def test_a_cadre_cannot_open_another_persons_visit_or_its_photos(client_as: ClientAs) -> None:
    client_as("leader").post(NEW, _form(photos=[_jpeg_upload()]))
    visit = Visit.objects.get()
    photo = visit.photos.get()
    cadre = client_as("cadre")
    assert cadre.get(f"/fieldwork/visits/{visit.pk}/").status_code == 404
    assert cadre.get(f"/fieldwork/visits/photos/{photo.pk}/").status_code == 404
    assert cadre.get("/fieldwork/visits/999999/").status_code == 404
    assert client_as("handler").get(f"/fieldwork/visits/{visit.pk}/").status_code == 404


def test_the_author_and_the_teams_see_the_visit_and_its_photo(client_as: ClientAs) -> None:
    client_as("cadre").post(NEW, _form(photos=[_jpeg_upload()]))
    visit = Visit.objects.get()
    photo = visit.photos.get()
    for username in ("cadre", "coordinator", "assessor", "supervisor"):
        client = client_as(username)
        assert client.get(f"/fieldwork/visits/{visit.pk}/").status_code == 200
        response = client.get(f"/fieldwork/visits/photos/{photo.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.getvalue().startswith(b"\xff\xd8")


def test_a_visit_entered_days_later_is_marked(client_as: ClientAs) -> None:
    visit = _visit_of("cadre", date=TODAY - dt.timedelta(days=5), now=NOW)  # entered today
    page = client_as("cadre").get(f"/fieldwork/visits/{visit.pk}/")
    assert page.context["late_days"] == 5
    assert "2022-07-10" in page.content.decode() and "2022-07-15 10:00" in page.content.decode()


def test_the_author_deletes_a_visit_from_its_page(client_as: ClientAs) -> None:
    visit = _visit_of("cadre")
    client = client_as("cadre")
    assert client.get(f"/fieldwork/visits/{visit.pk}/").context["may_delete"]
    response = client.post(f"/fieldwork/visits/{visit.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/fieldwork/visits/"
    assert not Visit.objects.exists()


def test_deleting_after_7_days_is_refused_with_a_message(client_as: ClientAs) -> None:
    visit = _visit_of("cadre")
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        client = client_as("cadre")
        assert not client.get(f"/fieldwork/visits/{visit.pk}/").context["may_delete"]
        response = client.post(f"/fieldwork/visits/{visit.pk}/delete/", follow=True)
    assert Visit.objects.filter(pk=visit.pk).exists()
    assert any("7" in str(m) for m in response.context["messages"])


# --- the lists ---


def test_my_visits_are_paged_newest_first_and_show_only_mine(client_as: ClientAs) -> None:
    for day in range(1, 36):
        _visit_of("cadre", date=dt.date(2022, 6, 10) + dt.timedelta(days=day), hours=Decimal("1"))
    _visit_of("leader")
    client = client_as("cadre")
    page = client.get("/fieldwork/visits/").context["page"]
    assert page.paginator.count == 35
    dates = [v.date for v in page]
    assert dates == sorted(dates, reverse=True) and dates[0] == TODAY
    assert len(dates) == 30
    assert len(list(client.get("/fieldwork/visits/?page=2").context["page"])) == 5
    assert client.get("/fieldwork/visits/?person=1&page=x").status_code == 200


def test_the_teams_see_everyones_visits_and_filter_them(client_as: ClientAs) -> None:
    cadre_visit = _visit_of("cadre", kind=VisitKind.HOUSEHOLD, place_kind=PlaceKind.HOUSEHOLD, place_detail="王某家")
    leader_visit = _visit_of(
        "leader",
        date=dt.date(2022, 6, 20),
        place_kind=PlaceKind.COMPOUND,
        unit=Unit.objects.get(name="正信花园"),
    )
    client = client_as("coordinator")

    def pks(query: str) -> set[int]:
        return {v.pk for v in client.get(f"/fieldwork/visits/?{query}").context["page"]}

    assert pks("") == {cadre_visit.pk, leader_visit.pk}
    assert pks(f"person={leader_visit.person_id}") == {leader_visit.pk}
    assert pks(f"unit={Unit.objects.get(name='正信花园').pk}") == {leader_visit.pk}
    assert pks("kind=household") == {cadre_visit.pk}
    assert pks("week=2022-W28") == {cadre_visit.pk}  # 2022-07-11 … 07-17
    assert pks("week=2022-W25") == {leader_visit.pk}  # 2022-06-20 … 06-26
    assert pks("month=2022-06") == {leader_visit.pk}
    assert pks("week=2022-W99&month=2022-13&person=abc&kind=<x>") == {cadre_visit.pk, leader_visit.pk}
    assert pks("mine=1") == set()
    assert "王某家" in client.get("/fieldwork/visits/").content.decode()


def test_filters_are_for_the_teams_only(client_as: ClientAs) -> None:
    _visit_of("cadre")
    leader = Person.objects.get(name="杨立新")
    page = client_as("cadre").get(f"/fieldwork/visits/?person={leader.pk}").context["page"]
    assert page.paginator.count == 1


def test_household_details_are_shown_to_the_author_and_the_teams_only() -> None:
    visit = _visit_of("cadre", place_kind=PlaceKind.HOUSEHOLD, place_detail="王某家")
    assert visit_place_for(_user("cadre"), visit) == "王某家"
    assert visit_place_for(_user("coordinator"), visit) == "王某家"
    for username in ("handler", "leader"):
        assert visit_place_for(_user(username), visit) == str(PlaceKind.HOUSEHOLD.label)


def test_a_refused_visit_marks_no_field_of_another_kinds_section_as_missing(client_as: ClientAs) -> None:
    """A site visit sent back for its own error does not flag the policy talk's required fields (never checked)."""
    response = client_as("cadre").post(NEW, _form(date="", **{"compounds.talk-speaker": "张三（演示）"}))
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert 'id="id_compounds.talk-topic"' in page  # the section is still there, hidden for this kind
    assert "id_compounds.talk-topic_error" not in page and "id_compounds.talk-speaker_error" not in page
    assert 'value="张三（演示）"' in page  # and keeps what was typed into it
    assert not Visit.objects.exists()


def test_a_policy_talk_sent_without_its_speaker_is_flagged_in_its_section(client_as: ClientAs) -> None:
    response = client_as("cadre").post(NEW, _form(kind=VisitKind.POLICY_TALK, **{"compounds.talk-topic": "惠企政策"}))
    assert response.status_code == 200  # the form again, with its errors
    assert "id_compounds.talk-speaker_error" in response.content.decode()
    assert not Visit.objects.exists()
