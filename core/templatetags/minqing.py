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
