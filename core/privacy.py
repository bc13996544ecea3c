"""Keep personal data out of text that leaves its private scope: phone, ID, bank-card and door numbers.

People type their numbers in every way they write them: in full-width or other scripts' digits, with spaces, dots,
dashes or invisible characters between the digits, after +86 or "身份证号：". Detection therefore runs on a copy of the
text normalised for it alone (`detection_text`):

- NFKC (full-width letters, digits and brackets become ASCII; mathematical, circled and superscript digits become
  0-9), then the digits of every other script (Arabic-Indic, Devanagari, …) become 0-9 by their digit value;
- every dash and hyphen (－‐‑‒–—― …) becomes "-", every space but a line break (NBSP, the ideographic space …) a
  space, every middle dot "·", 【】〔〕 brackets [];
- invisible characters (zero-width, soft hyphen, bidi controls, variation selectors …) are dropped.

A number may have up to three separators (space . - / · _) between any two of its digits; a line break ends it.
The masks are then put over the matching characters of the ORIGINAL text, so everything else reads as typed
(an index map leads from normalised positions back to original ones; invisible characters are dropped from the
output as well, see core.text).

What is masked, and what stays visible:

- mobile numbers: 11 digits from 1[3-9], after +86, 0086, 86 or (+86) or none, in any grouping;
- landlines: an area code 0xx/0xxx, bare, in () （） [] 【】 or followed by any dash, then 7-8 digits, with an
  optional extension (转, 分机, ext, #, -); a local number without its area code is not recognisable and stays;
- ID numbers: 18 characters (17 digits and a digit or X check character) whose 7th-14th read as a birth date, and the
  old 15-digit form (a six-digit date), after any prefix;
- bank-card-like numbers: any run of 16 or more digits (so an ID number with a mistyped date is hidden too);
- doors (`redact` only): the unit and room of a dwelling. The compound's name and the building stay visible
  ("幸福小区3栋" is not a dwelling): `3栋2单元501室` → `3栋[…]`, `3栋501` / `3号楼2单元501` → the room after a
  building or unit, even bare; `3-2-501` (building-unit-room) whole; `501室`, `501号房`, `501房`, `501号`,
  `12户` alone, and `2单元`. Not doors: a street number (`黄石大道123号`: it names a building on a road, not a
  dwelling, and the public needs it to find the work site), a day (`6月30号`), a number of households
  (`120户居民`, `共80户`, `惠及3200户`: 户 after a counting word or before 居民/人家/家庭/村民 …), a flat's layout
  (`3室2厅`), floors and measures after a building (`3栋15层`, `3栋120米`), and `N号` of one or two digits or
  before 楼/线/院/门/文 … (a building, a metro line, a document).

Ordinary numbers are left alone: dates (2022.6, 2022-06-30, 2022年6月), amounts (20万元, 1,500元, 3.5亿),
counts (80个), percentages, years, times (14:30), the matter's codes (MQ-2026-0001) and tracking codes.
Numbers written out in Chinese numerals, or split across lines, are not recognised (docs/security.md, Known
limits).

The functions run on every public page and on exports of 100,000 rows: the patterns are compiled once, and a text
with no digit of any kind returns after one scan (fewer than five digits: only doors are looked for).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.text import INVISIBLE, clean_text

# --- the normaliser -----------------------------------------------------------------------------------------------

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_MIDDLE_DOTS = "\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65"
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BRACKETS = {"【": "[", "】": "]", "〔": "[", "〕": "]", "〖": "[", "〗": "]", "〘": "[", "〙": "]", "×": "x"}
# Characters that only change how text is drawn: dropped before matching (on top of core.text.INVISIBLE).
_DROPPED_EXTRA = (
    "\u034f"  # COMBINING GRAPHEME JOINER
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers, drawn blank
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # variation selectors
)
_DROPPED_BEYOND = ((0xE0000, 0xE007F), (0xE0100, 0xE01EF))  # tags, variation selectors supplement
# The characters detection reads; a mapping to anything else does not change what is found, so it is skipped.
_ALPHABET = frozenset(
    "0123456789 -./·_()[]+#xXabcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ栋幢楼单元室号房户座层"
)
_SCANNED = 0x20000  # the BMP and the SMP hold every digit and compatibility character there is


def _canonical(char: str) -> str:
    if char in _LINE_BREAKS:
        return "\n"
    if char in _DASHES:
        return "-"
    if char in _MIDDLE_DOTS:
        return "·"
    if char.isspace():
        return " "
    if char in _BRACKETS:
        return _BRACKETS[char]
    value = unicodedata.digit(char, None)
    return str(value) if value is not None else char


def _char_class(code_points: list[int]) -> str:
    """A regex character class of these code points, as ranges."""
    parts: list[str] = []
    points = sorted(set(code_points))
    start = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = cp
    return "[" + "".join(parts) + "]"


class _CharSet:
    """Finds any of a set of characters. One class for the BMP (a bitmap, fast) and one beyond it, tried only when
    the text has such a character: a class that mixes both is scanned range by range, ten times slower."""

    def __init__(self, code_points: list[int]) -> None:
        bmp = [cp for cp in code_points if cp <= 0xFFFF]
        beyond = [cp for cp in code_points if cp > 0xFFFF]
        self.bmp = re.compile(_char_class(bmp)) if bmp else None
        self.beyond = re.compile(_char_class(beyond)) if beyond else None

    def search(self, text: str) -> bool:
        if self.bmp is not None and self.bmp.search(text):
            return True
        return self.beyond is not None and _BEYOND_BMP.search(text) is not None and self.beyond.search(text) is not None


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class _Tables:
    one: dict[int, str]  # a character read as one other character (same length: the index map stays identity)
    expand: dict[int, str]  # a character read as several (⑩ → 10), or as none (invisible: "")
    mappable: _CharSet  # the keys of `one`
    slow: _CharSet  # the keys of `expand`
    digitish: _CharSet  # every character read as a digit


@functools.cache
def _tables() -> _Tables:
    """Built on first use from the Unicode database (a tenth of a second), then shared by every call."""
    one: dict[int, str] = {}
    expand: dict[int, str] = {}
    digitish: list[int] = list(range(0x30, 0x3A))
    dropped = set(map(ord, INVISIBLE | set(_DROPPED_EXTRA)))
    special = set(_DASHES + _MIDDLE_DOTS + _LINE_BREAKS) | set(_BRACKETS)
    normalize = unicodedata.normalize
    for cp in range(_SCANNED):
        if 0xD800 <= cp < 0xE000:
            continue
        if cp in dropped:
            expand[cp] = ""
            continue
        char = chr(cp)
        nfkc = normalize("NFKC", char)
        if nfkc == char and not char.isdigit() and not char.isspace() and char not in special:
            continue  # most of Unicode: read as itself
        read = "".join(_canonical(c) for c in nfkc)
        if any(c.isascii() and c.isdigit() for c in read) and not char.isascii():
            digitish.append(cp)
        if read == char or not (set(read) & _ALPHABET or read in ("\n", " ")):
            continue
        if len(read) == 1:
            one[cp] = read
        elif any(c.isdigit() for c in read):
            expand[cp] = read
    for a, b in _DROPPED_BEYOND:
        expand.update(dict.fromkeys(range(a, b + 1), ""))
    return _Tables(
        one=one, expand=expand, mappable=_CharSet(list(one)), slow=_CharSet(list(expand)), digitish=_CharSet(digitish)
    )


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """The text as detection reads it, and for each of its characters the index of the original one.

    None for the map means the identity: every character was read as exactly one (the common case, done in C).
    """
    tables = _tables()
    if tables.mappable.search(text):
        text = text.translate(tables.one)
    if not tables.slow.search(text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    expand = tables.expand
    for index, char in enumerate(text):
        read = expand.get(ord(char))
        if read is None:
            out.append(char)
            origin.append(index)
        elif read:
            out.append(read)
            origin.extend([index] * len(read))
    return "".join(out), origin


def detection_text(text: str) -> str:
    """The text as the masking reads it: what a test compares a planted number against."""
    return _normalise(text)[0]


# --- the patterns, on normalised text -------------------------------------------------------------------------------

_SEP = r"[ \-./·_]{0,3}"  # between two digits of one number


def _joined(*digits: str) -> str:
    """Digit patterns in sequence, any of them separated by up to three separators."""
    return _SEP.join(digits)


_D = r"\d"
# +86, 0086, (+86), 86, or the 0 dialled before a mobile from a landline elsewhere.
_MOBILE = r"(?:(?:\(?(?:\+|00)" + _SEP + r"86\)?|\(86\)|86|0)" + _SEP + r")?" + _joined("1", "[3-9]", *[_D] * 9)
# Area codes: 010 and 02x have three digits, the rest 0[3-9]xx four.
_AREA = "0" + _SEP + r"(?:" + _joined("1", "0") + "|" + _joined("2", _D) + "|" + _joined("[3-9]", _D, _D) + ")"
# Not right after a year and a dash: "2022-06-30 2022-07-31" holds no landline 06-30 2022-07-31.
_LANDLINE = (
    r"(?<!\d{4}[\-./])(?:\("
    + _AREA
    + r"\)|\["
    + _AREA
    + r"\]|"
    + _AREA
    + r")"
    + _SEP
    + _joined("[2-9]", *[_D] * 6)
    + r"(?:"
    + _SEP
    + r"\d)?"
    + r"(?:\s?(?:转|分机|(?i:ext)\.?|#)\s?\d{1,6}|-\d{1,6})?"
)
_BIRTH_DATE = ("[12]", "[089]", _D, _D, "[01]", _D, "[0-3]", _D)
_ID18 = _joined("[1-9]", *[_D] * 5, *_BIRTH_DATE, _D, _D, _D, r"[\dXx]")
_ID15 = _joined("[1-9]", *[_D] * 5, _D, _D, "[01]", _D, "[0-3]", _D, _D, _D, _D)
# One pass for the numbers of a kind; at each position the first alternative that matches wins.
_NUMBERS = re.compile(
    r"(?<!\d)(?:"
    rf"(?P<id>(?:{_ID18}|{_ID15})(?!\d))"
    rf"|(?P<phone>(?:{_MOBILE}|{_LANDLINE})(?!\d))"
    r")"
)
# Where they can be: ten digits or more with what may stand between them. Scanned fast (the pattern starts with a
# character set); `_NUMBERS` then reads only around these runs.
_LONG_RUN = re.compile(r"[0-9](?:[ \-./·_()\[\]+]{0,4}[0-9]){9,}")
_BEFORE_RUN, _AFTER_RUN = 8, 12  # room for "(+86) " before a run and for "转123456" after it
# Then any long run of digits (a card, or numbers run together) not explained by the numbers found in it.
_CARD = re.compile(r"(?<!\d)\d(?:" + _SEP + r"\d){15,}")
DATE_DIGITS = 8  # 20220630
# Dates (2022-06-30, 2022.6, 2022/6/30) and codes (MQ-2026-0001): never part of a card.
_ORDINARY_RUNS = re.compile(
    r"(?<!\d)(?:19|20)\d\d[-./](?:1[0-2]|0?[1-9])(?:[-./](?:3[01]|[12]\d|0?[1-9]))?(?!\d)"
    r"|(?<![A-Za-z])[A-Za-z]{1,4}-\d{4}-\d{1,8}(?!\d)"
)

_CN = "[一二三四五六七八九十两〇零]"
_ROOM = r"(?<!\d)(?<!\d[,.])\d(?:" + _SEP + r"\d){0,3}(?!\d)"
# A unit with or without its room, or a room, after an optional building; then an optional suffix.
_DOOR = re.compile(
    rf"(?<![\d{_CN[1:-1]}])(?=[\d{_CN[1:-1]}])"
    rf"(?:(?P<building>(?:\d{{1,4}}|{_CN}{{1,3}}) ?(?:号楼|栋|幢|座|楼)) ?)?"
    rf"(?:(?P<unit>(?:\d{{1,2}}|{_CN}{{1,3}}) ?单元) ?(?P<unit_room>{_ROOM})?|(?P<room>{_ROOM}))"
    r"(?: ?(?P<suffix>号房|室|号|户|房))?"
)
_DOOR_MARK = re.compile(r"[栋幢楼单室号房户座]")
_BEFORE_MARK, _AFTER_MARK = 16, 12  # "三栋二单元" before 单, "501室" after 栋
_DASH_DOOR = re.compile(r"(?<![\dA-Za-z\-])\d{1,3} ?- ?\d{1,2} ?- ?\d{3,4}(?![\dA-Za-z\-])(?: ?(?:室|号|户))?")
# 户 alone is a door only after a place (长宇社区12户); before these it counts households (120户居民).
_PLACE_BEFORE = re.compile(r"(?:区|村|组|苑|园|城|庄|屯|院|里|巷|弄|楼|寓|厦|住|牌) ?$")
_HOUSEHOLDS = re.compile(
    r" ?(?:居民|人家|家庭|住户|村民|群众|农户|商户|业主|人口|人|家|困难|贫困|低保|以上|左右|多|余|次|受益|受灾|参与|签约|入住|搬迁|安置)"
)
# 号 after these is a street number, a day, an ordinal or a document's number: 黄石大道123号, 6月30号, 第123号.
_NOT_DOOR_BEFORE = re.compile(
    r"(?:月|路|街|道|巷|弄|里|胡同|村|组|第|字|\]|\)|编号|单号|工单|文号|批号|型号|账号|序号|代码|码|号|-) ?$"
)
_NOT_DOOR_AFTER = re.compile(
    r" ?(?:楼|线|院|门|文|令|机|台|车|位|桥|口|窗|床|码|库|馆|站|厂|仓|段|件|公告|通知|球|柜|桌|地块)"
)
# After a building, a bare number that is a floor, a length, an amount …: 3栋15层, 3栋120米.
_MEASURE_AFTER = re.compile(
    r" ?(?:[.,:]\d|[层楼米个人年月日万千百亿元%平方台辆次条件处家名岁吨度天时分秒期届级倍]|m\b|km|kg)"
)
_LAYOUT_AFTER = re.compile(rf" ?[\d{_CN[1:-1]}] ?[厅卫]")


def _door_span(match: re.Match[str], norm: str) -> tuple[int, int] | None:
    """The span of a door match to hide (its unit and room; the building stays), or None if it is no door."""
    building, unit, suffix = match.group("building"), match.group("unit"), match.group("suffix")
    room_group = "unit_room" if unit else "room"
    room = match.group(room_group)
    start = match.start("unit") if unit else match.start("room")
    if room is None:
        return start, match.end("unit")
    digits = sum(c.isdigit() for c in room)
    before, after = norm[max(0, match.start() - 6) : match.start()], norm[match.end() : match.end() + 6]
    housed = bool(building or unit)
    if suffix is None:
        if not housed or digits < 2 or _MEASURE_AFTER.match(after):
            return None
        return start, match.end(room_group)
    if suffix == "户":
        if _HOUSEHOLDS.match(after) or (not housed and not _PLACE_BEFORE.search(before)):
            return None
    elif suffix == "号":
        if not housed and (digits < 3 or _NOT_DOOR_BEFORE.search(before) or _NOT_DOOR_AFTER.match(after)):
            return None
    elif suffix == "房":
        if not housed and digits < 3:
            return None
    elif suffix == "室" and _LAYOUT_AFTER.match(after):
        return None
    return start, match.end()


# --- masking --------------------------------------------------------------------------------------------------------


Labels = Callable[[], dict[str, str]]  # kind of number → its mask; called only when there is something to mask


def _masked(text: str, *, labels: Labels, doors: bool) -> str:
    tables = _tables()
    if not tables.digitish.search(text) and not (doors and "单元" in text):
        return clean_text(text)
    norm, origin = _normalise(text)
    spans = _number_spans(norm)
    if doors and _DOOR_MARK.search(norm):
        marks = [(m.start() - _BEFORE_MARK, m.end() + _AFTER_MARK) for m in _DOOR_MARK.finditer(norm)]
        for match in _scan(_DOOR, norm, marks):
            if (span := _door_span(match, norm)) is not None:
                spans.append((*span, "door"))
    if doors and "-" in norm:
        spans.extend((m.start(), m.end(), "door") for m in _DASH_DOOR.finditer(norm))
    if not spans:
        return clean_text(text)
    label = labels()
    pieces: list[str] = []
    done = 0
    for start, end, kind in _merged(spans):
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        pieces += [text[done:start], label[kind]]
        done = end
    pieces.append(text[done:])
    return clean_text("".join(pieces))


def _number_spans(norm: str) -> list[tuple[int, int, str]]:
    """Phones and IDs, then cards, around each long run of digits: (start, end, kind)."""
    runs = list(_LONG_RUN.finditer(norm))
    if not runs:
        return []
    windows = [(run.start() - _BEFORE_RUN, run.end() + _AFTER_RUN) for run in runs]
    spans = [(m.start(), m.end(), m.lastgroup or "phone") for m in _scan(_NUMBERS, norm, windows)]
    if any(run.end() - run.start() >= 16 for run in runs):
        spans += _cards(norm, spans)
    return spans


def _scan(pattern: re.Pattern[str], norm: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The pattern's matches inside these windows (merged where they overlap), as if it had read the whole text.

    A pattern that starts with a lookbehind is scanned character by character; reading only where a match can be
    keeps a 200-character text to a few microseconds. A match cut short by a window's end is not taken.
    """
    size = len(norm)
    merged: list[list[int]] = []
    for low, high in sorted(windows):
        low, high = max(low, 0), min(high, size)
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    for low, high in merged:
        for match in pattern.finditer(norm, low, high):
            if match.end() < high or high == size or not norm[high].isdigit():
                yield match


