"""The duty report (述职报告): its Word and PDF files, who may download whose, the period's checks, the command."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from fieldwork import duty_report
from fieldwork.models import PlaceKind, VisitKind
from fieldwork.services import visit_create
from fieldwork.tests.entry import on_the_day
from matters.tests.factories import matter_in
from matters.workflow import Status
from org import services as org_services
from org.models import ContactPoint, Person, Unit, UnitKind

REPORT = "/fieldwork/report/"
TZ = ZoneInfo("Asia/Shanghai")
JUNE = {"start": "2022-06-01", "end": "2022-06-30"}
HOUSEHOLD_DETAIL = "赵罗路3栋张大爷家"
HOUSEHOLD_NOTE = "老人独居，子女电话13812345678"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English (the source language), so that the tests hold once the Chinese catalogue has them."""
    with translation.override("en"):
        yield


@pytest.fixture
def client_as(client_as: Callable[[str | None], Client]) -> Callable[[str | None], Client]:
    def make(username: str | None) -> Client:
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def yang() -> Person:
    return Person.objects.get(name="杨立新")


@pytest.fixture
def june(demo: None, time_machine: Any) -> Person:
    """杨立新's June 2022: a field day at his contact point, an enterprise visit, a household visit, a solved matter.

    Week 23 (6–12 June) has the field day and the enterprise visit; week 24 only the household visit.
    """
    time_machine.move_to(dt.datetime(2022, 6, 20, 10, 0, tzinfo=TZ), tick=False)
    person = yang()
    point = ContactPoint.objects.get(leader=person, unit__name="长宇社区")
    enterprise = org_services.unit_create(
        actor=None, name="长乐山测试企业", kind=UnitKind.ENTERPRISE, parent=Unit.objects.get(ref="seed:park")
    )
    common: dict[str, Any] = {"actor": None, "person": person}
    visit_create(
        **common,
        date=dt.date(2022, 6, 7),
        now=on_the_day(dt.date(2022, 6, 7)),
        kind=VisitKind.SITE_VISIT,
        place_kind=PlaceKind.CONTACT_POINT,
        contact_point=point,
        start_time=dt.time(8, 30),
        end_time=dt.time(17, 0),
        notes="走访联系点，听取网格员意见，现场研究楼道照明整改。",
    )
    visit_create(
        **common,
        date=dt.date(2022, 6, 9),
        now=on_the_day(dt.date(2022, 6, 9)),
        kind=VisitKind.ENTERPRISE,
        place_kind=PlaceKind.ENTERPRISE,
        unit=enterprise,
        hours=Decimal("3"),
        notes="宣讲惠企政策",
    )
    visit_create(
        **common,
        date=dt.date(2022, 6, 15),
        now=on_the_day(dt.date(2022, 6, 15)),
        kind=VisitKind.HOUSEHOLD,
        place_kind=PlaceKind.HOUSEHOLD,
        place_detail=HOUSEHOLD_DETAIL,
        hours=Decimal("2.5"),
        notes=HOUSEHOLD_NOTE,
    )
    matter_in(Status.COMPLETED, problem="长宇新城3栋楼道灯不亮。")
    time_machine.move_to(dt.datetime(2022, 7, 5, 10, 0, tzinfo=TZ), tick=False)
    return person


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def download(client: Client, **params: str) -> Any:
    return client.get(REPORT, {**JUNE, "format": "docx", **params})


def test_the_word_report_names_the_person_and_lists_weeks_totals_visits_and_matters(
    june: Person, client_as: Callable[[str | None], Client]
) -> None:
    response = download(client_as("leader"))
    assert response.status_code == 200
    assert response["Content-Type"] == duty_report.CONTENT_TYPES["docx"]
    text = docx_text(b"".join(response.streaming_content))
    assert "杨立新 duty report (2022.6.1—2022.6.30)" in text
    assert "园区招商和项目建设服务中心" in text and "八级职员" in text
    for week in ("2022-W22", "2022-W23", "2022-W24", "2022-W25", "2022-W26"):
        assert week in text
    # Columns: field days, matters solved, enterprises. Every visit here is field work; week 24 has no enterprise.
    assert "2022-W23 | 6.6—6.12 | 2 / 1 ✓ | 0 / 1 ✗ | 1 / 1 ✓" in text
    assert "2022-W24 | 6.13—6.19 | 1 / 1 ✓ | 0 / 1 ✗ | 0 / 1 ✗" in text
    assert "2022-W25 | 6.20—6.26 | 0 / 1 ✗ | 1 / 1 ✓ | 0 / 1 ✗" in text  # the matter completed on 20 June
    assert "Visits | 3" in text and "Hours of grassroots work | 14" in text
    assert "Field days | 3" in text and "Distinct enterprises served | 1" in text and "Matters solved as lead | 1" in text
    assert (
        "2022.6.7 | Site visit (实地走访) | 长宇社区 | 8.5 | 走访联系点，听取网格员意见，现场研究楼道照明整改。" in text
    )
    assert "长乐山测试企业" in text
    assert "长宇新城3栋楼道灯不亮。" in text and "Completed" in text


