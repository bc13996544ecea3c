"""The portal's schedule: the front page's figures every minute; every night, what it keeps only for a while is
deleted (as `manage.py portal_cleanup`)."""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.management import call_command
from huey.contrib.djhuey import db_task

from core.jobs.queue import crontab, daily, every_minutes, periodic_job

logger = logging.getLogger("minqing.jobs")


@periodic_job("portal.cleanup", crontab(hour="3", minute="30"), daily)
def portal_cleanup(*, now: dt.datetime) -> None:
    out = io.StringIO()
    call_command("portal_cleanup", stdout=out)
    logger.info(out.getvalue().strip())


@periodic_job("portal.resident_messages", crontab(minute="7"), every_minutes(60))
def resident_messages(*, now: dt.datetime) -> None:
    """The text messages to reporters that waited: a second step on one day, a gateway that failed."""
    from portal.services.messages import resident_messages_send

    sent = resident_messages_send(now)
    if sent:
        logger.info("%d waiting messages to reporters sent", sent)


@periodic_job("portal.front_figures", crontab(minute="*"), every_minutes(1))
def front_figures(*, now: dt.datetime) -> None:
    """The front page's figures, counted for every server (never in a request)."""
    from portal.services.figures import front_figures_refresh

    front_figures_refresh(now=now)


@db_task(name="portal.front_figures_now")
def front_figures_now() -> None:
    """A count asked for by a front page that found none yet (a new site before its first minute)."""
    from portal.services.figures import front_figures_refresh

    front_figures_refresh()
