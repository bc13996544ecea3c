"""Evidence is served to the public only if the public page lists it: the photos on progress reports of a public
matter, by a random token, inline, nosniff and never in a shared cache. Everything else answers 404 to the public;
the back office serves what its user may see, with the same headers."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from core.uploads import clean_upload
from matters.models import Attachment, Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Status

ClientAs = Callable[[str | None], Client]
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    yield tmp_path


def _png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def _reported_with_evidence() -> tuple[Matter, Attachment, Attachment]:
    """A public matter of the 基建办 with a progress report carrying a photo and a PDF."""
    matter = matter_in(Status.IN_PROGRESS)
    files = [clean_upload("现场.png", _png()), clean_upload("验收报告.pdf", PDF)]
    matter_transition(matter=matter, action="progress", actor=None, text="施工中", percent=50, files=files)
    image, pdf = matter.attachments.order_by("id")
    assert (image.content_type, pdf.content_type) == ("image/png", "application/pdf")
    return Matter.objects.get(pk=matter.pk), image, pdf


def _public(matter: Matter, attachment: Attachment) -> str:
    return f"/m/{matter.code}/evidence/{attachment.token}/"


def _read(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_pdf_on_a_public_progress_report_is_not_found_by_the_public_and_a_download_for_staff(
    client_as: ClientAs,
) -> None:
    matter, _image, pdf = _reported_with_evidence()
    anonymous = Client()
    assert anonymous.get(_public(matter, pdf)).status_code == 404
    assert pdf.token not in anonymous.get(f"/m/{matter.code}/").content.decode()
    for persona in ("handler", "coordinator", "leader"):
        response = client_as(persona).get(f"/matters/attachments/{pdf.pk}/")
        assert response.status_code == 200, persona
        assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"] == "attachment"
        assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, max-age=3600"
        assert _read(response) == PDF
    assert client_as("cadre").get(f"/matters/attachments/{pdf.pk}/").status_code == 404  # not the cadre's unit


def test_an_image_on_a_public_progress_report_is_served_inline_with_nosniff_and_private_caching(
    client_as: ClientAs,
) -> None:
    matter, image, _pdf = _reported_with_evidence()
    page = Client().get(f"/m/{matter.code}/").content.decode()
    assert _public(matter, image) in page
    for response in (
        Client().get(_public(matter, image)),
        client_as("handler").get(f"/matters/attachments/{image.pk}/"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png" and response["Content-Disposition"] == "inline"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, max-age=3600" and "public" not in response["Cache-Control"]
        assert _read(response) == image.file.open("rb").read()


@pytest.mark.parametrize("made", ["private", "declined", "merged"])
def test_an_image_of_a_matter_the_public_may_not_see_is_not_found(made: str) -> None:
    matter, image, _pdf = _reported_with_evidence()
    assert Client().get(_public(matter, image)).status_code == 200
    if made == "private":
        Matter.objects.filter(pk=matter.pk).update(is_public=False)
    elif made == "declined":
        Matter.objects.filter(pk=matter.pk).update(status=Status.DECLINED)
    else:
        Matter.objects.filter(pk=matter.pk).update(status=Status.MERGED, merged_into=matter_in(Status.REPORTED))
    assert Client().get(_public(matter, image)).status_code == 404
    assert not re.search(r"/evidence/", Client().get(f"/open311/v2/requests/{matter.code}.json").content.decode())


def test_the_reporters_own_photo_is_not_found_by_the_public(media: Path) -> None:
    from django.core.files.base import ContentFile

    matter, _image, _pdf = _reported_with_evidence()
    own = Attachment(matter=matter, content_type="image/png", size=10, original_name="mine.png")
    own.file.save("mine.png", ContentFile(_png((0, 0, 200))), save=False)
    own.save()
    assert Client().get(_public(matter, own)).status_code == 404


def test_the_old_sequential_id_address_answers_not_found() -> None:
    matter, image, pdf = _reported_with_evidence()
    client = Client()
    for attachment in (image, pdf):
        assert client.get(f"/m/{matter.code}/evidence/{attachment.pk}/").status_code == 404


def test_enumerating_ids_or_moving_a_token_to_another_matter_finds_nothing() -> None:
    matter, image, _pdf = _reported_with_evidence()
    other, other_image, _other_pdf = _reported_with_evidence()
    client = Client()
    last = Attachment.objects.order_by("-pk").values_list("pk", flat=True)[0]
    for pk in range(0, last + 20):
        for code in (matter.code, other.code):
            assert client.get(f"/m/{code}/evidence/{pk}/").status_code == 404, pk
    assert client.get(f"/m/{other.code}/evidence/{image.token}/").status_code == 404
    assert client.get(f"/m/{other.code}/evidence/{other_image.token}/").status_code == 200
    tokens = list(Attachment.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in tokens)
    for odd in (
        "%00",
        "..%2F..%2Fsecret",
        "x" * 300,
        image.token.upper() if image.token.upper() != image.token else "Z",
    ):
        assert client.get(f"/m/{matter.code}/evidence/{odd}/").status_code == 404, odd


def test_the_public_page_open311_and_the_file_address_agree_on_what_is_public(media: Path) -> None:
    from django.core.files.base import ContentFile

    matter, image, pdf = _reported_with_evidence()
    second = matter_transition(
        matter=matter, action="progress", actor=None, text="完工", percent=90, files=[clean_upload("b.png", _png())]
    )
    own = Attachment(matter=second, content_type="image/png", size=10, original_name="mine.png")
    own.file.save("mine.png", ContentFile(_png((0, 0, 200))), save=False)
    own.save()
    client = Client()
    page = client.get(f"/m/{matter.code}/").content.decode()
    listed = set(re.findall(rf"/m/{matter.code}/evidence/([A-Za-z0-9_-]+)/", page))
    served = {a.token for a in matter.attachments.all() if client.get(_public(matter, a)).status_code == 200}
    assert (
        listed == served == {a.token for a in matter.attachments.filter(content_type="image/png", report__isnull=False)}
    )
    assert pdf.token not in served and own.token not in served and image.token in served
    media_url = client.get(f"/open311/v2/requests/{matter.code}.json").json()[0]["media_url"]
    assert media_url == f"http://testserver{_public(matter, image)}"
