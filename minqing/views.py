"""The site's own page: each person's workbench, gathering what every app says waits for them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.selectors import campaign_current, phase_current
from core.access import require_cap
from core.capabilities import CoreCap
from core.plugins import work_for
from core.roles import user_roles


@require_cap(CoreCap.WORKBENCH)
def workbench(request: HttpRequest) -> HttpResponse:
    campaign = campaign_current()
    context = {
        "person": getattr(request.user, "person", None),
        "roles": sorted(user_roles(request.user)),
        "campaign": campaign,
        "phase": phase_current(campaign) if campaign else None,
        "work": work_for(request.user),
    }
    return render(request, "site/workbench.html", context)
