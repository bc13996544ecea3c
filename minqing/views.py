"""The site's own page: each person's workbench, gathering what every app says waits for them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.selectors import campaign_current, phase_current
from core.access import require_cap
from core.capabilities import CoreCap
from core.plugins import WorkEntry, WorkItem, work_for
from core.roles import user_roles

URGENT_SHOWN = 5


def most_urgent(work: list[WorkItem]) -> list[WorkEntry]:
    """The few things to do first across every line: overdue ones first, each once (a matter can be in two lines)."""
    seen: set[tuple[str, str]] = set()
    entries: list[WorkEntry] = []
    for item in sorted(work, key=lambda item: not item.urgent):
        for entry in item.entries:
            if (entry.url, entry.label) not in seen:
                seen.add((entry.url, entry.label))
                entries.append(entry)
    return sorted(entries, key=lambda entry: not entry.overdue)[:URGENT_SHOWN]


@require_cap(CoreCap.WORKBENCH)
def workbench(request: HttpRequest) -> HttpResponse:
    campaign = campaign_current()
    # What to do first: the lines with work waiting, urgent ones first (Python's sort keeps each app's order).
    work = sorted(work_for(request.user), key=lambda item: (item.count == 0, not item.urgent))
    context = {
        "person": getattr(request.user, "person", None),
        "roles": sorted(user_roles(request.user)),
        "campaign": campaign,
        "phase": phase_current(campaign) if campaign else None,
        "work": work,
        "urgent": most_urgent(work),
    }
    return render(request, "site/workbench.html", context)
