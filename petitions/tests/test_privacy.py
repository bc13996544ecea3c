"""Point 8's privacy test: a petitioner's name, phone, ID number and address planted in a case (its summary, its
petitioner, a disposition, a home visit) are found on no public page, in no export or file, in no API answer to a
role not allowed, in no log line and in no readable value of the audit log."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEvent
from matters.services import matter_transition
from matters.workflow import Action
from org.models import Person, Unit
from petitions import services
from petitions.models import PetitionCase
from petitions.tests.personas import ADDRESS, ID_NUMBER, NAME, PHONE, api, client, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSONAL = (NAME, PHONE, ID_NUMBER, ADDRESS, "139-0000-0077", "110105194912310")
NOT_ALLOWED = ["other_leader", "assessor", "other_handler", "cadre"]
ALL_ROLES = ["leader", "handler", "coordinator", "supervisor", *NOT_ALLOWED]


def _found(text: str) -> list[str]:
    return [value for value in PERSONAL if value in text]


@pytest.fixture
def planted(demo: None, caplog: pytest.LogCaptureFixture) -> Iterator[PetitionCase]:
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(NOW, tick=False):
        other_accounts()
        case = planted_case(publishable=True)
        matter_transition(matter=case.matter, action=Action.ACCEPT, actor=None)
        matter_transition(
            matter=case.matter,
            action=Action.ASSIGN,
            actor=None,
            task=f"化解 {case.case_number}",
            deadline=dt.date(2022, 9, 1),
            leads=[Person.objects.get(name="杨立新")],
            units=[Unit.objects.get(name="基建办")],
        )
        services.disposition_add(
            actor=None,
            case=case,
            term="relieved",
            done=f"为{NAME}（{PHONE}）申请临时救助",
            done_on=dt.date(2022, 6, 14),
        )
        client("leader").post(
            f"/petitions/{case.pk}/home-visits/", {"v-date": "2022-06-15", "v-hours": "1", "v-notes": "上门"}
        )
        yield case


def test_no_public_page_shows_the_petitioner_even_for_a_publishable_case(planted: PetitionCase) -> None:
    matter = planted.matter
    anonymous = client(None)
    pages = [
        "/",
        "/lists/problems/",
        "/lists/tasks/",
        "/lists/effects/",
        f"/matters/{matter.code}/",
        f"/track/{matter.tracking_code}/",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{matter.code}.json",
        "/similar/?description=" + "拖欠工资",
    ]
    for page in pages:
        response = anonymous.get(page, follow=True)
        assert response.status_code < 500, page
        assert not _found(response.content.decode()), page
    assert planted.public_summary and not _found(planted.public_summary)


@pytest.mark.parametrize("username", ALL_ROLES)
def test_no_export_shows_the_petitioner_to_any_role(planted: PetitionCase, username: str) -> None:
    from openpyxl import load_workbook

    with time_machine.travel(NOW, tick=False):
        for fmt in ("xlsx", "csv", "docx"):
            response = client(username).get("/matters/lists/download/", {"list": "tasks", "format": fmt})
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            if fmt == "xlsx":
                sheet = load_workbook(io.BytesIO(body)).active
                text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
            elif fmt == "docx":
                import docx

                text = "\n".join(
                    c.text for t in docx.Document(io.BytesIO(body)).tables for r in t.rows for c in r.cells
                )
            else:
                text = body.decode("utf-8-sig")
            assert not _found(text), (username, fmt)
        board = client(username).get("/petitions/board/", {"format": "xlsx"})
        if board.status_code == 200:
            sheet = load_workbook(io.BytesIO(board.content)).active
            assert not _found("\n".join(str(c.value) for row in sheet.iter_rows() for c in row)), username


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_the_api_shows_the_petitioner_to_no_role_outside_the_allowed(planted: PetitionCase, username: str) -> None:
    with time_machine.travel(NOW, tick=False):
        caller = api(username)
        for path in (
            "/api/v1/petitions/",
            f"/api/v1/petitions/{planted.pk}/",
            f"/api/v1/petitions/{planted.pk}/dispositions/",
            f"/api/v1/petitions/{planted.pk}/visits/",
            "/api/v1/matters/",
            f"/api/v1/matters/{planted.matter.pk}/",
            "/api/v1/visits/",
        ):
            response = caller.get(path)
            assert response.status_code < 500, path
            assert not _found(response.content.decode()), (username, path)


@pytest.mark.parametrize("username", NOT_ALLOWED)
def test_the_back_office_pages_mask_the_petitioner_for_roles_not_allowed(planted: PetitionCase, username: str) -> None:
    with time_machine.travel(NOW, tick=False):
        for path in (f"/petitions/{planted.pk}/", "/petitions/", f"/matters/{planted.matter.pk}/", "/matters/"):
            response = client(username).get(path)
            assert response.status_code in (200, 403, 404), path
            text = response.content.decode()
            assert not _found(text), (username, path)


def test_neither_the_logs_nor_the_audit_logs_readable_values_hold_the_petitioner(
    planted: PetitionCase, caplog: pytest.LogCaptureFixture
) -> None:
    with time_machine.travel(NOW, tick=False):
        for username in ALL_ROLES:
            client(username).get(f"/petitions/{planted.pk}/")
            api(username).get(f"/api/v1/petitions/{planted.pk}/")
    assert not _found(caplog.text)
    for event in AuditEvent.objects.all():
        assert not _found(f"{event.before} {event.after} {event.target_label}"), event.action
