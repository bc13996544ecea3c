"""URL converters: identifiers in paths are checked by shape before any view or query sees them."""

from __future__ import annotations

from django.urls import register_converter


class CodeConverter:
    """A public code such as a matter code (MQ-2026-0001) or a tracking code: letters, digits and dashes."""

    regex = r"[A-Za-z0-9-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")
