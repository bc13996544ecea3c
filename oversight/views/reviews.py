"""The monthly review's pages: the list, a new review, its page (the prepared data, the preparation's progress),
editing, preparing, holding, decisions, the minutes (edit and .docx) and closing."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_current
from core.access import require_cap
from core.dates import add_months
from core.exceptions import DomainError
from core.forms import form_page
from core.jobs.selectors import job_live
from oversight import minutes_reviews
from oversight.capabilities import OversightCap
from oversight.forms_reviews import CancelForm, DecisionForm, HoldForm, MinutesForm, ReviewForm
from oversight.models.reviews import Review
from oversight.selectors import reviews as selectors
from oversight.services import reviews as services

C = OversightCap


def _review(pk: int) -> Review:
    review = selectors.review_get(pk)
    if review is None:
        raise Http404
    return review


def _back(review: Review) -> HttpResponse:
    return redirect("oversight:review_detail", pk=review.pk)


@require_cap(C.REVIEW_VIEW)
def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "oversight/reviews/list.html", {"reviews": selectors.reviews_list()})


@require_cap(C.REVIEW_MANAGE)
def review_create(request: HttpRequest) -> HttpResponse:

    last_month = add_months(timezone.localdate().replace(day=1), -1)
    initial = {"campaign": campaign_current(), "month": f"{last_month:%Y-%m}"}
    return form_page(
        request,
        form=ReviewForm(request.POST or None, initial=initial),
        save=lambda data: services.review_create(actor=request.user, **data),
        success=_("Review created. Prepare it next."),
        then=_back,
        title=_("New monthly review"),
        back="oversight:review_list",
    )


@require_cap(C.REVIEW_MANAGE)
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    initial = {"chair": review.chair, "attendees": list(review.attendees.all()), "agenda": review.agenda}
    return form_page(
        request,
        form=ReviewForm(request.POST or None, initial=initial, editing=True),
        save=lambda data: services.review_update(actor=request.user, review=review, **data),
        success=_("Review saved."),
        then=_back,
        title=_("Edit the review of %(month)s") % {"month": review.month_label},
        back="oversight:review_list",
    )


def _tables(data: dict[str, Any]) -> dict[str, Any]:
    """The prepared data as the page's tables."""
    labels = dict(selectors.list_labels())
    changes = [
        {**row, "label": labels.get(row.get("key", ""), selectors.headline_label(row.get("key", "")))}
        for row in data.get("changes", [])
    ]
    return {
        "changes": changes,
        "lists": [(kind, labels[kind], part) for kind, part in data.get("lists", {}).items()],
        "figures": [
            (selectors.headline_label(key), data.get("figures", {}).get(key)) for key, _l in selectors.HEADLINES
        ],
        "trend_labels": [selectors.headline_label(key) for key, _l in selectors.HEADLINES],
        "trend": [
            (row.get("month"), [row.get(key) for key, _l in selectors.HEADLINES]) for row in data.get("trend", [])
        ],
    }


@require_cap(C.REVIEW_VIEW)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    job = review.job
    context = {
        "review": review,
        "data": review.prepared or {},
        "tables": _tables(review.prepared or {}),
        "decisions": review.decisions.select_related("matter"),
        "attendees": list(review.attendees.all()),
        "manage": _can_manage(request),
        "job": job if job is not None and not job.finished else None,
        "view": job_live(job) if job is not None and not job.finished else None,
        "own_job": job is not None and job.owner_id == request.user.pk,
        "poll_seconds": 1,
    }
    return render(request, "oversight/reviews/detail.html", context)


def _can_manage(request: HttpRequest) -> bool:
    from core.roles import user_can

    return user_can(request.user, C.REVIEW_MANAGE)


def _act(request: HttpRequest, review: Review, act: Any, success: str) -> HttpResponse:
    """Run a service from a button; a refusal is a message on the review's page, nothing changed."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back(review)


@require_cap(C.REVIEW_MANAGE)
@require_POST
def review_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    return _act(
        request,
        review,
        lambda: services.review_prepare(actor=request.user, review=review),
        _("The preparation has started; this page shows its progress."),
    )


@require_cap(C.REVIEW_MANAGE)
def review_hold(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    return form_page(
        request,
        form=HoldForm(request.POST or None, initial={"held_on": review.held_on, "chair": review.chair}),
        save=lambda data: services.review_hold(actor=request.user, review=review, **data),
        success=_("The meeting is recorded as held; record its decisions, then edit the minutes."),
        then=_back,
        title=_("Hold the review of %(month)s") % {"month": review.month_label},
        back="oversight:review_list",
    )


@require_cap(C.REVIEW_MANAGE)
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    return form_page(
        request,
        form=DecisionForm(request.POST or None),
        save=lambda data: services.decision_add(actor=request.user, review=review, **_decision_data(data)),
        success=_("Decision recorded."),
        then=lambda decision: _back(review),
        title=_("A decision of the review of %(month)s") % {"month": review.month_label},
        back="oversight:review_list",
    )


def _decision_data(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["units"] = list(data.get("units") or []) or None
    out["leads"] = list(data.get("leads") or []) or None
    return out


@require_cap(C.REVIEW_MANAGE)
def review_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    initial = {"minutes": review.minutes or selectors.minutes_draft(review)}
    return form_page(
        request,
        form=MinutesForm(request.POST or None, initial=initial),
        save=lambda data: services.review_minutes_set(actor=request.user, review=review, **data),
        success=_("Minutes saved."),
        then=_back,
        title=_("Minutes of the review of %(month)s") % {"month": review.month_label},
        back="oversight:review_list",
    )


@require_cap(C.REVIEW_MANAGE)
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    return _act(
        request, review, lambda: services.review_close(actor=request.user, review=review), _("The review is closed.")
    )


@require_cap(C.REVIEW_MANAGE)
def review_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(pk)
    return form_page(
        request,
        form=CancelForm(request.POST or None),
        save=lambda data: services.review_cancel(actor=request.user, review=review, **data),
        success=_("The review is cancelled."),
        then=_back,
        title=_("Cancel the review of %(month)s") % {"month": review.month_label},
        back="oversight:review_list",
    )


@require_cap(C.REVIEW_VIEW)
def review_minutes_docx(request: HttpRequest, pk: int) -> FileResponse:
    review = _review(pk)
    out = io.BytesIO()
    minutes_reviews.write(review, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=minutes_reviews.filename(review))
