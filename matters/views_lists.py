"""The three lists in the back office (view and download) and the upload of an attachment-2 table."""

from __future__ import annotations

import dataclasses
import tempfile
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.models import Campaign
from core.access import require_cap
from core.documents import DocumentError
from core.documents.csv_text import csv_chunks
from core.roles import user_can
from core.sorting import sort_from_params
from core.stash import upload_stash, upload_unstash
from matters import services, tasks
from matters.capabilities import MatterCap
from matters.exchange import cells, exporter, importer
from matters.forms_lists import ImportUploadForm, ListFilterForm
from matters.selectors import MATTER_SORTS, matters_sorted

PAGE_SIZE = 50
SESSION_KEY = "matters.lists.import"
# The page shows the export's columns under translatable names; the files keep the seed's Chinese names.
COLUMN_LABELS = {
    cells.NUMBER: gettext_lazy("No."),
    cells.PROBLEM: gettext_lazy("Problem"),
    cells.TASK: gettext_lazy("Task"),
    cells.DEADLINE: gettext_lazy("Deadline"),
    cells.LEADS: gettext_lazy("Leads"),
    cells.UNITS: gettext_lazy("Responsible departments and communities"),
    cells.REMARKS: gettext_lazy("Remarks"),
    cells.COMPLETED: gettext_lazy("Completed on"),
    cells.EFFECT: gettext_lazy("Effect"),
    cells.SATISFACTION: gettext_lazy("Satisfaction"),
}
FORMAT_LABELS = {"xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "csv": "CSV", "pdf": "PDF"}


# The list columns a reader may sort the page by (matters.selectors.MATTER_SORTS).
SORT_OF_COLUMN = {
    cells.NUMBER: "reported",
    cells.DEADLINE: "deadline",
    cells.UNITS: "unit",
    cells.COMPLETED: "completed",
}


def _query(form: ListFilterForm, **extra: str) -> str:
    """The list's query string, rebuilt from what the form accepted (never echoes raw input)."""
    data = form.cleaned_data
    params = {
        "list": data.get("list") or "tasks",
        "month": data["month"].strftime("%Y-%m") if data.get("month") else "",
        "unit": str(data["unit"].pk) if data.get("unit") else "",
        "community": str(data["community"].pk) if data.get("community") else "",
        "kind": data.get("kind") or "",
        "public": "1" if data.get("public") else "",
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v})


def _spec_for(request: HttpRequest, form: ListFilterForm) -> exporter.ListSpec:
    """The list the form asks for, as this reader may see it: numbers masked without the right to see reporters."""
    return dataclasses.replace(form.spec(), mask_numbers=not user_can(request.user, MatterCap.REPORTER_VIEW))


@require_GET
@require_cap(MatterCap.LISTS_VIEW)
def list_page(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or {"list": "tasks"})
    context: dict[str, Any] = {"form": form, "kinds": exporter.LIST_KINDS, "labels": exporter.LIST_LABELS}
    if form.is_valid():
        spec = _spec_for(request, form)
        # The page may be sorted by a column (?sort=deadline): 序号 numbers the rows as shown; downloads keep the park's order.
        sort = sort_from_params(request.GET, MATTER_SORTS)
        matters = matters_sorted(spec.matters(), sort).prefetch_related("leads__unit")
        page = Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page"))
        offset = (page.number - 1) * PAGE_SIZE
        columns = spec.columns
        rows = []
        shown = list(page.object_list)
        kind_cells = exporter.kind_cells(spec, [matter.pk for matter in shown])
        for index, matter in enumerate(shown, start=offset + 1):
            values = exporter.matter_cells(matter, spec.list_kind, public=spec.public_only, mask=spec.mask_numbers)
            values[cells.NUMBER] = str(index)
            values.update(kind_cells.get(matter.pk, {}))
            if matter.satisfaction:
                values[cells.SATISFACTION] = matter.get_satisfaction_display()
            rows.append({"matter": matter, "cells": [values.get(c, "") for c in columns]})
        if not spec.mask_numbers and not spec.public_only:  # numbers typed into the text shown unmasked: on record
            fields = ["problem", "task", "remarks"] + (["effect"] if spec.list_kind == "effects" else [])
            services.matters_listed(
                actor=request.user, action="matters.view_lists", shown=[(m, fields) for m in page.object_list]
            )
        download = reverse("matters:lists_download")
        context.update(
            spec=spec,
            title=spec.title(),
            headers=[COLUMN_LABELS.get(c, c) for c in columns],  # a kind's own columns are labelled already
            headers_and_keys=[(COLUMN_LABELS.get(c, c), SORT_OF_COLUMN.get(c, "")) for c in columns],
            sort=sort,
            rows=rows,
            page=page,
            tabs=[(k, exporter.LIST_LABELS[k], _query(form, list=k)) for k in exporter.LIST_KINDS],
            downloads=[(FORMAT_LABELS[f], f"{download}?{_query(form, format=f)}") for f in exporter.FORMATS],
            # A list this long is made by a background job: the link opens its page instead of downloading.
            as_job=page.paginator.count > settings.JOB_THRESHOLD_ROWS,
        )
    return render(request, "matters/lists/list.html", context)


