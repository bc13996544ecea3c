"""The job machinery's own schedule: expired results are deleted every night."""

from __future__ import annotations

import datetime as dt
import logging

from core.jobs.queue import crontab, daily, periodic_job
from core.jobs.services import job_results_expire

logger = logging.getLogger("minqing.jobs")


@periodic_job("core.job_results_expire", crontab(hour="3", minute="45"), daily)
def results_expire(*, now: dt.datetime) -> None:
    count = job_results_expire(now=now)
    logger.info("job_results_expire: %d result files deleted", count)
