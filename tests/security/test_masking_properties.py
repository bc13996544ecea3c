"""Two properties of the masking (issue 12, point 1), on every public surface.

1. Phones, landlines, ID numbers (valid check digits), bank cards and door numbers, written every way people write
   them (full-width and other scripts' digits, separators and invisible characters between the digits, prefixes,
   brackets), planted in a matter's problem, location, task, effect, progress report, step reason, reply and
   remarks, in a rating comment and in notifications, never show on the front page, the public matter page, the
   three public lists and their public exports (csv, xlsx, docx, pdf), Open311 JSON and XML, /track/, the rating
   page, the QR poster (PDF text) or notification texts. "Show" means: after the surface's text is normalised the
   way the masking reads text (core.privacy.detection_text) and the separators between digits are dropped, the
   planted digits do not occur.
2. Ordinary text (dates, amounts, counts, percentages, years, times, codes) passes `redact` and `mask_numbers`
   unchanged.

Each example renders each surface once (one of the three lists' PDFs, see `_surfaces`), with about twenty numbers
planted; the example count keeps the file to under a minute on SQLite.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from core.privacy import detection_text, mask_numbers, phone_digest, redact
from core.text import clean_text
from matters.exchange.exporter import FORMATS, LIST_KINDS, ListSpec, export_bytes
from matters.models import Matter, Transition
from matters.services import matter_create, matter_transition
from matters.tests.factories import assign_fields
from matters.workflow import Action
from notifications.backends import message_text
from notifications.models import Notification
from notifications.services import notify
from portal.models import Rating

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EXAMPLES = 12  # × 30 surfaces and 19-24 numbers each: about 3 s an example on SQLite, most of it two PDFs

# --- how people write digits ------------------------------------------------------------------------------------

SCRIPTS = [
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "০১২৩৪৫৬৭৮৯",  # Bengali
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
    "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡",  # mathematical double-struck
    "𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿",  # mathematical monospace
]
SEPARATORS = [" ", ".", "-", "－", "‐", "‑", "‒", "–", "—", "―", "·", "/", "_", "\u00a0", "\u3000", " - ", "  "]
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202e",
    "\u202c",
    "\u2066",
    "\u2069",
    "\u200e",
]


@dataclass(frozen=True)
class Planted:
    """A number as typed, and what must never be found on a surface (in the surface's normalised text)."""

    kind: str
    typed: str
    digits: tuple[str, ...] = ()  # digit strings, looked for with the separators between digits dropped
    marks: tuple[str, ...] = ()  # door parts with their markers (2单元, 501室), looked for without spaces


@st.composite
def written(draw: st.DrawFn, digits: str, groupings: list[list[int]]) -> str:
    """Digits in one script (or a mix), grouped, with separators between groups and invisible characters anywhere."""
    script = draw(st.sampled_from(SCRIPTS))
    mixed = draw(st.integers(0, 4)) == 0
    grouping = draw(st.sampled_from([*groupings, [1] * len(digits), [len(digits)]]))
    separator = draw(st.sampled_from(["", *SEPARATORS]))
    invisible = draw(st.sampled_from(["", *INVISIBLE]))
    every_gap = draw(st.booleans())
    out: list[str] = []
    index = 0
    for size in grouping:
        if out:
            out.append(separator)
        for offset, digit in enumerate(digits[index : index + size]):
            if offset and invisible and every_gap:
                out.append(invisible)
            alphabet = draw(st.sampled_from(SCRIPTS)) if mixed else script
            out.append(alphabet[int(digit)])
        index += size
    text = "".join(out)
    if invisible and not every_gap and len(text) > 2:
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + invisible + text[at:]
    return text


def _digits(draw: st.DrawFn, n: int) -> str:
    return "".join(draw(st.sampled_from("0123456789")) for _ in range(n))


@st.composite
def mobiles(draw: st.DrawFn) -> Planted:
    number = "1" + draw(st.sampled_from("3456789")) + _digits(draw, 9)
    prefix = draw(st.sampled_from(["", "", "+86", "+86 ", "0086", "0086-", "86", "86 ", "(+86)", "（＋８６）", "0"]))
    typed = prefix + draw(written(number, [[3, 4, 4], [3, 8], [4, 3, 4]]))
    return Planted("mobile", typed, digits=(number,))


@st.composite
def landlines(draw: st.DrawFn) -> Planted:
    area = draw(st.sampled_from(["010", "020", "021", "027", "0714", "0716", "0755", "0571", "0710"]))
    local = draw(st.sampled_from("23456789")) + _digits(draw, draw(st.sampled_from([6, 7])))
    style = draw(st.sampled_from(["{a}-{l}", "{a}－{l}", "{a}—{l}", "({a}){l}", "（{a}）{l}", "[{a}]{l}", "【{a}】{l}",
                                  "{a} {l}", "{a}{l}"]))  # fmt: skip
    shown_area = draw(written(area, [[len(area)]]))
    shown_local = draw(written(local, [[len(local)], [3, len(local) - 3]]))
    extension = draw(st.sampled_from(["", "", "转123", "-8", " 分机 66"]))
    return Planted("landline", style.format(a=shown_area, l=shown_local) + extension, digits=(area + local,))


def _id_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


@st.composite
def ids18(draw: st.DrawFn) -> Planted:
    area = draw(st.sampled_from("123456")) + _digits(draw, 5)
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2012, 12, 31))).strftime("%Y%m%d")
    first17 = area + born + _digits(draw, 3)
    check = _id_check(first17)
    shown_check = draw(st.sampled_from(["X", "x", "Ｘ", "ｘ"])) if check == "X" else check
    body = draw(written(first17, [[6, 8, 3], [6, 4, 4, 3], [4, 4, 4, 5]]))
    prefix = draw(st.sampled_from(["", "身份证号：", "身份证号码:", "ID:", "ID ", "证件号", "身份证"]))
    return Planted("id18", prefix + body + shown_check, digits=(first17,))


