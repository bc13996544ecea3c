"""The pack area's background work: the job that makes a monthly pack (started by oversight.services.pack)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import DocumentError
from core.jobs.models import Job
from core.jobs.queue import JobError, Outcome, job_task
from core.jobs.services import job_progress
from oversight.models import MonthlyPack
from oversight.pack_data import month_label
from oversight.services.pack import JOB_KIND, STAGES, pack_make


@job_task(JOB_KIND)
def make_pack(job: Job) -> Outcome:
    pack = MonthlyPack.objects.filter(pk=job.params.get("pack")).first()
    if pack is None:
        raise JobError(_("This pack was removed before it could be made; ask for it again."))

    def progress(done: int, stage: str) -> None:
        job_progress(job=job, done=done, total=len(STAGES), stage=stage)

    try:
        pack_make(pack=pack, progress=progress)
    except DocumentError as exc:
        raise JobError(exc.message) from None
    return Outcome(
        message=_("The monthly pack of %(month)s is ready: its Word file and PDF are on the monthly pack page.")
        % {"month": month_label(pack.month)}
    )
