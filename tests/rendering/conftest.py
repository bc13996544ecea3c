"""Every downloadable file, made once from the demo and printed to PDF by LibreOffice in one run.

The files are made in a transaction rolled back at the end (over the session's demo), at a frozen time in
June 2022, then converted together: soffice starts once for the whole set (see tests.rendering.office).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from tests.rendering.office import Rendered, convert

NOW = dt.datetime(2022, 6, 28, 10, 0, tzinfo=dt.UTC)
LISTS = ("problems", "tasks", "effects")
OFFICE_FORMATS = ("xlsx", "docx")


@dataclass
class Made:
    """The files, and what their cells say (by list), to look for on the printed pages."""

    files: dict[str, bytes] = field(default_factory=dict)
    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    poster_code: str = ""
    pack: dict[str, Any] = field(default_factory=dict)  # the monthly pack's data (oversight.pack_data)


def _files() -> Made:
    from fieldwork import duty_report
    from fieldwork.tests.test_duty_report import yang
    from matters.exchange import exporter
    from matters.models import Matter
    from portal import poster

    call_command("load_demo", shift_months=0, stdout=io.StringIO())
    made = Made()
    for list_kind in LISTS:
        spec = exporter.ListSpec(list_kind=list_kind)
        made.rows[list_kind] = [list(row) for row in exporter.list_rows(spec)]
        for file_format in (*OFFICE_FORMATS, "pdf"):
            made.files[f"{list_kind}.{file_format}"] = exporter.export_bytes(spec, file_format)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    grid = client.get("/fieldwork/duties/", {"format": "xlsx", "from": "2022-W23", "to": "2022-W26"})
    assert grid.status_code == 200
    made.files["week-grid.xlsx"] = grid.content
    report = duty_report.build_report(person=yang(), start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30))
    made.files["duty-report.docx"] = report.as_bytes("docx")
    made.files["duty-report.pdf"] = report.as_bytes("pdf")
    matter = Matter.objects.filter(is_public=True).order_by("code").first() or Matter.objects.order_by("code").first()
    assert matter is not None
    text = poster.PosterText.for_matter(matter, url=f"https://example.org/m/{matter.code}/", unit_names=["基建办"])
    made.files["poster.pdf"] = poster.poster_pdf(text)
    made.poster_code = matter.code
    from oversight.pack import pack_files
    from oversight.pack_data import pack_data

    made.pack = pack_data(dt.date(2022, 6, 1))  # the month of NOW, so far: every part has rows
    for file_format, content in pack_files(made.pack).items():
        made.files[f"pack.{file_format}"] = content
    return made


@pytest.fixture(scope="session")
def made(django_db_setup: Any, django_db_blocker: Any) -> Made:
    """Every downloadable file, made once for the session from the full demo (rolled back afterwards)."""
    with (
        django_db_blocker.unblock(),
        translation.override("zh-hans"),
        time_machine.travel(NOW, tick=False),
        transaction.atomic(),
    ):
        found = _files()
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="session")
def rendered(made: Made, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """File name → the PDF as printed: office files through LibreOffice (one run), our own PDFs as they are."""
    folder = tmp_path_factory.mktemp("files")
    paths = {
        name: folder / _unique(name) for name in made.files
    }  # tasks.xlsx and tasks.docx would both print tasks.pdf
    for name, content in made.files.items():
        paths[name].write_bytes(content)
    office = [path for name, path in paths.items() if not name.endswith(".pdf")]
    printed = convert(office, tmp_path_factory.mktemp("printed"), tmp_path_factory.mktemp("soffice-profile"))
    return {name: Rendered(printed.get(path.name, path)) for name, path in paths.items()}


def _unique(name: str) -> str:
    stem, _, extension = name.rpartition(".")
    return f"{stem}-{extension}.{extension}"
