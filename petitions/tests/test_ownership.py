"""Point 3: 包保 in practice — the 五个一 on the case, home visits as field-work visits of kind `petitioner` (from the
case page, the visit form and the API; never a photo), the visit plan, "my cases" and overdue visits chased."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fieldwork.models import Visit, VisitKind
from notifications.models import Notification
from org.models import Person
from petitions.models import FiveOnes, HomeVisit, PetitionCase
from petitions.ownership import visits_chase
from petitions.plugin import PLUGIN
from petitions.tests.personas import NAME, api, client, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
TZ = ZoneInfo("Asia/Shanghai")
START = dt.date(2022, 5, 10)


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=TZ), tick=False):
        yield


def days(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@pytest.fixture
def case(demo: None) -> PetitionCase:
    with on(START):
        other_accounts()
        return planted_case(received_on=START.isoformat())


def test_the_owner_records_the_five_ones_and_the_one_leader_must_be_an_owner(case: PetitionCase) -> None:
    data = {"o-team": "社事办、基建办", "o-plan": "每月走访", "o-minutes": "", "o-measures": "专人稳控"}
    other = Person.objects.get(name="邹国柱")
    with on(days(2)):
        refused = client("leader").post(f"/petitions/{case.pk}/five-ones/", {**data, "o-leader": other.pk})
        assert refused.status_code == 400 and not FiveOnes.objects.filter(case=case).exists()
        owner = Person.objects.get(name="杨立新")
        response = client("leader").post(f"/petitions/{case.pk}/five-ones/", {**data, "o-leader": owner.pk})
    assert response.status_code == 302
    assert FiveOnes.objects.get(case=case).measures == "专人稳控"


def test_the_owner_logs_a_home_visit_from_the_case_page_without_a_photo_and_it_counts_as_a_visit(
    case: PetitionCase,
) -> None:
    with on(days(3)):
        response = client("leader").post(
            f"/petitions/{case.pk}/home-visits/", {"v-date": days(3).isoformat(), "v-hours": "2", "v-notes": "上门"}
        )
    assert response.status_code == 302
    link = HomeVisit.objects.get(case=case)
    assert link.visit.kind == VisitKind.PETITIONER and link.visit.person.name == "杨立新"
    assert case.case_number in link.visit.place_detail
    assert NAME not in link.visit.place_detail and NAME not in link.visit.notes


def test_a_home_visit_in_the_future_is_refused_and_nothing_is_written(case: PetitionCase) -> None:
    before = Visit.objects.count()
    with on(days(3)):
        response = client("leader").post(
            f"/petitions/{case.pk}/home-visits/", {"v-date": days(4).isoformat(), "v-hours": "2"}
        )
    assert response.status_code == 400
    assert Visit.objects.count() == before and not HomeVisit.objects.exists()


def test_a_home_visit_logged_on_the_visit_form_links_the_case(case: PetitionCase) -> None:
    data = {
        "date": days(5).isoformat(),
        "hours": "1.5",
        "kind": VisitKind.PETITIONER,
        "place_kind": "household",
        "place_detail": "信访户家中",
        "participants": "1",
        "notes": "",
        "petitions.case-case": str(case.pk),
    }
    with on(days(5)):
        response = client("handler").post("/fieldwork/visits/new/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    visit = Visit.objects.latest("pk")
    assert visit.petition_home_visit.case == case  # type: ignore[attr-defined]
    with on(days(5)):
        page = client("handler").get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert case.case_number in page


def test_the_api_logs_a_home_visit_and_refuses_a_case_the_visitor_does_not_work_on(case: PetitionCase) -> None:
    body = {
        "date": days(6).isoformat(),
        "hours": "1",
        "kind": "petitioner",
        "place_kind": "household",
        "place_detail": "信访户家中",
        "extensions": {"petitions.case": {"case": case.pk}},
    }
    with on(days(6)):
        refused = api("other_leader").post("/api/v1/visits/", body, content_type="application/json")
        assert refused.status_code == 400
        assert not HomeVisit.objects.exists()
        done = api("leader").post("/api/v1/visits/", body, content_type="application/json")
    assert done.status_code == 201, done.content
    assert HomeVisit.objects.filter(case=case).count() == 1


def test_my_cases_shows_days_open_the_last_visit_and_the_next_due(case: PetitionCase) -> None:
    with on(days(3)):
        client("leader").post(f"/petitions/{case.pk}/home-visits/", {"v-date": days(3).isoformat(), "v-hours": "1"})
    with on(days(10)):
        page = client("leader").get("/petitions/mine/").content.decode()
        other = client("other_leader").get("/petitions/mine/").content.decode()
    assert case.case_number in page and days(3).isoformat() in page and days(33).isoformat() in page
    assert case.case_number not in other


def test_an_overdue_home_visit_is_on_the_owners_workbench_and_chased_once(case: PetitionCase) -> None:
    owner = Person.objects.get(name="杨立新").user
    assert owner is not None
    assert PLUGIN.work is not None
    with on(days(30)):
        items = {str(item.label): item for item in PLUGIN.work(owner)}
        assert [item.count for item in items.values() if item.urgent] == [0]
        assert visits_chase() == 0
    with on(days(31)):
        assert [item.count for item in PLUGIN.work(owner) if item.urgent] == [1]
        assert visits_chase() == 1
        assert visits_chase() == 0
        workbench = client("leader").get("/").content.decode()
    assert Notification.objects.filter(recipient=owner, title__contains=case.case_number).count() == 1
    assert "/petitions/mine/" in workbench
