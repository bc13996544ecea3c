"""Who may see a matter and who may act on it. Every view and API goes through these functions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from core.roles import Role, user_roles
from matters.models import Matter
from matters.workflow import TRANSITIONS, Action, Capacity, actions_from
from org.models import Person, UnitKind

User = AbstractBaseUser | AnonymousUser

# Roles that see every matter; unit-scoped roles see their units' matters and those they raised.
_SEE_ALL = {Role.COORDINATOR, Role.LEADER, Role.ASSESSOR, Role.SUPERVISOR}
_UNIT_SCOPED = {Role.HANDLER, Role.CADRE}


def _person(user: User) -> Person | None:
    return getattr(user, "person", None) if user.is_authenticated else None


def matters_visible_to(user: User) -> QuerySet[Matter]:
    roles = user_roles(user)
    qs = Matter.objects.all()
    if roles & _SEE_ALL:
        return qs
    if roles & _UNIT_SCOPED:
        person = _person(user)
        scope = Q(created_by=user)
        if person is not None:
            scope |= Q(units=person.unit_id)
            if person.unit.kind == UnitKind.COMMUNITY:
                scope |= Q(all_communities=True)
        return qs.filter(pk__in=Matter.objects.filter(scope).values("pk"))
    return qs.none()


def matter_get_for_user(user: User, pk: int) -> Matter:
    """The matter if this user may see it; "not found" alike whether it is missing or forbidden."""
    matter = matters_visible_to(user).filter(pk=pk).select_related("category", "campaign", "merged_into").first()
    if matter is None:
        raise Http404
    return matter


def user_capacities(user: User | None, matter: Matter) -> frozenset[Capacity]:
    """In which capacities (coordinator, handler, lead) this user may act on this matter."""
    if user is None:
        return frozenset(Capacity)  # the system itself: imports, the demo loader, scheduled jobs
    roles = user_roles(user)
    kinds: set[Capacity] = set()
    if Role.COORDINATOR in roles:
        kinds.add(Capacity.COORDINATOR)
    person = _person(user)
    if person is not None:
        if Role.LEADER in roles and matter.leads.filter(pk=person.pk).exists():
            kinds.add(Capacity.LEAD)
        if roles & _UNIT_SCOPED and is_responsible_unit(matter, person):
            kinds.add(Capacity.HANDLER)
    return frozenset(kinds)


def allowed_actions(user: User | None, matter: Matter) -> list[Action]:
    """The workflow actions this user may take on this matter now (its kind may change who acts at a step)."""
    capacities = user_capacities(user, matter)
    spec = matter.kind_spec
    return [
        action
        for action in actions_from(matter.status)
        if capacities & spec.capacities_for(action, TRANSITIONS[action].actors)
    ]


def is_responsible_unit(matter: Matter, person: Person) -> bool:
    if matter.all_communities and person.unit.kind == UnitKind.COMMUNITY:
        return True
    return matter.units.filter(pk=person.unit_id).exists()
