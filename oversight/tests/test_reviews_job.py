"""The preparation runs as a background job on a real consumer: it reports its stages, then freezes the data."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import Client

from campaigns import services as campaign_services
from core.jobs.models import Job, JobStatus
from core.tests.consumers import wait_for
from org.models import Person, Unit
from oversight.models.reviews import Review, ReviewStatus
from oversight.selectors.reviews import PREPARE_STAGES
from oversight.services import reviews as services


def test_preparing_a_review_runs_a_job_that_reports_its_stages_and_freezes_the_data(job_worker: object) -> None:
    coordinator = get_user_model().objects.get(username="coordinator")
    campaign = campaign_services.campaign_create(
        actor=None, name="job campaign", organiser=Unit.objects.get(ref="seed:park"),
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
    )  # fmt: skip
    review = services.review_create(
        actor=coordinator,
        campaign=campaign,
        month=dt.date(2025, 3, 1),
        chair=Person.objects.get(ref="seed:person:xiong"),
    )
    client = Client()
    client.force_login(coordinator)
    response = client.post(f"/oversight/reviews/{review.pk}/prepare/")
    assert response.status_code == 302
    job = Review.objects.get(pk=review.pk).job
    assert job is not None
    wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists())
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (PREPARE_STAGES, PREPARE_STAGES)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PREPARED and review.prepared["month"] == "2025-03"
    assert set(review.prepared["lists"]) == {"problems", "tasks", "effects"}
    page = client.get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert 'id="changes"' in page and "job-progress" not in page
