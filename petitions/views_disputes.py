"""Dispute screening pages: the list with its early warnings, a new entry, an entry's page and its steps, rounds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_view
from core.access import require_cap
from core.forms import save_form
from core.roles import user_can
from petitions import disputes as service
from petitions.capabilities import PetitionCap
from petitions.forms_disputes import (
    DisputeForm,
    EscalateForm,
    FollowUpForm,
    RecolourForm,
    ResolveForm,
    RoundForm,
    communities,
)
from petitions.models import Dispute


def _get(request: HttpRequest, pk: int) -> Dispute:
    dispute = service.disputes_visible_to(request.user).filter(pk=pk).first()
    if dispute is None:
        raise Http404
    return dispute


@require_cap(PetitionCap.DISPUTES)
def dispute_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "disputes": service.disputes_visible_to(request.user).filter(status="open")[:200],
        "warnings": service.early_warnings(request.user, today),
        "can_raise": user_can(request.user, PetitionCap.DISPUTES_WORK),
    }
    return render(request, "petitions/dispute_list.html", context)


@require_cap(PetitionCap.DISPUTES_WORK)
def dispute_new(request: HttpRequest) -> HttpResponse:
    form = DisputeForm(request.POST or None, initial={"raised_on": timezone.localdate()})

    def save(d: dict[str, Any]) -> Dispute:
        party = {"name": d.pop("party_name"), "phone": d.pop("party_phone"), "id_number": d.pop("party_id_number")}
        return service.dispute_create(actor=request.user, parties=[party] if party["name"] else [], **d)

    if request.method == "POST":
        dispute = save_form(form, save)
        if dispute is not None:
            messages.success(request, _("Dispute recorded."))
            return redirect("petitions:dispute_detail", pk=dispute.pk)
    context = {"form": form, "title": _("Record a dispute"), "back": "petitions:dispute_list"}
    return render(request, "core/form_page.html", context, status=400 if request.method == "POST" else 200)


def _context(request: HttpRequest, dispute: Dispute, **forms: Any) -> dict[str, Any]:
    personal = service.can_see_parties(request.user, dispute)
    if personal:
        audit_view(actor=request.user, action="petitions.view_parties", target=dispute, fields=["parties", "summary"])
    parties = list(dispute.parties.all())
    return {
        "dispute": dispute,
        "personal": personal,
        "parties": parties if personal else [],
        "party_count": len(parties),
        "summary": dispute.summary if personal else service.anonymised(dispute.summary, parties),
        "history": list(dispute.colour_changes.all()),
        "can_act": service.can_act(request.user, dispute) and dispute.status == "open",
        "recolour_form": forms.get("recolour_form") or RecolourForm(prefix="c"),
        "follow_form": forms.get("follow_form") or FollowUpForm(prefix="f", initial={"on": timezone.localdate()}),
        "resolve_form": forms.get("resolve_form") or ResolveForm(prefix="r"),
        "escalate_form": forms.get("escalate_form") or EscalateForm(prefix="e"),
    }


@require_cap(PetitionCap.DISPUTES)
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "petitions/dispute_detail.html", _context(request, _get(request, pk)))


def _step(request: HttpRequest, pk: int, key: str, form: Any, save: Any) -> HttpResponse:
    dispute = _get(request, pk)
    if not service.can_act(request.user, dispute):
        raise PermissionDenied
    if save_form(form, lambda d: save(dispute, d)) is not None:
        messages.success(request, _("Saved."))
        return redirect("petitions:dispute_detail", pk=dispute.pk)
    return render(request, "petitions/dispute_detail.html", _context(request, dispute, **{key: form}), status=400)


@require_POST
@require_cap(PetitionCap.DISPUTES_WORK)
def dispute_recolour(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "recolour_form",
        RecolourForm(request.POST, prefix="c"),
        lambda x, d: service.dispute_recolour(actor=request.user, dispute=x, **d),
    )


@require_POST
@require_cap(PetitionCap.DISPUTES_WORK)
def dispute_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "follow_form",
        FollowUpForm(request.POST, prefix="f"),
        lambda x, d: service.dispute_follow_up(actor=request.user, dispute=x, **d),
    )


@require_POST
@require_cap(PetitionCap.DISPUTES_WORK)
def dispute_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "resolve_form",
        ResolveForm(request.POST, prefix="r"),
        lambda x, d: service.dispute_resolve(actor=request.user, dispute=x, **d),
    )


@require_POST
@require_cap(PetitionCap.DISPUTES_WORK)
def dispute_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "escalate_form",
        EscalateForm(request.POST, prefix="e"),
        lambda x, d: service.dispute_escalate(actor=request.user, dispute=x, to=d["to"], owners=list(d["owners"])),
    )


@require_cap(PetitionCap.DISPUTES)
def screening(request: HttpRequest) -> HttpResponse:
    """The screening rounds: record one (or a 零报告), and each community's report for a month."""
    today = timezone.localdate()
    month = request.GET.get("month", "")
    try:
        year, number = (int(part) for part in month.split("-")) if month else (today.year, today.month)
        if not 1 <= number <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year, number = today.year, today.month
    form = RoundForm(request.POST or None, prefix="s", initial={"day": today})
    if request.method == "POST":
        if not user_can(request.user, PetitionCap.DISPUTES_WORK):
            raise PermissionDenied
        if save_form(form, lambda d: service.round_record(actor=request.user, **d)) is not None:
            messages.success(request, _("Screening round recorded."))
            return redirect("petitions:screening")
    reports = [service.month_report(community, year, number) for community in communities()]
    context = {
        "form": form,
        "reports": reports,
        "month": f"{year:04d}-{number:02d}",
        "can_record": user_can(request.user, PetitionCap.DISPUTES_WORK),
    }
    return render(request, "petitions/screening.html", context, status=400 if request.method == "POST" else 200)
