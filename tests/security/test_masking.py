"""Masking that cannot be sidestepped, surface by surface (issue 12, point 1).

Each test plants numbers written the ways the issue found them slipping through (full-width digits, dots,
zero-width characters, 0086, a bracketed area code, an ID with spaces and a prefix, door numbers) and reads the
surface as the masking reads text. tests/security/test_masking_properties.py generates the forms; these name them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from core.privacy import detection_text, phone_digest
from fieldwork.models import PlaceKind, VisitKind
from fieldwork.services import visit_create
from matters.exchange.exporter import ListSpec, export_bytes
from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from notifications.models import Notification
from notifications.services import notify
from portal.models import Rating

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHONE = "13812345678"
ID = "110105198807071236"
LANDLINE = "07148812345"
CARD = "6222021234567890"
# The same numbers, written to slip past a pattern that reads ASCII digits only.
FULL_WIDTH_PHONE = "１３８１２３４５６７８"
DOTTED_PHONE = "138.1234.5678"
ZERO_WIDTH_PHONE = "\u200b".join(PHONE)
PREFIXED_PHONE = "0086 138 1234 5678"
BRACKETED_LANDLINE = "（0714）881 2345"
SPACED_ID = "身份证号：110105 19880707 1236"
GROUPED_CARD = "6222 0212 3456 7890"
DOOR, ROOM = "幸福小区3栋2单元501室", "501室"
SIDESTEPS = (
    f"电话{FULL_WIDTH_PHONE}、{DOTTED_PHONE}，座机{BRACKETED_LANDLINE}，{SPACED_ID}，卡号{GROUPED_CARD}，住{DOOR}"
)
ZERO_WIDTH = f"电话{ZERO_WIDTH_PHONE}，或{PREFIXED_PHONE}"
NUMBERS = (PHONE, ID, LANDLINE, CARD)


@pytest.fixture(autouse=True)
def _frozen(demo: None, settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _read(text: str) -> str:
    """The text as the masking reads it, without the separators between digits."""
    return re.sub(r"(?<=\d)[ \-./·_]+(?=\d)", "", detection_text(text))


def _shown(text: str, *, doors: bool = True) -> list[str]:
    read = _read(text)
    found = [number for number in NUMBERS if number in read]
    return [*found, ROOM] if doors and ROOM in read.replace(" ", "") else found


def _file_text(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    return data.decode("utf-8-sig")


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _file_text(response.getvalue() if response.streaming else response.content)


def _done(**fields: Any) -> Matter:
    matter = matter_in(Status.COMPLETED, problem=f"路灯不亮，{SIDESTEPS}")
    Matter.objects.filter(pk=matter.pk).update(**fields)
    return Matter.objects.get(pk=matter.pk)


def test_a_phone_in_full_width_digits_is_masked_on_the_public_page() -> None:
    matter = _done()
    page = _page(Client(), f"/m/{matter.code}/")
    assert "路灯不亮" in page and "[电话已隐藏]" in page and "3栋[门牌号已隐藏]" in page
    assert not _shown(page)


def test_a_phone_with_zero_width_characters_or_0086_is_masked_on_the_lists_and_the_tracking_page() -> None:
    matter = _done(problem=f"路灯不亮，{ZERO_WIDTH}", location=f"赵罗路，{ZERO_WIDTH}")
    client = Client()
    for url in ("/lists/problems/", "/lists/tasks/", "/lists/effects/", f"/track/{matter.tracking_code}/"):
        assert not _shown(_page(client, url)), url


def test_sidestepped_numbers_and_doors_are_masked_in_open311_json_and_xml() -> None:
    matter = _done(location=f"长宇新城{DOOR}", public_reply=f"请拨{BRACKETED_LANDLINE}")
    client = Client()
    for url in ("requests.json", "requests.xml", f"requests/{matter.code}.json", f"requests/{matter.code}.xml"):
        answer = _page(client, f"/open311/v2/{url}")
        assert "路灯不亮" in answer and not _shown(answer), url


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "pdf"])
def test_the_public_list_exports_mask_sidestepped_numbers_in_every_format(fmt: str) -> None:
    _done(task=f"修复路灯，{SIDESTEPS}", effect=f"已修复，{SIDESTEPS}", remarks=f"备注：{SIDESTEPS}")
    for list_kind in ("problems", "tasks", "effects"):
        text = _file_text(export_bytes(ListSpec(list_kind=list_kind, public_only=True), fmt))
        assert "路灯" in text and not _shown(text), list_kind


def test_the_qr_poster_masks_numbers_and_doors_typed_into_the_task() -> None:
    matter = _done(task=f"{FULL_WIDTH_PHONE} 住{DOOR}")
    poster = _page(Client(), f"/m/{matter.code}/poster.pdf")
    assert matter.code in poster and "[电话已隐藏]" in poster and not _shown(poster)


def test_a_rating_comment_kept_unmasked_is_masked_on_the_rating_page() -> None:
    """Comments are masked when they are kept; a comment kept before that rule is masked when it is shown."""
    matter = _done()
    Rating.objects.create(
        matter=matter, phone_digest=phone_digest(PHONE), value="satisfied", comment=SIDESTEPS, created_at=NOW
    )
    page = _page(Client(), f"/m/{matter.code}/rate/")
    assert "卡号[卡号已隐藏]" in page and not _shown(page)


def test_a_notification_masks_a_number_that_cutting_it_to_an_excerpt_would_have_split() -> None:
    """The new-matter message carries the problem's first 200 characters: masked first, then cut."""
    problem = "路" * 195 + PHONE + "，请尽快处理"
    matter = matter_in(Status.REPORTED, problem=problem)
    [note, *_others] = Notification.objects.about(matter)
    assert not re.search(r"\d{4}", note.body), note.body[-20:]  # "13812" would have been left by cut-then-mask


