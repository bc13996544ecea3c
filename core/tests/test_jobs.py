"""Background jobs: progress while running, the owner's download, failure changes nothing, owner-only access,
periodic work once per period however many consumers run. Real consumers on the real store (core/tests/consumers)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext_noop
from huey import signals

from audit.models import AuditEvent
from core.jobs.models import Job, JobStatus, PeriodClaim
from core.jobs.queue import Outcome, crontab, daily, every_minutes, huey, job_task, periodic_job, weekly
from core.jobs.selectors import job_live
from core.jobs.services import job_finish, job_progress, job_results_expire, job_running, job_start
from core.tests.consumers import running_consumers, wait_for
from fieldwork.models import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
ClientAs = Callable[[str | None], Client]

# --- job kinds of the tests: one that waits at a gate half-way, one that finishes at once ----------------------

GATE = threading.Event()


@job_task("tests.gated")
def gated(job: Job) -> Outcome:
    job_progress(job=job, done=3, total=10, stage=gettext_noop("Writing the rows"))
    if not GATE.wait(timeout=30):
        raise RuntimeError("the test never opened the gate")
    job_progress(job=job, done=10)
    return Outcome(message="ten rows", file=io.BytesIO(b"a,b\n1,2\n"), file_name="清单.csv", content_type="text/csv")


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _job_of(username: str, *, kind: str = "tests.gated", total: int = 10) -> Job:
    owner = get_user_model().objects.get(username=username)
    return job_start(owner=owner, kind=kind, title="测试任务", total=total)


def _status(job: Job) -> str:
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    GATE.clear()
    yield GATE
    GATE.set()  # a failed test does not leave a worker waiting


# --- progress, result, expiry --------------------------------------------------------------------------------


def test_a_running_job_shows_its_owner_rows_done_of_total_and_the_stage_then_the_download(
    job_worker: object, client_as: ClientAs, gate: threading.Event
) -> None:
    job = _job_of("coordinator")
    client = _english(client_as("coordinator"))
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and 'hx-trigger="every 1s"' in page.content.decode()

    def running() -> str:
        # The live progress (the job store) may show before this connection sees the row marked running.
        html = client.get(f"/jobs/{job.pk}/progress/").content.decode()
        return html if "3 of 10 rows" in html and 'data-job-status="running"' in html else ""

    html = wait_for(running, what="the job to report 3 of 10 rows")
    assert "Writing the rows" in html and 'value="30"' in html and 'data-job-status="running"' in html
    assert "Download" not in html

    gate.set()
    wait_for(lambda: _status(job) == JobStatus.DONE)
    html = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'data-job-status="done"' in html and "hx-trigger" not in html  # finished: the page stops polling
    assert "ten rows" in html and f"/jobs/{job.pk}/download/" in html
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"a,b\n1,2\n"  # type: ignore[attr-defined]
    assert quote("清单.csv") in download["Content-Disposition"]


def test_the_progress_is_shown_in_the_readers_language(
    job_worker: object, client_as: ClientAs, gate: threading.Event
) -> None:
    job = _job_of("coordinator")
    client = client_as("coordinator")  # Chinese, the default

    def progress() -> str:
        html = client.get(f"/jobs/{job.pk}/progress/").content.decode()
        return html if "已完成 3 / 10 行" in html else ""

    assert "正在写入数据行" in wait_for(progress, what="the progress in Chinese")


def test_a_result_is_kept_for_the_configured_hours_then_deleted(client_as: ClientAs, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_RESULT_HOURS = 2
    job = _job_of("coordinator")
    taken = job_running(job_id=str(job.pk))
    assert taken is not None
    now = timezone.now()
    job_finish(job=taken, outcome=Outcome(file=io.BytesIO(b"x"), file_name="r.csv"))
    taken.refresh_from_db()
    assert taken.expires_at is not None and abs((taken.expires_at - now) - dt.timedelta(hours=2)) < dt.timedelta(
        minutes=1
    )
    client = _english(client_as("coordinator"))
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200

    assert job_results_expire(now=now + dt.timedelta(hours=1)) == 0
    assert job_results_expire(now=now + dt.timedelta(hours=3)) == 1
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "The file has expired" in html
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert not Job.objects.get(pk=job.pk).result


# --- failure -------------------------------------------------------------------------------------------------

# Old visits typed in now: each row says why it is entered late (补录原因, VISIT_LATE_DAYS).
HEADER = "姓名,日期,时长,类型,地点,补录原因\n"


def test_a_failed_import_job_shows_its_translated_error_and_writes_nothing(
    job_worker: object,
    client_as: ClientAs,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.JOB_THRESHOLD_ROWS = 2
    sheet = (
        HEADER
        + "陆露,2022-06-03,16,基层治理,卫王社区,补录\n李永金,2022-06-03,4,党建,卫王社区,补录\n"
        + "陆露,2022-06-03,10,应急值守,卫王社区,补录\n"
    )
    visits, events = Visit.objects.count(), AuditEvent.objects.count()
    client = client_as("coordinator")  # in Chinese: the job's texts are written in its owner's language
    response = client.post("/fieldwork/visits/import/", {"file": SimpleUploadedFile("走访台账.csv", sheet.encode())})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get()
    wait_for(lambda: _status(job) == JobStatus.FAILED)
    html = client.get(response["Location"]).content.decode()
    assert "第 4 行“时长”列" in html  # the third data row, under the header row
    assert 'data-job-status="failed"' in html and "hx-trigger" not in html
    assert Visit.objects.count() == visits  # the two good rows were written, then rolled back with the third
    assert AuditEvent.objects.count() == events
    job.refresh_from_db()
    assert not job.result and not job.input  # nothing to download, and the uploaded sheet is not kept


def test_an_unexpected_error_fails_the_job_with_a_message_and_leaves_the_worker_running(
    job_worker: object, client_as: ClientAs
) -> None:
    failing = _job_of("coordinator", kind="tests.broken")
    wait_for(lambda: _status(failing) == JobStatus.FAILED)
    html = client_as("coordinator").get(f"/jobs/{failing.pk}/").content.decode()
    assert "任务因意外错误中止，未作任何改动" in html  # started outside a request: in the default language
    GATE.set()
    after = _job_of("coordinator")
    wait_for(lambda: _status(after) == JobStatus.DONE, what="the next job on the same worker")


@job_task("tests.broken")
def broken(job: Job) -> Outcome:
    raise ZeroDivisionError("a bug")


# --- who may see a job ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_answers_its_owner_alone(client_as: ClientAs) -> None:
    job = _job_of("coordinator")
    taken = job_running(job_id=str(job.pk))
    assert taken is not None
    job_finish(job=taken, outcome=Outcome(file=io.BytesIO(b"secret rows"), file_name="x.csv"))
    urls = [f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"]
    owner = client_as("coordinator")
    assert [owner.get(url).status_code for url in urls] == [200, 200, 200]
    root = get_user_model().objects.create_superuser("root", password="root-pass-2026")
    superuser = Client()
    superuser.force_login(root)
    others = [client_as(name) for name in ("leader", "supervisor", "sysadmin", "secadmin", "auditor", None)]
    for client in [*others, superuser]:
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]


@pytest.mark.django_db
def test_an_unknown_or_malformed_job_id_is_not_found(client_as: ClientAs) -> None:
    client = client_as("coordinator")
    assert client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/jobs/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_a_job_is_queued_only_when_its_transaction_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as callbacks:
        job = _job_of("coordinator")
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1


# --- periodic work -------------------------------------------------------------------------------------------

RUNS: list[dt.datetime] = []


@periodic_job("tests.counted", crontab(minute="*"), daily)
def counted_work(*, now: dt.datetime) -> None:
    RUNS.append(now)


def test_a_periodic_job_runs_once_per_period_with_two_consumers(transactional_db: None) -> None:
    RUNS.clear()
    done: list[str] = []

    def completed(signal: str, task: object, *args: object) -> None:
        if getattr(task, "name", "") == "tests.counted":
            done.append(signal)

    huey.signal(signals.SIGNAL_COMPLETE)(completed)
    try:
        with (
            time_machine.travel(dt.datetime(2026, 11, 27, 12, 0, 5, tzinfo=SHANGHAI), tick=True),
            running_consumers(2, workers=2),
        ):
            # Each consumer's scheduler enqueues the periodic tasks due this minute: twice, for two machines.
            for _consumer in range(2):
                for task in huey.read_periodic(dt.datetime(2026, 11, 27, 12, 1)):
                    if task.name == "tests.counted":
                        huey.enqueue(task)
            wait_for(lambda: len(done) == 2, what="both deliveries of the periodic task")
    finally:
        huey.disconnect_signal(completed, signals.SIGNAL_COMPLETE)
    assert len(RUNS) == 1
    assert list(PeriodClaim.objects.values_list("task", "period")) == [("tests.counted", "2026-11-27")]


def test_periods_are_cut_in_local_time() -> None:
    at = dt.datetime(2026, 11, 26, 16, 7, tzinfo=dt.UTC)  # 00:07 on Friday 27 November in Shanghai
    assert every_minutes(5)(at) == "2026-11-27T00:05"
    assert daily(at) == "2026-11-27"
    assert weekly(at) == "2026-W48"


def test_the_demo_schedule_runs_tick_every_five_minutes_reminders_on_fridays_and_the_rest_nightly() -> None:
    tasks = {task.name: task for task in huey._registry.periodic_tasks}
    friday = dt.datetime(2026, 11, 27)

    def due(name: str, hour: int, minute: int, day: dt.datetime = friday) -> bool:
        return bool(tasks[name].validate_datetime(day.replace(hour=hour, minute=minute)))

    assert due("matters.tick", 10, 5) and not due("matters.tick", 10, 7)
    assert due("fieldwork.duty_remind", 15, 0) and not due("fieldwork.duty_remind", 15, 0, friday - dt.timedelta(1))
    assert due("audit.verify", 2, 0) and due("portal.cleanup", 3, 30) and due("core.job_results_expire", 3, 45)
    assert not due("audit.verify", 14, 0)


@pytest.mark.django_db
def test_live_progress_is_read_from_the_job_store_not_the_database() -> None:
    """An import holds the database in one transaction (SQLite: the one writer); its progress travels apart."""
    job = _job_of("coordinator")
    job_progress(job=job, done=4, total=8, stage=gettext_noop("Writing the rows"))
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total) == (0, 10)
    view = job_live(stored)
    assert (view.done, view.total, view.percent) == (4, 8, 50)


# --- the two stores ------------------------------------------------------------------------------------------


def _configured(env: dict[str, str], tmp_path: Path) -> str:
    """The job store and cache the production settings choose for this environment (in a process of their own)."""
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "HUEY_SQLITE_PATH"}}
    base.update(env, DJANGO_SETTINGS_MODULE="minqing.settings", SECRET_KEY="x" * 50, MINQING_VAR_DIR=str(tmp_path))
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.HUEY['huey_class'], settings.HUEY.get('filename') or settings.HUEY.get('url'), "
        "settings.CACHES['default']['BACKEND'])"
    )
    done = subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_without_redis_jobs_wait_in_a_sqlite_file_next_to_the_database_and_the_cache_is_local(tmp_path: Path) -> None:
    assert _configured({}, tmp_path) == (
        f"huey.SqliteHuey {tmp_path / 'jobs.sqlite3'} django.core.cache.backends.locmem.LocMemCache"
    )


def test_with_redis_url_the_queue_and_the_cache_are_both_redis(tmp_path: Path) -> None:
    url = "redis://127.0.0.1:6399/2"
    assert _configured({"REDIS_URL": url}, tmp_path) == (
        f"huey.RedisHuey {url} django.core.cache.backends.redis.RedisCache"
    )