def test_the_report_leaves_out_a_households_description_and_notes(
    june: Person, client_as: Callable[[str | None], Client]
) -> None:
    for file_format in ("docx", "pdf"):
        data = b"".join(download(client_as("leader"), format=file_format).streaming_content)
        text = docx_text(data) if file_format == "docx" else data.decode("latin-1")
        assert "张大爷" not in text and "13812345678" not in text
    text = docx_text(b"".join(download(client_as("leader")).streaming_content))
    assert "2022.6.15 | Household visit (入户走访) | Household | 2.5 | " in text


def test_the_pdf_report_is_a_pdf_with_the_cjk_font_embedded(
    june: Person, client_as: Callable[[str | None], Client]
) -> None:
    response = download(client_as("leader"), format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert b"/FontFile" in data and b"NotoSansCJK" in data  # the CJK font is embedded (subset)


def test_the_file_name_names_the_person_and_the_period_encoded_for_any_browser(
    june: Person, client_as: Callable[[str | None], Client]
) -> None:
    response = download(client_as("leader"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" in disposition
    assert quote("_杨立新_2022-06-01_2022-06-30.docx") in disposition


def test_a_cadre_cannot_download_someone_elses_report(june: Person, client_as: Callable[[str | None], Client]) -> None:
    response = download(client_as("cadre"), person=str(june.pk))
    assert response.status_code == 404


def test_a_cadre_gets_their_own_report_without_choosing_anyone(
    demo: None, client_as: Callable[[str | None], Client]
) -> None:
    page = client_as("cadre").get(REPORT)
    assert page.status_code == 200
    assert "长宇社区党员干部（演示）" in page.content.decode()
    response = download(client_as("cadre"))
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "长宇社区党员干部（演示） duty report" in text
    assert "No visits recorded in the period." in text


def test_the_coordination_team_may_download_anyones_report(
    june: Person, client_as: Callable[[str | None], Client]
) -> None:
    response = download(client_as("coordinator"), person=str(june.pk))
    assert response.status_code == 200
    assert "杨立新 duty report" in docx_text(b"".join(response.streaming_content))


def test_the_form_starts_with_the_campaign_start_and_today(
    demo: None, client_as: Callable[[str | None], Client]
) -> None:
    with time_machine.travel(dt.datetime(2022, 7, 5, 10, 0, tzinfo=TZ), tick=False):
        page = client_as("leader").get(REPORT).content.decode()
    assert 'value="2022-05-01"' in page and 'value="2022-07-05"' in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2022-06-30", "2022-06-01", "The end date (2022-06-01) is before the start date (2022-06-30)."),
        ("2020-01-01", "2022-06-30", "A duty report covers at most 2 years; choose a shorter period."),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(
    demo: None, client_as: Callable[[str | None], Client], start: str, end: str, message: str
) -> None:
    response = download(client_as("leader"), start=start, end=end)
    assert response.status_code == 200
    assert "attachment" not in response.get("Content-Disposition", "")
    assert message in response.content.decode()


def test_people_without_a_work_role_cannot_open_the_report_page(
    demo: None, client_as: Callable[[str | None], Client]
) -> None:
    assert client_as("sysadmin").get(REPORT).status_code == 403
    assert client_as(None).get(REPORT).status_code == 302


def test_the_command_writes_the_report_by_name_or_id(june: Person, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "report.pdf"
    call_command(
        "duty_report", "--person", "杨立新", "--from", "2022-06-01", "--to", "2022-06-30", "-o", str(target), stdout=out
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert "杨立新 duty report (2022.6.1—2022.6.30)" in out.getvalue()
    word = tmp_path / "report.bin"
    call_command("duty_report", "--person", str(june.pk), "--format", "docx", "-o", str(word), stdout=out)
    assert "杨立新" in docx_text(word.read_bytes())


def test_the_command_refuses_an_unknown_person_and_a_bad_period(june: Person, tmp_path: Path) -> None:
    target = str(tmp_path / "r.docx")
    with pytest.raises(CommandError, match="Nobody with the id or name"):
        call_command("duty_report", "--person", "无此人", "-o", target)
    with pytest.raises(CommandError, match="before the start date"):
        call_command("duty_report", "--person", "杨立新", "--from", "2022-06-30", "--to", "2022-06-01", "-o", target)
    with pytest.raises(CommandError, match="write the date like"):
        call_command("duty_report", "--person", "杨立新", "--from", "2022/6/1", "-o", target)


def test_pairings_and_cases_add_no_section_while_none_are_recorded(june: Person) -> None:
    report = duty_report.build_report(person=june, start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30))
    assert duty_report.pairing_and_case_sections(june, report.start, report.end) == []
    titles = [s.title for s in report.sections]
    assert titles == ["", "Main work", "Problems", "Next steps", "Weekly duties", "Totals", "Visits", "Matters led"]
