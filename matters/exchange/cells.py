"""One cell of an attachment-2 table ⇄ values: column names, units, deadlines, budgets. No database.

Names, folding and the parsers every table shares are in core.tables.cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.tables.cells import CellError, fold, normalise_space, split_names
from matters.models import Precision

# Attachment 2's columns, as the seed writes them. They are the file format (the importer finds the
# header by these names), so they are not translated.
NUMBER = "序号"
PROBLEM = "问题清单"
TASK = "任务清单"
DEADLINE = "完成时限"
LEADS = "责任领导"
UNITS = "责任部门社区"
REMARKS = "备注"
COMPLETED = "完成时间"
EFFECT = "效果"
SATISFACTION = "满意度"

ATTACHMENT2_COLUMNS = [NUMBER, PROBLEM, TASK, DEADLINE, LEADS, UNITS, REMARKS]
EFFECT_COLUMNS = [NUMBER, PROBLEM, TASK, DEADLINE, LEADS, UNITS, COMPLETED, EFFECT, SATISFACTION, REMARKS]

ALL_COMMUNITIES = "各社区"


def import_key(problem: str, campaign_id: int | None) -> str:
    """The key that makes re-importing a table a no-op: the problem's text and the campaign."""
    blob = f"{normalise_space(problem)}\n{campaign_id or 0}"
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def split_units(text: str) -> tuple[list[str], bool]:
    """Unit names and whether 各社区 (all communities) is among them."""
    names = split_names(text)
    all_communities = ALL_COMMUNITIES in names
    return [n for n in names if n != ALL_COMMUNITIES], all_communities


def join_units(names: list[str], all_communities: bool) -> str:
    return "、".join([*names, ALL_COMMUNITIES] if all_communities else names)


_MONTH_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:月份|月)?\s*(?:底前|底|末|前|内)?$")
_DAY_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*(?:日|号)?\s*(?:前)?$")


def parse_deadline(text: str) -> tuple[dt.date, str]:
    """'2022.6', '2022年6月', '2022-06', '2022/6' → (first of the month, month); '2022.6.30' … → (day, day)."""
    raw = fold(text or "").strip()
    if not raw:
        raise CellError(_("The deadline is empty."))
    day_match = _DAY_RE.match(raw)
    month_match = None if day_match else _MONTH_RE.match(raw)
    try:
        if day_match:
            year, month, day = (int(g) for g in day_match.groups())
            if 2000 <= year <= 2100:
                return dt.date(year, month, day), Precision.DAY
        elif month_match:
            year, month = (int(g) for g in month_match.groups())
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return dt.date(year, month, 1), Precision.MONTH
    except ValueError:
        pass
    raise CellError(
        _("Cannot read “%(value)s” as a deadline: write a month like 2022.6 or a day like 2022.6.30.")
        % {"value": (text or "").strip()[:40]}
    )


def format_deadline(deadline: dt.date | None, precision: str) -> str:
    """As the seed writes it: 2022.6 for a month, 2022.6.30 for a day."""
    if deadline is None:
        return ""
    if precision == Precision.MONTH:
        return f"{deadline.year}.{deadline.month}"
    return f"{deadline.year}.{deadline.month}.{deadline.day}"


_BUDGET_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿|万|千)?\s*元")
_UNIT_FACTOR = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1_000), None: Decimal(1)}


def parse_budget(task: str) -> Decimal | None:
    """The first sum stated in the task: '拟投入资金20万元' → 200000; no figure → None."""
    match = _BUDGET_RE.search(fold(task or ""))
    if match is None:
        return None
    try:
        amount = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    return (amount * _UNIT_FACTOR[match.group(2)]).quantize(Decimal("0.01"))
