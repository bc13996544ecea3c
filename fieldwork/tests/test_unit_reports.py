"""All people of a unit: their duty reports as one zip of .docx files, made by a background job."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client

from core.jobs.models import Job, JobStatus
from core.tests.consumers import wait_for
from org.models import Person, Unit

UNIT_REPORTS = "/fieldwork/report/unit/"


def _form(unit: Unit) -> dict[str, object]:
    return {"unit-unit": unit.pk, "unit-start": "2022-06-01", "unit-end": "2022-06-30"}


def test_the_coordinator_gets_everyones_report_of_a_unit_as_a_zip(job_worker: object, client_as) -> None:  # type: ignore[no-untyped-def]
    office = Unit.objects.get(name="党政办")
    names = sorted(Person.objects.filter(unit=office).values_list("name", flat=True))
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(UNIT_REPORTS, _form(office))
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get()
    wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists())
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (len(names), len(names)) and len(names) == 3
    assert job.result_name == "duty-report_党政办_2022-06-01_2022-06-30.zip"
    page = client.get(response["Location"]).content.decode()
    assert "3 duty reports are ready." in page
    download = client.get(f"/jobs/{job.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    files = archive.namelist()
    assert len(files) == 3 and all(name.endswith("_2022-06-01_2022-06-30.docx") for name in files)
    import docx

    for name in files:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(name))).paragraphs)
        assert any(person in text for person in names)


@pytest.mark.django_db
def test_the_duty_report_page_offers_a_units_reports_only_to_those_who_see_everyones(client_as, demo) -> None:  # type: ignore[no-untyped-def]
    assert 'action="/fieldwork/report/unit/"' in client_as("coordinator").get("/fieldwork/report/").content.decode()
    assert 'action="/fieldwork/report/unit/"' not in client_as("cadre").get("/fieldwork/report/").content.decode()
    office = Unit.objects.get(name="党政办")
    assert client_as("cadre").post(UNIT_REPORTS, _form(office)).status_code == 403
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_unit_without_people_or_a_bad_period_is_refused_with_a_reason_and_starts_nothing(client_as, demo) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    empty = Unit.objects.exclude(people__isnull=False).first()
    assert empty is not None
    response = client.post(UNIT_REPORTS, _form(empty))
    assert response.status_code == 400 and "Nobody belongs to this unit" in response.content.decode()
    office = Unit.objects.get(name="党政办")
    backwards = {**_form(office), "unit-start": "2022-07-01"}
    response = client.post(UNIT_REPORTS, backwards)
    assert response.status_code == 400 and "is before the start date" in response.content.decode()
    response = client.post(UNIT_REPORTS, {"unit-unit": "999999", "unit-start": "x", "unit-end": ""})
    assert response.status_code == 400
    assert not Job.objects.exists()
