from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.selectors import audit_events, audit_verify
from core.access import require_cap
from core.roles import Cap


@require_cap(Cap.AUDIT_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:150] for key in ("action", "actor", "target_type", "target_id")}
    page = Paginator(audit_events(**filters), 50).get_page(request.GET.get("page"))
    report = audit_verify() if request.GET.get("verify") else None
    return render(request, "audit/event_list.html", {"page": page, "filters": filters, "report": report})
