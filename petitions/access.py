"""Who sees a petition case and who sees its petitioners. Every view and the API go through these functions.

The teams and leaders see every case (masked); a handler sees the cases of their own unit among the handling
units, and gets "not found" for any other. The petitioners' data are shown to the owning leaders, the handlers of
the case's handling units and the coordination and supervision teams only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from core.roles import Role, user_can, user_roles
from core.types import Actor
from petitions.capabilities import PetitionCap
from petitions.models import PetitionCase

_SEE_ALL = {Role.COORDINATOR, Role.LEADER, Role.ASSESSOR, Role.SUPERVISOR}


def _person(user: Actor) -> object | None:
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def cases_visible_to(user: Actor) -> QuerySet[PetitionCase]:
    qs = PetitionCase.objects.select_related("matter", "focus")
    if user is None:
        return qs
    if not user_can(user, PetitionCap.VIEW):
        return qs.none()
    roles = user_roles(user)
    if roles & _SEE_ALL:
        return qs
    person = _person(user)
    if person is None:
        return qs.none()
    return qs.filter(pk__in=PetitionCase.objects.filter(handling_units=person.unit_id).values("pk"))  # type: ignore[attr-defined]


def case_get_for_user(user: Actor, pk: int) -> PetitionCase:
    """The case if this user may see it; "not found" alike whether it is missing or forbidden."""
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def is_owner(user: Actor, case: PetitionCase) -> bool:
    person = _person(user)
    return person is not None and case.owners.filter(pk=person.pk).exists()  # type: ignore[attr-defined]


def can_see_personal(user: Actor, case: PetitionCase) -> bool:
    """Whether this user may see the case's petitioners and private summary."""
    if user is None:
        return True  # the system itself
    if user_can(user, PetitionCap.PERSONAL_ALL):
        return True
    if not user_can(user, PetitionCap.PERSONAL):
        return False
    person = _person(user)
    if person is None:
        return False
    if Role.LEADER in user_roles(user) and is_owner(user, case):
        return True
    roles = user_roles(user)
    return bool(roles & {Role.HANDLER}) and case.handling_units.filter(pk=person.unit_id).exists()  # type: ignore[attr-defined]


def can_work(user: Actor, case: PetitionCase) -> bool:
    """Whether this user records on the case (visits, dispositions, documents): owners, its handlers, the coordinators."""
    if user is None or user_can(user, PetitionCap.EDIT):
        return True
    return user_can(user, PetitionCap.WORK) and can_see_personal(user, case)
