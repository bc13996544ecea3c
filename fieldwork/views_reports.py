"""The duty report download (述职报告) and the visit sheet import, under /fieldwork/."""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import require_cap
from core.documents import DocumentError
from core.roles import user_can
from core.stash import upload_stash, upload_unstash
from fieldwork import duty_report, importer, tasks
from fieldwork.capabilities import FieldworkCap
from fieldwork.forms_reports import DutyReportForm, UnitReportsForm, VisitImportForm
from fieldwork.selectors import person_of
from org.models import Person

SESSION_KEY = "fieldwork.visit_import"


def _report_people(request: HttpRequest) -> tuple[QuerySet[Person], Person | None]:
    """Whose reports this user may make: anyone's with VISITS_ALL, else only their own."""
    own = person_of(request.user)
    if user_can(request.user, FieldworkCap.VISITS_ALL):
        return Person.objects.select_related("unit").order_by("unit__order", "unit__name", "id"), own
    if own is None:
        return Person.objects.none(), None
    return Person.objects.filter(pk=own.pk), own


@require_GET
@require_cap(FieldworkCap.VISIT_LOG)
def duty_report_page(request: HttpRequest) -> HttpResponseBase:
    """The form; submitted (it carries `format`), the file itself."""
    people, own = _report_people(request)
    raw_person = request.GET.get("person", "").strip()
    if raw_person and not user_can(request.user, FieldworkCap.VISITS_ALL) and (own is None or raw_person != str(own.pk)):
        raise Http404  # another's report: "not found", as for any record one may not see
    start, end = duty_report.default_period()
    initial = {"person": own if own is not None else people.first(), "start": start, "end": end, "format": "docx"}
    context: dict[str, Any] = {"has_person": people.exists()}
    if "format" in request.GET and context["has_person"]:
        form = DutyReportForm(request.GET, people=people, initial=initial)
        if form.is_valid():
            response = _download(request, form.cleaned_data)
            if response is not None:
                return response
    else:
        form = DutyReportForm(people=people, initial=initial)
    context["form"] = form
    if user_can(request.user, FieldworkCap.VISITS_ALL):
        context["unit_form"] = UnitReportsForm(initial={"start": start, "end": end}, prefix="unit")
    return render(request, "fieldwork/duty_report_form.html", context)


@require_POST
@require_cap(FieldworkCap.VISITS_ALL)
def duty_report_unit(request: HttpRequest) -> HttpResponse:
    """Everyone's report of one unit, as a zip made in the background: the job page shows its progress."""
    form = UnitReportsForm(request.POST, prefix="unit")
    if form.is_valid():
        data = form.cleaned_data
        job = tasks.duty_reports_start(owner=request.user, unit=data["unit"], start=data["start"], end=data["end"])
        return redirect("core:job", pk=job.pk)
    people, own = _report_people(request)
    start, end = duty_report.default_period()
    initial = {"person": own if own is not None else people.first(), "start": start, "end": end, "format": "docx"}
    context = {
        "has_person": people.exists(),
        "form": DutyReportForm(people=people, initial=initial),
        "unit_form": form,
    }
    return render(request, "fieldwork/duty_report_form.html", context, status=400)


def _download(request: HttpRequest, data: dict[str, Any]) -> HttpResponseBase | None:
    file_format = data["format"]
    report = duty_report.build_report(person=data["person"], start=data["start"], end=data["end"])
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  # FileResponse closes it
    try:
        report.write(file_format, buffer)  # type: ignore[arg-type]
    except DocumentError as exc:
        buffer.close()
        messages.error(request, exc.message)
        return None
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=report.filename(file_format),
        content_type=duty_report.CONTENT_TYPES[file_format],
    )


# --- visit import --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_cap(FieldworkCap.VISITS_IMPORT)
def visit_import_page(request: HttpRequest) -> HttpResponse:
    """Upload → a dry run with per-row errors (then confirm), or straight to a real run; all rows or none."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = VisitImportForm(request.POST, request.FILES) if request.method == "POST" else VisitImportForm()
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        year = form.cleaned_data["year"]
        dry_run = form.cleaned_data["dry_run"]
        request.session.pop(SESSION_KEY, None)
        rows = tasks.sheet_rows(upload.name, data)
        if rows > settings.JOB_THRESHOLD_ROWS:  # too long for a request: a background job with a progress bar
            job = tasks.import_visits_start(
                owner=request.user, name=upload.name, data=data, year=year, dry_run=dry_run, total=rows
            )
            return redirect("core:job", pk=job.pk)
        report = importer.import_visits(name=upload.name, data=data, actor=request.user, year=year, dry_run=dry_run)
        if report.written:
            _imported_message(request, report)
        elif dry_run and report.ok and report.new_count:
            context["token"] = upload_stash(request, SESSION_KEY, name=upload.name, data=data, year=year, rows=rows)
        context["report"] = report
    return render(request, "fieldwork/visit_import.html", context)


def _imported_message(request: HttpRequest, report: importer.ImportReport) -> None:
    messages.success(
        request,
        _("Imported %(new)d visits; %(existing)d rows were already imported.")
        % {"new": report.new_count, "existing": report.existing_count},
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    stored = upload_unstash(request, SESSION_KEY, token)
    if stored is None:
        messages.error(request, _("This check has expired or was replaced. Upload the file again."))
        return redirect("fieldwork:visit_import")
    rows = int(stored.extra.get("rows") or 0)
    if rows > settings.JOB_THRESHOLD_ROWS:
        request.session.pop(SESSION_KEY, None)
        job = tasks.import_visits_start(
            owner=request.user,
            name=stored.name,
            data=stored.data,
            year=stored.extra.get("year"),
            dry_run=False,
            total=rows,
        )
        return redirect("core:job", pk=job.pk)
    report = importer.import_visits(
        name=stored.name, data=stored.data, actor=request.user, year=stored.extra.get("year")
    )
    context: dict[str, Any] = {"form": VisitImportForm(), "report": report}
    if report.written:
        request.session.pop(SESSION_KEY, None)
        _imported_message(request, report)
    elif report.ok and report.new_count:
        context["token"] = token
    return render(request, "fieldwork/visit_import.html", context)