def test_notification_texts_are_masked_for_everyone_doors_included(client_as: ClientAs) -> None:
    coordinator = get_user_model().objects.get(username="coordinator")
    notify(recipients=[coordinator], title=f"来电{FULL_WIDTH_PHONE}", body=SIDESTEPS)
    # A message kept before the texts were masked is masked on its way out, in the inbox and to e-mail or chat.
    Notification.objects.create(recipient=coordinator, title="旧消息", body=SIDESTEPS, created_at=NOW)
    for note in Notification.objects.filter(recipient=coordinator, created_at=NOW):
        from notifications.backends import message_text

        assert not _shown(message_text(note)), note.title
    assert not _shown(_page(client_as("coordinator"), "/inbox/"))


def test_the_back_office_masks_sidestepped_numbers_for_roles_without_the_right(client_as: ClientAs) -> None:
    matter = _done(task=f"修复，{SIDESTEPS}", location=f"赵罗路{ZERO_WIDTH}")
    handler = client_as("handler")
    for url in ("/matters/?tab=all", f"/matters/{matter.pk}/", f"/api/v1/matters/{matter.pk}/"):
        text = _page(handler, url)
        assert "路灯不亮" in text and not _shown(text, doors=False), url
    assert DOOR in _page(handler, f"/matters/{matter.pk}/")  # the handler goes to the door: doors stay
    # The coordination team, which may see reporters, reads the numbers as typed.
    assert FULL_WIDTH_PHONE in _page(client_as("coordinator"), f"/matters/{matter.pk}/")


def test_visit_notes_and_places_are_masked_in_the_visit_pages_api_and_duty_report_for_roles_without_the_right(
    client_as: ClientAs,
) -> None:
    cadre = get_user_model().objects.get(username="cadre")
    visit = visit_create(
        actor=cadre,
        person=cadre.person,
        date=NOW.date(),
        kind=VisitKind.HOUSEHOLD,
        place_kind=PlaceKind.HOUSEHOLD,
        place_detail=f"长宇新城{DOOR} {FULL_WIDTH_PHONE}",
        hours=Decimal("1"),
        notes=f"困难户，{SIDESTEPS}",
    )
    assessor = client_as("assessor")  # sees every visit, not phones and IDs
    for url in (f"/fieldwork/visits/{visit.pk}/", "/fieldwork/visits/", f"/api/v1/visits/{visit.pk}/"):
        assert not _shown(_page(assessor, url), doors=False), url
    report = f"/fieldwork/report/?format=docx&person={cadre.person.pk}&start=2022-06-01&end=2022-06-30"
    assert not _shown(_page(assessor, report))
    assert FULL_WIDTH_PHONE in _page(client_as("cadre"), f"/fieldwork/visits/{visit.pk}/")  # its author reads it
