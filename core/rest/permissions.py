from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core.capabilities import CoreCap
from core.roles import Capability, user_can


class StaffOnly(BasePermission):
    """Default for the API: an authenticated account with a working role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and user_can(request.user, CoreCap.WORKBENCH))


def cap_permission(cap: Capability) -> type[BasePermission]:
    class HasCap(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated and user_can(request.user, cap))

    HasCap.__name__ = f"Has_{cap.name}"
    return HasCap
