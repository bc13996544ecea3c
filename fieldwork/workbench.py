"""What field work puts on a person's workbench: this week's duties still short, in plain words."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from core.plugins import WorkEntry, WorkItem
from core.roles import user_can
from fieldwork.capabilities import FieldworkCap
from fieldwork.duties import campaign_for_week, current_week, duty_week, week_bounds
from fieldwork.selectors import person_of


def duty_work(user: AbstractBaseUser | AnonymousUser) -> list[WorkItem]:
    """A cadre's (or any person with weekly duties) shortfall of the current week: one entry per rule not yet met."""
    if not user_can(user, FieldworkCap.VISIT_LOG):
        return []
    person = person_of(user)  # type: ignore[arg-type]
    if person is None:
        return []
    week = current_week()
    campaign = campaign_for_week(*week)
    monday, sunday = week_bounds(*week)
    if campaign is None or campaign.starts_on > sunday or campaign.ends_on < monday:
        return []
    rows = duty_week(person, *week, campaign=campaign)
    if not rows:
        return []
    url = reverse("fieldwork:my_week")
    short = [row for row in rows if not row.met]
    entries = tuple(WorkEntry(row.missing_text, url, row.short_text) for row in short)
    label = _("This week's duties still missing") if short else _("This week's duties: all met")
    return [WorkItem(label, len(short), url, bool(short), entries)]
