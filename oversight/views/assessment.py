"""The assessment's pages: schemes (new, edit), assessments (open, compute, confirm, the ranking), manual scores,
a subject's breakdown with its records and appeals, the appeals to review, and the ranking as .xlsx and .docx.

Everyone with ASSESSMENT_VIEW sees only their own person's and their unit's scores; the assessment team sees all.
An assessment or a breakdown this user may not see is "not found", the same as one that does not exist.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_cap
from core.exceptions import DomainError
from core.forms import form_page, save_form
from core.jobs.selectors import job_live
from core.roles import user_can
from oversight.capabilities import OversightCap
from oversight.forms_assessment import AppealForm, DecideForm, ManualScoreForm, OpenForm, ReasonForm, SchemeForm
from oversight.models.assessment import Appeal, AppealStatus, Assessment, Grade, ItemKind
from oversight.selectors import assessment as selectors
from oversight.services import assessment as services

C = OversightCap


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = selectors.assessment_get_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    return assessment


def _back(assessment: Assessment) -> HttpResponse:
    return redirect("oversight:assessment_detail", pk=assessment.pk)


def _act(request: HttpRequest, act: Any, success: str, then: HttpResponse) -> HttpResponse:
    """Run a service from a button; a refusal is a message on the page, nothing changed."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return then


@require_cap(C.ASSESSMENT_VIEW)
def assessment_list(request: HttpRequest) -> HttpResponse:
    manage = user_can(request.user, C.ASSESSMENT_MANAGE)
    context = {
        "assessments": selectors.assessments_visible_to(request.user),
        "schemes": selectors.schemes_list() if manage else [],
        "manage": manage,
        "review": user_can(request.user, C.APPEAL_REVIEW),
    }
    return render(request, "oversight/assessment/list.html", context)


def _scheme_page(request: HttpRequest, form: SchemeForm, title: str, save: Any) -> HttpResponse:
    if request.method == "POST":
        scheme = save_form(form, lambda _data: save(form.service_data()))
        if scheme is not None:
            messages.success(request, _("Scheme saved."))
            return redirect("oversight:assessment_list")
    return render(request, "oversight/assessment/scheme_form.html", {"form": form, "title": title})


@require_cap(C.ASSESSMENT_MANAGE)
def scheme_create(request: HttpRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None)
    return _scheme_page(
        request, form, _("New assessment scheme"), lambda data: services.scheme_create(actor=request.user, **data)
    )


@require_cap(C.ASSESSMENT_MANAGE)
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(pk)
    if scheme is None:
        raise Http404
    form = SchemeForm(request.POST or None, scheme=scheme)
    return _scheme_page(
        request,
        form,
        _("Edit the scheme %(name)s") % {"name": scheme.name},
        lambda data: services.scheme_update(actor=request.user, scheme=scheme, **data),
    )


@require_cap(C.ASSESSMENT_MANAGE)
def assessment_open(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=OpenForm(request.POST or None),
        save=lambda data: services.assessment_open(actor=request.user, scheme=data["scheme"], period=data["period"]),
        success=_("Assessment opened. Compute the scores next."),
        then=_back,
        title=_("Open an assessment"),
        back="oversight:assessment_list",
    )


def _grade(code: str) -> str:
    return str(Grade(code).label) if code in Grade.values else ""


def _ranking(result: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "grade_label": _grade(row.get("grade", "")), "points": [c["points"] for c in row["cells"]]}
            for row in rows]  # fmt: skip


@require_cap(C.ASSESSMENT_VIEW)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    manage = user_can(request.user, C.ASSESSMENT_MANAGE)
    job = assessment.job
    running = job is not None and not job.finished
    result = assessment.result or {}
    context = {
        "assessment": assessment,
        "scheme": assessment.scheme,
        "items": result.get("items", []),
        "rows": _ranking(result, selectors.rows_for(request.user, assessment)),
        "manage": manage,
        "versions": list(assessment.versions.order_by("-version")) if manage else [],
        "latest": selectors.latest_version(assessment),
        "appeals": selectors.appeals_for(request.user, assessment),
        "review": user_can(request.user, C.APPEAL_REVIEW),
        "decide_form": DecideForm(),
        "confirm_form": ReasonForm(),
        "job": job if running else None,
        "view": job_live(job) if running and job is not None else None,
        "own_job": job is not None and job.owner_id == request.user.pk,
        "poll_seconds": 1,
    }
    return render(request, "oversight/assessment/detail.html", context)


