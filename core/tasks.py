"""The job machinery's own schedule: expired results are deleted every night; lost runs are swept every minute."""

from __future__ import annotations

import datetime as dt
import logging

from core.jobs.queue import crontab, daily, every_minutes, periodic_job
from core.jobs.services import job_results_expire, job_sweep

logger = logging.getLogger("minqing.jobs")


@periodic_job("core.job_results_expire", crontab(hour="3", minute="45"), daily)
def results_expire(*, now: dt.datetime) -> None:
    count = job_results_expire(now=now)
    logger.info("job_results_expire: %d result files deleted", count)


@periodic_job("core.jobs_sweep", crontab(minute="*"), every_minutes(1))
def jobs_sweep(*, now: dt.datetime) -> None:
    swept = job_sweep(now=now)
    if swept.retried or swept.failed or swept.resent:
        logger.warning(
            "jobs_sweep: %d lost runs queued again %s, %d failed %s, %d messages sent again",
            len(swept.retried),
            swept.retried,
            len(swept.failed),
            swept.failed,
            len(swept.resent),
        )
