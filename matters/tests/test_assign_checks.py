"""Assigning checks what it is told: a deadline already past is refused on every face; a re-assignment is recorded
as 改派 with what changed and tells only those newly concerned, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token

from matters.models import Matter, Transition
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in
from matters.workflow import Status
from notifications.models import Notification
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")

TODAY = dt.date(2022, 7, 15)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False), translation.override("en"):
        yield


def _unchanged(matter: Matter) -> tuple[str, int]:
    matter.refresh_from_db()
    return matter.status, Transition.objects.filter(matter=matter).count()


@pytest.mark.parametrize(("deadline", "precision"), [(dt.date(2022, 7, 14), "day"), (dt.date(2022, 6, 1), "month")])
def test_the_service_refuses_a_deadline_already_past_and_writes_nothing(deadline: dt.date, precision: str) -> None:
    matter = matter_in(Status.ACCEPTED)
    before = _unchanged(matter)
    with pytest.raises(ValidationError, match="has already passed") as caught:
        matter_transition(
            matter=matter, action="assign", actor=None, **{**assign_fields(deadline), "deadline_precision": precision}
        )
    assert "deadline" in caught.value.message_dict
    assert _unchanged(matter) == before


def test_today_and_a_month_deadline_running_to_the_end_of_this_month_are_accepted() -> None:
    today = matter_transition(matter=matter_in(Status.ACCEPTED), action="assign", actor=None, **assign_fields(TODAY))
    month = matter_transition(
        matter=matter_in(Status.ACCEPTED),
        action="assign",
        actor=None,
        **{**assign_fields(dt.date(2022, 7, 1)), "deadline_precision": "month"},
    )
    assert today.status == month.status == Status.ASSIGNED


def _assign_post(matter: Matter, deadline: str) -> dict[str, object]:
    return {
        "assign-expected_status": matter.status,
        "assign-task": "对赵罗路实施拓宽新建",
        "assign-deadline": deadline,
        "assign-deadline_precision": "day",
        "assign-leads": [Person.objects.get(name="杨立新").pk],
        "assign-units": [Unit.objects.get(name="基建办").pk],
    }


def test_the_assign_form_says_the_deadline_has_passed_beside_the_field(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    before = _unchanged(matter)
    response = client_as("coordinator").post(
        f"/matters/{matter.pk}/act/assign/",
        _assign_post(matter, "2022-07-01"),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    [form] = [form for action, form in response.context["actions"] if action.value == "assign"]
    assert "has already passed" in " ".join(form.errors["deadline"])
    text = response.content.decode()
    assert "The deadline 2022-07-01 has already passed" in text
    assert _unchanged(matter) == before


def test_the_api_refuses_a_deadline_already_past_with_a_clear_400() -> None:
    matter = matter_in(Status.ACCEPTED)
    before = _unchanged(matter)
    token, _c = Token.objects.get_or_create(user=get_user_model().objects.get(username="coordinator"))
    client = Client(headers={"Authorization": f"Token {token.key}", "Accept-Language": "en"})
    body = {
        "action": "assign",
        "task": "对赵罗路实施拓宽新建",
        "deadline": "2022-07-01",
        "leads": [Person.objects.get(name="杨立新").pk],
        "units": [Unit.objects.get(name="基建办").pk],
    }
    response = client.post(f"/api/v1/matters/{matter.pk}/transitions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "has already passed" in response.content.decode()
    assert _unchanged(matter) == before


def _told(matter: Matter) -> list[str]:
    """Who was told the matter was assigned (or reassigned) to them."""
    notes = Notification.objects.about(matter).filter(title__contains="assigned").select_related("recipient")
    return sorted(n.recipient.username for n in notes)


def test_a_reassignment_is_recorded_as_such_with_what_changed_and_tells_only_the_newly_concerned_once(
    client_as,  # type: ignore[no-untyped-def]
) -> None:
    matter = matter_in(Status.ASSIGNED)
    assert _told(matter) == ["handler", "leader"]
    changyu = Unit.objects.get(name="长宇社区")
    fields = {**assign_fields(dt.date(2022, 8, 31)), "units": [Unit.objects.get(name="基建办"), changyu]}
    matter_transition(matter=matter, action="assign", actor=None, **fields)
    last = Transition.objects.filter(matter=matter).order_by("-id").first()
    assert last is not None and last.action == "assign"
    assert last.data["reassigned"] == {
        "units": {"added": ["长宇社区"], "removed": []},
        "deadline": {"before": "2022-07-31", "after": "2022-08-31"},
    }
    assert _told(matter) == ["cadre", "handler", "leader"]  # the cadre of 长宇社区, newly concerned: once
    matter_transition(matter=matter, action="assign", actor=None, **fields)  # the same again: nobody new
    assert _told(matter) == ["cadre", "handler", "leader"]
    page = client_as("coordinator").get(f"/matters/{matter.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "改派" in page and "+ 长宇社区" in page and "2022-07-31 → 2022-08-31" in page


def test_a_reassignment_removing_a_lead_tells_nobody_and_says_who_left() -> None:
    matter = matter_in(Status.ASSIGNED)
    told = Notification.objects.count()
    matter_transition(matter=matter, action="assign", actor=None, **{**assign_fields(), "leads": []})
    last = Transition.objects.filter(matter=matter).order_by("-id").first()
    assert last is not None and last.data["reassigned"] == {"leads": {"added": [], "removed": ["杨立新"]}}
    assert Notification.objects.count() == told
