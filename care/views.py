"""Care's back office: households (each view on record), their members, pairings, help and micro-wishes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from care import services
from care.capabilities import CareCap
from care.forms import ConfirmForm, HelpForm, HouseholdForm, LedgerImportForm, MemberForm, PairingForm, WishForm
from care.models import Pairing, Wish, WishState
from care.selectors import household_get_for_user, households_visible_to, user_may_edit_household, wishes_visible_to
from core.access import require_cap
from core.exceptions import DomainError, NotAllowed
from core.forms import form_page
from core.roles import Role, user_roles
from org.models import Unit, UnitKind


def _errors(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    assert isinstance(exc, ValidationError)
    return " ".join(str(m) for m in exc.messages)


def _back(household_id: int) -> str:
    return reverse("care:household_detail", args=[household_id])


def _refused(request: HttpRequest, form: Any, back: str) -> HttpResponse:
    """A button's form that did not validate: its errors as messages on the page it came from."""
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect(back)


def act(request: HttpRequest, run: Callable[[], Any], success: str, back: str) -> HttpResponse:
    """Run a service for a button; a refusal is a message on the page it came from, and nothing is written."""
    try:
        run()
    except (ValidationError, DomainError) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, success)
    return redirect(back)


@require_GET
@require_cap(CareCap.HOUSEHOLD_VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    households = list(
        households_visible_to(request.user)
        .select_related("community", "compound")
        .prefetch_related("categories", "members")[:300]
    )
    services.households_listed(
        actor=request.user, households=[h for h in households if h.members.all()], fields=["members.name"]
    )
    return render(request, "care/household_list.html", {"households": households})


def _communities_for(user: Any) -> Any:
    communities = Unit.objects.filter(kind=UnitKind.COMMUNITY)
    if Role.COORDINATOR in user_roles(user):
        return communities
    person = getattr(user, "person", None)
    return communities.filter(pk=person.unit_id) if person is not None else communities.none()


@require_http_methods(["GET", "POST"])
@require_cap(CareCap.HOUSEHOLD_EDIT)
def household_new(request: HttpRequest) -> HttpResponse:
    form = HouseholdForm(request.POST or None, communities=_communities_for(request.user))
    return form_page(
        request,
        form=form,
        save=lambda data: services.household_create(actor=request.user, **data),
        success=_("Household registered."),
        then=lambda household: redirect("care:household_detail", pk=household.pk),
        title=_("Register a household in need"),
        back="care:household_list",
    )


@require_GET
@require_cap(CareCap.HOUSEHOLD_VIEW)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get_for_user(request.user, pk)
    services.household_viewed(actor=request.user, household=household)
    editable = user_may_edit_household(request.user, household)
    pairings = household.pairings.select_related("cadre").prefetch_related("helps")
    context = {
        "household": household,
        "members": household.members.all(),
        "pairings": pairings,
        "wishes": household.wishes.all(),
        "editable": editable,
        "member_form": MemberForm(),
        "wish_form": WishForm(),
        "pairing_form": PairingForm(),
        "help_form": HelpForm(),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "care/household_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_cap(CareCap.HOUSEHOLD_EDIT)
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get_for_user(request.user, pk)
    initial = {
        name: getattr(household, name)
        for name in ("community", "compound", "address", "situation", "needs", "last_reviewed_on")
    }
    initial["categories"] = list(household.categories.all())
    form = HouseholdForm(request.POST or None, initial=initial, communities=_communities_for(request.user))

    def save(data: dict[str, Any]) -> Any:
        if not user_may_edit_household(request.user, household):
            raise NotAllowed(_("Only the household's community changes its record."))
        services.household_update(actor=request.user, household=household, data=data)
        return household

    if request.method == "GET":
        services.household_viewed(actor=request.user, household=household, fields=["address", "situation", "needs"])
    return form_page(
        request,
        form=form,
        save=save,
        success=_("Household updated."),
        then=lambda h: redirect("care:household_detail", pk=h.pk),
        title=household.code,
        back="care:household_list",
    )


def _form_action(
    request: HttpRequest, pk: int, form_class: type, run: Callable[[Any, dict[str, Any]], Any], success: str
) -> HttpResponse:
    household = household_get_for_user(request.user, pk)
    back = household.pk
    form = form_class(request.POST)
    if not form.is_valid():
        return _refused(request, form, _back(back))

    def go() -> Any:
        if not user_may_edit_household(request.user, household):
            raise NotAllowed(_("Only the household's community changes its record."))
        return run(household, form.cleaned_data)

    return act(request, go, success, _back(back))


@require_POST
@require_cap(CareCap.HOUSEHOLD_EDIT)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        MemberForm,
        lambda h, data: services.member_add(actor=request.user, household=h, **data),
        _("Member added."),
    )


@require_POST
@require_cap(CareCap.HOUSEHOLD_EDIT)
def wish_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        WishForm,
        lambda h, data: services.wish_create(actor=request.user, household=h, **data),
        _("Wish recorded; publish it after review."),
    )


