"""Point 6: the backlog board — filters, the campaign's progress per leader against case-by-case counting, and the
park's table as .xlsx and .docx with the petitioner shown by case number, never by name."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from matters.workflow import Status
from org.models import Person
from petitions import demo as petition_demo
from petitions.models import PetitionCase
from petitions.tests.personas import ADDRESS, ID_NUMBER, NAME, PHONE, client, other_accounts, planted_case

pytestmark = pytest.mark.usefixtures("demo")
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSONAL = (NAME, PHONE, ID_NUMBER, ADDRESS)
HEADERS = [
    "序号",
    "信访人（化名或编号）",
    "反映问题",
    "包保领导",
    "责任单位",
    "化解措施",
    "进展情况",
    "办理时限",
    "备注",
]


@pytest.fixture(autouse=True)
def _world(demo: None) -> Iterator[PetitionCase]:
    with time_machine.travel(NOW, tick=False):
        other_accounts()
        assert petition_demo.load() == 5
        yield planted_case()


def test_the_boards_progress_matches_counting_case_by_case() -> None:
    response = client("coordinator").get("/petitions/board/")
    assert response.status_code == 200
    progress = response.context["progress"]
    cases = PetitionCase.objects.all()
    assert progress.total == cases.count() == 6
    assert progress.closed == cases.filter(matter__status=Status.CLOSED).count() == 2
    for leader, closed, total in progress.per_leader:
        owned = cases.filter(owners__name=leader)
        assert (closed, total) == (owned.filter(matter__status=Status.CLOSED).count(), owned.count()), leader
    assert {"杨立新", "邹国柱", "曾湛涛", "吕相阳"} == {name for name, _c, _t in progress.per_leader}
    assert response.context["chart"]["leaders"] == [name for name, _c, _t in progress.per_leader]


def test_the_board_filters_by_owner_focus_risk_and_status() -> None:
    board = client("leader")
    owner = Person.objects.get(name="邹国柱")
    by_owner = board.get("/petitions/board/", {"owner": owner.pk}).context["rows"]
    assert [r.case.ref for r in by_owner] == ["demo:petition:1"]
    by_focus = board.get("/petitions/board/", {"focus": "medical"}).context["rows"]
    assert [r.case.ref for r in by_focus] == ["demo:petition:4"]
    by_risk = board.get("/petitions/board/", {"risk": "high"}).context["rows"]
    assert len(by_risk) == PetitionCase.objects.filter(risk="high").count() == 3
    closed = board.get("/petitions/board/", {"status": "closed"}).context["rows"]
    assert {r.case.ref for r in closed} == {"demo:petition:3", "demo:petition:4"}
    open_rows = board.get("/petitions/board/", {"status": "open"}).context["rows"]
    assert len(open_rows) == 4


def test_the_board_is_for_the_leaders_and_the_teams_only() -> None:
    assert client("handler").get("/petitions/board/").status_code == 403
    assert client(None).get("/petitions/board/").status_code == 302


def test_the_xlsx_board_is_the_parks_table_with_case_numbers_and_no_personal_data(_world: PetitionCase) -> None:
    from openpyxl import load_workbook

    response = client("coordinator").get("/petitions/board/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert values[1] == HEADERS
    text = "\n".join("\t".join(map(str, row)) for row in values)
    assert _world.case_number in text
    assert not [v for v in PERSONAL if v in text], text
    assert len(values) == 2 + PetitionCase.objects.count()


def test_the_docx_board_has_the_same_table_and_no_personal_data(_world: PetitionCase) -> None:
    import docx

    response = client("supervisor").get("/petitions/board/", {"format": "docx"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == HEADERS
    text = "\n".join(cell.text for row in table.rows for cell in row.cells)
    assert _world.case_number in text and "杨立新" in text
    assert not [v for v in PERSONAL if v in text], text
