"""The on-site rating poster: a QR code of the rating page, as PNG and as A4 PDF, in Chinese by default."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import qrcode
from django.test import Client
from PIL import Image

from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from portal.poster import PNG_SIZE, PosterText, qr_placement

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)


def expected_modules(url: str) -> list[list[bool]]:
    """The QR of `url` as any reader would build it (error correction M, a 4-module quiet zone)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.get_matrix()


def assert_png_carries_qr_of(content: bytes, url: str) -> None:
    image = Image.open(io.BytesIO(content)).convert("L")
    assert image.size == PNG_SIZE
    modules = expected_modules(url)
    left, top, size = qr_placement(len(modules))
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            pixel = image.getpixel((left + c * size + size // 2, top + r * size + size // 2))
            assert isinstance(pixel, int)
            assert (pixel < 128) == dark, (r, c)


def test_the_png_poster_carries_the_qr_code_of_the_rating_page(settings: Any) -> None:
    settings.SITE_URL = "https://minqing.example.cn"
    matter = matter_in(Status.COMPLETED)
    response = Client().get(f"/m/{matter.code}/poster.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="poster-{matter.code}.png"'
    assert_png_carries_qr_of(response.content, f"https://minqing.example.cn/m/{matter.code}/rate/")


def test_without_a_site_url_the_qr_points_at_the_host_that_served_the_poster(settings: Any) -> None:
    settings.SITE_URL = ""
    matter = matter_in(Status.CLOSED)
    response = Client().get(f"/m/{matter.code}/poster.png")
    assert_png_carries_qr_of(response.content, f"http://testserver/m/{matter.code}/rate/")


def test_the_png_poster_draws_chinese_text_with_real_glyphs() -> None:
    """The poster's font has the Chinese glyphs (no empty boxes), and the task lines are drawn with it."""
    from PIL import ImageFont

    from core.documents.fonts import cjk_font_paths, face_index

    regular, _bold = cjk_font_paths()
    font = ImageFont.truetype(regular, 40, index=face_index(regular))
    missing = bytes(font.getmask("\U0010fffd"))  # a code point no font has: the "tofu" box
    for char in "民生实事群众评扫码评价对赵罗路":
        assert bytes(font.getmask(char)) != missing, char
    matter = matter_in(Status.COMPLETED)
    image = Image.open(io.BytesIO(Client().get(f"/m/{matter.code}/poster.png").content)).convert("L")
    band = image.crop((0, 0, PNG_SIZE[0], 190))
    assert sum(1 for n in band.histogram() if n) > 10  # antialiased white glyphs on the red band
    task = image.crop((100, 300, PNG_SIZE[0] - 100, 480))
    darkest, _lightest = task.getextrema()
    assert isinstance(darkest, int) and darkest < 100  # the task "对赵罗路实施拓宽新建" was written


def test_the_pdf_poster_is_a4_portrait_with_an_embedded_cjk_font() -> None:
    matter = matter_in(Status.VERIFIED)
    response = Client().get(f"/m/{matter.code}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="poster-{matter.code}.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595\.28\s+841\.89\s*\]", pdf)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJK", pdf)
    assert b"/FontFile" in pdf


def test_posters_may_be_cached_and_say_what_they_vary_on() -> None:
    matter = matter_in(Status.COMPLETED)
    browser = Client()
    first = browser.get(f"/m/{matter.code}/poster.pdf")
    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]
    assert first["Last-Modified"]
    assert browser.get(f"/m/{matter.code}/poster.pdf").content == first.content


def test_posters_are_only_for_finished_public_matters() -> None:
    for matter in [
        matter_in(Status.IN_PROGRESS),
        matter_in(Status.REPORTED),
        matter_in(Status.COMPLETED, is_public=False),
        matter_in(Status.DECLINED),
    ]:
        for suffix in ["png", "pdf"]:
            assert Client().get(f"/m/{matter.code}/poster.{suffix}").status_code == 404
    assert Client().get("/m/MQ-2022-9999/poster.png").status_code == 404


def test_the_poster_text_masks_phone_numbers_and_keeps_to_a_few_lines() -> None:
    matter = matter_in(Status.COMPLETED, problem="路灯不亮，联系13912345678")
    Matter.objects.filter(pk=matter.pk).update(task="修复路灯，联系人电话 13912345678。" + "并" * 200)
    matter.refresh_from_db()
    text = PosterText.for_matter(matter, url="https://x.cn/m/1/rate/", unit_names=["基建办", "赵罗社区"])
    assert "13912345678" not in text.task
    assert len(text.task) <= 90 and text.task.endswith("…")
    assert "基建办、赵罗社区" in text.units
    assert text.code == matter.code


def test_the_back_office_links_to_the_poster_of_a_finished_public_matter(client_as: Any) -> None:
    done = matter_in(Status.COMPLETED)
    working = matter_in(Status.IN_PROGRESS)
    coordinator = client_as("coordinator")
    assert f"/m/{done.code}/poster.pdf" in coordinator.get(f"/matters/{done.pk}/").content.decode()
    assert f"/m/{working.code}/poster.pdf" not in coordinator.get(f"/matters/{working.pk}/").content.decode()
