"""The monthly pack page: a PACK holder chooses a month, a background job makes the .docx and the PDF, the page
offers both; a month not begun and a role without PACK are refused, and nothing is written for them."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from core.jobs.models import Job, JobStatus
from core.tests.consumers import wait_for
from matters.tests.factories import matter_in
from matters.workflow import Status
from oversight.models import MonthlyPack

PAGE = "/oversight/pack/"
NOW = dt.datetime(2022, 6, 28, 10, 0, tzinfo=dt.UTC)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_job_makes_the_months_word_file_and_pdf_and_the_page_offers_both(job_worker: object, client_as) -> None:  # type: ignore[no-untyped-def]
    matter_in(Status.CLOSED, problem="赵罗路人行道破损（演示）")
    month = timezone.localdate().strftime("%Y-%m")
    client = _english(client_as("coordinator"))
    response = client.post(PAGE, {"month": month})
    assert response.status_code == 302 and response["Location"] == PAGE
    pack = MonthlyPack.objects.get()
    assert pack.job is not None
    job_id = pack.job.pk
    wait_for(lambda: Job.objects.filter(pk=job_id, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists())
    pack.refresh_from_db()
    job = Job.objects.get(pk=job_id)
    assert job.status == JobStatus.DONE, job.error
    assert pack.made and pack.data["month"] == month
    page = client.get(PAGE).content.decode()
    docx_url, pdf_url = f"/oversight/pack/{pack.pk}/docx/", f"/oversight/pack/{pack.pk}/pdf/"
    assert docx_url in page and pdf_url in page
    word = docx.Document(io.BytesIO(_download(client, docx_url)))
    assert word.paragraphs[0].text.startswith(
        "民情工作月度汇报材料（"
    )  # written in Chinese whatever the reader's language
    assert len(word.inline_shapes) == len(pack.data["charts"])
    reader = PdfReader(io.BytesIO(_download(client_as("leader"), pdf_url)))  # another PACK holder reads it too
    text = reader.pages[0].extract_text().replace("\x00", "")
    assert "民情工作月度汇报材料" in text and f"第 1 页 共 {len(reader.pages)} 页" in text
    actions = set(
        AuditEvent.objects.filter(target_type="oversight.monthlypack", target_id=str(pack.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"oversight.pack.generate", "oversight.pack.made"}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_month_not_begun_is_refused_with_a_message_and_nothing_is_written(client_as) -> None:  # type: ignore[no-untyped-def]
    client = _english(client_as("coordinator"))
    response = client.post(PAGE, {"month": "2022-07"})
    assert response.status_code == 400
    assert "The month 2022-07 has not begun" in response.content.decode()
    assert not MonthlyPack.objects.exists() and not Job.objects.exists()
    assert client.post(PAGE, {"month": "June"}).status_code == 400
    assert not MonthlyPack.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_page_offers_the_current_month_and_the_ended_ones_only(client_as) -> None:  # type: ignore[no-untyped-def]
    page = _english(client_as("assessor")).get(PAGE).content.decode()
    assert 'value="2022-06"' in page and 'value="2022-05"' in page and 'value="2022-07"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["handler", "cadre", "sysadmin", "auditor"])
def test_a_role_without_the_pack_capability_can_neither_see_the_page_nor_ask_for_a_pack(client_as, persona) -> None:  # type: ignore[no-untyped-def]
    client = client_as(persona)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"month": timezone.localdate().strftime("%Y-%m")}).status_code == 403
    assert not MonthlyPack.objects.exists()


@pytest.mark.django_db
def test_a_pack_not_made_yet_cannot_be_downloaded(client_as) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from oversight.services.pack import pack_generate

    client = client_as("coordinator")
    pack = pack_generate(actor=get_user_model().objects.get(username="coordinator"), month=timezone.localdate())
    assert client.get(f"/oversight/pack/{pack.pk}/pdf/").status_code == 404
    assert client.get(f"/oversight/pack/{pack.pk}/xlsx/").status_code == 404
