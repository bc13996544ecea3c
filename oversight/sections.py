"""The extension point `"oversight.sections"`: each special line's part of the monthly review and the monthly pack.

The lines sit below oversight and import nothing of it, so an entry is a plain dict a line's plugin declares::

    extensions={"oversight.sections": [{
        "key": "petitions",                      # unique, stable: it names the section in snapshots
        "title": _("Petition backlog"),           # a lazy translation
        "order": 10,                              # the sections' order in the pack
        "build": "petitions.selectors:review_section",   # dotted path "module:function", imported when used
    }]}

`build(start: date, end: date, scope: Unit | None) -> dict` returns plain, JSON-ready data for the period
[start, end] (inclusive) in the scope (None: the whole park), so that it can be stored in a frozen review and
compared with last month's::

    {
        "figures": [{"label": str, "value": int | float | str, "unit": str}],   # the headline figures
        "tables": [{"title": str, "columns": [str], "rows": [[str | int | float]]}],  # no personal data
        "notes": [str],                                                          # optional sentences
    }

Strings in the result are already translated (the build runs under the reader's language). A section never holds
personal data: the pack goes to the committee and the published parts to the public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from core.plugins import extensions

POINT = "oversight.sections"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    data: dict[str, Any]


def declared() -> list[dict[str, Any]]:
    """The installed lines' section entries, in their order (then by key)."""
    entries = list(extensions(POINT))
    for entry in entries:
        missing = {"key", "title", "build"} - set(entry)
        if missing:
            raise ValueError(f"an {POINT} entry lacks {sorted(missing)}: {entry!r}")
    return sorted(entries, key=lambda e: (e.get("order", 100), e["key"]))


def build_sections(start: dt.date, end: dt.date, scope: Any = None) -> list[Section]:
    """Every line's section for the period, built now."""
    built = []
    for entry in declared():
        build = import_string(entry["build"].replace(":", "."))
        data = build(start, end, scope)
        built.append(
            Section(
                key=entry["key"],
                title=str(entry["title"]),
                order=entry.get("order", 100),
                data={key: data.get(key, []) for key in ("figures", "tables", "notes")},
            )
        )
    return built