@require_cap(C.ASSESSMENT_VIEW)
def subject_detail(request: HttpRequest, pk: int, subject: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    row = selectors.row_get_for_user(request.user, assessment, subject)
    if row is None:
        raise Http404
    may_appeal = subject in selectors.own_subjects(request.user)[assessment.scheme.subject]
    cells = []
    for cell in selectors.breakdown(assessment.result, row):
        records = [
            {"model": r[0], "pk": r[1], "title": r[2], "url": r[3], "hit": r[4],
             "appealable": may_appeal and selectors.appealable(cell["item"], r)}
            for r in cell.get("records", [])
        ]  # fmt: skip
        cells.append({**cell, "record_list": records})
    context = {
        "assessment": assessment,
        "row": {**row, "grade_label": _grade(row["grade"])},
        "cells": cells,
        "may_appeal": may_appeal,
        "review": user_can(request.user, C.APPEAL_REVIEW),
        "appeal_open": assessment.appeal_until is not None,
        "appeals": [a for a in selectors.appeals_for(request.user, assessment) if a.subject_id == subject],
    }
    return render(request, "oversight/assessment/subject.html", context)


@require_cap(C.ASSESSMENT_MANAGE)
@require_POST
def assessment_compute(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return _act(
        request,
        lambda: services.assessment_compute(actor=request.user, assessment=assessment),
        _("The scores are being computed."),
        _back(assessment),
    )


@require_cap(C.ASSESSMENT_MANAGE)
@require_POST
def assessment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else str(request.POST.get("reason", ""))[:2000]
    return _act(
        request,
        lambda: services.assessment_confirm(actor=request.user, assessment=assessment, reason=reason),
        _("The scores are confirmed and frozen."),
        _back(assessment),
    )


@require_cap(C.ASSESSMENT_MANAGE)
def manual_score(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    scheme = assessment.scheme
    items = [
        (i.pk, f"{i.label}（{i.min_score or 0:f}–{i.weight:f}）") for i in scheme.items.filter(kind=ItemKind.MANUAL)
    ]
    people = [(sid, name) for sid, name, _unit in selectors.subjects(scheme.subject)]
    form = ManualScoreForm(request.POST or None, items=items, subjects=people)

    def save(data: dict[str, Any]) -> Any:
        item = scheme.items.get(pk=data["item"])
        return services.manual_score_set(actor=request.user, assessment=assessment, item=item,
                                         subject_id=data["subject"], score=data["score"], reason=data["reason"])  # fmt: skip

    if request.method == "POST" and save_form(form, save) is not None:
        messages.success(request, _("Score saved."))
        return _back(assessment)
    scores = assessment.manual_scores.select_related("item", "scorer").order_by("item__order", "subject_id")
    names = dict(people)
    context = {
        "assessment": assessment,
        "form": form,
        "scores": [{"score": s, "name": names.get(s.subject_id, s.subject_id)} for s in scores],
    }
    return render(request, "oversight/assessment/manual.html", context)


@require_cap(C.ASSESSMENT_VIEW)
@require_POST
def appeal_file(request: HttpRequest, pk: int, subject: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    if selectors.row_get_for_user(request.user, assessment, subject) is None:
        raise Http404
    form = AppealForm(request.POST)
    then = redirect("oversight:assessment_subject", pk=assessment.pk, subject=subject)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the appeal."))
        return then
    data = form.cleaned_data
    return _act(
        request,
        lambda: services.appeal_file(
            actor=request.user,
            assessment=assessment,
            item_id=data["item"],
            subject_id=subject,
            record_model=data["model"],
            record_pk=data["record"],
            reason=data["reason"],
        ),
        _("Appeal filed; the coordination team reviews it."),
        then,
    )


@require_cap(C.APPEAL_REVIEW)
def appeal_list(request: HttpRequest) -> HttpResponse:
    appeals = selectors.with_subject_names(
        Appeal.objects.select_related("assessment__scheme", "item").order_by("status", "-filed_at", "-pk")
    )
    return render(
        request,
        "oversight/assessment/appeals.html",
        {"appeals": appeals, "form": DecideForm(), "pending": AppealStatus.PENDING},
    )


@require_cap(C.APPEAL_REVIEW)
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = Appeal.objects.filter(pk=pk).first()
    if appeal is None:
        raise Http404
    form = DecideForm(request.POST)
    then = redirect("oversight:assessment_appeals")
    if not form.is_valid():
        messages.error(request, _("Choose sustain or reject and give the reason."))
        return then
    data = form.cleaned_data
    return _act(
        request,
        lambda: services.appeal_decide(
            actor=request.user, appeal=appeal, sustain=data["decision"] == "sustain", reason=data["reason"]
        ),
        _("Appeal decided."),
        then,
    )


@require_cap(C.ASSESSMENT_MANAGE)
def assessment_export(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    from oversight import export_assessment

    assessment = _assessment(request, pk)
    if not assessment.result:
        raise Http404
    content, name, kind = export_assessment.export(assessment, fmt)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=kind)
