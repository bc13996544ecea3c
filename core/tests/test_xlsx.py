"""The streaming .xlsx writer: what openpyxl (and so Excel and WPS) reads back from its files."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import pytest
from django.template import Context, Template
from openpyxl import load_workbook

from core.documents import xlsx


def _book(rows: list[tuple[int, list[str]]], **kwargs: object) -> object:
    out = io.BytesIO()
    xlsx.write(out, title="任务清单", rows=rows, **kwargs)  # type: ignore[arg-type]
    return load_workbook(io.BytesIO(out.getvalue()))


def test_cells_come_back_as_the_same_text_with_their_styles() -> None:
    rows = [
        (xlsx.TITLE, ["长乐山工业园区 任务清单"]),
        (xlsx.HEADER, ["序号", "问题", "完成时限"]),
        (xlsx.BODY, ["1", "赵罗路 <拓宽> & \"新建\"", "2022.6"]),
        (xlsx.BODY, ["2", "第一行\n第二行", ""]),
    ]
    sheet = _book(rows, widths=[6, 40, 12], frozen_rows=2).worksheets[0]  # type: ignore[attr-defined]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=3)] == [
        ["1", "赵罗路 <拓宽> & \"新建\"", "2022.6"],
        ["2", "第一行\n第二行", None],
    ]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["B2"].font.b and sheet["B2"].fill.fgColor.rgb == "FFE9ECEF"
    assert sheet["C3"].number_format == "@" and sheet["B3"].alignment.wrap_text
    assert sheet["A3"].border.left.style == "thin"
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == 40


def test_characters_xml_cannot_carry_are_dropped_not_fatal() -> None:
    sheet = _book([(xlsx.BODY, ["响铃\x07换页\x0c结束\ufffe"])]).worksheets[0]  # type: ignore[attr-defined]
    assert sheet["A1"].value == "响铃换页结束"


@pytest.mark.parametrize(("title", "expected"), [("任务清单[2022/6]", "任务清单_2022_6_"), ("", "Sheet1"), ("长" * 40, "长" * 31)])
def test_the_sheet_name_is_made_valid(title: str, expected: str) -> None:
    assert xlsx.sheet_name(title) == expected


def test_column_letters_run_past_z() -> None:
    assert [xlsx.column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_memory_stays_flat_as_rows_grow() -> None:
    def rows(n: int) -> Iterator[tuple[int, list[str]]]:
        for i in range(n):
            yield xlsx.BODY, [str(i), f"第{i}行：某小区路灯不亮，希望尽快维修。" * 3, "2022.6"]

    peaks = []
    for n in (2_000, 20_000):
        tracemalloc.start()
        xlsx.write(io.BytesIO(), title="x", rows=rows(n))
        peaks.append(tracemalloc.get_traced_memory()[1] - 0)
        tracemalloc.stop()
    # The output buffer grows with the file (compressed, ~1/10 of the XML); the writer itself does not.
    assert peaks[1] < peaks[0] * 4


def test_the_options_tag_marks_the_chosen_one_and_escapes_names() -> None:
    class Unit:
        def __init__(self, pk: int, name: str) -> None:
            self.pk, self.name = pk, name

    html = Template("{% load minqing %}{% options units chosen %}").render(
        Context({"units": [Unit(1, "一社区"), Unit(2, "<b>二</b>")], "chosen": 2})
    )
    assert html == '<option value="1">一社区</option><option value="2" selected>&lt;b&gt;二&lt;/b&gt;</option>'
