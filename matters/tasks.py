"""The matters app's background work: deadlines every five minutes; list exports and imports too big for a request.

Each job kind has its start (called by the view, with the request's checks already done) and its run (in a
worker); both call the same exporter and importer as the immediate downloads and uploads.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns.models import Campaign
from core.documents import DocumentError
from core.jobs.models import Job
from core.jobs.queue import JobError, Outcome, counted, crontab, every_minutes, job_task, periodic_job, reporter
from core.jobs.services import job_progress, job_start
from matters.deadlines import deadlines_tick
from matters.exchange import exporter, importer
from notifications.delivery import deliver_pending
from org.models import Unit

logger = logging.getLogger("minqing.jobs")

EXPORT, IMPORT = "matters.export_list", "matters.import_list"
TICK_DELIVERIES = 500


@periodic_job("matters.tick", crontab(minute="*/5"), every_minutes(5))
def tick(*, now: dt.datetime) -> None:
    """What `manage.py tick` does: chases and circulars of overdue matters, then the queued deliveries."""
    events = deadlines_tick(now=now)
    delivered = deliver_pending(limit=TICK_DELIVERIES)
    logger.info(
        "tick: %d chases, %d circulars, %d deliveries sent, %d failed",
        events.chases,
        events.circulars,
        delivered.sent,
        delivered.failed,
    )


# --- list exports ---------------------------------------------------------------------------------------------


def export_list_start(*, owner: Any, spec: exporter.ListSpec, file_format: str, total: int) -> Job:
    """Queue the export of a list the owner may read, as they may read it (numbers masked or not)."""
    params = {
        "list": spec.list_kind,
        "month": spec.month.isoformat() if spec.month else "",
        "unit": spec.unit.pk if spec.unit is not None else None,
        "community": spec.community.pk if spec.community is not None else None,
        "public": spec.public_only,
        "mask": spec.mask_numbers,
        "kind": spec.kind,
        "format": file_format,
    }
    return job_start(owner=owner, kind=EXPORT, title=spec.filename(file_format), params=params, total=total)


def _unit(pk: int | None) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:  # exporting the whole list instead would show more than was asked for
        raise JobError(_("A unit chosen for this list no longer exists; choose the list again."))
    return unit


@job_task(EXPORT)
def export_list(job: Job) -> Outcome:
    params = job.params
    spec = exporter.ListSpec(
        list_kind=params["list"],
        month=dt.date.fromisoformat(params["month"]) if params.get("month") else None,
        unit=_unit(params.get("unit")),
        community=_unit(params.get("community")),
        public_only=bool(params.get("public")),
        mask_numbers=bool(params.get("mask")),
        kind=params.get("kind") or "",
    )
    file_format = params["format"]
    stage = gettext_noop("Writing the rows")
    job_progress(job=job, done=0, total=spec.matters().count(), stage=stage)
    out = tempfile.TemporaryFile()  # noqa: SIM115  # handed to job_finish, which keeps it and closes it
    try:
        exporter.export(spec, file_format, out, count=lambda rows: counted(rows, job=job, every=500, stage=stage))
    except DocumentError as exc:
        out.close()
        raise JobError(exc.message) from None
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return Outcome(
        message=_("The list is ready: %(rows)d rows.") % {"rows": job.done},
        file=out,
        file_name=spec.filename(file_format),
        content_type=exporter.CONTENT_TYPES[file_format],
    )


# --- list imports ---------------------------------------------------------------------------------------------


def import_list_start(
    *, owner: Any, name: str, data: bytes, campaign: Campaign | None, create_missing: bool, total: int
) -> Job:
    """Queue the import of a checked table; the worker checks it again and writes all rows or none."""
    params = {"campaign": campaign.pk if campaign is not None else None, "create_missing": create_missing}
    title = _("Import of %(name)s") % {"name": name}
    return job_start(
        owner=owner, kind=IMPORT, title=title, params=params, total=total, input_name=name, input_data=data
    )


@job_task(IMPORT)
def import_list(job: Job) -> Outcome:
    params = job.params
    campaign = None
    if params.get("campaign") is not None:
        campaign = Campaign.objects.filter(pk=params["campaign"]).first()
        if campaign is None:
            raise JobError(_("The campaign chosen for this import no longer exists."))
    with job.input.open("rb") as source:
        data = source.read()
    job_progress(job=job, done=0, stage=gettext_noop("Checking the table"))
    report = importer.import_table(
        name=job.input_name,
        data=data,
        actor=job.owner,
        campaign=campaign,
        create_missing=bool(params.get("create_missing")),
        progress=reporter(job, stage=gettext_noop("Writing the matters")),
    )
    if not report.written:
        raise JobError.from_errors(report.errors)
    return Outcome(
        message=_("Imported %(new)d matters; %(existing)d rows were already imported.")
        % {"new": report.new_count, "existing": report.existing_count}
    )
