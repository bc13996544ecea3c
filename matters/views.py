"""Back-office pages for matters: queues per role, the matter page with its actions, figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import audit_view
from core.access import require_cap
from core.exceptions import DomainError
from core.forms import save_form
from core.roles import Role, user_can, user_roles
from core.sorting import sort_from_params
from matters import figures, services
from matters.access import allowed_actions, matter_get_for_user, matters_visible_to, user_capacities
from matters.capabilities import MatterCap
from matters.deadlines import suggested_deadline
from matters.evidence import evidence_response
from matters.forms import ACTION_FORMS, BulkAssignForm, ExtensionForm, MatterCreateForm, SiteLocationForm
from matters.kinds import LIVELIHOOD, LIVELIHOOD_SPEC, kind_choices, kind_specs
from matters.models import REPORTER_FIELDS, Attachment, Extension, ExtensionStatus, Matter
from matters.selectors import (
    MATTER_SORTS,
    MatterFilter,
    matters_filter,
    matters_sorted,
    overdue_first,
    public_location,
)
from matters.workflow import Action, Capacity, Status
from org.models import Person, PersonCategory, Unit, UnitKind

TABS = {
    "intake": gettext_lazy("Intake queue"),
    "unit": gettext_lazy("My unit's matters"),
    "lead": gettext_lazy("Matters I lead"),
    "all": gettext_lazy("All matters"),
}


def _default_tab(request: HttpRequest) -> str:
    roles = user_roles(request.user)
    if Role.COORDINATOR in roles:
        return "intake"
    if Role.LEADER in roles:
        return "lead"
    if roles & {Role.HANDLER, Role.CADRE}:
        return "unit"
    return "all"


def _tab_queryset(request: HttpRequest, tab: str) -> Any:
    qs = matters_visible_to(request.user)
    person = getattr(request.user, "person", None)
    if tab == "intake":
        return qs.filter(status__in=[Status.REPORTED, Status.ACCEPTED])
    if tab == "lead":
        return qs.filter(leads=person) if person else qs.none()
    if tab == "unit":
        if person is None:
            return qs.none()
        return qs.filter(pk__in=Matter.objects.filter(units=person.unit_id).values("pk")) | (
            qs.filter(all_communities=True) if person.unit.kind == UnitKind.COMMUNITY else qs.none()
        )
    return qs


@require_cap(MatterCap.VIEW)
def matter_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") or _default_tab(request)
    tab = tab if tab in TABS else "all"
    f = MatterFilter.from_params(request.GET)
    sort = sort_from_params(request.GET, MATTER_SORTS)
    qs = matters_sorted(overdue_first(matters_filter(_tab_queryset(request, tab), f).distinct()), sort)
    page = Paginator(qs.select_related("category").prefetch_related("leads", "units"), 30).get_page(
        request.GET.get("page")
    )
    # Filtered to one kind, the list shows that kind's own columns too (matters.kinds.KindSpec.columns).
    kind = kind_specs()[f.kind] if f.kind else None
    if kind is not None and kind.columns:
        page.object_list = shown = list(page.object_list)
        kind.details_for(shown)
        for matter in shown:
            matter.kind_cells = kind.cells(matter)
    context = {
        "page": page,
        "tab": tab,
        "sort": sort,
        "tabs": TABS,
        "f": f,
        "statuses": Status.choices,
        "kinds": kind_choices(),
        "kind_columns": kind.columns if kind is not None else (),
        "units": Unit.objects.filter(kind=UnitKind.DEPARTMENT),
        "communities": Unit.objects.filter(kind=UnitKind.COMMUNITY),
        "leaders": Person.objects.filter(category=PersonCategory.LEADER),
        "today": timezone.localdate(),
        "can_triage": user_can(request.user, MatterCap.TRIAGE),
        "can_see_reporter": user_can(request.user, MatterCap.REPORTER_VIEW),
        "bulk_form": BulkAssignForm() if user_can(request.user, MatterCap.TRIAGE) else None,
    }
    if context["can_see_reporter"]:  # numbers typed into the problems are shown unmasked: on record
        services.matters_listed(actor=request.user, action="matters.view_list", shown=[(m, ["problem"]) for m in page])
    template = "matters/_matter_table.html" if request.headers.get("HX-Request") else "matters/matter_list.html"
    return render(request, template, context)


@require_cap(MatterCap.CREATE)
def matter_create(request: HttpRequest) -> HttpResponse:
    """Register a matter; a kind with data of its own (matters.kinds) adds its fields, `?kind=` chooses it."""
    chosen = request.POST.get("kind") or request.GET.get("kind") or LIVELIHOOD
    spec = kind_specs().get(chosen, LIVELIHOOD_SPEC)
    form = MatterCreateForm(request.POST or None, initial={"kind": spec.code})
    kind_form = spec.detail_form(prefix="kind") if spec.detail_form is not None else None
    if request.method == "POST":
        kind_data = {
            name: request.POST.get(f"kind-{name}", "") for name in (kind_form.fields if kind_form is not None else ())
        }
        result = save_form(form, lambda d: services.matter_create(actor=request.user, kind_data=kind_data or None, **d))
        if result is not None:
            matter, _created = result
            messages.success(request, _("Matter %(code)s registered.") % {"code": matter.code})
            return redirect("matters:detail", pk=matter.pk)
        if kind_form is not None:
            kind_form = spec.detail_form(request.POST, prefix="kind")  # type: ignore[misc]
            kind_form.is_valid()  # show its field errors beside its fields
    context = {
        "form": form,
        "title": _("Register a matter"),
        "back": "matters:list",
        "extra_form": kind_form,
        "extra_legend": spec.label,
    }
    return render(request, "core/form_page.html", context)


def _timeline(matter: Matter) -> list[dict[str, Any]]:
    """Everything that happened to the matter, oldest first."""
    entries: list[dict[str, Any]] = []
    for t in matter.transitions.select_related("actor__person"):
        entries.append({"at": t.at, "type": "transition", "obj": t})
    for r in matter.reports.prefetch_related("attachments"):
        entries.append({"at": r.at, "type": "report", "obj": r})
    for e in matter.deadline_events.all():
        entries.append({"at": e.at, "type": "deadline", "obj": e})
    for x in matter.extensions.all():
        entries.append({"at": x.requested_at, "type": "extension", "obj": x})
    return sorted(entries, key=lambda e: (e["at"], e["type"] != "transition"))


_LABELS = {field.name: field.verbose_name for field in Matter._meta.concrete_fields if field.name in REPORTER_FIELDS}


def _deadline_initial(matter: Matter) -> dict[str, Any]:
    """The assign form's deadline fields: a month deadline in the month box, a day in the day box."""
    if matter.deadline is not None and matter.deadline_precision == "month":
        return {"deadline_month": matter.deadline.strftime("%Y-%m")}
    return {"deadline": matter.deadline or suggested_deadline(matter.category)}


