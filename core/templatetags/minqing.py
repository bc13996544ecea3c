from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated label of a role code (a group name)."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


@register.filter
def redact(text: str) -> str:
    """Mask phone, ID, card and door numbers in text shown to the public (and drop bidi and zero-width characters)."""
    from core.privacy import redact as _redact

    return _redact(str(text or ""))


@register.filter
def mask_unless(text: str, allowed: bool) -> str:
    """Mask phone, ID and card numbers in back-office text unless the viewer may see them: `{{ text|mask_unless:can }}`.

    Bidi controls and zero-width characters are dropped either way: text stored before core.text kept them out.
    """
    from core.privacy import mask_numbers
    from core.text import clean_text

    text = str(text or "")
    return clean_text(text) if allowed else mask_numbers(text)


@register.filter
def deadline(matter: object) -> str:
    """A deadline as the park writes it: '2022.6' for a month, '2022-06-30' for a day, '' for none."""
    value = getattr(matter, "deadline", None)
    if value is None:
        return ""
    if getattr(matter, "deadline_precision", "day") == "month":
        return f"{value.year}.{value.month}"
    return value.isoformat()


@register.simple_tag
def options(items: Iterable[Any], selected: object = None, value: str = "pk", label: str = "name") -> str:
    """`<option>`s for a select, rendered in Python: a province has hundreds of units, and a template
    loop over them costs more than the rest of the page."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        "<option value=\"{}\"{}>{}</option>",
        (
            (v, mark_safe(" selected") if str(v) == chosen else "", getattr(item, label))
            for item in items
            for v in (getattr(item, value),)
        ),
    )
