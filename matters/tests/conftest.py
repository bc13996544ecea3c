"""Fixtures of the list exchange tests (named exchange_*): the seed's table in every format."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from matters.demo import SEED_TABLE
from org import demo as org_demo

Rows = list[list[str]]


def exchange_seed_rows() -> Rows:
    """The seed's attachment 2 as rows of text, the header first."""
    text = SEED_TABLE.read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def exchange_csv(rows: Rows, *, encoding: str = "utf-8", title: str | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow([title])
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def exchange_xlsx(rows: Rows, *, title: str | None = "长乐山工业园区领导干部实践活动民生实事清单") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exchange_docx(rows: Rows, *, title: str | None = "长乐山工业园区领导干部实践活动民生实事清单") -> bytes:
    """A Word document like the seed's attachment: a title paragraph, then a table; leads on separate lines."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件二:")
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            lines = value.split("\n")
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def exchange_org(db: None) -> Campaign:
    """The seed's organisation and campaign (2022 dates), without demo matters or accounts."""
    org_demo.load()
    return campaign_demo.load(shift_months=0)


@pytest.fixture
def exchange_demo(demo: None) -> None:
    """The demo with the seed's matters (loaded through the importer), without the domain lines' own demo matters
    (petition cases, wishes, enterprises' invented demands): these tests compare the lists with the seed's table;
    each line's tests cover its matters in the lists. Only the matters app's part of the demo is loaded over the
    session's organisation, accounts and campaign (the lines' parts would be removed again: seconds a test)."""
    from core.plugins import DemoOptions, installed

    (matters,) = [app.plugin for app in installed() if app.label == "matters"]
    assert matters.demo is not None
    matters.demo(DemoOptions(shift_months=0, full=True))
    seed_matters_only()


def seed_matters_only() -> None:
    """Leave out the domain lines' own demo matters, so that a list is the seed's table."""
    from django.db.models import ProtectedError

    from matters.models import Channel, Matter

    others = Matter.objects.exclude(kind="livelihood").exclude(channel=Channel.IMPORT)
    try:
        others.delete()
    except ProtectedError as refused:  # records of the apps above that act on them (a review's decisions)
        for record in refused.protected_objects:
            record.delete()
        others.delete()


@pytest.fixture
def exchange_tables() -> dict[str, Callable[..., bytes]]:
    return {"csv": exchange_csv, "xlsx": exchange_xlsx, "docx": exchange_docx}


@pytest.fixture
def exchange_english() -> Iterator[None]:
    """Messages in English (the source language), so that the tests hold once the Chinese catalogue has them."""
    with translation.override("en"):
        yield
