"""The three lists' exports and the table import over the threshold run as background jobs, on a real consumer."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from campaigns import services as campaign_services
from core.jobs.models import Job, JobStatus
from core.tests.consumers import wait_for
from matters.models import Matter
from matters.tests.conftest import exchange_seed_rows, exchange_xlsx
from matters.tests.factories import matter_in
from matters.workflow import Status
from org.models import Unit

DOWNLOAD = "/matters/lists/download/"
IMPORT = "/matters/lists/import/"


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _finished(job: Job) -> Job:
    wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists())
    job.refresh_from_db()
    return job


def _download(client: Client, job: Job) -> bytes:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_an_export_of_more_rows_than_the_threshold_becomes_a_job_whose_file_has_every_row(
    job_worker: object,
    client_as,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.JOB_THRESHOLD_ROWS = 2
    for number in range(3):
        matter_in(Status.ASSIGNED, problem=f"第{number + 1}件：赵罗路路面破损")
    client = _english(client_as("coordinator"))
    response = client.get(DOWNLOAD, {"list": "tasks", "format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = _finished(Job.objects.get())
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "3 of 3 rows" in page and "The list is ready: 3 rows." in page

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_download(client, job))).active
    assert sheet is not None
    problems = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert problems == ["第1件：赵罗路路面破损", "第2件：赵罗路路面破损", "第3件：赵罗路路面破损"]
    assert job.result_name == "任务清单.xlsx"


def test_a_job_export_masks_numbers_for_a_reader_without_the_right_to_see_reporters(
    job_worker: object,
    client_as,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.JOB_THRESHOLD_ROWS = 1
    for _number in range(2):
        matter_in(Status.ASSIGNED, problem="王先生电话13812345678，路灯坏了")
    client = client_as("leader")  # reads the lists, may not see reporters
    response = client.get(DOWNLOAD, {"list": "problems", "format": "csv"})
    assert response.status_code == 302
    text = _download(client, _finished(Job.objects.get())).decode("utf-8-sig")
    assert "13812345678" not in text and "路灯坏了" in text


@pytest.mark.django_db
def test_an_export_at_the_threshold_stays_an_immediate_download(client_as, settings, demo) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_THRESHOLD_ROWS = 2
    for _number in range(2):
        matter_in(Status.ASSIGNED)
    response = client_as("coordinator").get(DOWNLOAD, {"list": "tasks", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


def test_an_import_of_more_rows_than_the_threshold_runs_as_a_job_after_its_preview(
    job_worker: object,
    client_as,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.JOB_THRESHOLD_ROWS = 5
    campaign = campaign_services.campaign_create(
        actor=None,
        name="第二期实践活动",
        organiser=Unit.objects.get(ref="seed:park"),
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
    )
    client = _english(client_as("coordinator"))
    preview = client.post(
        IMPORT,
        {"file": SimpleUploadedFile("附件二.xlsx", exchange_xlsx(exchange_seed_rows())), "campaign": campaign.pk},
    )
    assert preview.status_code == 200 and not Matter.objects.exists()  # the preview stays immediate, writes nothing
    done = client.post(IMPORT, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"].startswith("/jobs/")
    job = _finished(Job.objects.get())
    assert job.status == JobStatus.DONE, job.error
    assert Matter.objects.filter(campaign=campaign).count() == 17
    assert {t.actor_name for t in Matter.objects.first().transitions.all()} == {"coordinator"}  # type: ignore[union-attr]
    page = client.get(done["Location"]).content.decode()
    assert "Imported 17 matters; 0 rows were already imported." in page and "17 of 17 rows" in page
    assert not job.input  # the uploaded table is not kept once the job has ended
