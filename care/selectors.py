"""Reads of care's records: who sees which household (one function, used by every view and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from care.models import Household, Pairing, Wish, WishState
from core.dates import month_spans
from core.roles import Role, user_roles
from org.models import Person, Unit, UnitKind

User = AbstractBaseUser | AnonymousUser
_SEE_ALL = {Role.COORDINATOR, Role.SUPERVISOR}


def households_visible_to(user: User) -> QuerySet[Household]:
    """The coordination and supervision teams see every household; a community's handlers see its households;
    a cadre (or anyone) sees the households they are paired with. Everyone else sees none."""
    roles = user_roles(user)
    qs = Household.objects.all()
    if roles & _SEE_ALL:
        return qs
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None or not roles:
        return qs.none()
    scope = Q(pairings__cadre=person, pairings__ended_on__isnull=True)
    if Role.HANDLER in roles and person.unit.kind == UnitKind.COMMUNITY:
        scope |= Q(community=person.unit_id)
    return qs.filter(pk__in=Household.objects.filter(scope).values("pk"))


def household_get_for_user(user: User, pk: int) -> Household:
    """The household if this user may see it; "not found" alike whether it is missing or forbidden."""
    household = households_visible_to(user).filter(pk=pk).select_related("community", "compound").first()
    if household is None:
        raise Http404
    return household


def user_may_edit_household(user: User, household: Household) -> bool:
    roles = user_roles(user)
    if Role.COORDINATOR in roles:
        return True
    person = getattr(user, "person", None)
    return Role.HANDLER in roles and person is not None and person.unit_id == household.community_id


def wishes_on_wall(community_id: int | None = None) -> QuerySet[Wish]:
    """What the public wall shows: open, claimed, delivered and fulfilled wishes (never those awaiting review)."""
    states = [WishState.PUBLISHED, WishState.CLAIMED, WishState.DELIVERED, WishState.FULFILLED]
    qs = (
        Wish.objects.filter(state__in=states)
        .select_related("community")
        .order_by("community__order", "-published_at", "-id")
    )
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    return qs


def wishes_visible_to(user: User) -> QuerySet[Wish]:
    """Wishes with their household: those of the households this user sees."""
    return Wish.objects.filter(household__in=households_visible_to(user).values("pk"))


def pairings_behind(*, today: dt.date, cadre: Person | None = None) -> list[Pairing]:
    """Active pairings whose last help (or their start) is further back than their cadence."""
    qs = Pairing.objects.filter(ended_on__isnull=True).select_related("cadre", "household")
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    qs = qs.annotate(last=Max("helps__date"))
    return [p for p in qs if (today - (p.last or p.started_on)).days > p.cadence_days]


def wall_text(wish: Wish) -> str:
    """The wish as the public reads it: the household's names and address blanked, then numbers masked."""
    return masked_for(wish.household, wish.text)


def masked_for(household: Household, text: str) -> str:
    """`text` with this household's members' names and its address blanked, then phone, ID and door numbers
    masked (core.privacy.redact): what may be shown beyond those who see the household."""
    from core.privacy import redact

    known = [m.name for m in household.members.all()] + [household.address]
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, "＊＊")
        bare = value.replace("（演示）", "").strip()
        if len(bare) >= 2:
            text = text.replace(bare, "＊＊")
    return redact(text)


def wishes_chart(start: dt.date, end: dt.date, scope: Unit | None) -> dict[str, Any]:
    """The oversight chart of micro-wishes: per month of the period, the wishes published for claiming and those
    fulfilled (in a unit's scope: its community's wishes, or those its people claimed). Counts only."""
    wishes = Wish.objects.all()
    if scope is not None:
        wishes = wishes.filter(Q(community=scope) | Q(claimed_by__person__unit=scope))
    published = [
        timezone.localdate(at)
        for at in wishes.filter(published_at__isnull=False).values_list("published_at", flat=True)
    ]
    fulfilled = [
        timezone.localdate(at) for at in wishes.filter(state=WishState.FULFILLED).values_list("fulfilled_at", flat=True)
    ]
    months = month_spans(start, end)
    return {
        "kind": "bar",
        "labels": [date_format(lo, "YEAR_MONTH_FORMAT") for lo, _hi in months],
        "series": [
            {"name": _("Wishes published"), "values": [sum(lo <= d <= hi for d in published) for lo, hi in months]},
            {"name": _("Wishes fulfilled"), "values": [sum(lo <= d <= hi for d in fulfilled) for lo, hi in months]},
        ],
        "unit": pgettext("unit of a count of micro-wishes", "wishes"),
    }


def review_section(start: dt.date, end: dt.date, scope: object = None) -> dict[str, object]:
    """The care line's part of the monthly review (`oversight.sections`): pairings and micro-wishes of the
    period, in counts by community; no household, no address."""
    from django.db.models import Count
    from django.utils import timezone
    from django.utils.translation import gettext as _

    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    pairings = Pairing.objects.filter(started_on__lte=end).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    raised = Wish.objects.filter(matter__reported_at__gte=lo, matter__reported_at__lt=hi)
    fulfilled = Wish.objects.filter(state=WishState.FULFILLED, fulfilled_at__gte=lo, fulfilled_at__lt=hi)
    by_community = (
        pairings.values("household__community__name").annotate(n=Count("pk")).order_by("household__community__name")
    )
    return {
        "figures": [
            {"label": _("Pairings in force"), "value": pairings.count(), "unit": ""},
            {"label": _("Micro-wishes raised"), "value": raised.count(), "unit": ""},
            {"label": _("Micro-wishes fulfilled"), "value": fulfilled.count(), "unit": ""},
        ],
        "tables": [
            {
                "title": _("Pairings in force by community"),
                "columns": [_("Community"), _("Pairings")],
                "rows": [[row["household__community__name"], row["n"]] for row in by_community],
            }
        ],
        "notes": [],
    }