def _cards(norm: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Runs of 16 or more digits, unless the phones and IDs in them leave no more digits than a date has.

    Dates and the matter's codes are set aside first: "MQ-2026-0001 2022-06-30" and "2022-06-30 2022-07-31" are no
    card. "2022.6.30 13812345678" is a date and a phone; "6222 0212 3456 7890 123" is a card, and so is a card
    typed right after a phone.
    """
    rest = _ORDINARY_RUNS.sub(lambda m: "\0" * len(m.group()), norm)
    cards = []
    for match in _CARD.finditer(rest):
        left = sum(
            char.isdigit()
            for index, char in enumerate(match.group(), start=match.start())
            if not any(start <= index < end for start, end, _label in found)
        )
        if left > DATE_DIGITS:
            cards.append((match.start(), match.end(), "card"))
    return cards


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans as one, labelled by the first found (numbers are found before doors)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            last = out[-1]
            out[-1] = (last[0], max(last[1], end), last[2])
        else:
            out.append((start, end, label))
    return out


@functools.lru_cache(maxsize=16)
def _labels_in(language: str | None) -> dict[str, str]:
    """The masks in a language (looked up once: four gettext calls cost more than the matching of a short text)."""
    return {
        "id": _("[ID number hidden]"),
        "phone": _("[phone hidden]"),
        "card": _("[card number hidden]"),
        "door": _("[door number hidden]"),
    }


def _labels() -> dict[str, str]:
    return _labels_in(get_language())


def redact(text: str) -> str:
    """Mask ID, phone, bank-card and door numbers in free text shown to the public."""
    if not text:
        return text
    return _masked(text, labels=_labels, doors=True)


def mask_numbers(
    text: str, *, phone_label: str | None = None, id_label: str | None = None, card_label: str | None = None
) -> str:
    """Mask ID, phone and bank-card numbers, not doors: the back office's text for roles without the right."""
    if not text:
        return text
    given = {"id": id_label, "phone": phone_label, "card": card_label}
    if not any(given.values()):
        return _masked(text, labels=_labels, doors=False)

    def labels() -> dict[str, str]:
        return {**_labels(), **{kind: label for kind, label in given.items() if label is not None}}

    return _masked(text, labels=labels, doors=False)


def phone_digest(phone: str) -> str:
    """A keyed digest of a phone number: lets us enforce one rating per phone without storing the number."""
    digits = re.sub(r"\D", "", phone)[-11:]
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{digits}".encode(), hashlib.sha256).hexdigest()


def client_digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"client:{value}".encode(), hashlib.sha256).hexdigest()
