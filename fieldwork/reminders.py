"""Remind people who are short of their weekly duties: once per person and ISO week."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.selectors import campaign_current
from fieldwork.duties import CATEGORY_ROLES, duty_grid, rows_met, week_bounds, week_label, week_title, week_tuple
from fieldwork.models import DutyReminder
from notifications.services import notify
from org.models import Person


def duty_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Notify everyone with an account who is short on a rule this week and was not reminded yet; return the count.

    Nothing is sent while no campaign runs in the week. Safe to run again: DutyReminder is unique per
    person and week, and the reminder row and the message are written in one transaction.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    week = week_tuple(today)
    monday, sunday = week_bounds(*week)
    campaign = campaign_current(on=today)
    if campaign is None or campaign.starts_on > sunday or campaign.ends_on < monday:
        return 0
    label = week_label(*week)
    reminded = DutyReminder.objects.filter(week=label).values("person_id")
    people = list(
        Person.objects.filter(category__in=list(CATEGORY_ROLES), user__isnull=False, user__is_active=True)
        .exclude(pk__in=reminded)
        .select_related("user")
    )
    grid = duty_grid(people, [week], campaign=campaign)
    link = f"{reverse('fieldwork:my_week')}?week={label}"
    sent = 0
    # Messages are stored text: write them in the site's language, whatever the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            rows = grid[(person.pk, week)]
            if not rows or rows_met(rows):
                continue
            with transaction.atomic():
                _reminder, created = DutyReminder.objects.get_or_create(
                    person=person, week=label, defaults={"sent_at": now}
                )
                if not created:
                    continue
                missing = "\n".join(f"· {row.label}: {row.missing_text}" for row in rows if not row.met)
                title = _("Weekly duties for %(week)s: still to do") % {"week": week_title(*week)}
                body = _("By Sunday %(sunday)s you still need:\n%(missing)s") % {
                    "sunday": sunday.isoformat(),
                    "missing": missing,
                }
                sent += notify(recipients=[person.user], title=title, body=body, link=link)
    return sent
