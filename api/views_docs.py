"""The API's documentation page: Swagger UI from the vendored sidecar, started by a static script (no inline code)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def swagger_ui(request: HttpRequest) -> HttpResponse:
    """Swagger UI over /api/v1/schema/; unlike drf-spectacular's own page it carries no inline script or style."""
    return render(request, "api/swagger_ui.html")
