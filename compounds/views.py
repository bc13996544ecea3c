"""The compounds' pages: the list, a compound's page, its meetings (with minutes), votes, assessments, ranking."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from audit.services import audit_view
from compounds import minutes, selectors, services
from compounds.capabilities import CompoundCap
from compounds.forms import (
    AssessmentForm,
    ChecklistForm,
    ChecklistItemForm,
    CommitteeMemberForm,
    DecisionMatterForm,
    MeetingForm,
    ProfileForm,
    RatingsForm,
    TitleForm,
    VoteForm,
)
from compounds.models import Checklist, CompoundProfile, Decision, LinkageMeeting
from compounds.models.meetings import HEADINGS, SIDES
from compounds.models.profile import PRIVATE_FIELDS
from core.access import require_cap
from core.forms import form_page, save_form


def _profile(pk: int) -> CompoundProfile:
    return get_object_or_404(CompoundProfile.objects.select_related("compound__parent"), pk=pk)


def _editable(request: HttpRequest, profile: CompoundProfile) -> None:
    if not selectors.can_edit(request.user, profile):
        raise PermissionDenied


@require_cap(CompoundCap.VIEW)
def compound_list(request: HttpRequest) -> HttpResponse:
    context = {"compounds": selectors.compounds_listed(), "talks": selectors.talk_figures()}
    return render(request, "compounds/list.html", context)


@require_cap(CompoundCap.VIEW)
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(pk)
    private = selectors.can_see_private(request.user, profile)
    if private:
        audit_view(
            actor=request.user,
            action="compounds.profile.view_private",
            target=profile,
            fields=[*PRIVATE_FIELDS, "committee"],
        )
    context = {
        "profile": profile,
        "private": private,
        "editable": selectors.can_edit(request.user, profile),
        "committee": profile.committee.all() if private else [],
        "matters": selectors.compound_matters(profile)[:50],
        "points": selectors.compound_points(profile),
        "meetings": selectors.meetings_of(profile),
        "assessments": profile.assessments.select_related("checklist").prefetch_related("scores__item"),
        "titles": profile.titles.all(),
        "talks": profile.talks.select_related("visit"),
    }
    return render(request, "compounds/detail.html", context)


@require_cap(CompoundCap.EDIT)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(pk)
    _editable(request, profile)
    return form_page(
        request,
        form=MeetingForm(request.POST or None),
        save=lambda data: services.meeting_create(actor=request.user, profile=profile, **data),
        success=_("Linkage meeting recorded."),
        then=lambda meeting: redirect("compounds:meeting", pk=meeting.pk),
        title=_("New linkage meeting · %(compound)s") % {"compound": profile.compound.name},
    )


def _meeting(pk: int) -> LinkageMeeting:
    return get_object_or_404(LinkageMeeting.objects.select_related("compound__compound"), pk=pk)


@require_cap(CompoundCap.VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    private = selectors.can_see_private(request.user, meeting.compound)
    if private:
        audit_view(
            actor=request.user,
            action="compounds.meeting.view_private",
            target=meeting,
            fields=[field for field, _label in SIDES] + ["votes"],
        )
    context = {
        "meeting": meeting,
        "private": private,
        "editable": selectors.can_edit(request.user, meeting.compound),
        "sides": [(label, meeting.attendees(field)) for field, label in SIDES],
        "headings": [(label, getattr(meeting, field)) for field, label in HEADINGS],
        "decisions": meeting.decisions.select_related("matter", "vote"),
    }
    return render(request, "compounds/meeting.html", context)


@require_cap(CompoundCap.VIEW)
def meeting_minutes(request: HttpRequest, pk: int) -> FileResponse:
    meeting = _meeting(pk)
    private = selectors.can_see_private(request.user, meeting.compound)
    if private:
        audit_view(
            actor=request.user,
            action="compounds.meeting.minutes_private",
            target=meeting,
            fields=[field for field, _label in SIDES],
        )
    out = io.BytesIO()
    minutes.write(meeting, out, private=private)
    out.seek(0)
    name = f"minutes-{meeting.held_on:%Y%m%d}-{meeting.pk}.docx"
    return FileResponse(out, as_attachment=True, filename=name)


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("meeting__compound__compound"), pk=pk)
    _editable(request, decision.meeting.compound)
    return decision


@require_cap(CompoundCap.EDIT)
def decision_matter(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    return form_page(
        request,
        form=DecisionMatterForm(request.POST or None),
        save=lambda data: services.decision_to_matter(actor=request.user, decision=decision, **data),
        success=_("The decision is now a matter."),
        then=lambda matter: redirect("compounds:meeting", pk=decision.meeting_id),
        title=_("Make the decision a matter"),
    )


@require_cap(CompoundCap.EDIT)
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    if not selectors.can_see_private(request.user, decision.meeting.compound):
        raise PermissionDenied
    return form_page(
        request,
        form=VoteForm(request.POST or None),
        save=lambda data: services.vote_record(actor=request.user, decision=decision, **data),
        success=_("Owners' vote recorded."),
        then=lambda vote: redirect("compounds:meeting", pk=decision.meeting_id),
        title=_("Owners' vote (Civil Code art. 278)"),
    )


@require_cap(CompoundCap.ASSESS)
def assessment_create(request: HttpRequest, pk: int, checklist: int) -> HttpResponse:
    profile = _profile(pk)
    sheet = get_object_or_404(Checklist, pk=checklist)
    form = AssessmentForm(request.POST or None, request.FILES or None, items=list(sheet.items.all()))
    if request.method == "POST":
        result = save_form(
            form,
            lambda data: services.assessment_record(
                actor=request.user,
                checklist=sheet,
                profile=profile,
                period=data["period"],
                scores=form.scores(),
                evidence=form.photos(),
            ),
        )
        if result is not None:
            messages.success(request, _("Assessment recorded."))
            return redirect("compounds:detail", pk=profile.pk)
    title = _("Assess %(compound)s · %(checklist)s") % {"compound": profile.compound.name, "checklist": sheet.name}
    return render(request, "compounds/assess.html", {"form": form, "title": title, "profile": profile})


@require_cap(CompoundCap.VIEW)
def ranking(request: HttpRequest) -> HttpResponse:
    periods = selectors.periods()
    period = request.GET.get("period") or (periods[0] if periods else "")
    context = {
        "periods": periods,
        "period": period,
        "ranked": selectors.ranking(period=period) if period in periods else [],
        "checklists": Checklist.objects.select_related("campaign").prefetch_related("items"),
        "compounds": selectors.compounds_listed(),
    }
    return render(request, "compounds/ranking.html", context)


@require_cap(CompoundCap.EDIT)
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(pk)
    _editable(request, profile)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method != "POST":
        audit_view(
            actor=request.user, action="compounds.profile.view_private", target=profile, fields=list(PRIVATE_FIELDS)
        )
    return form_page(
        request,
        form=form,
        save=lambda data: services.profile_update(
            actor=request.user, profile=CompoundProfile.objects.get(pk=pk), data=data
        ),
        success=_("Compound saved."),
        then=lambda changed: redirect("compounds:detail", pk=pk),
        title=_("Edit %(compound)s") % {"compound": profile.compound.name},
    )


@require_cap(CompoundCap.EDIT)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(pk)
    _editable(request, profile)
    return form_page(
        request,
        form=CommitteeMemberForm(request.POST or None),
        save=lambda data: services.committee_member_add(actor=request.user, profile=profile, **data),
        success=_("Committee member added."),
        then=lambda member: redirect("compounds:detail", pk=pk),
        title=_("Owners' committee member · %(compound)s") % {"compound": profile.compound.name},
    )


@require_cap(CompoundCap.EDIT)
def ratings_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(pk)
    _editable(request, profile)
    form = RatingsForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: services.ratings_record(
            actor=request.user, profile=profile, rated_on=data["rated_on"], counts=form.counts()
        ),
        success=_("Residents' ratings recorded."),
        then=lambda ratings: redirect("compounds:detail", pk=pk),
        title=_("Residents rate the property company · %(compound)s") % {"compound": profile.compound.name},
    )


@require_cap(CompoundCap.ASSESS)
def checklist_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=ChecklistForm(request.POST or None),
        save=lambda data: services.checklist_create(actor=request.user, **data),
        success=_("Checklist created. Add its items next."),
        then=lambda checklist: redirect("compounds:item_add", pk=checklist.pk),
        title=_("New civilized compound checklist"),
    )


@require_cap(CompoundCap.ASSESS)
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(Checklist, pk=pk)
    return form_page(
        request,
        form=ChecklistItemForm(request.POST or None),
        save=lambda data: services.checklist_item_add(actor=request.user, checklist=sheet, **data),
        success=_("Item added."),
        then=lambda item: redirect("compounds:ranking"),
        title=_("New item · %(checklist)s") % {"checklist": sheet.name},
    )


@require_cap(CompoundCap.ASSESS)
def title_award(request: HttpRequest, pk: int, checklist: int) -> HttpResponse:
    profile = _profile(pk)
    sheet = get_object_or_404(Checklist, pk=checklist)
    return form_page(
        request,
        form=TitleForm(request.POST or None),
        save=lambda data: services.title_award(actor=request.user, profile=profile, checklist=sheet, **data),
        success=_("Title awarded."),
        then=lambda award: redirect("compounds:detail", pk=pk),
        title=_("Award a title · %(compound)s") % {"compound": profile.compound.name},
    )
