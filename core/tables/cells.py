"""One cell of an office table → a value: names, dates, hours and times as people write them. No database.

Every parser raises `CellError` with a translated message that names what was expected; the importer files it
under the cell's row and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

# Characters a header may carry around the name: 责任部门/社区, 责任部门（社区）, *问题清单.
_HEADER_NOISE = re.compile(r"[\s/、()（）\[\]【】·\-_:：*＊]+")
_SEPARATORS = re.compile(r"[、,;\s]+")


class CellError(ValueError):
    """A cell that cannot be read; the message is translated and names what was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """Full-width letters, digits and punctuation → their plain forms (NFKC); 、 stays."""
    return unicodedata.normalize("NFKC", text)


def header_key(text: str) -> str:
    """The comparable form of a header cell: folded, lower case, without spaces or decoration."""
    return _HEADER_NOISE.sub("", fold(text or "")).lower()


def name_key(name: str) -> str:
    """The comparable form of a name in a cell: folded, without any spaces (杨 立新 is 杨立新)."""
    return "".join(fold(name or "").split())


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace (spaces, full-width spaces, new lines) to one space."""
    return " ".join((text or "").split())


def plain(text: str) -> str:
    """A cell's text folded, its whitespace collapsed: what parsers read."""
    return normalise_space(fold(text or ""))


def digest(*parts: str) -> str:
    """A row's import key: a hash of what makes it the same row next time (its table's name first)."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def split_names(text: str) -> list[str]:
    """Names separated by 、 ， , ; ； spaces or new lines, in order, without repeats."""
    names: list[str] = []
    for part in _SEPARATORS.split(fold(text or "")):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def format_day(day: dt.date | None) -> str:
    """As offices write a day: 2022.6.3."""
    return "" if day is None else f"{day.year}.{day.month}.{day.day}"


# --- dates ---------------------------------------------------------------------------------------------

_FULL_DATE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*[日号]?(?:\s+.*)?$")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str, *, year: int | None = None) -> dt.date:
    """'2022-06-03', '2022.6.3', '2022/6/3', '2022年6月3日', '6月3日' (in `year`), or an Excel day number."""
    raw = plain(text)
    if not raw:
        raise CellError(_("The date is empty."))
    try:
        match = _FULL_DATE.match(raw)
        if match:
            y, m, d = (int(g) for g in match.groups())
            if 2000 <= y <= 2100:
                return dt.date(y, m, d)
        match = _SHORT_DATE.match(raw)
        if match:
            m, d = (int(g) for g in match.groups())
            return dt.date(year or timezone.localdate().year, m, d)
        if re.fullmatch(r"\d{5}(?:\.0+)?", raw):  # a date cell saved as a plain number: days since 1899-12-30
            day = _EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
            if 2000 <= day.year <= 2100:
                return day
    except ValueError:
        pass
    raise CellError(
        _("Cannot read “%(value)s” as a date: write it like 2022-06-03, 2022.6.3 or 6月3日.") % {"value": raw[:30]}
    )


# --- hours and times -----------------------------------------------------------------------------------

HALF_DAY = Decimal(4)
FULL_DAY = Decimal(8)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HOURS = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:个)?\s*(?:小时|钟头|h|hr|hrs|hours?)?$", re.IGNORECASE)
_CN_HOURS = re.compile(r"^([零一二两三四五六七八九十]+)(半)?\s*(?:个)?\s*(?:小时|钟头)$")
_WORDS = {
    "半天": HALF_DAY,
    "半日": HALF_DAY,
    "上午": HALF_DAY,
    "下午": HALF_DAY,
    "一天": FULL_DAY,
    "全天": FULL_DAY,
    "1天": FULL_DAY,
    "整天": FULL_DAY,
    "半小时": Decimal("0.5"),
}


def _cn_number(text: str) -> int:
    """一 … 九十九 → 1 … 99; -1 for what is not such a number."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1:]]
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text] if len(text) == 1 else -1


def parse_hours(text: str) -> Decimal:
    """'3', '3.5', '3小时', '3.5h', '三个半小时', '半天' (4), '一天' (8); full-width digits too."""
    raw = plain(text).replace(" ", "")
    if not raw:
        raise CellError(_("The hours are empty."))
    if raw in _WORDS:
        return _WORDS[raw]
    match = _HOURS.match(raw)
    try:
        if match:
            return Decimal(match.group(1))
        match = _CN_HOURS.match(raw.replace("个半", "半"))
        if match:
            whole = _cn_number(match.group(1))
            if whole >= 0:
                return Decimal(whole) + (Decimal("0.5") if match.group(2) else 0)
    except (InvalidOperation, KeyError):
        pass
    raise CellError(_("Cannot read “%(value)s” as hours: write a number like 3 or 3.5, or 半天.") % {"value": raw[:30]})


_TIME = re.compile(r"^(\d{1,2})\s*(?:[:：.点时]\s*(\d{1,2})?\s*(?:分)?)?(?::\d{1,2})?$")
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|~|～|至|到)\s*(.+)$")


def parse_time(text: str) -> dt.time:
    """'9:00', '09:00:00', '9点', '9点30', '14.30'."""
    raw = plain(text).replace(" ", "")
    match = _TIME.match(raw)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    raise CellError(_("Cannot read “%(value)s” as a time: write it like 9:00 or 14:30.") % {"value": raw[:30]})


def parse_time_range(text: str) -> tuple[dt.time, dt.time] | None:
    """'9:00-12:00' in an hours cell → (start, end); None when the cell is not a range of times."""
    match = _RANGE.match(plain(text))
    if match is None:
        return None
    try:
        return parse_time(match.group(1)), parse_time(match.group(2))
    except CellError:
        return None
