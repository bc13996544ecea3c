"""A resident raises a problem on the portal: the form, the tracking code, repeats, the limit and bad input."""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from audit.models import AuditEvent
from matters.models import Attachment, Category, Channel, Matter

pytestmark = pytest.mark.django_db

FROZEN = "2022-07-15 10:00:00+08:00"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
NAME, PHONE = "王小明", "13912345678"


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水，行人难以通过。",
        "place": "赵罗路与长乐路交叉口",
        "name": NAME,
        "phone": PHONE,
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 12.0, 0.0)}  # GPS IFD: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _noisy_png(size: int = 120) -> bytes:
    image = Image.effect_noise((size, size), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_form_hands_out_a_fresh_token_and_labels_every_field() -> None:
    first = Client().get("/report/", **EN)
    second = Client().get("/report/", **EN)
    assert first.status_code == 200
    token = first.context["form"].initial["token"]
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token != second.context["form"].initial["token"]
    html = first.content.decode()
    for name in ("category", "description", "place", "photo", "name", "phone", "consent", "is_public"):
        assert f'for="id_{name}"' in html and f'id="id_{name}"' in html
    assert 'form="mq-raise"' in html and 'aria-live="polite"' in html
    assert "never published" in html  # the consent line says how the personal data is used


def test_resident_raises_a_problem_and_gets_its_tracking_code(client_as) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/report/", _form(), **EN, follow=True)
    assert response.redirect_chain == [("/report/sent/", 302)]
    matter = Matter.objects.get()
    assert matter.channel == Channel.PORTAL
    assert matter.category is not None and matter.category.code == "roads"
    assert matter.location == "赵罗路与长乐路交叉口" and matter.is_public
    assert (matter.reporter_name, matter.reporter_phone) == (NAME, PHONE)
    assert matter.tracking_code and re.fullmatch(r"[2-9A-Z]{8}", matter.tracking_code)
    text = response.content.decode()
    assert matter.tracking_code in text and matter.code in text
    assert f"/track/{matter.tracking_code}/" in text
    # Not on the public list before a person has read it (settings.PUBLIC_AFTER_ACCEPT): the page says when it will be.
    assert f"/m/{matter.code}/" not in text and "once the coordination team has read and accepted it" in text
    assert NAME not in text and PHONE not in text
    assert AuditEvent.objects.filter(action="matters.create", target_id=str(matter.pk)).exists()
    intake = client_as("coordinator").get("/matters/").content.decode()
    assert matter.code in intake


def test_reporter_may_keep_the_problem_off_the_public_lists() -> None:
    response = Client().post("/report/", _form(is_public=None, name="", phone="", consent=None), **EN, follow=True)
    matter = Matter.objects.get()
    assert not matter.is_public and matter.reporter_name == "" and matter.reporter_phone == ""
    text = response.content.decode()
    assert "You chose not to publish" in text and f"/m/{matter.code}/" not in text


def test_the_browser_location_is_rounded_to_six_decimals() -> None:
    Client().post("/report/", _form(latitude="30.12345678912", longitude="114.9876543"))
    matter = Matter.objects.get()
    assert (matter.latitude, matter.longitude) == (Decimal("30.123457"), Decimal("114.987654"))


def test_the_photo_is_kept_internal_and_loses_its_location(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("路面.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = Client().post("/report/", _form(photo=photo))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.matter == Matter.objects.get() and attachment.report is None
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "路面.jpg"
    with attachment.file.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()


def test_sending_the_same_form_twice_gives_one_matter() -> None:
    client = Client()
    data = _form()
    first = client.post("/report/", data)
    again = client.post("/report/", data)
    assert first.status_code == again.status_code == 302
    matter = Matter.objects.get()
    assert matter.idempotency_key == f"portal:{data['token']}"
    assert client.get("/report/sent/").context["matter"] == matter


def test_too_many_problems_from_one_connection_are_refused_until_the_next_hour(settings, _frozen) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_SUBMIT_LIMIT = 2
    client = Client()
    assert client.post("/report/", _form()).status_code == 302
    assert client.post("/report/", _form()).status_code == 302
    refused = client.post("/report/", _form(), **EN)
    assert refused.status_code == 429
    assert "many problems from this connection" in refused.content.decode()
    assert Matter.objects.count() == 2
    _frozen.shift(3600)
    assert client.post("/report/", _form()).status_code == 302


def test_a_repeat_and_an_invalid_form_do_not_count_against_the_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_SUBMIT_LIMIT = 2
    client = Client()
    data = _form()
    assert client.post("/report/", _form(description="")).status_code == 400
    assert client.post("/report/", data).status_code == 302
    assert client.post("/report/", data).status_code == 302  # a reload of the same form
    assert client.post("/report/", _form()).status_code == 302
    assert client.post("/report/", _form()).status_code == 429
    assert Matter.objects.count() == 2


BAD_INPUT = {
    "empty description": ({"description": "   "}, "description", "Describe the problem."),
    "short description": ({"description": "  路灯坏了   "}, "description", "at least 10 characters"),
    "10,000-character description": ({"description": "路" * 10_000}, "description", "Keep the description to 5000"),
    "script in description": (
        {"description": "<script>alert(1)</script>路面破损严重，请尽快处理"},
        "description",
        "plain text",
    ),
    "HTML in place": ({"place": '<img src=x onerror="alert(1)">'}, "place", "plain text"),
    "HTML in name": ({"name": "<b>王</b>"}, "name", "plain text"),
    "unknown category": ({"category": "999999"}, "category", "Choose one of the listed categories"),
    "category that is not a number": ({"category": "roads"}, "category", "Choose one of the listed categories"),
    "no category": ({"category": ""}, "category", "Choose the category"),
    "missing place": ({"place": ""}, "place", "Say where the problem is"),
    "place too long": ({"place": "路" * 201}, "place", "Keep the place to 200"),
    "latitude out of range": ({"latitude": "91", "longitude": "114"}, "latitude", "less than or equal to 90"),
    "longitude out of range": ({"latitude": "30", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
    "latitude not a number": ({"latitude": "north", "longitude": "114"}, "latitude", "Enter a number"),
    "latitude infinite": ({"latitude": "Infinity", "longitude": "114"}, "latitude", "Enter a number"),
    "latitude without longitude": ({"latitude": "30.5"}, "latitude", "location is incomplete"),
    "bad phone": ({"phone": "12345"}, "phone", "mainland mobile number"),
    "contact without consent": ({"consent": None}, "consent", "Tick the box"),
    "bad token": ({"token": "../../etc/passwd"}, "token", "expired or was changed"),
    "upper-case token": ({"token": uuid.uuid4().hex.upper()}, "token", "expired or was changed"),
    "missing token": ({"token": None}, "token", "expired or was changed"),
}


@pytest.mark.parametrize("changes, field, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(changes, field, message) -> None:  # type: ignore[no-untyped-def]
    before = Matter.objects.count(), AuditEvent.objects.count()
    response = Client().post("/report/", _form(**changes), **EN)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field]) and message in response.content.decode()
    assert (Matter.objects.count(), AuditEvent.objects.count()) == before


def test_a_bad_token_is_replaced_so_the_form_can_be_sent_again() -> None:
    response = Client().post("/report/", _form(token="x" * 32))
    fresh = response.context["form"].data["token"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    assert f'value="{fresh}"' in response.content.decode()


def test_a_text_file_named_jpg_is_refused(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not an image", content_type="image/jpeg")
    response = Client().post("/report/", _form(photo=fake), **EN)
    assert response.status_code == 400
    assert "is not a photo we can read" in " ".join(response.context["form"].errors["photo"])
    assert not Matter.objects.exists() and not Attachment.objects.exists()


def test_a_pdf_is_not_accepted_as_a_photo(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile(
        "scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    response = Client().post("/report/", _form(photo=pdf), **EN)
    assert response.status_code == 400
    assert "attach a JPEG, PNG or WebP image" in " ".join(response.context["form"].errors["photo"])
    assert not Matter.objects.exists()


def test_an_oversized_photo_is_refused(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 4096
    data = _noisy_png()
    assert len(data) > 4096
    big = SimpleUploadedFile("big.png", data, content_type="image/png")
    response = Client().post("/report/", _form(photo=big), **EN)
    assert response.status_code == 400
    assert "is larger than 0.00391 MB, the most one file may be" in " ".join(response.context["form"].errors["photo"])
    assert not Matter.objects.exists() and not Attachment.objects.exists()


def test_a_photo_must_be_chosen_again_when_other_fields_need_correcting(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("路面.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = Client().post("/report/", _form(photo=photo, place=""), **EN)
    assert "choose your photo again" in response.content.decode()


def test_errors_are_tied_to_their_fields() -> None:
    html = Client().post("/report/", _form(description="短", phone="123"), **EN).content.decode()
    textarea = re.search(r"<textarea[^>]*>", html)
    assert textarea is not None
    assert 'aria-invalid="true"' in textarea.group(0)
    assert re.search(r'aria-describedby="[^"]*id_description_error', textarea.group(0))
    assert 'id="id_description_error"' in html and 'id="id_phone_error"' in html
    assert 'href="#id_description"' in html  # the summary links to the field


def test_the_sent_page_without_a_report_leads_back_to_the_form() -> None:
    response = Client().get("/report/sent/")
    assert response.status_code == 302 and response["Location"] == "/report/"
