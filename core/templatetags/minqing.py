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
        '<option value="{}"{}>{}</option>',
        (
            (v, mark_safe(" selected") if str(v) == chosen else "", getattr(item, label))
            for item in items
            for v in (getattr(item, value),)
        ),
    )


@register.simple_tag(takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str) -> str:
    """A column header that sorts the list by `key` (core.sorting), keeping the other filters and going to page 1.

    A second click on the sorted column reverses it; `aria-sort` tells screen readers the current order.
    """
    from django.utils.html import format_html
    from django.utils.translation import gettext

    request = context["request"]
    current = str(request.GET.get("sort") or "")
    ascending, descending = current == key, current == f"-{key}"
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if ascending else key
    arrow = " ▲" if ascending else " ▼" if descending else ""
    hint = gettext("Sort by %(column)s") % {"column": label}
    if arrow:
        label = format_html('{}<span aria-hidden="true">{}</span>', label, arrow)
    return format_html(
        '<a class="link-dark text-decoration-none" href="?{}" title="{}">{}</a>', query.urlencode(), hint, label
    )


@register.simple_tag(takes_context=True)
def aria_sort(context: dict[str, Any], key: str) -> str:
    current = str(context["request"].GET.get("sort") or "")
    if current == key:
        return mark_safe(' aria-sort="ascending"')
    if current == f"-{key}":
        return mark_safe(' aria-sort="descending"')
    return ""


@register.filter
def person_name(user: Any) -> str:
    """Who an account is, as colleagues read it: the person's name, never the login. No account: 系统 (system)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.utils.translation import gettext

    if user is None:
        return gettext("System")
    try:
        person = user.person
    except (AttributeError, ObjectDoesNotExist):
        person = None
    if person is not None:
        return str(person.display_name)
    return str(user.get_full_name() or "").strip() or gettext("Staff member without a name on record")


@register.filter
def actor_label(step: Any) -> str:
    """Who took a step of a timeline (a transition, a decision): `person_name` of its actor.

    A step without an actor was automatic (系统), unless its stored actor name says a since-deleted account took it.
    """
    from django.utils.translation import gettext

    actor = getattr(step, "actor", None)
    if actor is None and getattr(step, "actor_name", "system") not in ("", "system"):
        return gettext("Former account")
    return person_name(actor)


@register.filter
def colon(label: object) -> str:
    """A label followed by the colon of the page's language: '角色：' in Chinese (full-width, no space), 'Roles: '."""
    from core.text import with_colon

    return with_colon(label)


@register.filter
def parens(text: object) -> str:
    """Text in the brackets of the page's language: full-width （…） in Chinese, (…) otherwise."""
    from django.utils.translation import get_language

    return f"（{text}）" if (get_language() or "").startswith("zh") else f" ({text})"
