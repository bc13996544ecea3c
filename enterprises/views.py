"""The enterprise line's pages: thin, reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_cap
from core.forms import form_page, save_form
from enterprises import selectors, services
from enterprises.capabilities import EnterpriseCap
from enterprises.forms import ContactForm, DeliveryForm, PolicyForm, ProfileForm, RatingForm
from enterprises.models import Demand, EnterpriseProfile, EnterpriseSize, Industry, Policy, Tag

NOT_VISITED_DAYS = 30


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_cap(EnterpriseCap.VIEW)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    days = _int(request.GET.get("not_visited_days"))
    since = timezone.localdate() - dt.timedelta(days=days) if days else None
    qs = selectors.profiles(
        industry=request.GET.get("industry", ""),
        size=request.GET.get("size", ""),
        tag=request.GET.get("tag", ""),
        contact_leader=_int(request.GET.get("contact_leader")),
        not_visited_since=since,
    )
    context = {
        "profiles": qs,
        "industries": Industry.objects.all(),
        "tags": Tag.objects.all(),
        "sizes": EnterpriseSize.choices,
        "params": request.GET,
    }
    return render(request, "enterprises/list.html", context)


@require_cap(EnterpriseCap.VIEW)
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(selectors.profiles(), pk=pk)
    matches = list(selectors.matches_of(enterprise=profile))
    context = {
        "profile": profile,
        "qualified": [m for m in matches if m.qualified],
        "near": [m for m in matches if not m.qualified],
        "demands": selectors.demands_of(profile),
        "deliveries": selectors.deliveries(enterprise=profile)[:50],
        "visits": selectors.visits_of(profile)[:20],
    }
    return render(request, "enterprises/detail.html", context)


@require_cap(EnterpriseCap.VIEW_CONTACTS)
def enterprise_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(EnterpriseProfile.objects.select_related("unit"), pk=pk)
    contacts = services.contacts_viewed(actor=request.user, profile=profile)
    return render(request, "enterprises/contacts.html", {"profile": profile, "contacts": contacts})


@require_cap(EnterpriseCap.EDIT)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(EnterpriseProfile.objects.select_related("unit"), pk=pk)
    return form_page(
        request,
        form=ContactForm(request.POST or None),
        save=lambda data: services.contact_add(actor=request.user, profile=profile, **data),
        success=_("Contact added."),
        then=lambda contact: redirect("enterprises:contacts", pk=profile.pk),
        title=_("Add a contact of %(enterprise)s") % {"enterprise": profile},
        back="enterprises:list",
    )


def _profile_save(request: HttpRequest, profile: EnterpriseProfile | None) -> Any:
    def save(data: dict[str, Any]) -> EnterpriseProfile:
        tags = data.pop("tags")
        if profile is None:
            return services.profile_create(actor=request.user, tags=tags, **data)
        services.profile_update(actor=request.user, profile=profile, data=data, tags=tags)
        return profile

    return save


@require_cap(EnterpriseCap.EDIT)
def enterprise_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=ProfileForm(request.POST or None),
        save=_profile_save(request, None),
        success=_("Enterprise profile saved."),
        then=lambda p: redirect("enterprises:detail", pk=p.pk),
        title=_("New enterprise profile"),
        back="enterprises:list",
    )


@require_cap(EnterpriseCap.EDIT)
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(EnterpriseProfile, pk=pk)
    copy = EnterpriseProfile.objects.get(pk=pk)
    return form_page(
        request,
        form=ProfileForm(request.POST or None, instance=copy),
        save=_profile_save(request, profile),
        success=_("Enterprise profile saved."),
        then=lambda p: redirect("enterprises:detail", pk=p.pk),
        title=_("Edit enterprise profile"),
        back="enterprises:list",
    )


@require_cap(EnterpriseCap.VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = Policy.objects.all()
    return render(request, "enterprises/policy_list.html", {"policies": policies, "today": timezone.localdate()})


@require_cap(EnterpriseCap.VIEW)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    matches = list(selectors.matches_of(policy=policy))
    context = {
        "policy": policy,
        "reach": selectors.reach(policy),
        "qualified": [m for m in matches if m.qualified],
        "near": [m for m in matches if not m.qualified],
    }
    return render(request, "enterprises/policy_detail.html", context)


@require_cap(EnterpriseCap.POLICY_EDIT)
def policy_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=PolicyForm(request.POST or None),
        save=lambda data: services.policy_create(actor=request.user, **data),
        success=_("Policy saved; its matches are computed."),
        then=lambda p: redirect("enterprises:policy_detail", pk=p.pk),
        title=_("New policy"),
        back="enterprises:policy_list",
    )


@require_cap(EnterpriseCap.POLICY_EDIT)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    return form_page(
        request,
        form=PolicyForm(request.POST or None, instance=Policy.objects.get(pk=pk)),
        save=lambda data: (services.policy_update(actor=request.user, policy=policy, data=data), policy)[1],
        success=_("Policy saved; its matches are computed."),
        then=lambda p: redirect("enterprises:policy_detail", pk=p.pk),
        title=_("Edit policy"),
        back="enterprises:policy_list",
    )


@require_cap(EnterpriseCap.DELIVER)
def delivery_create(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    initial = {
        "policy": _int(request.GET.get("policy")),
        "enterprise": _int(request.GET.get("enterprise")),
        "person": person.pk if person is not None else None,
        "delivered_on": timezone.localdate(),
    }
    return form_page(
        request,
        form=DeliveryForm(request.POST or None, initial=initial),
        save=lambda data: services.delivery_create(actor=request.user, **data),
        success=_("Delivery recorded."),
        then=lambda d: redirect("enterprises:detail", pk=d.enterprise_id),
        title=_("Record a policy delivery"),
        back="enterprises:list",
    )


def demand_rate(request: HttpRequest, link: str) -> HttpResponse:
    """The enterprise's own rating of its demand, through its link (no account; not public)."""
    demand = Demand.objects.select_related("matter", "enterprise__unit").filter(rating_token=link).first()
    if demand is None:
        return render(request, "enterprises/rate.html", {"invalid": True}, status=404)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        done = save_form(form, lambda data: services.demand_rate(token=link, rating=data["rating"]))
        if done is not None:
            return render(request, "enterprises/rate.html", {"demand": done, "thanks": True})
    return render(request, "enterprises/rate.html", {"demand": demand, "form": form})


