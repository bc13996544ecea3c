"""Every write of the job machinery: start, report progress, finish, fail; expire results; claim periods."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from core.jobs.models import Job, JobStatus, PeriodClaim
from core.jobs.queue import KINDS, RETRIED, Outcome, beat_key, huey

STAGE_WAITING = gettext_noop("Waiting for a worker")
STAGE_RETRY = gettext_noop("Waiting for a worker again (the last one stopped)")
STAGE_STARTED = gettext_noop("Started")
STAGE_DONE = gettext_noop("Done")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
CLAIMS_KEPT_DAYS = 30


def live_key(job_id: Any) -> str:
    """The job store's key of a running job's progress (see job_progress)."""
    return f"minqing:job:{job_id}"


def _suffix(name: str) -> str:
    found = _SUFFIX.search(name)
    return found.group(0).lower() if found else ""


def job_start(
    *,
    owner: Any,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    total: int = 0,
    input_name: str = "",
    input_data: bytes | None = None,
) -> Job:
    """Create the job's row (and keep its input file), then queue it once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"no task declares job kind {kind!r}")
    with transaction.atomic():
        job = Job(
            owner=owner,
            kind=kind,
            title=title[:200],
            language=get_language() or settings.LANGUAGE_CODE,
            params=params or {},
            total=max(total, 0),
            stage=STAGE_WAITING,
            created_at=timezone.now(),
        )
        if input_data is not None:
            job.input.save(f"{job.pk}{_suffix(input_name)}", ContentFile(input_data), save=False)
            job.input_name = input_name[:255]
        job.full_clean()
        job.save(force_insert=True)
        task = KINDS[kind]
        job_id = str(job.pk)
        transaction.on_commit(lambda: task(job_id))
    return job


def job_running(*, job_id: str) -> Job | None:
    """Take a queued job for this worker; None when it is gone or another worker took it first."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        stage=STAGE_STARTED,
        attempts=F("attempts") + 1,
        runner=f"{socket.gethostname()}:{os.getpid()}"[:100],
    )
    return Job.objects.filter(pk=job_id).first() if taken else None


def job_progress(*, job: Job, done: int, total: int | None = None, stage: str | None = None) -> None:
    """Report rows done (of total) and the stage (an English msgid, marked with gettext_noop).

    Progress goes to the job store (huey's SQLite file or Redis), not to the database: the work it reports on may
    hold the database inside one long transaction (an import, all rows or none), and on SQLite that transaction is
    the one writer. The job page reads it from there while the job runs; job_finish writes the final count.
    """
    if total is not None:
        job.total = max(total, 0)
    if stage is not None:
        job.stage = stage
    job.done = min(max(done, 0), job.total) if job.total else max(done, 0)
    huey.put(live_key(job.pk), {"done": job.done, "total": job.total, "stage": job.stage})


def job_finish(*, job: Job, outcome: Outcome) -> Job:
    """Keep the result for JOB_RESULT_HOURS and mark the job done."""
    now = timezone.now()
    with transaction.atomic():
        if outcome.file is not None:
            name = outcome.file_name or "result"
            job.result.save(f"{job.pk}{_suffix(name)}", File(outcome.file), save=False)
            job.result_name = name[:255]
            job.result_type = outcome.content_type[:120]
            job.expires_at = now + dt.timedelta(hours=settings.JOB_RESULT_HOURS)
        job.message = outcome.message
        job.status = JobStatus.DONE
        job.stage = STAGE_DONE
        job.done = job.total = max(job.done, job.total)
        job.finished_at = now
        job.full_clean()
        job.save()
    _end(job)
    return job


def job_fail(*, job: Job, error: str) -> Job:
    """Mark the job failed with its translated error; whatever it wrote was rolled back by its own transaction."""
    with transaction.atomic():
        job.status = JobStatus.FAILED
        job.error = error
        job.finished_at = timezone.now()
        job.done = min(job.done, job.total) if job.total else job.done
        job.full_clean()
        job.save()
    _end(job)
    return job


def _end(job: Job) -> None:
    huey.delete(live_key(job.pk))
    if job.input:
        job.input.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input="")


def job_results_expire(*, now: dt.datetime) -> int:
    """Delete result files kept past their time (the rows stay: the owner sees that it expired); old claims too."""
    count = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result=""):
        job.result.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result="")
        count += 1
    PeriodClaim.objects.filter(claimed_at__lt=now - dt.timedelta(days=CLAIMS_KEPT_DAYS)).delete()
    return count


@dataclass
class Swept:
    """What a sweep did: runs queued again, jobs failed as lost, queued jobs whose message was sent again."""

    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)


def _beat(job: Job) -> float | None:
    try:
        value = huey.get(beat_key(job.pk), peek=True)
    except Exception:
        return None
    return float(value) if isinstance(value, (int, float)) else None


def _enqueue_on_commit(kind: str, job_id: str) -> None:
    task = KINDS[kind]
    transaction.on_commit(lambda: task(job_id))


def job_sweep(*, now: dt.datetime) -> Swept:
    """Find the runs lost with their worker and run them again, or fail them with a message; resend lost messages.

    A running job is lost when it started more than JOB_STALE_SECONDS ago and its worker's heartbeat is older than
    that (or gone). It is queued again while it has had fewer than JOB_MAX_ATTEMPTS runs and its kind allows it,
    else failed: its owner reads why on the job's page. A job still queued after JOB_STALE_SECONDS has its message
    sent again (a worker that took the message and died before starting it); the claim in job_running makes sure
    it runs once whatever the number of messages.
    """
    swept = Swept()
    stale = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    for job in Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=stale).order_by("created_at"):
        beat = _beat(job)
        if beat is not None and beat >= stale.timestamp():
            continue
        if job.kind in KINDS and job.kind in RETRIED and job.attempts < settings.JOB_MAX_ATTEMPTS:
            with transaction.atomic():
                taken = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at).update(
                    status=JobStatus.QUEUED, started_at=None, stage=STAGE_RETRY, done=0
                )
                if taken:
                    _enqueue_on_commit(job.kind, str(job.pk))
                    swept.retried.append(str(job.pk))
            continue
        with translation.override(job.language):
            error = _(
                "The worker running this job stopped before it finished (run %(n)d); whatever it had written was "
                "undone. Start it again, or tell the system administrator."
            ) % {"n": job.attempts}
        if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at).exists():
            job_fail(job=job, error=error)
            swept.failed.append(str(job.pk))
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=stale).exclude(pk__in=swept.retried)
    for job in waiting.order_by("created_at"):
        if job.kind in KINDS:
            KINDS[job.kind](str(job.pk))
            swept.resent.append(str(job.pk))
    return swept


def period_claim(*, task: str, period: str, now: dt.datetime) -> bool:
    """Insert the claim of `task` for `period`; False when it exists already (another worker runs it)."""
    try:
        with transaction.atomic():
            PeriodClaim.objects.create(task=task, period=period, claimed_at=now)
    except IntegrityError:
        return False
    return True
