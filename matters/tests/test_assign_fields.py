"""The assign forms: a month deadline entered as a month, searchable pickers that work without JavaScript,
and people whose names the seed lost shown as they are but refused as new leads until their record is complete."""

from __future__ import annotations

import datetime as dt

import pytest

from matters.forms import AssignForm, BulkAssignForm
from matters.models import Matter, Precision
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
HX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _assign(client, matter: Matter, **fields: object):  # type: ignore[no-untyped-def]
    data = {
        "assign-task": "安装充电桩80个",
        "assign-leads": [Person.objects.get(name="吕相阳").pk],
        "assign-units": [Unit.objects.get(name="社事办").pk],
        **{f"assign-{key}": value for key, value in fields.items()},
    }
    return client.post(f"/matters/{matter.pk}/act/assign/", data, **HX)


def test_a_month_entered_as_a_month_is_stored_as_a_month_deadline(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    _assign(client_as("coordinator"), matter, deadline_month="2027-03")
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED
    assert (matter.deadline, matter.deadline_precision) == (dt.date(2027, 3, 1), Precision.MONTH)
    assert matter.due_on == dt.date(2027, 3, 31)


def test_a_month_typed_beside_the_suggested_day_left_as_it_was_is_the_deadline(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    actions = dict(client_as("coordinator").get(f"/matters/{matter.pk}/").context["actions"])
    suggested = next(form for action, form in actions.items() if action == "assign").initial["deadline"]
    _assign(client_as("coordinator"), matter, deadline=suggested.isoformat(), deadline_month="2027-03")
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED
    assert (matter.deadline, matter.deadline_precision) == (dt.date(2027, 3, 1), Precision.MONTH)


def test_a_day_entered_as_a_day_is_a_day_deadline_and_the_form_has_no_precision_choice(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    page = client_as("coordinator").get(f"/matters/{matter.pk}/").content.decode()
    assert 'type="month"' in page and 'name="assign-deadline_month"' in page
    assert '<select name="assign-deadline_precision"' not in page, "no day-plus-precision choice"
    _assign(client_as("coordinator"), matter, deadline="2027-03-15")
    matter.refresh_from_db()
    assert (matter.deadline, matter.deadline_precision) == (dt.date(2027, 3, 15), Precision.DAY)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"deadline": "2027-03-15", "deadline_month": "2027-03"}, "日期或月份只填一项"),
        ({"deadline_month": "2027-13"}, "请按 YYYY-MM 填写月份"),
        ({"deadline_month": "三月"}, "请按 YYYY-MM 填写月份"),
        ({}, "请填写完成时限"),
    ],
)
def test_a_deadline_given_twice_badly_or_not_at_all_is_refused_with_a_message(client_as, fields, message) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    response = _assign(client_as("coordinator"), matter, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == Status.ACCEPTED


def test_the_month_deadline_of_a_matter_is_offered_in_the_month_box_when_assigning_again() -> None:
    matter = matter_in(Status.ACCEPTED)
    Matter.objects.filter(pk=matter.pk).update(deadline=dt.date(2027, 5, 1), deadline_precision=Precision.MONTH)
    from matters.views import _deadline_initial

    matter.refresh_from_db()
    assert _deadline_initial(matter) == {"deadline_month": "2027-05"}


def test_people_with_lost_names_are_listed_as_they_are_but_refused_as_new_leads(client_as) -> None:  # type: ignore[no-untyped-def]
    incomplete = Person.objects.get(ref="seed:person:xiong")
    matter = matter_in(Status.ACCEPTED)
    page = client_as("coordinator").get(f"/matters/{matter.pk}/").content.decode()
    assert f"{incomplete.display_name} · " in page, "listed with its unit, marked incomplete"
    response = _assign(client_as("coordinator"), matter, deadline="2027-03-15", leads=[incomplete.pk])
    assert "记录不完整" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == Status.ACCEPTED
    incomplete.name, incomplete.name_incomplete = "熊志远（演示）", False
    incomplete.save()
    _assign(client_as("coordinator"), matter, deadline="2027-03-15", leads=[incomplete.pk])
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED and list(matter.leads.all()) == [incomplete]


def test_an_incomplete_person_already_leading_the_matter_may_stay() -> None:
    incomplete = Person.objects.get(ref="seed:person:xiong")
    matter = matter_in(Status.ASSIGNED)
    matter.leads.add(incomplete)
    data = {
        "task": "任务",
        "deadline": "2027-03-15",
        "leads": [incomplete.pk],
        "units": [Unit.objects.get(name="社事办").pk],
    }
    assert AssignForm(data, matter=matter).is_valid()
    assert not AssignForm(data).is_valid()
    bulk = BulkAssignForm({"deadline_month": "2027-03", "leads": [incomplete.pk]})
    assert not bulk.is_valid() and "leads" in bulk.errors


def test_pickers_are_plain_multiple_selects_marked_for_the_search_box() -> None:
    html = str(AssignForm()["leads"]) + str(AssignForm()["units"])
    assert html.count("<select") == 2 and html.count("multiple") == 2 and html.count("data-picker") == 2


def test_bulk_assignment_takes_a_month_and_its_form_shows_no_precision_choice(client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = matter_in(Status.ACCEPTED, problem="甲"), matter_in(Status.ACCEPTED, problem="乙")
    client = client_as("coordinator")
    page = client.get("/matters/?tab=intake").content.decode()
    bulk = page.split('id="bulk"', 1)[1]
    assert 'type="month"' in bulk and 'type="hidden" name="deadline_precision"' in bulk
    unit = Unit.objects.get(name="基建办")
    client.post("/matters/bulk-assign/", {"ids": [a.pk, b.pk], "deadline_month": "2027-04", "units": [unit.pk]})
    for matter in Matter.objects.filter(pk__in=[a.pk, b.pk]):
        assert matter.status == Status.ASSIGNED
        assert (matter.deadline, matter.deadline_precision) == (dt.date(2027, 4, 1), Precision.MONTH)
