"""The clues area's background job: once a day, the clues past their limit are chased (joined in oversight.tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from core.jobs.queue import crontab, daily, periodic_job

logger = logging.getLogger("minqing.jobs")


@periodic_job("oversight.clues_chase", crontab(hour="8", minute="20"), daily)
def clues_chase(*, now: dt.datetime) -> None:
    from oversight.services.clues import clues_chase as chase

    logger.info("oversight.clues_chase: %d clues past their limit chased", chase(now=now))
