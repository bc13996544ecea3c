"""The minutes (.docx) are drafted from the records and read back with their decisions, on A4."""

from __future__ import annotations

import io

import pytest
from docx import Document as Docx

from oversight.models.reviews import DecisionKind
from oversight.services import reviews as services
from oversight.tests.reviews_world import campaign, july_2031, review_in

__all__ = ["campaign", "july_2031"]
pytestmark = pytest.mark.usefixtures("july_2031")


def test_the_minutes_docx_opens_with_the_chair_the_figures_and_the_decisions(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    services.decision_add(actor=None, review=review, kind=DecisionKind.CIRCULAR, text="通报逾期未办结的责任单位")
    services.decision_add(actor=None, review=review, kind=DecisionKind.OTHER, text="公布六月三张清单")
    response = client_as("leader").get(f"/oversight/reviews/{review.pk}/minutes.docx")
    assert response.status_code == 200
    word = Docx(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "2031-06" in text and "熊" in text
    assert "通报逾期未办结的责任单位" in cells and "公布六月三张清单" in cells
    assert "2" in cells  # the problems counted in the prepared data
    section = word.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.mm), round(height.mm)) == (210, 297)


def test_the_minutes_docx_carries_the_minutes_as_the_coordination_team_edited_them(campaign, client_as) -> None:  # type: ignore[no-untyped-def]
    review = review_in("held", campaign)
    services.review_minutes_set(actor=None, review=review, minutes="会议听取了汇报。\n会议决定：限期整改。")
    response = client_as("coordinator").get(f"/oversight/reviews/{review.pk}/minutes.docx")
    word = Docx(io.BytesIO(b"".join(response.streaming_content)))
    text = [p.text for p in word.paragraphs]
    assert "会议听取了汇报。" in text and "会议决定：限期整改。" in text
