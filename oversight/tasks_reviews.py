"""The reviews area's background job: the preparation of a review, stage by stage (joined in oversight.tasks)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.jobs.models import Job
from core.jobs.queue import JobError, Outcome, job_task
from core.jobs.services import job_progress
from oversight.models.reviews import Review
from oversight.selectors.reviews import PREPARE_STAGES, prepare
from oversight.services.reviews import PREPARE_JOB, review_prepared


@job_task(PREPARE_JOB)
def review_prepare_run(job: Job) -> Outcome:
    review = Review.objects.select_related("campaign").filter(pk=job.params.get("review")).first()
    if review is None:
        raise JobError(_("The review to prepare no longer exists."))

    def progress(done: int, stage: str) -> None:
        job_progress(job=job, done=done, total=PREPARE_STAGES, stage=stage)

    data = prepare(review.month, review.campaign, progress=progress)
    try:
        review_prepared(actor=job.owner, review=review, data=data)
    except DomainError as exc:
        raise JobError(exc.message) from None
    counts = data["lists"]
    return Outcome(
        message=_("The review of %(month)s is prepared: %(problems)d problems, %(tasks)d tasks, %(effects)d effects.")
        % {
            "month": review.month_label,
            "problems": counts["problems"]["count"],
            "tasks": counts["tasks"]["count"],
            "effects": counts["effects"]["count"],
        }
    )
