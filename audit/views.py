from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.capabilities import AuditCap
from audit.selectors import audit_events, audit_verify
from core.access import require_cap


@require_cap(AuditCap.VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:150] for key in ("action", "actor", "target_type", "target_id")}
    page = Paginator(audit_events(**filters), 50).get_page(request.GET.get("page"))
    report = audit_verify() if request.GET.get("verify") else None
    # The log keeps what services recorded (a person's phone among a record's values, say); its reader, who holds
    # no work role (三权分立), always sees the numbers masked.
    context = {"page": page, "filters": filters, "report": report, "numbers": False}
    return render(request, "audit/event_list.html", context)