@require_GET
@require_cap(MatterCap.LISTS_VIEW)
def list_download(request: HttpRequest) -> HttpResponseBase:
    form = ListFilterForm(request.GET)
    file_format = request.GET.get("format", "")
    if file_format not in exporter.FORMATS or not form.is_valid():
        messages.error(request, _("Choose a list and a file format (xlsx, docx, csv or pdf) to download."))
        return redirect("matters:lists")
    spec = _spec_for(request, form)
    rows = spec.matters().count()
    if rows > settings.JOB_THRESHOLD_ROWS:  # too long for a request: a background job with a progress bar
        job = tasks.export_list_start(owner=request.user, spec=spec, file_format=file_format, total=rows)
        return redirect("core:job", pk=job.pk)
    filename = spec.filename(file_format)
    content_type = exporter.CONTENT_TYPES[file_format]
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_chunks(spec.title(), spec.columns, exporter.list_rows(spec)), content_type=content_type
        )
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
        return response
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  # FileResponse closes it
    try:
        exporter.export(spec, file_format, buffer)  # type: ignore[arg-type]
    except DocumentError as exc:
        buffer.close()
        messages.error(request, exc.message)
        return redirect(f"{reverse('matters:lists')}?{_query(form)}")
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=content_type)


@require_http_methods(["GET", "POST"])
@require_cap(MatterCap.LISTS_IMPORT)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (a dry run: written and rolled back, per-row errors) → confirm: the same bytes, imported."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        campaign = form.cleaned_data["campaign"]
        create_missing = form.cleaned_data["create_missing"]
        report = importer.import_table(
            name=upload.name,
            data=data,
            actor=request.user,
            campaign=campaign,
            create_missing=create_missing,
            dry_run=True,
        )
        request.session.pop(SESSION_KEY, None)
        if report.ok and report.new_count:
            context["token"] = upload_stash(
                request,
                SESSION_KEY,
                name=upload.name,
                data=data,
                campaign=campaign.pk if campaign is not None else None,
                create_missing=create_missing,
                rows=report.new_count,
            )
        context["report"] = report
    return render(request, "matters/lists/import.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    stored = upload_unstash(request, SESSION_KEY, token)
    if stored is None:
        messages.error(request, _("This preview has expired or was replaced. Upload the file again."))
        return redirect("matters:lists_import")
    campaign_pk = stored.extra.get("campaign")
    campaign = Campaign.objects.filter(pk=campaign_pk).first() if campaign_pk else None
    if int(stored.extra.get("rows") or 0) > settings.JOB_THRESHOLD_ROWS:
        request.session.pop(SESSION_KEY, None)
        job = tasks.import_list_start(
            owner=request.user,
            name=stored.name,
            data=stored.data,
            campaign=campaign,
            create_missing=bool(stored.extra.get("create_missing")),
            total=int(stored.extra["rows"]),
        )
        return redirect("core:job", pk=job.pk)
    report = importer.import_table(
        name=stored.name,
        data=stored.data,
        actor=request.user,
        campaign=campaign,
        create_missing=bool(stored.extra.get("create_missing")),
    )
    if report.written:
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("Imported %(new)d matters; %(existing)d rows were already imported.")
            % {"new": report.new_count, "existing": report.existing_count},
        )
        return redirect(f"{reverse('matters:lists')}?list=tasks")
    context = {"form": ImportUploadForm(), "report": report}
    if report.ok and report.new_count:
        context["token"] = token
    return render(request, "matters/lists/import.html", context)
