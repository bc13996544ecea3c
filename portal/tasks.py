"""The portal's schedule: every night, what it keeps only for a while is deleted (as `manage.py portal_cleanup`)."""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.management import call_command

from core.jobs.queue import crontab, daily, periodic_job

logger = logging.getLogger("minqing.jobs")


@periodic_job("portal.cleanup", crontab(hour="3", minute="30"), daily)
def portal_cleanup(*, now: dt.datetime) -> None:
    out = io.StringIO()
    call_command("portal_cleanup", stdout=out)
    logger.info(out.getvalue().strip())
