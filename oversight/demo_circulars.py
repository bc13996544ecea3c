"""The circulars area's demo data (a step of oversight.demo, after signals and clues): the State Council's 2026
working-day calendar (holidays and make-up working days), and one issued circular of the units with overdue matters
in the demo month that had the most, by the conduct supervision team. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from core import workdays
from core.exceptions import DomainError
from core.plugins import DemoOptions
from matters.deadlines import calendar_days_import
from oversight.models.circulars import Circular, CircularKind
from oversight.selectors.circulars import _overdue_at_end
from oversight.selectors.publication import month_has_ended
from oversight.selectors.reviews import campaign_months, month_end
from oversight.services import circulars as services

DEMO = "（演示）"
ISSUER = "长乐山工业园区作风监督专班"


def _month(campaign: Campaign) -> tuple[int, dt.date] | None:
    """The ended month of the campaign with the most matters overdue at its end (the first of equals)."""
    best: tuple[int, dt.date] | None = None
    for month in campaign_months(campaign):
        if not month_has_ended(month):
            continue
        count = _overdue_at_end(month, month_end(month)).count()
        if count and (best is None or count > best[0]):
            best = (count, month)
    return best


def load(options: DemoOptions) -> str:
    if not options.full:
        return ""
    declared = calendar_days_import(actor=None, days=list(workdays.OFFICIAL_2026))
    lines = [f"Demo working-day calendar: {declared} days of 2026 declared."] if declared else []
    campaign = Campaign.objects.filter(ref=campaign_demo.REF).first()
    if campaign is None or Circular.objects.filter(title__endswith=DEMO).exists():
        return "\n".join(lines)
    found = _month(campaign)
    kind = CircularKind.OVERDUE
    start = end = None
    if found is None:  # no ended month left a matter overdue: publicise the campaign's good examples so far
        ended = [month for month in campaign_months(campaign) if month_has_ended(month)]
        if not ended:
            return "\n".join(lines)
        found, kind = (0, ended[-1]), CircularKind.GOOD
        start, end = campaign.starts_on, month_end(ended[-1])
    _count, month = found
    actor = get_user_model().objects.filter(username="supervisor").first()
    try:
        draft = services.circular_draft(
            actor=actor, kind=kind, start=start or month, end=end or month_end(month), issuer=ISSUER
        )
    except DomainError:  # nothing to report for that month
        return "\n".join(lines)
    draft = services.circular_update(
        actor=actor,
        circular=draft,
        title=f"{draft.title}{DEMO}",
        lead=draft.lead,
        body=draft.body,
        conclusion=draft.conclusion,
    )
    try:
        issued = services.circular_issue(actor=actor, circular=draft)
    except DomainError:  # the month names no unit to issue it to: the draft stays for the team
        return "\n".join([*lines, f"Demo circular: a draft for {month:%Y-%m}."])
    lines.append(f"Demo circular: {issued.number} issued to {issued.unit_links.count()} units.")
    return "\n".join(lines)
