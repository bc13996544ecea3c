"""The job page (an htmx-polled progress bar, then the download link or the error) and the result download."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.jobs.models import Job
from core.jobs.selectors import job_get_for_user, job_live

POLL_SECONDS = 1


def _own_job(request: HttpRequest, pk: uuid.UUID) -> Job:
    """The requester's own job. Anyone else, signed in or not, administrators too, is answered "not found", exactly
    as for a job that does not exist: no capability lets one read another's export."""
    job = job_get_for_user(request.user, pk)
    if job is None:
        raise Http404
    return job


@require_GET
def job_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    view = job_live(_own_job(request, pk))
    return render(request, "core/jobs/job.html", {"view": view, "job": view.job, "poll_seconds": POLL_SECONDS})


@require_GET
def job_progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The progress fragment the page polls; once the job has finished it no longer asks to be polled."""
    view = job_live(_own_job(request, pk))
    return render(request, "core/jobs/_progress.html", {"view": view, "job": view.job, "poll_seconds": POLL_SECONDS})


@require_GET
def job_download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    view = job_live(_own_job(request, pk))
    if not view.downloadable:
        raise Http404
    job = view.job
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type or "application/octet-stream",
    )
