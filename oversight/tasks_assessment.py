"""The assessment area's background job: every subject's figures collected from the indicators, then scored
(joined in oversight.tasks)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.jobs.models import Job
from core.jobs.queue import JobError, Outcome, job_task
from core.jobs.services import job_progress
from oversight.models.assessment import Assessment
from oversight.selectors.assessment import COMPUTE_JOB, collect
from oversight.services.assessment import assessment_computed


@job_task(COMPUTE_JOB)
def assessment_compute_run(job: Job) -> Outcome:
    assessment = Assessment.objects.select_related("scheme").filter(pk=job.params.get("assessment")).first()
    if assessment is None:
        raise JobError(_("The assessment to compute no longer exists."))

    def progress(done: int, total: int, stage: str) -> None:
        job_progress(job=job, done=done, total=total, stage=stage)

    figures = collect(assessment, progress=progress)
    try:
        scored = assessment_computed(actor=job.owner, assessment=assessment, figures=figures)
    except DomainError as exc:
        raise JobError(exc.message) from None
    return Outcome(
        message=_("%(assessment)s: %(count)d scored.")
        % {"assessment": str(scored), "count": len(scored.result["rows"])}
    )