@st.composite
def ids15(draw: st.DrawFn) -> Planted:
    number = draw(st.sampled_from("123456")) + _digits(draw, 5)
    number += draw(st.dates(dt.date(1930, 1, 1), dt.date(1999, 12, 31))).strftime("%y%m%d") + _digits(draw, 3)
    prefix = draw(st.sampled_from(["", "老身份证", "ID:"]))
    return Planted("id15", prefix + draw(written(number, [[6, 6, 3], [6, 9]])), digits=(number,))


@st.composite
def cards(draw: st.DrawFn) -> Planted:
    number = draw(st.sampled_from(["62", "4", "5"]))
    number += _digits(draw, draw(st.integers(16, 19)) - len(number))
    groups = [4] * (len(number) // 4) + ([len(number) % 4] if len(number) % 4 else [])
    return Planted("card", draw(written(number, [groups])), digits=(number,))


DOOR_FORMS = [
    # (what is typed, with {b} building, {u} unit, {r} room; the parts that must not be seen)
    ("{b}栋{u}单元{r}室", ("{u}单元", "{r}室")),
    ("{b}栋{u}单元{r}", ("{u}单元", "单元{r}")),
    ("{b}栋 {u}单元 {r}室", ("{u}单元", "{r}室")),
    ("{b}-{u}-{r}", ("{b}-{u}-{r}",)),
    ("{b}－{u}－{r}室", ("{b}-{u}-{r}",)),
    ("{b}栋{r}", ("栋{r}",)),
    ("{r}号", ("{r}号",)),
    ("{r}室", ("{r}室",)),
    ("{b}号楼{u}单元{r}", ("{u}单元", "单元{r}")),
    ("{b}幢{u}单元{r}室", ("{u}单元", "{r}室")),
    ("{r}号房", ("{r}号",)),
    ("{b}栋{u}单元{r}户", ("{u}单元", "{r}户")),
    ("社区{r}户", ("{r}户",)),
]


@st.composite
def doors(draw: st.DrawFn) -> Planted:
    form, secrets = draw(st.sampled_from(DOOR_FORMS))
    building, unit = str(draw(st.integers(1, 30))), str(draw(st.integers(1, 6)))
    room = f"{draw(st.integers(1, 33))}{draw(st.integers(1, 4)):02d}"
    script = draw(st.sampled_from(SCRIPTS[:3]))  # doors: ASCII, full-width, Arabic-Indic
    invisible = draw(st.sampled_from(["", "\u200b", "\u2060", "\u202e"]))

    def shown(number: str) -> str:
        return invisible.join(script[int(d)] for d in number)

    typed = form.format(b=shown(building), u=shown(unit), r=shown(room))
    marks = tuple(s.format(b=building, u=unit, r=room) for s in secrets)
    return Planted("door", typed, marks=marks)


NUMBERS = st.one_of(mobiles(), landlines(), ids18(), ids15(), cards())
PLANTED = st.one_of(NUMBERS, NUMBERS, doors())  # numbers twice as often: more ways to write them
FILLERS = ["路灯不亮已有一周", "楼道积水严重", "希望尽快处理", "晚上出行很不方便", "请相关部门协调", "谢谢"]
TEMPLATES = {
    "mobile": ["有事请拨{}联系", "联系电话：{}。", "王女士{}", "电话{}，"],
    "landline": ["座机{}", "办公电话：{}，", "请打{}"],
    "id18": ["{}，", "登记的{}。"],
    "id15": ["{}，", "证件{}。"],
    "card": ["补贴打到卡号{}上", "银行卡{}。"],
    "door": ["家住幸福小区{}，", "住{}的居民反映", "长宇新城{}漏水"],
}


def _sentence(draw: st.DrawFn, planted: Planted) -> str:
    template = draw(st.sampled_from(TEMPLATES["door" if planted.kind == "door" else planted.kind]))
    return draw(st.sampled_from(FILLERS)) + "，" + template.format(planted.typed)


@st.composite
def plantings(draw: st.DrawFn) -> tuple[dict[str, str], list[Planted]]:
    """The text of every field that can carry personal data, and what was planted in it."""
    fields = ["problem", "task", "effect", "progress", "reason", "reply", "remarks", "rating", "notice"]
    items = draw(st.lists(PLANTED, min_size=2 * len(fields) + 1, max_size=2 * len(fields) + 6))
    texts = {name: draw(st.sampled_from(FILLERS)) for name in fields}
    location, *rest = items
    texts["location"] = "赵罗路" + location.typed  # one number: the field holds 200 characters
    for index, planted in enumerate(rest):
        name = fields[index % len(fields)]
        # The poster shows the start of the task: what is planted there comes first.
        texts[name] = (
            _sentence(draw, planted) + texts[name] if name == "task" else texts[name] + _sentence(draw, planted)
        )
    return texts, items


# --- the surfaces --------------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")


def _file_text(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    return data.decode("utf-8-sig")


def _response_text(response: Any) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    body = response.getvalue() if response.streaming else response.content
    if "json" in response.get("Content-Type", ""):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return _file_text(body)


def _surfaces(matter: Matter, coordinator: Client, pdf_list: str) -> dict[str, str]:
    """Every public surface of the matter (and the notification texts), as text.

    A PDF takes about a second to make (the CJK font is subset each time): of the three lists' public PDFs, one is
    made per example (drawn, so that the examples cover all three); csv, xlsx and docx every time.
    """
    client = Client()
    urls = [
        "/",  # the front page: the latest effects
        f"/m/{matter.code}/",
        f"/m/{matter.code}/rate/",
        f"/track/{matter.tracking_code}/",
        *(f"/lists/{kind}/" for kind in LIST_KINDS),
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{matter.code}.json",
        f"/open311/v2/requests/{matter.code}.xml",
        f"/m/{matter.code}/poster.pdf",
    ]
    texts = {url: _response_text(client.get(url)) for url in urls}
    for kind in LIST_KINDS:
        for fmt in FORMATS:
            if fmt != "pdf" or kind == pdf_list:
                data = export_bytes(ListSpec(list_kind=kind, public_only=True), fmt)
                texts[f"public {kind}.{fmt}"] = _file_text(data)
    notes = Notification.objects.filter(created_at__gte=NOW)
    texts["notifications"] = "\n".join(f"{n.title}\n{n.body}\n{message_text(n)}" for n in notes)
    texts["inbox"] = _response_text(coordinator.get("/inbox/"))
    return texts


_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \-./·_]+(?=\d)")


def _readings(text: str) -> tuple[str, str]:
    """A surface as the masking reads it: without the separators between digits, and without spaces."""
    read = detection_text(text).upper()
    return _BETWEEN_DIGITS.sub("", read), re.sub(r"\s+", "", read)


def _shown(planted: Planted, readings: tuple[str, str]) -> list[str]:
    digits_only, spaceless = readings
    return [d for d in planted.digits if d in digits_only] + [m for m in planted.marks if m in spaceless]


def _build(texts: dict[str, str]) -> Matter:
    """A completed public matter carrying the planted text in each of its fields, made through the services."""
    matter, _created = matter_create(
        actor=None, problem=texts["problem"], channel="hotline", location=texts["location"], is_public=True
    )
    matter = matter_transition(matter=matter, action=Action.ACCEPT, actor=None, reason=texts["reason"])
    matter = matter_transition(
        matter=matter, action=Action.ASSIGN, actor=None, **{**assign_fields(), "task": texts["task"]}
    )
    matter = matter_transition(matter=matter, action=Action.START, actor=None)
    matter = matter_transition(matter=matter, action=Action.PROGRESS, actor=None, text=texts["progress"], percent=60)
    matter = matter_transition(matter=matter, action=Action.COMPLETE, actor=None, effect=texts["effect"])
    # Fields no service writes on this path, and a comment as it might have been kept before masking on input:
    # what the public sees is masked on output, whatever was stored.
    Matter.objects.filter(pk=matter.pk).update(public_reply=texts["reply"], remarks=texts["remarks"])
    Rating.objects.create(
        matter=matter,
        phone_digest=phone_digest("13900000000"),
        value="satisfied",
        comment=texts["rating"],
        created_at=NOW,
    )
    coordinator = get_user_model().objects.get(username="coordinator")
    notify(recipients=[coordinator], title=texts["notice"][:150], body=texts["notice"], subject=matter)
    return Matter.objects.get(pk=matter.pk)


@pytest.fixture
def media_root(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_no_public_surface_ever_shows_a_planted_number_however_it_is_written(client_as: Any) -> None:
    coordinator = client_as("coordinator")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a page per surface is too slow to shrink over
    )
    @given(planting=plantings(), pdf_list=st.sampled_from(LIST_KINDS))
    def check(planting: tuple[dict[str, str], list[Planted]], pdf_list: str) -> None:
        texts, planted = planting
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            matter = _build(texts)
            assert Transition.objects.filter(matter=matter, reason=clean_text(texts["reason"])).exists()
            surfaces = _surfaces(matter, coordinator, pdf_list)
            assert "赵罗路" in surfaces[f"/m/{matter.code}/"]  # the text is there, masked
            readings = {where: _readings(text) for where, text in surfaces.items()}
            leaks = {
                (where, item.kind, item.typed): shown
                for where, reading in readings.items()
                for item in planted
                if (shown := _shown(item, reading))
            }
            assert not leaks, leaks
            transaction.set_rollback(True)

    check()


# --- ordinary text -------------------------------------------------------------------------------------------------


def _year(draw: st.DrawFn) -> int:
    return draw(st.integers(1990, 2035))


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    year, month, day = _year(draw), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    amount = draw(st.integers(1, 99999))
    count = draw(st.integers(1, 9999))
    forms = [
        f"{year}.{month}",
        f"{year}.{month:02d}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}/{month}/{day}",
        f"{year}.{month}.{day}",
        f"{year}年{month}月",
        f"{year}年{month}月{day}日",
        f"{month}月{day}日",
        f"{month}月{day}号",
        f"{year}年",
        f"{hour}:{minute:02d}",
        f"{hour:02d}:{minute:02d}",
        f"{amount}万元",
        f"{amount}元",
        f"{amount:,}元",
        f"{amount / 10:.1f}亿",
        f"{amount / 100:.2f}万元",
        f"{count}个",
        f"{count}人",
        f"{count}处",
        f"{count}户居民",
        f"共{count}户",
        f"惠及{count}户",
        f"{count}户家庭",
        f"{count}余户",
        f"{count % 100}%",
        f"{amount / 100:.1f}%",
        f"MQ-{year}-{count:04d}",
        f"MQ-{year}-{amount:06d}",
        "".join(draw(st.sampled_from("23456789ABCDEFGHJKMNPQRSTUVWXYZ")) for _ in range(8)),
        "12345",
        f"{count}米",
        f"{count}平方米",
        f"第{count % 50 + 1}期",
        f"{count % 30 + 1}号线",
        f"{count % 9 + 1}室{count % 3 + 1}厅",
        f"黄石大道{count}号",
        f"{count % 20 + 1}栋",
        f"{count % 30 + 1}层",
    ]
    return draw(st.sampled_from(forms))


CONNECTORS = ["，", "。", "、", "；", "于", "共", "约", "至", "（", "）", "：", "完成", "投资", "截至", "惠及", "\n"]


@st.composite
def ordinary_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(ordinary_numbers(), st.sampled_from(CONNECTORS)), min_size=1, max_size=8))
    lead = draw(st.sampled_from(["", "居民反映", "计划", "已于"]))
    return lead + "".join(number + connector for number, connector in parts)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(text=ordinary_texts())
def test_ordinary_text_passes_both_maskings_unchanged(text: str) -> None:
    assert redact(text) == text
    assert mask_numbers(text) == text