@require_POST
@require_cap(CareCap.HOUSEHOLD_EDIT)
def pairing_new(request: HttpRequest, pk: int) -> HttpResponse:
    def run(household: Any, data: dict[str, Any]) -> Any:
        return services.pairing_create(actor=request.user, household=household, **data)

    return _form_action(request, pk, PairingForm, run, _("Pairing recorded."))


@require_POST
@require_cap(CareCap.HOUSEHOLD_VIEW)
def help_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The paired cadre (or the household's community) records a help given."""
    pairing = get_object_or_404(
        Pairing.objects.select_related("cadre"), pk=pk, household__in=households_visible_to(request.user)
    )
    back = _back(pairing.household_id)
    form = HelpForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, back)

    def go() -> Any:
        person = getattr(request.user, "person", None)
        if pairing.cadre_id != getattr(person, "pk", None) and not user_may_edit_household(
            request.user, pairing.household
        ):
            raise NotAllowed(_("Only the paired cadre or the household's community records help given."))
        return services.help_add(actor=request.user, pairing=pairing, **form.cleaned_data)

    return act(request, go, _("Help recorded."), back)


def _wish(request: HttpRequest, pk: int) -> Wish:
    return get_object_or_404(wishes_visible_to(request.user).select_related("household"), pk=pk)


@require_POST
@require_cap(CareCap.WISH_REVIEW)
def wish_publish(request: HttpRequest, pk: int) -> HttpResponse:
    wish = _wish(request, pk)
    return act(
        request,
        lambda: services.wish_publish(actor=request.user, wish=wish),
        _("Wish published on the wall."),
        _back(wish.household_id),
    )


@require_POST
@require_cap(CareCap.WISH_CLAIM)
def wish_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    """The claimer records the delivery (from the wall, where they see no household)."""
    wish = get_object_or_404(Wish, pk=pk, state__in=[WishState.CLAIMED, WishState.DELIVERED, WishState.FULFILLED])
    return act(
        request,
        lambda: services.wish_deliver(actor=request.user, wish=wish),
        _("Delivery recorded; the household now confirms receipt."),
        reverse("wishes:wall"),
    )


@require_POST
@require_cap(CareCap.WISH_REVIEW)
def wish_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    wish = _wish(request, pk)
    form = ConfirmForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["household_confirmed"]
    return act(
        request,
        lambda: services.wish_confirm(actor=request.user, wish=wish, household_confirmed=confirmed),
        _("The wish is fulfilled."),
        _back(wish.household_id),
    )


@require_http_methods(["GET", "POST"])
@require_cap(CareCap.HOUSEHOLD_EDIT)
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload a community's ledger: a check with per-row errors, or the import itself; all rows or none."""
    from care.importer import import_ledger

    form = LedgerImportForm(request.POST, request.FILES) if request.method == "POST" else LedgerImportForm()
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["report"] = import_ledger(
            name=upload.name,
            data=upload.read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
            communities=_communities_for(request.user),
        )
    return render(request, "care/ledger_import.html", context)
