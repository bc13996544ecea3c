"""The signals area's background work: the nightly refresh of the supervision signals and the on-demand refresh
(the workbench's button), both through oversight.services.signals.signals_refresh (joined in oversight.tasks)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs.models import Job
from core.jobs.queue import Outcome, crontab, daily, job_task, periodic_job
from oversight.services.signals import REFRESH_JOB, signals_refresh, signals_window


@periodic_job("oversight.signals_refresh", crontab(hour="3", minute="20"), daily)
def signals_nightly(*, now: dt.datetime) -> None:
    """Refresh the signals over the current campaign every night (their summaries in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        signals_refresh(actor=None, window=signals_window(today=timezone.localdate(now)))


@job_task(REFRESH_JOB)
def signals_refresh_run(job: Job) -> Outcome:
    done = signals_refresh(actor=job.owner, window=signals_window())
    return Outcome(
        message=_("Signals refreshed: %(found)d found, %(new)d of them new.") % {"found": done.found, "new": done.new}
    )
