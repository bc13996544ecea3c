from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.navigation import entries_for, menu_for
from core.roles import user_caps, user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_items": menu_for(user),
        "nav_entries": entries_for(user),
        "user_caps": {cap.value for cap in user_caps(user)},
        "user_role_labels": [role.label for role in sorted(user_roles(user))],
    }
