"""Field work's background work: duty reminders on Fridays; big visit sheets; a unit's duty reports as one zip."""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from core.jobs.models import Job
from core.jobs.queue import JobError, Outcome, crontab, job_task, periodic_job, reporter, weekly
from core.jobs.services import job_progress, job_start
from core.tables.reader import TableError, read_table
from fieldwork import duty_report, importer
from fieldwork.reminders import duty_reminders_send
from org.models import Person, Unit

logger = logging.getLogger("minqing.jobs")

IMPORT, DUTY_REPORTS = "fieldwork.import_visits", "fieldwork.duty_reports"


@periodic_job("fieldwork.duty_remind", crontab(day_of_week="5", hour="15", minute="0"), weekly)
def duty_remind(*, now: dt.datetime) -> None:
    """What `manage.py duty_remind` does on Friday afternoons: remind people short of a duty, once a week."""
    logger.info("duty_remind: %d reminders sent", duty_reminders_send(now=now))


# --- visit sheets -------------------------------------------------------------------------------------------


def sheet_rows(name: str, data: bytes) -> int:
    """How many data rows the sheet has; 0 when it cannot be read (the import itself then says why)."""
    try:
        return len(read_table(name, data, importer.VisitImporter.layout()).rows)
    except TableError:
        return 0


def import_visits_start(*, owner: Any, name: str, data: bytes, year: int | None, dry_run: bool, total: int) -> Job:
    title = (_("Check of %(name)s") if dry_run else _("Import of %(name)s")) % {"name": name}
    return job_start(
        owner=owner,
        kind=IMPORT,
        title=title,
        params={"year": year, "dry_run": dry_run},
        total=total,
        input_name=name,
        input_data=data,
    )


@job_task(IMPORT)
def import_visits(job: Job) -> Outcome:
    params = job.params
    dry_run = bool(params.get("dry_run"))
    with job.input.open("rb") as source:
        data = source.read()
    job_progress(job=job, done=0, stage=gettext_noop("Checking the sheet"))
    report = importer.import_visits(
        name=job.input_name,
        data=data,
        actor=job.owner,
        year=params.get("year"),
        dry_run=dry_run,
        progress=reporter(
            job, stage=gettext_noop("Checking the visits") if dry_run else gettext_noop("Writing the visits")
        ),
    )
    if report.errors or not report.rows:
        raise JobError.from_errors(report.errors)
    if dry_run:
        message = _(
            "The sheet is fine: %(new)d visits would be imported, %(existing)d rows were already imported. Nothing was written; upload it again without the dry run to import it."
        )
    else:
        message = _("Imported %(new)d visits; %(existing)d rows were already imported.")
    return Outcome(message=message % {"new": report.new_count, "existing": report.existing_count})


# --- a unit's duty reports ----------------------------------------------------------------------------------


def duty_reports_start(*, owner: Any, unit: Unit, start: dt.date, end: dt.date) -> Job:
    """Queue the .docx duty reports of everyone in the unit for the period, as one zip."""
    people = list(Person.objects.filter(unit=unit).order_by("id").values_list("pk", flat=True))
    title = _("Duty reports of %(unit)s, %(start)s to %(end)s") % {"unit": unit.name, "start": start, "end": end}
    params = {"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat(), "people": people}
    return job_start(owner=owner, kind=DUTY_REPORTS, title=title, params=params, total=len(people))


@job_task(DUTY_REPORTS)
def duty_reports(job: Job) -> Outcome:
    params = job.params
    unit = Unit.objects.filter(pk=params["unit"]).first()
    if unit is None:
        raise JobError(_("The unit chosen for these reports no longer exists."))
    start, end = dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"])
    people = list(Person.objects.filter(pk__in=params["people"]).select_related("unit").order_by("id"))
    if not people:
        raise JobError(_("Nobody belongs to %(unit)s any more: there is no report to write.") % {"unit": unit.name})
    stage = gettext_noop("Writing the reports")
    job_progress(job=job, done=0, total=len(people), stage=stage)
    out = tempfile.TemporaryFile()  # noqa: SIM115  # handed to job_finish, which keeps it and closes it
    names: set[str] = set()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, person in enumerate(people, start=1):
                report = duty_report.build_report(person=person, start=start, end=end)
                buffer = io.BytesIO()
                report.write("docx", buffer)
                archive.writestr(_unique(report.filename("docx"), names), buffer.getvalue())
                job_progress(job=job, done=done, stage=stage)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    prefix = pgettext("file name", "duty-report")
    return Outcome(
        message=_("%(n)d duty reports are ready.") % {"n": len(people)},
        file=out,
        file_name=f"{prefix}_{unit.name}_{start.isoformat()}_{end.isoformat()}.zip",
        content_type="application/zip",
    )


def _unique(name: str, taken: set[str]) -> str:
    """Two people of the same name get two files: 述职报告_张伟_….docx, 述职报告_张伟_…-2.docx."""
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    taken.add(candidate)
    return candidate
