"""The petition line's background work: chase the cases' overdue time limits, every five minutes like matters."""

from __future__ import annotations

import datetime as dt
import logging

from core.jobs.queue import crontab, every_minutes, periodic_job
from petitions.limits import limits_tick

logger = logging.getLogger("minqing.jobs")


@periodic_job("petitions.tick", crontab(minute="*/5"), every_minutes(5))
def tick(*, now: dt.datetime) -> None:
    from petitions.ownership import visits_chase

    chases, circulars = limits_tick(now=now)
    visits = visits_chase(now=now)
    logger.info(
        "petitions tick: %d chases, %d circulars of case time limits, %d home visits overdue", chases, circulars, visits
    )