@require_cap(EnterpriseCap.VIEW)
def service_board(request: HttpRequest) -> HttpResponse:
    """The enterprise service board: charts with their tables; ?table=<key>&format=xlsx downloads one table."""
    from enterprises import board

    days = _int(request.GET.get("days")) or board.NOT_VISITED_DAYS
    tables = board.board(timezone.localdate(), days)
    wanted = request.GET.get("table")
    if request.GET.get("format") == "xlsx":
        table = next((t for t in tables if t.key == wanted), None)
        if table is None:
            raise Http404
        response = HttpResponse(
            board.table_xlsx(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="enterprises-{table.key}.xlsx"'
        return response
    charts = {
        t.key: {"headers": t.headers, "rows": t.rows} for t in tables if t.key in ("demands", "policies", "served")
    }
    return render(request, "enterprises/board.html", {"tables": tables, "charts": charts, "days": days})


def _import_page(request: HttpRequest, form_class: Any, run: Any, title: str, lead: str) -> HttpResponse:
    """Upload a table: a dry run shows each row's errors; a real run writes all rows or none."""
    form = form_class(request.POST, request.FILES) if request.method == "POST" else form_class()
    context: dict[str, Any] = {"form": form, "title": title, "lead": lead}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["report"] = run(
            name=upload.name, data=upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    return render(request, "enterprises/import.html", context)


@require_cap(EnterpriseCap.EDIT)
def ledger_import(request: HttpRequest) -> HttpResponse:
    from enterprises.forms import LedgerImportForm
    from enterprises.importer import import_ledger

    lead = _(
        "One enterprise a row. An enterprise already on file is updated by its unified social credit code; a new "
        "code creates the enterprise. All rows are imported or none."
    )
    return _import_page(request, LedgerImportForm, import_ledger, _("Import the enterprise ledger"), lead)


@require_cap(EnterpriseCap.POLICY_EDIT)
def policy_import(request: HttpRequest) -> HttpResponse:
    from enterprises.forms import PolicyImportForm
    from enterprises.importer_policies import import_policies

    lead = _(
        "One policy a row; conditions written as 行业=铜产业,新材料; 从业人数>=100; 标签=高新技术企业. A policy imported "
        "before is left alone. All rows are imported or none."
    )
    return _import_page(request, PolicyImportForm, import_policies, _("Import a policy list"), lead)
