"""The public pages: the front door, the three public lists, a matter's page, elder mode. No login needed."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_current, campaign_timeline, phase_current
from matters.evidence import evidence_response
from matters.models import Matter
from matters.selectors import LIST_STATUSES, MatterFilter, evidence_public
from matters.workflow import Status
from org.selectors import root_unit
from portal import selectors
from portal.selectors import OPEN_STATUSES, RATEABLE_STATUSES

ELDER_COOKIE = "mq_elder"

LIST_TITLES = {
    "problems": _("Problem list"),
    "tasks": _("Task list"),
    "effects": _("Effect list"),
}
LIST_INTROS = {
    "problems": _("What residents and enterprises raised, and what cadres found on their visits."),
    "tasks": _("What was assigned: the task, the deadline, the responsible leaders and units."),
    "effects": _("What was achieved, and how residents rated it."),
}


def home(request: HttpRequest) -> HttpResponse:
    """The front door: the campaign and its phase, the headline rates, what was done lately."""
    campaign = campaign_current()
    context = {
        "park": root_unit(),
        "campaign": campaign,
        "phase": phase_current(campaign) if campaign else None,
        "timeline": campaign_timeline(campaign) if campaign else [],
        "headline": selectors.headline(campaign),
        "effects": selectors.recent_effects(),
        "endorsed": selectors.most_endorsed(),
        "list_titles": LIST_TITLES,
    }
    return render(request, "portal/home.html", context)


def public_list(request: HttpRequest, list_kind: str) -> HttpResponse:
    return render(request, "portal/list.html", list_context(request, list_kind))


def list_context(request: HttpRequest, list_kind: str) -> dict[str, Any]:
    if list_kind not in LIST_STATUSES:
        raise Http404
    f = MatterFilter.from_params(request.GET)
    allowed = LIST_STATUSES[list_kind]
    f.status = [s for s in f.status if s in allowed]
    f.lead = None
    f.needs_lead = False
    page = selectors.list_page(selectors.public_list(list_kind, f), f, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "list_kind": list_kind,
        "title": LIST_TITLES[list_kind],
        "intro": LIST_INTROS[list_kind],
        "page": page,
        "filters": f,
        "statuses": [(s, Status(s).label) for s in Status.values if s in allowed],
        "querystring": query.urlencode(),
        "today": timezone.localdate(),
        "list_titles": LIST_TITLES,
        **selectors.filter_choices(),
    }
    return context


def matter_page(request: HttpRequest, code: str) -> HttpResponse:
    matter = selectors.public_matter(code[:20])
    if matter is None:
        target = selectors.merged_target(code[:20])
        if target is not None:
            return redirect("portal:matter", code=target.code)
        raise Http404
    return render(request, "portal/matter.html", matter_context(request, matter))


def matter_context(request: HttpRequest, matter: Matter) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "matter": selectors.with_support([matter])[0],
        **selectors.matter_page_parts(matter),
        "overdue": matter.is_overdue(today),
        "can_endorse": matter.status in OPEN_STATUSES,
        "can_rate": matter.status in RATEABLE_STATUSES,
    }


def evidence_file(request: HttpRequest, code: str, token: str) -> FileResponse:
    """A photo the matter's public page shows, by its random token; anything else is not found."""
    attachment = evidence_public().filter(matter__code=code[:20], token=token[:32]).first()
    if attachment is None:
        raise Http404
    return evidence_response(attachment)


@require_POST
def elder_toggle(request: HttpRequest) -> HttpResponseRedirect:
    """Switch the larger, high-contrast elder mode (长者版) on or off for this browser."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("elder") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response
