"""The photo a resident sends with a report: the staff see it on the matter page, the public never do."""

from __future__ import annotations

import io
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from matters.exchange.exporter import ListSpec, export_bytes
from matters.models import Attachment, Category, Matter
from matters.services import matter_transition
from matters.tests.factories import assign_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(demo: None, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2022-07-15 10:00:00+08:00", tick=False):
        yield


def _raised_with_a_photo() -> tuple[Matter, Attachment]:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="JPEG")
    form = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路与长乐路交叉口",
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
        "photo": SimpleUploadedFile("我家门口.jpg", out.getvalue(), content_type="image/jpeg"),
    }
    assert Client().post("/report/", form).status_code == 302
    matter = Matter.objects.latest("pk")
    return matter, matter.attachments.get()


def test_the_staff_see_the_reporters_photo_on_the_matter_page_and_can_open_it(client_as) -> None:  # type: ignore[no-untyped-def]
    matter, photo = _raised_with_a_photo()
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/matters/{matter.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'src="/matters/attachments/{photo.pk}/"' in page
    assert "Reporter's photo" in page and "never published" in page
    opened = coordinator.get(f"/matters/attachments/{photo.pk}/")
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    assert Client().get(f"/matters/attachments/{photo.pk}/").status_code in (302, 403)  # not for the public


def test_the_reporters_photo_is_on_no_public_page_or_file(client_as) -> None:  # type: ignore[no-untyped-def]
    matter, photo = _raised_with_a_photo()
    for action, fields in (("accept", {}), ("assign", assign_fields()), ("start", {})):
        matter = matter_transition(matter=matter, action=action, actor=None, **fields)
    matter = matter_transition(matter=matter, action="complete", actor=None, effect="已修复路面")
    client = Client()
    texts = {
        url: client.get(url).content
        for url in (
            "/",
            "/lists/problems/",
            "/lists/tasks/",
            "/lists/effects/",
            f"/m/{matter.code}/",
            f"/m/{matter.code}/rate/",
            f"/track/{matter.tracking_code}/",
            "/open311/v2/requests.json",
            f"/open311/v2/requests/{matter.code}.json",
            f"/open311/v2/requests/{matter.code}.xml",
            f"/m/{matter.code}/poster.pdf",
        )
    }
    for kind in ("problems", "tasks", "effects"):
        for fmt in ("csv", "xlsx", "docx"):
            texts[f"{kind}.{fmt}"] = export_bytes(ListSpec(list_kind=kind, public_only=True), fmt)
    for where, body in texts.items():
        assert photo.token.encode() not in body, where
        assert f"attachments/{photo.pk}/".encode() not in body, where
        assert "我家门口".encode() not in body, where
    assert client.get(f"/m/{matter.code}/evidence/{photo.token}/").status_code == 404
    assert client.get(f"/open311/v2/requests/{matter.code}.json").json()[0]["media_url"] is None
