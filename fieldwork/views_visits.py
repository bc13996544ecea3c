"""Pages of field work: log a visit from a phone, the visit and its photos, lists, contact points, dual registration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_cap
from core.exceptions import DomainError
from core.forms import save_form
from core.privacy import mask_numbers
from core.roles import user_can
from core.sorting import sort_from_params, sorted_by
from fieldwork import services
from fieldwork.capabilities import FieldworkCap
from fieldwork.extensions import visit_extensions
from fieldwork.forms import RegistrationForm, RegistrationReportForm, VisitForm
from fieldwork.models import Registration, VisitKind, VisitPhoto
from fieldwork.selectors import (
    STALE_AFTER_DAYS,
    VisitFilter,
    contact_points_with_last_visit,
    may_see_numbers,
    person_of,
    registrations_visible_to,
    visit_get_for_user,
    visit_place_for,
    visits_visible_to,
)
from matters.capabilities import MatterCap
from org.models import Person, Unit, UnitKind

LATE_ENTRY_DAYS = 3


def _no_person(request: HttpRequest) -> HttpResponse:
    """An account that is no person of the organisation cannot log field work: say so instead of failing."""
    return render(request, "fieldwork/visit_no_person.html", status=403)


@require_cap(FieldworkCap.VISIT_LOG)
def visit_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        return _no_person(request)
    form = VisitForm(request.POST or None, request.FILES or None, person=person)
    # What the domain apps add to visits (fieldwork.extensions): every extension's fields, shown for their kinds.
    chosen_kind = request.POST.get("kind", "") if request.method == "POST" else None
    added = [
        (extension, extension.bound_form(request.POST or None, files=request.FILES or None, person=person))
        for extension in visit_extensions()
    ]

    def extension_data() -> dict[str, dict[str, Any]] | None:
        """The filled-in extensions of the chosen kind, checked; None when one of them is not valid."""
        data: dict[str, dict[str, Any]] = {}
        valid = True
        for extension, extension_form in added:
            if extension_form is None or not _checked(extension, extension_form, chosen_kind):
                continue
            if extension_form.is_valid():
                data[extension.key] = extension_form.cleaned_data
            else:
                valid = False
        return data if valid else None

    def save(_data: dict[str, Any]) -> Any:
        extras = extension_data()
        if extras is None:
            form.add_error(None, _("Check the fields marked below."))
            return None
        try:
            return services.visit_create(actor=request.user, person=person, extensions=extras, **form.service_args())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # Show each refusal beside the field the person filled in.
            remapped: dict[str | None, list[str]] = {}
            for name, errors in exc.error_dict.items():
                remapped.setdefault(form.service_field(name), []).extend(e for err in errors for e in err.messages)
            for target, msgs in remapped.items():
                form.add_error(target, msgs)
            return None

    if request.method == "POST":
        visit = save_form(form, save)
        if visit is not None:
            count = visit.matters.count()
            if count:
                messages.success(request, _("Visit saved, with %(n)d matters raised.") % {"n": count})
            else:
                messages.success(request, _("Visit saved."))
            return redirect("fieldwork:visit_detail", pk=visit.pk)
    shown = [
        (extension, _as_checked(extension, extension_form, chosen_kind, person)) for extension, extension_form in added
    ]
    return render(request, "fieldwork/visit_form.html", {"form": form, "person": person, "extensions": shown})


def _checked(extension: Any, extension_form: Any, chosen_kind: str | None) -> bool:
    """Whether a sent extension section was checked: of the chosen kind, and filled in (or always checked)."""
    if chosen_kind is None or extension_form is None or not extension.applies_to(chosen_kind):
        return False
    return bool(extension.always or extension_form.has_changed())


def _as_checked(extension: Any, extension_form: Any, chosen_kind: str | None, person: Any) -> Any:
    """A section sent back with the page: its errors if it was checked, else what was typed and no error (a
    section of another kind, or one left empty, was never checked, so its required fields are not missing)."""
    if extension_form is None or not extension_form.is_bound or _checked(extension, extension_form, chosen_kind):
        return extension_form
    blank = extension.bound_form(None, person=person)
    if blank is not None:
        blank.initial = {name: extension_form[name].value() for name in extension_form.fields}
    return blank


@require_cap(FieldworkCap.VISIT_LOG)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    late = (timezone.localdate(visit.entered_at) - visit.date).days
    photos = visit.photos.all()
    numbers = may_see_numbers(request.user, visit)
    place = visit_place_for(request.user, visit)
    services.visits_viewed(actor=request.user, visits=[visit], photos=bool(photos))
    context = {
        "visit": visit,
        "place": place if numbers else mask_numbers(place),
        "notes": visit.notes if numbers else mask_numbers(visit.notes),
        "late_reason": visit.late_reason if numbers else mask_numbers(visit.late_reason),
        "can_see_reporter": user_can(request.user, MatterCap.REPORTER_VIEW),
        "photos": photos,
        "matters": visit.matters.all(),
        "late_days": late if late > LATE_ENTRY_DAYS else 0,
        "may_delete": services.visit_may_delete(request.user, visit),
        "extension_panels": [e.panel_template for e in visit_extensions(visit.kind) if e.panel_template],
    }
    return render(request, "fieldwork/visit_detail.html", context)


@require_cap(FieldworkCap.VISIT_LOG)
def visit_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(VisitPhoto, pk=pk)
    visit_get_for_user(request.user, photo.visit_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@require_cap(FieldworkCap.VISIT_LOG)
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    try:
        services.visit_delete(actor=request.user, visit=visit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("fieldwork:visit_detail", pk=pk)
    messages.success(request, _("Visit deleted."))
    return redirect("fieldwork:visit_list")


# The columns the visit list sorts by (core.sorting): `?sort=-hours`; the default is newest first.
VISIT_SORTS: dict[str, tuple[str, ...]] = {
    "date": ("date", "start_time"),
    "person": ("person__name",),
    "kind": ("kind",),
    "unit": ("unit__name",),
    "hours": ("hours",),
}


@require_cap(FieldworkCap.VISIT_LOG)
def visit_list(request: HttpRequest) -> HttpResponse:
    see_all = user_can(request.user, FieldworkCap.VISITS_ALL)
    person = person_of(request.user)
    qs = visits_visible_to(request.user)
    f = VisitFilter.from_params(request.GET) if see_all else VisitFilter()
    if not see_all or request.GET.get("mine"):
        qs = qs.filter(person=person) if person is not None else qs.filter(created_by_id=request.user.pk)
    qs = f.apply(qs).annotate(n_matters=Count("matters")).order_by("-date", "-entered_at", "-id")
    qs = sorted_by(qs, sort_from_params(request.GET, VISIT_SORTS), VISIT_SORTS)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    shown: list[tuple[Any, list[str]]] = []
    for visit in page:
        place = visit_place_for(request.user, visit)
        numbers = may_see_numbers(request.user, visit)
        visit.shown_place = place if numbers else mask_numbers(place)  # type: ignore[attr-defined]
        # A late entry's reason (补录原因), for the teams that follow everyone's visits (supervision among them).
        visit.shown_late_reason = (visit.late_reason if numbers else mask_numbers(visit.late_reason)) if see_all else ""  # type: ignore[attr-defined]
        shown.append((visit, ["place_detail"] if visit.place_detail and place == visit.place_detail else []))
    # A household's description of a visit someone else made is on the page: who saw which is on record.
    services.visits_listed(actor=request.user, shown=shown)
    context: dict[str, Any] = {
        "page": page,
        "see_all": see_all,
        "mine": not see_all or bool(request.GET.get("mine")),
        "f": f,
        "person": person,
        "kinds": VisitKind.choices,
    }
    if see_all:
        context["people"] = Person.objects.filter(visits__isnull=False).distinct().order_by("name")
        context["units"] = Unit.objects.filter(
            kind__in=[UnitKind.COMMUNITY, UnitKind.ENTERPRISE, UnitKind.COMPOUND]
        ).order_by("kind", "order", "name")
    return render(request, "fieldwork/visit_list.html", context)


@require_cap(FieldworkCap.VISIT_LOG)
def contact_points(request: HttpRequest) -> HttpResponse:
    rows = contact_points_with_last_visit(request.user)
    return render(
        request,
        "fieldwork/contact_points.html",
        {"rows": rows, "person": person_of(request.user), "stale_after": STALE_AFTER_DAYS},
    )


@require_cap(FieldworkCap.VISIT_LOG)
def registration(request: HttpRequest) -> HttpResponse:
    """The current person's dual registration (双报到) and their reports (双报告)."""
    person = person_of(request.user)
    if person is None:
        return _no_person(request)
    current = Registration.objects.filter(person=person).select_related("community").first()
    which = request.POST.get("form") if request.method == "POST" else None
    initial = {"community": current.community, "registered_on": current.registered_on} if current else None
    register_form = RegistrationForm(request.POST if which == "register" else None, initial=initial, prefix="reg")
    report_form = RegistrationReportForm(request.POST if which == "report" else None, prefix="rep")
    if which == "register":
        done = save_form(register_form, lambda d: services.registration_set(actor=request.user, person=person, **d))
        if done is not None:
            messages.success(request, _("Registered with %(community)s.") % {"community": done.community.name})
            return redirect("fieldwork:registration")
    elif which == "report" and current is not None:
        filed = save_form(
            report_form,
            lambda d: services.registration_report_file(actor=request.user, registration=current, **d),
        )
        if filed is not None:
            messages.success(request, _("Report filed."))
            return redirect("fieldwork:registration")
    elif which == "report":
        messages.error(request, _("Register with your residential community before filing a report."))
    context = {
        "person": person,
        "current": current,
        "reports": current.reports.all() if current else [],
        "register_form": register_form,
        "report_form": report_form,
    }
    return render(request, "fieldwork/registration.html", context)


@require_cap(FieldworkCap.REGISTRATIONS_VIEW)
def registrations(request: HttpRequest) -> HttpResponse:
    """Who registered with which community (a community's handlers: their own community), with their last report."""
    see_all = user_can(request.user, FieldworkCap.VISITS_ALL)
    raw = (request.GET.get("community") or "").strip()
    community = int(raw) if see_all and raw.isdecimal() and len(raw) < 12 else None
    person = person_of(request.user)
    own = person.unit if person is not None and person.unit.kind == UnitKind.COMMUNITY else None
    qs = list(registrations_visible_to(request.user, community=community).order_by("community__order", "person__name"))
    services.registrations_listed(actor=request.user, registrations=qs)  # where each cadre lives: on record
    context = {
        "registrations": qs,
        "see_all": see_all,
        "community": community,
        "own": own,
        "communities": Unit.objects.filter(kind=UnitKind.COMMUNITY) if see_all else [],
    }
    return render(request, "fieldwork/registrations.html", context)
