"""The queue: huey's instance (configured by settings.HUEY), and the two ways an app declares work for it.

An app declares its tasks in its own `tasks.py` (collected by `core.apps.CoreConfig.ready` and by `run_huey`):

    @job_task("matters.export_list")
    def export_list(job: Job) -> Outcome: ...                  # one kind of job, started by job_start

    @periodic_job("matters.tick", crontab(minute="*/5"), every_minutes(5))
    def tick(*, now: datetime) -> None: ...                    # once per period, however many workers run

A job is all or nothing (its writes in one transaction) or only reads, so a run lost with its worker (killed, out
of memory, the machine gone) can be run again: while a job runs, its worker beats every JOB_HEARTBEAT_SECONDS in the
job store, and the sweep (`core.jobs.services.job_sweep`, every minute, and `manage.py jobs_sweep`) queues a running
job whose beat stopped again, up to JOB_MAX_ATTEMPTS runs, then fails it with a message for its owner. A kind that
cannot be run twice declares `retry=False` and is failed at once. Nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import HUEY as huey
from huey.contrib.djhuey import db_periodic_task, db_task

from core.jobs.models import Job

__all__ = ["JobError", "Outcome", "crontab", "daily", "every_minutes", "huey", "job_task", "periodic_job", "weekly"]

logger = logging.getLogger("minqing.jobs")
T = TypeVar("T")


class JobError(Exception):
    """The job cannot be done; the message is translated and says why (and what to do). Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @classmethod
    def from_errors(cls, errors: Iterable[object], *, limit: int = 20) -> JobError:
        """One message of a report's errors (an importer's rows), one per line, the first `limit` of them."""
        lines = [str(error) for error in errors]
        shown = lines[:limit]
        if len(lines) > limit:
            shown.append(_("… and %(n)d more.") % {"n": len(lines) - limit})
        return cls("\n".join(shown) or _("The file could not be imported."))


@dataclass
class Outcome:
    """What a finished job leaves: a message for its page, and optionally a file to download."""

    message: str = ""
    file: IO[bytes] | None = None
    file_name: str = ""
    content_type: str = ""


@huey.on_shutdown()
def _close_connections() -> None:
    """A worker that stops closes its database connections (PostgreSQL counts them; tests drop the database)."""
    from django.db import connections

    connections.close_all()


Runner = Callable[[Job], Outcome]
# kind → the huey task that runs jobs of that kind (called with the job's id as text).
KINDS: dict[str, Any] = {}
# The kinds whose lost runs may be run again (all but those declared with retry=False).
RETRIED: set[str] = set()


def beat_key(job_id: Any) -> str:
    """The job store's key of a running job's heartbeat (a Unix time)."""
    return f"minqing:job:{job_id}:beat"


def job_task(kind: str, *, retry: bool = True) -> Callable[[Runner], Runner]:
    """Declare the function that does jobs of `kind`. It raises JobError to fail with a message.

    `retry`: a run lost with its worker may be run again (the work is one transaction, or only reads)."""

    def register(run: Runner) -> Runner:
        if kind in KINDS:
            raise RuntimeError(f"job kind {kind!r} is declared twice")

        @db_task(name=f"job:{kind}")
        def task(job_id: str) -> None:
            job_execute(job_id, run)

        KINDS[kind] = task
        if retry:
            RETRIED.add(kind)
        return run

    return register


class _Heartbeat:
    """Beat in the job store while a job runs, so that the sweep can tell a running job from a lost one."""

    def __init__(self, job_id: Any) -> None:
        from django.conf import settings

        self.key = beat_key(job_id)
        self.every = settings.JOB_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"job-beat-{job_id}", daemon=True)

    def _run(self) -> None:
        while True:
            try:
                huey.put(self.key, time.time())
            except Exception:  # the store is away for a moment: the next beat tries again
                logger.warning("job heartbeat %s: the job store did not answer", self.key)
            if self.stopped.wait(self.every):
                return

    def __enter__(self) -> _Heartbeat:
        huey.put(self.key, time.time())
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        huey.delete(self.key)


def job_execute(job_id: str, run: Runner) -> None:
    """Run one job: claim it (a job runs once, even if its message is delivered twice), then finish or fail it."""
    from core.jobs.services import job_fail, job_finish, job_running

    job = job_running(job_id=job_id)
    if job is None:
        return  # gone (its owner was deleted), or already taken by another worker
    with _Heartbeat(job.pk), translation.override(job.language):
        try:
            outcome = run(job)
        except JobError as exc:
            job_fail(job=job, error=exc.message)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(
                job=job,
                error=_(
                    "The job stopped on an unexpected error; nothing was changed. "
                    "Try again, or tell the system administrator."
                ),
            )
        else:
            try:
                job_finish(job=job, outcome=outcome)
            finally:
                if outcome.file is not None:
                    outcome.file.close()


def counted(rows: Iterable[T], *, job: Job, every: int = 200, stage: str | None = None) -> Iterator[T]:
    """Pass rows through, reporting the count to the job every `every` rows and at the end."""
    from core.jobs.services import job_progress

    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            job_progress(job=job, done=done, stage=stage)
    job_progress(job=job, done=done, stage=stage)


def reporter(job: Job, *, stage: str, every: int = 100) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback for services: tells the job every `every` rows and at the last."""
    from core.jobs.services import job_progress

    def progress(done: int, total: int) -> None:
        if done == 1 or done % every == 0 or done == total:
            job_progress(job=job, done=done, total=total, stage=stage)

    return progress


# --- periods -------------------------------------------------------------------------------------------------

Period = Callable[[dt.datetime], str]


def every_minutes(minutes: int) -> Period:
    """Periods of `minutes` minutes from the hour, in local time: 2026-11-27T10:05."""

    def key(now: dt.datetime) -> str:
        local = timezone.localtime(now)
        return f"{local:%Y-%m-%dT%H}:{local.minute // minutes * minutes:02d}"

    return key


def daily(now: dt.datetime) -> str:
    return timezone.localdate(now).isoformat()


def weekly(now: dt.datetime) -> str:
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def periodic_job(name: str, schedule: Callable[[dt.datetime], bool], period: Period) -> Callable[..., Any]:
    """Declare periodic work. Every consumer's scheduler enqueues it, so each run first claims its period in the
    database (a unique row): the first worker runs it, the others skip. The function gets `now` as keyword."""

    def register(work: Callable[..., Any]) -> Any:
        @db_periodic_task(schedule, name=name)
        def task() -> None:
            periodic_run(name, period, work)

        task.work = work  # type: ignore[attr-defined]
        return task

    return register


def periodic_run(name: str, period: Period, work: Callable[..., Any], *, now: dt.datetime | None = None) -> bool:
    """Claim the period of `now` for `name` and do the work; False when another worker had claimed it."""
    from core.jobs.services import period_claim

    now = now or timezone.now()
    key = period(now)
    if not period_claim(task=name, period=key, now=now):
        logger.info("periodic %s %s: already run by another worker", name, key)
        return False
    logger.info("periodic %s %s: running", name, key)
    work(now=now)
    return True
