"""Uploads are judged by their content, not their name: images, PDFs, tables, zip bombs.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from matters.models import Attachment, Matter

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    ClientAs,
)

# --- uploads are judged by their content, not their name ----------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, format="PNG")
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions (a pixel bomb: tiny on disk, gigabytes once decoded)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SCRIPT = b"<script>alert(document.cookie)</script>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def _bomb_xlsx() -> bytes:
    """An .xlsx of 110 KB whose one row of a million cells unpacks to 38 MB (and would take the reader 20 s)."""
    out = io.BytesIO()
    cell = '<c t="inlineStr"><is><t>x</t></is></c>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>" + cell * 1_000_000 + "</row>")
    return out.getvalue()


def _lying_zip() -> bytes:
    """A small .xlsx whose archive claims a member of 300 MB (what a zip bomb's directory says)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (300 * 1024 * 1024).to_bytes(4, "little")  # uncompressed size
    return bytes(data)


BAD_IMAGES = {
    "a script named .jpg": ("photo.jpg", SCRIPT),
    "an SVG with script named .png": ("photo.png", SVG),
    "an HTML page named .webp": ("photo.webp", b"<!doctype html><html><body onload=alert(1)></body></html>"),
    "an executable named .jpeg": ("photo.jpeg", b"MZ\x90\x00" + b"\x00" * 200),
    "a truncated PNG": ("photo.png", _png()[:40]),
    "a PNG claiming 100 megapixels": ("photo.png", _png_claiming(10_000, 10_000)),
    "a PNG claiming 400 megapixels": ("photo.png", _png_claiming(20_000, 20_000)),
}
BAD_TABLES = {
    "a PNG named .xlsx": ("list.xlsx", _png()),
    "a script named .xlsx": ("list.xlsx", SCRIPT),
    "a zip that is no workbook, named .xlsx": ("list.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    "a zip bomb-ish workbook": ("list.xlsx", _bomb_xlsx()),
    "an archive that claims 300 MB": ("list.xlsx", _lying_zip()),
    "a PNG named .csv": ("list.csv", _png()),
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _portal_form(photo: SimpleUploadedFile) -> dict[str, Any]:
    import uuid

    from matters.models import Category

    return {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路",
        "consent": "on",
        "token": uuid.uuid4().hex,
        "photo": photo,
    }


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_the_portal_refuses_a_photo_that_is_not_an_image_whatever_its_name(case: str, media: Path, demo: None) -> None:
    name, data = BAD_IMAGES[case]
    matters = Matter.objects.count()
    response = Client().post("/report/", _portal_form(SimpleUploadedFile(name, data, content_type="image/jpeg")))
    assert response.status_code in (200, 400) and response.context["form"].errors.get("photo"), case
    assert Matter.objects.count() == matters and not list(media.rglob("*.*"))


def _matter_in_progress() -> Matter:
    from matters.tests.factories import matter_in

    return matter_in("in_progress")


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_matter_evidence_refuses_what_is_not_an_image_or_a_pdf_on_the_page_and_through_the_api(
    case: str, media: Path, client_as: ClientAs
) -> None:
    name, data = BAD_IMAGES[case]
    matter = _matter_in_progress()
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    page = client_as("handler").post(
        f"/matters/{matter.pk}/act/progress/",
        {"progress-percent": "50", "progress-text": "施工中", "progress-evidence": upload},
        HTTP_HX_REQUEST="true",
    )
    forms = {action.value: form for action, form in page.context["actions"]}
    assert page.status_code == 200 and forms["progress"].errors.get("evidence"), case
    upload.seek(0)
    api = client_as("handler").post(
        f"/api/v1/matters/{matter.pk}/transitions/",
        {"action": "progress", "percent": "50", "text": "施工中", "files": [upload]},
    )
    assert api.status_code == 400 and "files" in api.json(), api.content
    assert not Attachment.objects.filter(matter=matter).exists() and not list(media.rglob("*.*"))


def test_an_image_is_stored_under_its_real_type_and_a_pdf_is_served_as_a_download(
    media: Path, client_as: ClientAs
) -> None:
    """A PNG named .exe is a PNG; a PDF that also holds HTML is sent as a download the browser will not render."""
    matter = _matter_in_progress()
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    files = [SimpleUploadedFile("tool.exe", _png()), SimpleUploadedFile("page.pdf", polyglot)]
    response = client_as("handler").post(
        f"/api/v1/matters/{matter.pk}/transitions/",
        {"action": "progress", "percent": "50", "text": "施工中", "files": files},
    )
    assert response.status_code == 200, response.content
    image, pdf = Attachment.objects.filter(matter=matter).order_by("id")
    assert (image.content_type, image.file.name.rsplit(".", 1)[-1]) == ("image/png", "png")
    download = client_as("handler").get(f"/matters/attachments/{pdf.pk}/")
    assert download["Content-Type"] == "application/pdf" and download["Content-Disposition"] == "attachment"
    assert (
        download["X-Content-Type-Options"] == "nosniff" and "script-src 'self'" in download["Content-Security-Policy"]
    )
    download.getvalue()  # read to its end: the test client closes the file


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_a_visit_photo_must_be_an_image_whatever_its_name(case: str, media: Path, client_as: ClientAs) -> None:
    from fieldwork.models import Visit
    from org.models import Unit

    name, data = BAD_IMAGES[case]
    visits = Visit.objects.count()
    response = client_as("cadre").post(
        "/fieldwork/visits/new/",
        {
            "date": "2022-06-15",
            "hours": "2",
            "kind": "site_visit",
            "place_kind": "community",
            "community": Unit.objects.get(name="长宇社区").pk,
            "participants": "3",
            "photos": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("photos"), case
    assert Visit.objects.count() == visits and not list(media.rglob("*.*"))


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
@pytest.mark.parametrize("importer", ["/matters/lists/import/", "/fieldwork/visits/import/"])
def test_both_importers_refuse_a_file_that_is_not_the_table_its_name_claims_quickly_and_cleanly(
    case: str, importer: str, client_as: ClientAs
) -> None:
    from fieldwork.models import Visit

    name, data = BAD_TABLES[case]
    counts = (Matter.objects.count(), Visit.objects.count())
    response = client_as("coordinator").post(importer, {"file": SimpleUploadedFile(name, data), "dry_run": "on"})
    assert response.status_code == 200, case
    report = response.context["report"]
    assert not report.ok and report.file_errors, case
    assert (Matter.objects.count(), Visit.objects.count()) == counts


def test_the_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    """Refused from the archive's directory: fast, and without the gigabyte a parse of it would take."""
    import time

    from core.tables.reader import TableError, read_table
    from matters.exchange.importer import ListImporter

    data = _bomb_xlsx()
    started = time.process_time()
    with translation.override("en"), pytest.raises(TableError, match="unpacks to far more"):
        read_table("list.xlsx", data, ListImporter.layout())
    assert time.process_time() - started < 2  # a safety margin: the refusal itself takes milliseconds


