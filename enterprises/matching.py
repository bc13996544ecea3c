"""Which enterprises qualify for which policies, computed by condition rather than by pair.

Each distinct condition (field, op, value) is evaluated once over every enterprise into a bit set (a Python int,
bit i for the i-th enterprise); a policy's qualifying set is the AND of its conditions' sets, and its near
misses are the enterprises that fail exactly `NEAR` conditions or fewer (named, for each, by its unmet
conditions). 1,000 enterprises × 200 policies take a few milliseconds (bench `enterprise_match`).
`brute_force` is the plain loop over every pair and condition: the benchmark's baseline and the tests' oracle.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from typing import Any

from enterprises.conditions import GTE, HAS, IN, Facts, holds

NEAR = 1  # a near miss fails exactly one condition (the fast matcher computes this case only)
_BITS = bytes.maketrans(b"01", b"\x00\x01")


@dataclass
class Result:
    """One policy's matches: the qualifying enterprise ids, and the near misses with their unmet conditions."""

    qualified: set[int] = field(default_factory=set)
    near: dict[int, tuple[int, ...]] = field(default_factory=dict)  # enterprise id → indexes of its unmet conditions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and (self.qualified, self.near) == (other.qualified, other.near)


Conditions = Sequence[Mapping[str, Any]]


def brute_force(facts: Sequence[Facts], policies: Mapping[int, Conditions]) -> dict[int, Result]:
    """Every enterprise against every policy, condition by condition."""
    results: dict[int, Result] = {}
    for policy_id, conditions in policies.items():
        result = Result()
        for enterprise in facts:
            unmet = tuple(i for i, condition in enumerate(conditions) if not holds(condition, enterprise))
            if not unmet:
                result.qualified.add(enterprise.id)
            elif len(unmet) <= NEAR:
                result.near[enterprise.id] = unmet
        results[policy_id] = result
    return results


class _Columns:
    """The enterprises' facts by column, with the bit sets each distinct condition gives (computed on demand)."""

    def __init__(self, facts: Sequence[Facts]) -> None:
        self.ids = [f.id for f in facts]
        self.everyone = (1 << len(facts)) - 1
        self.by_value: dict[str, dict[Any, int]] = {"industry": {}, "size": {}, "stage": {}, "tags": {}}
        for bit, f in enumerate(facts):
            for name in ("industry", "size", "stage"):
                column = self.by_value[name]
                column[getattr(f, name)] = column.get(getattr(f, name), 0) | (1 << bit)
            for tag in f.tags:
                self.by_value["tags"][tag] = self.by_value["tags"].get(tag, 0) | (1 << bit)
        # Numbers sorted once; a threshold's set is the OR of a prefix or suffix, kept as cumulative masks.
        self.sorted: dict[str, tuple[list[Decimal], list[int]]] = {}
        for name in ("employees", "registered_capital"):
            order = sorted(range(len(facts)), key=lambda i, n=name: Decimal(getattr(facts[i], n)))  # type: ignore[misc]
            values = [Decimal(getattr(facts[i], name)) for i in order]
            prefix = [0]
            for i in order:
                prefix.append(prefix[-1] | (1 << i))
            self.sorted[name] = (values, prefix)
        self.cache: dict[tuple[str, str, Any], int] = {}

    def mask(self, condition: Mapping[str, Any]) -> int:
        value = condition["value"]
        key = (condition["field"], condition["op"], tuple(value) if isinstance(value, list) else str(value))
        if key not in self.cache:
            self.cache[key] = self._compute(condition["field"], condition["op"], value)
        return self.cache[key]

    def _compute(self, name: str, op: str, value: Any) -> int:
        if op == IN:
            column = self.by_value[name]
            found = 0
            for v in value:
                found |= column.get(v, 0)
            return found
        if op == HAS:
            return self.by_value["tags"].get(value, 0)
        values, prefix = self.sorted[name]
        threshold = Decimal(str(value))
        if op == GTE:  # those at or above: everyone minus the prefix below the threshold
            return self.everyone & ~prefix[bisect_left(values, threshold)]
        return prefix[bisect_right(values, threshold)]  # LTE

    def members(self, mask: int) -> list[int]:
        """The enterprise ids of a bit set (bit i: the i-th enterprise), read through its binary digits in C."""
        digits = bin(mask)[:1:-1].encode("ascii").translate(_BITS)
        return list(compress(self.ids, digits))


def match(facts: Sequence[Facts], policies: Mapping[int, Conditions]) -> dict[int, Result]:
    """The same answer as `brute_force`, by condition instead of by pair."""
    columns = _Columns(facts)
    results: dict[int, Result] = {}
    for policy_id, conditions in policies.items():
        masks = [columns.mask(condition) for condition in conditions]
        everyone = columns.everyone
        qualified = everyone
        for mask in masks:
            qualified &= mask
        result = Result(qualified=set(columns.members(qualified)))
        if masks:
            for index, mask in enumerate(masks):
                others = everyone
                for other_index, other in enumerate(masks):
                    if other_index != index:
                        others &= other
                result.near.update(dict.fromkeys(columns.members(others & ~mask & everyone), (index,)))
        results[policy_id] = result
    return results
