"""A circular as .docx: the red head with the number, the title, the text, the table of the records and the signature;
a unit reads its own issued circular's file, another unit finds none."""

from __future__ import annotations

import io
from typing import Any

import docx

from oversight.tests.circulars_world import client_en, codes, draft, issued, july_2031, overdue_june

__all__ = ["client_en", "july_2031", "overdue_june"]


def test_the_docx_carries_the_red_head_the_number_the_table_and_the_signature(
    client_en: Any, overdue_june: dict
) -> None:
    circular = issued()
    response = client_en("handler").get(f"/oversight/circulars/{circular.pk}/circular.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('circular-2031-1.docx"')
    word = docx.Document(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    texts = [p.text for p in word.paragraphs]
    head = word.paragraphs[0]
    assert head.text == "Circular" and str(head.runs[0].font.color.rgb) == "C00000"
    assert texts[1] == "〔2031〕第1期" and "作风监督专班（演示）" in texts[2] and "2031-7-3" in texts[2]
    assert circular.title in texts and circular.conclusion in texts
    assert texts[-2:] == ["作风监督专班（演示）", "2031-7-3"]
    table = word.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Responsible unit", "Overdue matters", "Matters", "Longest overdue (days)"]
    assert rows[1] == ["1", "基建办", "2", codes(*overdue_june["late"]), "20"]
    assert len(rows) == 3


def test_a_draft_docx_says_it_is_not_numbered_and_is_only_for_the_teams(client_en: Any, overdue_june: dict) -> None:
    circular = draft()
    response = client_en("coordinator").get(f"/oversight/circulars/{circular.pk}/circular.docx")
    word = docx.Document(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert word.paragraphs[1].text == "(draft, not numbered)"
    assert client_en("handler").get(f"/oversight/circulars/{circular.pk}/circular.docx").status_code == 404
