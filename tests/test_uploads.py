"""One upload rule on every face: the same size, count and type limits, and the same messages, wherever a file arrives.

The back office, the visit form, the portal and the REST API all check files through core.uploads; a file they
refuse is never stored and the action it came with changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fieldwork.models import PlaceKind, Visit, VisitKind
from matters.models import Attachment, Category, Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Unit

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2022, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TOO_MANY = "Attach at most 9 files."

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def _frozen_english_private_media(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def png(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def noisy_png(name: str = "big.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def back_office_progress(client: Client, matter: Matter, files: list[SimpleUploadedFile]) -> list[str]:
    """The errors of the evidence field after the back office's progress form was sent with `files`."""
    data = {"progress-percent": "60", "progress-text": "施工中", "progress-evidence": files}
    response = client.post(f"/matters/{matter.pk}/act/progress/", data, HTTP_HX_REQUEST="true")
    forms = {action.value: form for action, form in response.context["actions"]}
    return list(forms["progress"].errors.get("evidence", []))


def api_progress(username: str, matter: Matter, files: list[SimpleUploadedFile]) -> Any:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    data = {"action": "progress", "percent": "60", "text": "施工中", "files": files}
    return client.post(f"/api/v1/matters/{matter.pk}/transitions/", data, format="multipart")


def visit_form(client: Client, photos: list[SimpleUploadedFile]) -> list[str]:
    data = {
        "date": "2022-07-15",
        "hours": "2",
        "kind": VisitKind.SITE_VISIT,
        "place_kind": PlaceKind.COMMUNITY,
        "community": Unit.objects.get(name="长宇社区").pk,
        "participants": "3",
        "photos": photos,
    }
    response = client.post("/fieldwork/visits/new/", data)
    return list(response.context["form"].errors.get("photos", [])) if response.context else []


def test_a_tenth_file_is_refused_with_the_same_message_in_the_back_office_the_visit_form_and_the_api(
    client_as: Callable[[str | None], Client],
) -> None:
    matter = matter_in(Status.IN_PROGRESS)
    assert back_office_progress(english(client_as("handler")), matter, [png(f"{n}.png") for n in range(10)]) == [
        TOO_MANY
    ]
    response = api_progress("handler", matter, [png(f"{n}.png") for n in range(10)])
    assert response.status_code == 400 and response.json() == {"files": [TOO_MANY]}
    visits = Visit.objects.count()
    assert visit_form(english(client_as("cadre")), [png(f"{n}.png") for n in range(10)]) == [TOO_MANY]
    assert not matter.reports.exists() and not Attachment.objects.exists() and Visit.objects.count() == visits


def test_nine_files_go_through_on_every_face(client_as: Callable[[str | None], Client]) -> None:
    matter = matter_in(Status.IN_PROGRESS)
    assert back_office_progress(client_as("handler"), matter, [png(f"{n}.png") for n in range(9)]) == []
    assert Attachment.objects.filter(matter=matter).count() == 9
    assert api_progress("handler", matter, [png(f"{n}.png") for n in range(9)]).status_code == 200
    assert Attachment.objects.filter(matter=matter).count() == 18
    visits = Visit.objects.count()
    visit_form(client_as("cadre"), [png(f"{n}.png") for n in range(9)])
    assert Visit.objects.count() == visits + 1 and Visit.objects.latest("id").photos.count() == 9


def test_a_file_over_the_size_limit_gets_the_same_message_on_every_face(
    client_as: Callable[[str | None], Client], settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 4096
    expected = "“big.png” is larger than 0.00391 MB, the most one file may be."
    matter = matter_in(Status.IN_PROGRESS)
    assert back_office_progress(english(client_as("handler")), matter, [noisy_png()]) == [expected]
    assert api_progress("handler", matter, [noisy_png()]).json() == {"files": [expected]}
    assert visit_form(english(client_as("cadre")), [noisy_png()]) == [expected]
    form = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路",
        "token": uuid.uuid4().hex,
        "photo": noisy_png(),
    }
    response = english(Client()).post("/report/", form)
    assert response.status_code == 400 and response.context["form"].errors["photo"] == [expected]
    table = english(client_as("coordinator")).post(
        "/matters/lists/import/", {"file": SimpleUploadedFile("big.png", b"x" * 5000)}
    )
    assert expected in table.context["form"].errors["file"]
    assert not Attachment.objects.exists() and not matter.reports.exists()


def test_the_count_and_the_types_follow_the_settings(client_as: Callable[[str | None], Client], settings: Any) -> None:
    settings.UPLOAD_MAX_FILES = 2
    settings.UPLOAD_TYPES = ["image/jpeg", "image/png"]
    matter = matter_in(Status.IN_PROGRESS)
    handler = english(client_as("handler"))
    assert back_office_progress(handler, matter, [png("a.png"), png("b.png"), png("c.png")]) == [
        "Attach at most 2 files."
    ]
    assert back_office_progress(handler, matter, [pdf()]) == [
        "“scan.pdf” is not a photo we can read: attach a JPEG, PNG or WebP image."
    ]
    assert not Attachment.objects.exists()


def test_a_pdf_is_evidence_in_the_back_office_but_not_a_photo_of_a_visit(
    client_as: Callable[[str | None], Client],
) -> None:
    matter = matter_in(Status.IN_PROGRESS)
    assert back_office_progress(client_as("handler"), matter, [pdf()]) == []
    assert Attachment.objects.get(matter=matter).content_type == "application/pdf"
    assert visit_form(english(client_as("cadre")), [pdf()]) == [
        "“scan.pdf” is not a photo we can read: attach a JPEG, PNG or WebP image."
    ]


def test_an_upload_setting_outside_what_the_checker_knows_stops_start_up() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="minqing.settings", UPLOAD_TYPES="image/png,image/svg+xml")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "UPLOAD_TYPES may list only" in result.stderr and "image/svg+xml" in result.stderr
