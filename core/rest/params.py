"""Query parameters as filters read them: a value no record can hold (a NUL, which PostgreSQL cannot even compare)
filters nothing, like any other value a filter does not know."""

from __future__ import annotations

from typing import Any


def query_param(params: Any, name: str) -> str:
    """The parameter's text, or "" when it is missing or carries a NUL."""
    value = params.get(name) or ""
    return "" if "\x00" in value else value
