from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

PUBLIC_NAV = (
    (_("Home"), "portal:home", ()),
    (_("Problems"), "portal:list", ("problems",)),
    (_("Tasks"), "portal:list", ("tasks",)),
    (_("Effects"), "portal:list", ("effects",)),
    (_("Published lists"), "portal:published_list", ()),
    (_("Report a problem"), "portal:raise", ()),
    (_("Track my report"), "portal:track_form", ()),
    (_("Report misconduct"), "portal:clue", ()),
)


def _public_nav() -> list[tuple[str, Any]]:
    items = []
    for label, name, args in PUBLIC_NAV:
        try:
            items.append((reverse(name, args=args), label))
        except NoReverseMatch:
            continue
    return items


def public(request: HttpRequest) -> dict[str, Any]:
    """Elder mode (a cookie the visitor sets) and the public menu."""
    return {"elder_mode": request.COOKIES.get("mq_elder") == "1", "public_nav": _public_nav()}
