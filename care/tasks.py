"""Care's background work: lapsed wish claims open again; pairings behind their cadence are chased, weekly."""

from __future__ import annotations

import datetime as dt
import logging

from core.jobs.queue import crontab, daily, periodic_job, weekly

logger = logging.getLogger("minqing.jobs")


@periodic_job("care.wish_claims_expire", crontab(hour="2", minute="10"), daily)
def wish_claims_expire(*, now: dt.datetime) -> None:
    from care.services import wish_claims_expire as expire

    logger.info("care.wish_claims_expire: %d claims lapsed", expire(now=now))


@periodic_job("care.pairings_chase", crontab(day_of_week="1", hour="9", minute="0"), weekly)
def pairings_chase(*, now: dt.datetime) -> None:
    from care.services import pairings_chase as chase

    logger.info("care.pairings_chase: %d cadres reminded", chase(now=now))
