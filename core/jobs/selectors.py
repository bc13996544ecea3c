"""Reads of jobs: a job is its owner's alone; a running job's progress comes from the job store."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs.models import Job, JobStatus
from core.jobs.queue import huey
from core.jobs.services import live_key


def job_get_for_user(user: Any, pk: uuid.UUID | str) -> Job | None:
    """The job if this user started it; None for anyone else (administrators included) and for a missing job."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Job.objects.filter(pk=pk, owner=user).first()


@dataclass(frozen=True)
class JobView:
    """What the job page shows."""

    job: Job
    done: int
    total: int
    stage: str  # translated

    @property
    def percent(self) -> int:
        if self.job.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def downloadable(self) -> bool:
        job = self.job
        return job.status == JobStatus.DONE and bool(job.result) and not self.expired

    @property
    def expired(self) -> bool:
        job = self.job
        return job.expires_at is not None and (job.expires_at <= timezone.now() or not job.result)


def job_live(job: Job) -> JobView:
    done, total, stage = job.done, job.total, job.stage
    if not job.finished:
        state = huey.get(live_key(job.pk), peek=True)
        if isinstance(state, dict):
            done, total, stage = state.get("done", done), state.get("total", total), state.get("stage", stage)
    return JobView(job=job, done=done, total=total, stage=_(stage) if stage else "")
