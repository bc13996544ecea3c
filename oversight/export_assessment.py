"""The assessment's ranking in the 考核结果通报 layout, as .xlsx and .docx (core.documents): 序号, 单位/姓名, each
item's score, 总分, 排名, 等次; the confirmed version when there is one, else the scores as computed (marked so).
Scores only: never a record's title, so no resident's or petitioner's name is in the file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from core.documents import SHEET, Document, Section, Table, write_docx, xlsx
from oversight.models.assessment import Assessment, Grade, SubjectKind
from oversight.selectors.assessment import latest_version

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""


def _result(assessment: Assessment) -> tuple[dict[str, Any], str]:
    version = latest_version(assessment)
    if version is not None and assessment.status == "confirmed":
        return version.snapshot, _("Confirmed, version %(version)d") % {"version": version.version}
    return assessment.result, _("Computed, not confirmed")


def _headers(result: dict[str, Any]) -> list[str]:
    who = _("Unit") if result["subject"] == SubjectKind.UNIT else _("Name")
    return [_("No."), who, *[item["label"] for item in result["items"]], _("Total"), _("Ranking"), _("Grade")]


def _lines(result: dict[str, Any]) -> Iterator[list[str]]:
    for number, row in enumerate(result["rows"], start=1):
        grade = str(Grade(row["grade"]).label) if row["grade"] in Grade.values else ""
        points = [_number(cell["points"]) for cell in row["cells"]]
        yield [str(number), row["name"], *points, _number(row["total"]), str(row["rank"]), grade]


def _title(assessment: Assessment, result: dict[str, Any]) -> str:
    return _("Assessment results: %(scheme)s, %(period)s") % {
        "scheme": result["scheme"],
        "period": result["period"]["label"],
    }


def _widths(result: dict[str, Any]) -> list[float]:
    return [6, 18, *[10 for _item in result["items"]], 8, 8, 8]


def export(assessment: Assessment, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, name and content type; `fmt` is "xlsx" or "docx"."""
    result, state = _result(assessment)
    title = _title(assessment, result)
    headers = _headers(result)
    name = f"assessment-{assessment.pk}-{result['period']['start']}"
    out = io.BytesIO()
    if fmt == "xlsx":
        rows: list[tuple[int, list[str]]] = [(xlsx.TITLE, [title]), (xlsx.PLAIN, [state]), (xlsx.HEADER, headers)]
        rows += [(xlsx.BODY, line) for line in _lines(result)]
        xlsx.write(
            out, title=title[:31], rows=rows, widths=_widths(result), frozen_rows=3, repeat_row=3, merge_title=True
        )
        return out.getvalue(), name + ".xlsx", XLSX
    thresholds = result.get("thresholds", {})
    note = _("Grades: excellent from %(excellent)s, good from %(good)s, fair from %(fair)s, poor below.") % {
        key: _number(float(thresholds.get(key, 0))) for key in ("excellent", "good", "fair")
    }
    document = Document(
        title=title,
        subtitle=[state],
        sections=[
            Section(
                table=Table(headers=headers, rows=list(_lines(result)), widths=_widths(result), centre_headers=True)
            ),
            Section(lines=[note]),
        ],
        layout=SHEET,
        page_numbers=True,
    )
    write_docx(document, out)
    return out.getvalue(), name + ".docx", DOCX
