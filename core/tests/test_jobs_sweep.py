"""A job run lost with its worker is run again, or failed with a message for its owner; never dropped silently."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from core.jobs.models import Job, JobStatus
from core.jobs.queue import Outcome, beat_key, huey, job_task
from core.jobs.services import STAGE_RETRY, job_start, job_sweep
from core.tests.consumers import running_consumers, wait_for

RUNS: list[str] = []
BEATING = threading.Event()
RELEASE = threading.Event()


@job_task("tests.sweep_retried")
def retried(job: Job) -> Outcome:
    RUNS.append(str(job.pk))
    return Outcome(message="done")


@job_task("tests.sweep_once", retry=False)
def once(job: Job) -> Outcome:
    RUNS.append(str(job.pk))
    return Outcome(message="done")


@job_task("tests.sweep_beating")
def beating(job: Job) -> Outcome:
    BEATING.set()
    if not RELEASE.wait(timeout=30):
        raise RuntimeError("the test never released the job")
    return Outcome(message="done")


@pytest.fixture
def owner(db: None):  # type: ignore[no-untyped-def]
    RUNS.clear()
    return get_user_model().objects.create_user(username="sweep-owner", password="x-unused-1")


@pytest.fixture
def settings_short(settings):  # type: ignore[no-untyped-def]
    settings.JOB_STALE_SECONDS = 60
    settings.JOB_MAX_ATTEMPTS = 3
    return settings


def _lost(owner, kind: str, *, attempts: int = 1, minutes_ago: int = 5) -> Job:  # type: ignore[no-untyped-def]
    """A job a worker took `minutes_ago` and then died with: running, no heartbeat in the store."""
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title="测试任务",
        language="en",
        status=JobStatus.RUNNING,
        attempts=attempts,
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago + 1),
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )
    huey.delete(beat_key(job.pk))
    return job


def test_a_run_lost_with_its_worker_is_queued_again_and_finished_by_another(
    transactional_db: None, owner, settings_short
) -> None:  # type: ignore[no-untyped-def]
    job = _lost(owner, "tests.sweep_retried")
    with running_consumers(1):
        swept = job_sweep(now=timezone.now())
        assert swept.retried == [str(job.pk)] and not swept.failed
        wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, what="the job run again")
    job.refresh_from_db()
    assert job.attempts == 2 and job.message == "done" and [str(job.pk)] == RUNS


def test_a_queued_again_job_waits_with_its_stage_saying_why(db: None, owner, settings_short) -> None:  # type: ignore[no-untyped-def]
    job = _lost(owner, "tests.sweep_retried")
    job_sweep(now=timezone.now())
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.stage == STAGE_RETRY and job.started_at is None


def test_a_run_lost_for_the_last_allowed_time_fails_with_a_message_for_its_owner(
    db: None, owner, settings_short
) -> None:  # type: ignore[no-untyped-def]
    job = _lost(owner, "tests.sweep_retried", attempts=3)
    with translation.override("en"):
        swept = job_sweep(now=timezone.now())
    job.refresh_from_db()
    assert swept.failed == [str(job.pk)] and job.status == JobStatus.FAILED
    assert "stopped before it finished (run 3)" in job.error and job.finished_at is not None


def test_a_kind_that_cannot_run_twice_is_failed_at_once_not_run_again(db: None, owner, settings_short) -> None:  # type: ignore[no-untyped-def]
    job = _lost(owner, "tests.sweep_once")
    swept = job_sweep(now=timezone.now())
    job.refresh_from_db()
    assert swept.failed == [str(job.pk)] and not swept.retried and job.status == JobStatus.FAILED
    assert RUNS == []


def test_a_running_job_whose_worker_beats_is_left_alone(transactional_db: None, owner, settings_short) -> None:  # type: ignore[no-untyped-def]
    BEATING.clear()
    RELEASE.clear()
    try:
        with running_consumers(1):
            job = job_start(owner=owner, kind="tests.sweep_beating", title="测试任务")
            assert BEATING.wait(timeout=30)
            assert huey.get(beat_key(job.pk), peek=True) is not None
            later = timezone.now() + dt.timedelta(seconds=settings_short.JOB_STALE_SECONDS + 5)
            Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(minutes=10))
            with time_machine.travel(later, tick=False):
                # the beat is older than the stale limit only in this frozen future: beat again, as the thread would
                huey.put(beat_key(job.pk), later.timestamp())
                swept = job_sweep(now=later)
            assert not swept.retried and not swept.failed
            RELEASE.set()
            wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, what="the job to finish")
        assert huey.get(beat_key(job.pk), peek=True) is None  # the beat ends with the run
    finally:
        RELEASE.set()


def test_a_job_queued_too_long_has_its_message_sent_again_and_still_runs_once(
    transactional_db: None, owner, settings_short
) -> None:  # type: ignore[no-untyped-def]
    with running_consumers(1):
        job = job_start(owner=owner, kind="tests.sweep_retried", title="测试任务")
        wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, what="the first run")
        stuck = Job.objects.create(
            owner=owner,
            kind="tests.sweep_retried",
            title="测试任务",
            language="en",
            created_at=timezone.now() - dt.timedelta(minutes=10),
        )  # its message was taken by a worker that died before starting it
        swept = job_sweep(now=timezone.now())
        assert swept.resent == [str(stuck.pk)]
        job_sweep(now=timezone.now())  # a second sweep before it ran: two messages for one job
        wait_for(lambda: Job.objects.get(pk=stuck.pk).status == JobStatus.DONE, what="the resent job")
    assert RUNS.count(str(stuck.pk)) == 1


def test_the_sweep_command_says_what_it_did(db: None, owner, settings_short, capsys) -> None:  # type: ignore[no-untyped-def]
    _lost(owner, "tests.sweep_retried")
    with translation.override("en"):
        call_command("jobs_sweep")
    out = capsys.readouterr().out
    assert "queued again" in out and "1 queued again, 0 failed, 0 messages sent again." in out


@pytest.fixture(autouse=True)
def _released() -> Iterator[None]:
    yield
    RELEASE.set()
