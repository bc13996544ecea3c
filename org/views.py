from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_cap
from core.forms import form_page, save_form
from core.roles import user_can
from org import selectors, services
from org.capabilities import OrgCap
from org.forms import ContactPointForm, PersonForm, TeamMemberForm, UnitForm
from org.models import ContactPoint, Person, PersonCategory, TeamMembership, Unit, UnitKind


def _int_or_none(raw: str | None) -> int | None:
    # isdecimal, not isdigit: int() refuses '²'; 12 digits: a larger number overflows the database's integer.
    return int(raw) if raw and raw.isdecimal() and len(raw) < 12 else None


@require_cap(OrgCap.VIEW)
def unit_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in UnitKind.values else ""
    q = request.GET.get("q", "").strip()[:60]
    nodes = selectors.unit_tree(kind=kind, q=q)
    return render(request, "org/unit_list.html", {"nodes": nodes, "kind": kind, "q": q, "kinds": UnitKind.choices})


@require_cap(OrgCap.VIEW)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    context = {
        "unit": unit,
        "children": unit.children.all(),
        "people": unit.people.select_related("user"),
        "memberships": unit.memberships.select_related("person", "person__unit"),
        "contact_points": unit.contact_points.select_related("leader"),
        "member_form": TeamMemberForm(team=unit) if unit.kind == UnitKind.WORK_TEAM else None,
    }
    return render(request, "org/unit_detail.html", context)


@require_cap(OrgCap.EDIT)
def unit_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=UnitForm(request.POST or None, initial={"parent": _int_or_none(request.GET.get("parent"))}),
        save=lambda data: services.unit_create(actor=request.user, **data),
        success=_("Unit created."),
        then=lambda unit: redirect("org:unit_detail", pk=unit.pk),
        title=_("New unit"),
        back="org:unit_list",
    )


@require_cap(OrgCap.EDIT)
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    return form_page(
        request,
        form=UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk)),
        save=lambda data: services.unit_update(actor=request.user, unit=unit, data=data),
        success=_("Unit saved."),
        then=lambda _changed: redirect("org:unit_detail", pk=unit.pk),
        title=_("Edit unit: %s") % unit.name,
    )


@require_cap(OrgCap.VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    unit_id = _int_or_none(request.GET.get("unit"))
    category = request.GET.get("category", "")
    category = category if category in PersonCategory.values else ""
    page = Paginator(selectors.people_list(q=q, unit_id=unit_id, category=category), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": q,
        "unit_id": unit_id,
        "category": category,
        "units": Unit.objects.exclude(kind=UnitKind.WORK_TEAM),
        "categories": PersonCategory.choices,
    }
    return render(request, "org/person_list.html", context)


@require_cap(OrgCap.VIEW)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("unit", "user"), pk=pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("team"),
        "contact_points": person.contact_points.select_related("unit"),
        "can_view_phone": user_can(request.user, OrgCap.PHONE_VIEW),
    }
    return render(request, "org/person_detail.html", context)


@require_POST
@require_cap(OrgCap.PHONE_VIEW)
def person_phone(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    phone = services.person_phone_viewed(actor=request.user, person=person)
    return render(request, "org/_phone.html", {"phone": phone})


@require_cap(OrgCap.EDIT)
def person_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=PersonForm(request.POST or None, initial={"unit": _int_or_none(request.GET.get("unit"))}),
        save=lambda data: services.person_create(actor=request.user, **data),
        success=_("Person created."),
        then=lambda person: redirect("org:person_detail", pk=person.pk),
        title=_("New person"),
        back="org:person_list",
    )


@require_cap(OrgCap.EDIT)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=pk))
    if not user_can(request.user, OrgCap.PHONE_VIEW):
        del form.fields["phone"]  # a phone is private: neither shown nor changed by those who may not see it
    elif request.method == "GET" and person.phone:
        services.person_phone_viewed(actor=request.user, person=person)  # the form shows it
    return form_page(
        request,
        form=form,
        save=lambda data: services.person_update(actor=request.user, person=person, data=data),
        success=_("Person saved."),
        then=lambda _changed: redirect("org:person_detail", pk=person.pk),
        title=_("Edit person: %s") % person,
    )


@require_cap(OrgCap.VIEW)
def team_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/team_list.html", {"teams": selectors.teams_with_members()})


@require_POST
@require_cap(OrgCap.EDIT)
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Unit, pk=pk)
    form = TeamMemberForm(request.POST, team=team)
    member = save_form(form, lambda data: services.team_member_add(actor=request.user, team=team, **data))
    if member is None:
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    else:
        messages.success(request, _("Member added."))
    return redirect("org:unit_detail", pk=team.pk)


@require_POST
@require_cap(OrgCap.EDIT)
def team_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(TeamMembership, pk=pk)
    team_pk = membership.team_id
    services.team_member_remove(actor=request.user, membership=membership)
    messages.success(request, _("Member removed."))
    return redirect("org:unit_detail", pk=team_pk)


@require_cap(OrgCap.VIEW)
def contact_point_list(request: HttpRequest) -> HttpResponse:
    points = selectors.contact_points_list(leader_id=_int_or_none(request.GET.get("leader")))
    return render(request, "org/contact_point_list.html", {"points": points})


@require_cap(OrgCap.EDIT)
def contact_point_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=ContactPointForm(request.POST or None),
        save=lambda data: services.contact_point_create(actor=request.user, **data),
        success=_("Contact point assigned."),
        then=lambda _point: redirect("org:contact_point_list"),
        title=_("Assign a contact point"),
        back="org:contact_point_list",
    )


@require_POST
@require_cap(OrgCap.EDIT)
def contact_point_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(ContactPoint, pk=pk)
    try:
        services.contact_point_delete(actor=request.user, point=point)
        messages.success(request, _("Contact point removed."))
    except ProtectedError:
        messages.error(request, _("This contact point is still referred to and cannot be removed."))
    return redirect("org:contact_point_list")
