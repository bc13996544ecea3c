"""The pack's files (oversight.pack): one document, as .docx and PDF, with every part pack_data gives, the lines'
sections and the last meeting's decisions included when they are there."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from matters.tests.factories import matter_in
from matters.workflow import Status
from oversight.pack import filename, pack_files
from oversight.pack_data import pack_data

NOW = dt.datetime(2022, 6, 28, 10, 0, tzinfo=dt.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

SECTION = {
    "key": "petitions",
    "title": "信访积案化解",
    "figures": [{"label": "积案总数", "value": 12, "unit": "件"}],
    "tables": [{"title": "本月终结的积案", "columns": ["编号", "包保领导"], "rows": [["XF-2022-0001", "杨立新"]]}],
    "notes": ["本月终结积案2件。"],
}
DECISION = {"text": "督办赵罗路拓宽工程", "kind": "督办", "matter": "MQ-2022-0001", "outcome": "已催办"}


@time_machine.travel(NOW, tick=False)
def test_both_files_hold_every_part_with_a_line_section_and_the_decisions_in_chinese() -> None:
    matter_in(Status.CLOSED, problem="赵罗路人行道破损（演示）")
    with translation.override("zh-hans"):
        data = pack_data(dt.date(2022, 6, 1), decisions=[DECISION])
        data["sections"] = [SECTION]  # a line's section as oversight.sections builds it (no line declares one yet)
        files = pack_files(data)
    word = docx.Document(io.BytesIO(files["docx"]))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "民情工作月度汇报材料（2022年6月）"
    for title in (
        "一、本月主要指标",
        "二、统计图表",
        "问题清单",
        "任务清单",
        "效果清单",
        "四、逾期事项",
        "信访积案化解",
    ):
        assert title in texts, title
    assert "八、上次会议决定事项落实情况" in texts and "积案总数：12件" in texts
    assert len(word.inline_shapes) == len(data["charts"])
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"XF-2022-0001", "督办赵罗路拓宽工程", "已催办", "赵罗路人行道破损（演示）"} <= cells
    reader = PdfReader(io.BytesIO(files["pdf"]))
    pdf_text = "".join(page.extract_text().replace("\x00", "") for page in reader.pages)
    assert "信访积案化解" in pdf_text and "督办赵罗路拓宽工程" in pdf_text
    assert filename(data, "pdf") == "月度汇报材料_2022-06.pdf"


@time_machine.travel(NOW, tick=False)
def test_without_decisions_the_pack_has_no_decisions_part() -> None:
    with translation.override("zh-hans"):
        files = pack_files(pack_data(dt.date(2022, 6, 1)))
    texts = [p.text for p in docx.Document(io.BytesIO(files["docx"])).paragraphs]
    assert "八、上次会议决定事项落实情况" not in texts and "七、各专项工作" in texts
