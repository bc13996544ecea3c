"""The public wall of micro-wishes (/wishes/): the wish (masked) and its value by community, never the household;
signed-in staff who may claim see the buttons. And the household's own confirmation link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from care import services
from care.capabilities import CareCap
from care.forms import ClaimForm
from care.models import Wish, WishState
from care.selectors import wall_text, wishes_on_wall
from care.views import act
from core.access import require_cap
from core.exceptions import DomainError
from core.roles import user_can
from org.models import Unit, UnitKind


def _public(wish: Wish) -> dict[str, object]:
    """All the wall may say of a wish."""
    return {
        "pk": wish.pk,
        "code": wish.code,
        "text": wall_text(wish),
        "value": wish.value,
        "wanted_by": wish.wanted_by,
        "state": wish.state,
        "state_label": wish.get_state_display(),
        "claimer": wish.claimer_name if wish.claimer_kind != "cadre" else "",
        "claimed_by_me": False,
    }


@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    communities = Unit.objects.filter(kind=UnitKind.COMMUNITY)
    chosen = request.GET.get("community", "")
    community = communities.filter(pk=chosen).first() if chosen.isdigit() else None
    may_claim = request.user.is_authenticated and user_can(request.user, CareCap.WISH_CLAIM)
    groups: dict[str, list[dict[str, object]]] = {}
    for wish in wishes_on_wall(community.pk if community else None)[:500]:
        card = _public(wish)
        card["claimed_by_me"] = may_claim and wish.claimed_by_id == request.user.pk
        groups.setdefault(wish.community.name, []).append(card)
    context = {
        "groups": groups,
        "communities": communities,
        "community": community,
        "may_claim": may_claim,
        "claim_form": ClaimForm(),
        "states": WishState,
    }
    return render(request, "care/wall.html", context)


def _next(request: HttpRequest) -> str:
    wall_url = reverse("wishes:wall")
    target = str(request.POST.get("next", ""))
    return target if target.startswith(wall_url) and "//" not in target else wall_url


@require_POST
@require_cap(CareCap.WISH_CLAIM)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    wish = get_object_or_404(wishes_on_wall(), pk=pk)
    form = ClaimForm(request.POST)
    kind = form.data.get("claimer_kind") or "cadre"
    name = form.data.get("claimer_name") or ""
    return act(
        request,
        lambda: services.wish_claim(actor=request.user, wish=wish, claimer_kind=str(kind), claimer_name=str(name)),
        _("You claimed this wish. Deliver it within %(days)d days.") % {"days": services.claim_days()},
        _next(request),
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The household's own link: it confirms it received the wish. No login; the link is the key."""
    wish = Wish.objects.filter(confirm_token=token).first() if len(token) >= 20 else None
    if wish is None:
        raise Http404
    error = ""
    if request.method == "POST" and wish.state == WishState.DELIVERED:
        try:
            services.wish_confirm(actor=None, wish=wish, token=token)
        except (ValidationError, DomainError) as exc:
            error = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        else:
            return redirect("wishes:confirm", token=token)
        wish.refresh_from_db()
    return render(request, "care/confirm.html", {"wish": _public(wish), "error": error})
