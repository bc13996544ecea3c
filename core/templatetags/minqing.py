from django import template

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
    """Mask phone and ID numbers in text shown to the public."""
    from core.privacy import redact as _redact

    return _redact(str(text or ""))


@register.filter
def deadline(matter: object) -> str:
    """A deadline as the park writes it: '2022.6' for a month, '2022-06-30' for a day, '' for none."""
    value = getattr(matter, "deadline", None)
    if value is None:
        return ""
    if getattr(matter, "deadline_precision", "day") == "month":
        return f"{value.year}.{value.month}"
    return value.isoformat()