def _panel_context(request: HttpRequest, matter: Matter, forms: dict[str, Any] | None = None) -> dict[str, Any]:
    allowed = allowed_actions(request.user, matter)
    action_forms = forms or {}
    for action in allowed:
        if action.value not in action_forms:
            initial: dict[str, Any] = {"expected_status": matter.status}
            if action == Action.ASSIGN:
                initial.update(
                    task=matter.task or matter.problem,
                    **_deadline_initial(matter),
                    leads=list(matter.leads.all()),
                    units=list(matter.units.all()),
                    all_communities=matter.all_communities,
                    budget_yuan=matter.budget_yuan,
                )
            if action == Action.PROGRESS:
                initial["percent"] = matter.progress
            action_forms[action.value] = ACTION_FORMS[action](initial=initial, prefix=action.value, matter=matter)
    pending = matter.extensions.filter(status=ExtensionStatus.PENDING).first()
    person = getattr(request.user, "person", None)
    can_see_reporter = user_can(request.user, MatterCap.REPORTER_VIEW)
    shown = [name for name in REPORTER_FIELDS if getattr(matter, name)] if can_see_reporter else []
    if shown:  # the reporter's details are on the page: who saw them is on record
        audit_view(actor=request.user, action="matters.view_reporter", target=matter, fields=shown, label=matter.code)
    return {
        "matter": matter,
        "timeline": _timeline(matter),
        # The photo the resident sent with the report (no progress report): shown here, never in public.
        "reporter_photos": list(
            matter.attachments.filter(report__isnull=True, content_type__startswith="image/").order_by("id")
        ),
        "actions": [(a, action_forms[a.value]) for a in allowed],
        "today": timezone.localdate(),
        "overdue": matter.is_overdue(timezone.localdate()),
        "leads": matter.leads.all(),
        "units": matter.units.all(),
        "duplicates": matter.duplicates.all(),
        "can_see_reporter": can_see_reporter,
        "reporter": [(_LABELS[name], getattr(matter, name)) for name in shown],
        "pending_extension": pending,
        "can_decide_extension": pending is not None
        and person is not None
        and matter.leads.filter(pk=person.pk).exists(),
        "can_request_extension": pending is None
        and matter.status in (Status.ASSIGNED, Status.IN_PROGRESS)
        and Capacity.HANDLER in user_capacities(request.user, matter),
        # The kind's own panel (a petition case, an enterprise demand …), if it has one.
        "kind_panel": matter.kind_spec.panel_template,
        "kind_detail": matter.kind_detail,
        "extension_form": ExtensionForm(),
        "public_location": public_location(matter),
        "can_set_site": bool(user_capacities(request.user, matter) & {Capacity.COORDINATOR, Capacity.HANDLER}),
        "site_form": SiteLocationForm(
            initial={"site_latitude": matter.site_latitude, "site_longitude": matter.site_longitude}
        ),
        "is_htmx": bool(request.headers.get("HX-Request")),
    }


