"""Baselines: the framework's floor for each HTTP workload, served by the benchmark server only.

- lists and matter pages: the same view code builds the context once per URL; later requests render the same
  template from that context held in memory, so they cost what Django's request and template layers cost,
  with no database work. Ours ÷ this is what our queries add.
- create: a minimal Django view that inserts one row, no validation, services, audit or notification.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portal import selectors
from portal import views as portal_views

_contexts: dict[str, dict[str, Any]] = {}


def _frozen(context: dict[str, Any]) -> dict[str, Any]:
    """Evaluate every lazy part of a context (querysets, the paginator's count) so rendering needs no query."""
    out = dict(context)
    page = out.get("page")
    if page is not None:
        _count = page.paginator.count
        page.object_list = list(page.object_list)
    for key, value in out.items():
        if hasattr(value, "_fetch_all"):
            out[key] = list(value)
    return out


def public_list(request: HttpRequest, list_kind: str) -> HttpResponse:
    key = request.get_full_path()
    if key not in _contexts:
        _contexts[key] = _frozen(portal_views.list_context(request, list_kind))
    return render(request, "portal/list.html", _contexts[key])


def matter_page(request: HttpRequest, code: str) -> HttpResponse:
    key = request.get_full_path()
    if key not in _contexts:
        matter = selectors.public_matter(code)
        if matter is None:
            raise Http404
        _contexts[key] = _frozen(portal_views.matter_context(request, matter))
    return render(request, "portal/matter.html", _contexts[key])


TABLE_SQL = {
    "sqlite": "CREATE TABLE IF NOT EXISTS bench_row (id integer PRIMARY KEY AUTOINCREMENT, body text, at text)",
    "postgresql": "CREATE TABLE IF NOT EXISTS bench_row (id bigserial PRIMARY KEY, body text, at timestamptz)",
}


@csrf_exempt
def create(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_row (body, at) VALUES (%s, %s)", [request.body.decode()[:2000], timezone.now()]
        )
    return JsonResponse({"ok": True}, status=201)
