"""The publication area's demo data (a step of oversight.demo): every ended month of the campaign published, and
one month corrected (a progress figure put right, published again as version 2 with its reason)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from campaigns import demo as campaign_demo
from campaigns.models import Campaign
from core.plugins import DemoOptions
from matters.models import Matter
from matters.selectors import MatterFilter, list_queryset, matters_public
from matters.services import matter_transition
from matters.workflow import Action, Status
from oversight.models.publication import Publication
from oversight.selectors.publication import campaign_months, month_has_ended
from oversight.services.publication import publication_publish

CORRECTION_REASON = "更正：核实后，一项任务的办理进度有误，已按实际进度更正（演示）。"
CORRECTION_NOTE = "经核实，实际进度高于上月公布（演示）"


def _correctable(campaign: Campaign, month: object) -> Matter | None:
    """A public task in hand in the month whose progress can still be reported (the correction's changed row)."""
    base = matters_public().filter(campaign=campaign, status=Status.IN_PROGRESS, progress__lt=90)
    return list_queryset("tasks", MatterFilter(month=month), base).order_by("reported_at", "id").first()  # type: ignore[arg-type]


def load(options: DemoOptions) -> str:
    if not options.full:
        return ""
    campaign = Campaign.objects.filter(ref=campaign_demo.REF).first()
    if campaign is None:
        return ""
    publisher = get_user_model().objects.filter(username="coordinator").first()
    published = 0
    for month in campaign_months(campaign):
        if month_has_ended(month) and not Publication.objects.filter(campaign=campaign, month=month).exists():
            publication_publish(actor=publisher, campaign=campaign, month=month)
            published += 1
    corrected = ""
    if not Publication.objects.filter(campaign=campaign, version__gt=1).exists():
        for month in campaign_months(campaign):
            if not Publication.objects.filter(campaign=campaign, month=month).exists():
                continue
            matter = _correctable(campaign, month)
            if matter is None:
                continue
            matter_transition(
                matter=matter, action=Action.PROGRESS, actor=None, text=CORRECTION_NOTE, percent=matter.progress + 10
            )
            correction = publication_publish(actor=publisher, campaign=campaign, month=month, reason=CORRECTION_REASON)
            corrected = f", {correction.month_label} corrected (version {correction.version})"
            break
    if not published and not corrected:
        return ""
    return f"Demo publications: {published} months published{corrected}."
