"""Characters that change how text is shown without being seen, and the model base that keeps them out.

Bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) make "gnp.exe" read as "exe.png" and a
location read backwards; zero-width characters hide between the digits of a phone number or make two names that
look alike differ. Nobody types them in Chinese text on purpose, so every text field of the models that hold what
people write drops them (`CleanTextModel`): names and single-line fields lose all of them; free text keeps only
the zero-width joiner between two emoji, where it joins a family or a flag into one picture. Whatever reaches a
page from before this rule, or past it, is neutralised again on output (`core.privacy.redact` and the back
office's `mask_unless`).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models

BIDI_CONTROLS = frozenset(
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, POP DIRECTIONAL FORMATTING, overrides
    "\u2066\u2067\u2068\u2069"  # isolates, POP DIRECTIONAL ISOLATE
)
ZERO_WIDTH = frozenset(
    "\u00ad"  # SOFT HYPHEN
    "\u180e"  # MONGOLIAN VOWEL SEPARATOR
    "\u200b\u200c\u200d"  # ZERO WIDTH SPACE, NON-JOINER, JOINER
    "\u2060\u2061\u2062\u2063\u2064"  # WORD JOINER and the invisible operators
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE (a BOM inside text)
    "\ufff9\ufffa\ufffb"  # interlinear annotation
)
INVISIBLE = BIDI_CONTROLS | ZERO_WIDTH
ZWJ = "\u200d"

_DROP = dict.fromkeys(map(ord, INVISIBLE))
_DROP_BUT_ZWJ = dict.fromkeys(map(ord, INVISIBLE - {ZWJ}))
_PICTURE = "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55\U0001f000-\U0001faff\ufe0f"
# A joiner stays only between two pictures (a variation selector may end the first: "❤️‍🔥").
_STRAY_ZWJ = re.compile(f"(?<![{_PICTURE}]){ZWJ}|{ZWJ}(?![{_PICTURE}])")


_ANY = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")  # a bitmap: far faster than translating every character


def clean_line(value: str) -> str:
    """A name or a single-line field without bidi controls and zero-width characters."""
    return value.translate(_DROP) if _ANY.search(value) else value


def clean_text(value: str) -> str:
    """Free text without bidi controls and zero-width characters, but for the joiner inside an emoji sequence."""
    if not _ANY.search(value):
        return value
    value = value.translate(_DROP_BUT_ZWJ)
    return _STRAY_ZWJ.sub("", value) if ZWJ in value else value


def _text_fields(model: type[models.Model]) -> list[tuple[str, bool]]:
    """(attribute, is free text) of the model's text fields; choices and digests cannot carry the characters."""
    cached: list[tuple[str, bool]] | None = model.__dict__.get("_clean_text_fields")
    if cached is None:
        cached = [
            (field.attname, isinstance(field, models.TextField))
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        model._clean_text_fields = cached  # type: ignore[attr-defined]
    return cached


class CleanTextModel(models.Model):
    """A model whose text fields never keep bidi controls or zero-width characters.

    They are removed before validation (`full_clean`, which every service runs, so that a length or uniqueness
    check sees the text that will be stored) and again on save, for the rows services create directly.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean_text_fields()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self.clean_text_fields()
        super().clean_fields(exclude=exclude)

    def clean_text_fields(self) -> None:
        for attname, free in _text_fields(type(self)):
            value = getattr(self, attname)
            if isinstance(value, str) and value:
                setattr(self, attname, clean_text(value) if free else clean_line(value))


def with_colon(label: object) -> str:
    """A label followed by the colon of the active language: '角色：' in Chinese (full-width, no space), 'Roles: '."""
    from django.utils.translation import get_language

    return f"{label}：" if (get_language() or "").startswith("zh") else f"{label}: "
