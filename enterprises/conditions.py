"""A policy's eligibility as structured conditions over profile fields, and what an enterprise's facts are.

A condition is a small dict: {"field": "industry", "op": "in", "value": ["copper", "materials"]}. The fields
and the operators each takes are fixed here; a condition naming anything else is refused with a clear message.
Free text covers what cannot be structured (the policy's `eligibility_text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IN, GTE, LTE, HAS = "in", "gte", "lte", "has"


@dataclass(frozen=True)
class Facts:
    """What the conditions read of one enterprise: plain values, so matching needs no query per pair."""

    id: int
    industry: str  # the industry's code
    size: str
    employees: int
    registered_capital: Decimal
    stage: str
    tags: frozenset[str]  # tag codes


# field → (label, operators, kind of value: "choice" (a list of codes), "number", "tag" (one code))
FIELDS: dict[str, tuple[Any, frozenset[str], str]] = {
    "industry": (gettext_lazy("industry"), frozenset({IN}), "choice"),
    "size": (gettext_lazy("size"), frozenset({IN}), "choice"),
    "stage": (gettext_lazy("project stage"), frozenset({IN}), "choice"),
    "employees": (gettext_lazy("employees"), frozenset({GTE, LTE}), "number"),
    "registered_capital": (gettext_lazy("registered capital (10,000 yuan)"), frozenset({GTE, LTE}), "number"),
    "tags": (gettext_lazy("tags"), frozenset({HAS}), "tag"),
}
OP_LABELS = {IN: gettext_lazy("is one of"), GTE: "≥", LTE: "≤", HAS: gettext_lazy("includes")}


def clean_conditions(raw: Any) -> list[dict[str, Any]]:
    """The conditions in their stored form; a ValidationError (field `conditions`) names what is wrong."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise ValidationError({"conditions": _("Conditions are a list of {field, op, value} entries.")})
    cleaned = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping) or set(entry) - {"field", "op", "value"}:
            raise ValidationError(
                {"conditions": _("Condition %(n)d: give exactly a field, an op and a value.") % {"n": number}}
            )
        field, op, value = entry.get("field"), entry.get("op"), entry.get("value")
        if field not in FIELDS:
            raise ValidationError(
                {
                    "conditions": _(
                        "Condition %(n)d: “%(field)s” is not a profile field a condition can use (%(known)s)."
                    )
                    % {"n": number, "field": field, "known": ", ".join(FIELDS)}
                }
            )
        label, ops, kind = FIELDS[str(field)]
        if op not in ops:
            raise ValidationError(
                {
                    "conditions": _("Condition %(n)d: %(field)s takes the operator %(ops)s, not “%(op)s”.")
                    % {"n": number, "field": label, "ops": " / ".join(sorted(ops)), "op": op}
                }
            )
        cleaned.append({"field": field, "op": op, "value": _clean_value(number, kind, value)})
    return cleaned


def _clean_value(number: int, kind: str, value: Any) -> Any:
    if kind == "number":
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            raise ValidationError({"conditions": _("Condition %(n)d: the value must be a number ≥ 0.") % {"n": number}})
        return int(amount) if amount == amount.to_integral_value() else str(amount)
    if kind == "tag":
        if not isinstance(value, str) or not value:
            raise ValidationError({"conditions": _("Condition %(n)d: name one tag.") % {"n": number}})
        return value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValidationError({"conditions": _("Condition %(n)d: give a non-empty list of values.") % {"n": number}})
    return sorted(set(value))


def holds(condition: Mapping[str, Any], facts: Facts) -> bool:
    """Whether one enterprise meets one condition (the plain rule that the fast matcher must agree with)."""
    field, op, value = condition["field"], condition["op"], condition["value"]
    actual = getattr(facts, field)
    if op == IN:
        return actual in value
    if op == HAS:
        return value in actual
    if op == GTE:
        return Decimal(actual) >= Decimal(str(value))
    return Decimal(actual) <= Decimal(str(value))


def describe(condition: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A condition as a reader sees it: “industry is one of 铜产业, 新材料”."""
    names = names or {}
    label, _ops, _kind = FIELDS[condition["field"]]
    value = condition["value"]
    shown = ", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(str(value), str(value))
    return f"{label} {OP_LABELS[condition['op']]} {shown}"