@require_cap(MatterCap.VIEW)
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = matter_get_for_user(request.user, pk)
    return render(request, "matters/matter_detail.html", _panel_context(request, matter))


@require_POST
@require_cap(MatterCap.VIEW)
def matter_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action from the matter page; answer the refreshed panel (HTMX) or redirect."""
    matter = matter_get_for_user(request.user, pk)
    try:
        act = Action(action)
    except ValueError:
        raise Http404 from None
    # The assign form's initial deadline as the page showed it: a suggested day left untouched yields to a month.
    initial = _deadline_initial(matter) if act == Action.ASSIGN else None
    form = ACTION_FORMS[act](request.POST, request.FILES, prefix=act.value, matter=matter, initial=initial)
    done = save_form(
        form,
        lambda d: services.matter_transition(
            matter=matter,
            action=act,
            actor=request.user,
            reason=d.pop("reason", "") or "",
            expected_status=d.pop("expected_status", "") or None,
            **d,
        ),
    )
    if done is not None:
        messages.success(request, _("Done: %(action)s.") % {"action": act.label})
        matter = matter_get_for_user(request.user, pk)
        forms = None
    else:
        forms = {act.value: form}
    if not request.headers.get("HX-Request"):
        if done is None:
            for errors in form.errors.values():
                messages.error(request, " ".join(str(e) for e in errors))
        return redirect("matters:detail", pk=pk)
    return render(request, "matters/_matter_panel.html", _panel_context(request, matter, forms))


@require_POST
@require_cap(MatterCap.VIEW)
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    matter = matter_get_for_user(request.user, pk)
    form = ExtensionForm(request.POST)
    if save_form(form, lambda d: services.extension_request(matter=matter, actor=request.user, **d)) is not None:
        messages.success(request, _("Extension requested; a lead will decide."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("matters:detail", pk=pk)


@require_POST
@require_cap(MatterCap.VIEW)
def matter_site(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish (or withdraw) the work site's location from the matter page."""
    matter = matter_get_for_user(request.user, pk)
    form = SiteLocationForm(request.POST)
    done = save_form(
        form,
        lambda d: services.matter_site_location_set(
            matter=matter, actor=request.user, latitude=d.get("site_latitude"), longitude=d.get("site_longitude")
        ),
    )
    if done is not None:
        messages.success(request, _("The public location is saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("matters:detail", pk=pk)


@require_POST
@require_cap(MatterCap.VIEW)
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk)
    matter_get_for_user(request.user, extension.matter_id)
    try:
        services.extension_decide(extension=extension, actor=request.user, approve=request.POST.get("approve") == "1")
        messages.success(request, _("Decision recorded."))
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])))
    return redirect("matters:detail", pk=extension.matter_id)


@require_POST
@require_cap(MatterCap.TRIAGE)
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign several accepted matters to the same units, leads and deadline; each keeps its own task."""
    form = BulkAssignForm(request.POST)
    # Ids beyond 18 digits cannot be primary keys (and would overflow PostgreSQL's bigint).
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdecimal() and len(i) < 19][:200]
    if not ids:
        messages.error(request, _("Select the matters to assign."))
    elif form.is_valid():
        matters = matters_visible_to(request.user).filter(pk__in=ids)
        done, refused = services.matters_bulk_assign(matters=matters, actor=request.user, **form.cleaned_data)
        if done:
            messages.success(request, _("%(n)d matters assigned.") % {"n": len(done)})
        for matter, reason in refused:
            messages.error(request, f"{matter.code}: {reason}")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/matters/") else "matters:list")


@require_cap(MatterCap.VIEW)
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Any attachment of a matter the user may see (the back office's own address; the public's is portal:evidence)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    matter_get_for_user(request.user, attachment.matter_id)
    return evidence_response(attachment)


@require_cap(MatterCap.FIGURES_VIEW)
def figures_page(request: HttpRequest) -> HttpResponse:
    start, end = figures.period_from(request.GET)
    if request.GET.get("format") == "csv":
        response = HttpResponse(figures.report_csv(figures.report(start, end)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="figures-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
        return response
    qs = figures.period_matters(start, end)
    by_unit = figures.rates_by_unit(qs)
    series = [
        ("response", _("Response rate")),
        ("resolution", _("Resolution rate")),
        ("public_satisfaction", _("Public satisfaction rate")),
        ("callback_satisfaction", _("Callback satisfaction rate")),
        ("on_time", _("On-time completion rate")),
    ]
    context = {
        "start": start,
        "end": end,
        "overall": figures.rates(qs),
        "by_unit": by_unit,
        "chart": {
            "units": [unit.name for unit, _r in by_unit],
            "series": [{"name": str(label), "values": [getattr(r, key) for _u, r in by_unit]} for key, label in series],
        },
    }
    return render(request, "matters/figures.html", context)
