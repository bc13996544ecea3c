"""Every working role sees the compounds; community staff record their meetings; the assessors score them.

The private parts (contacts, committee members, attendees' names, owners' votes) are for the coordination and
supervision teams and for the cadres of the compound's own community (selectors.can_see_private).
"""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role


class CompoundCap(Capability):
    VIEW = "compounds.view"
    PRIVATE = "compounds.private"
    EDIT = "compounds.edit"
    ASSESS = "compounds.assess"


# The roles that see every compound's private parts; the others holding PRIVATE or EDIT only their community's.
ALL_COMPOUNDS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})

GRANTS: Grants = {
    CompoundCap.VIEW: WORK_ROLES,
    CompoundCap.PRIVATE: frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CADRE}),
    CompoundCap.EDIT: frozenset({Role.COORDINATOR, Role.CADRE}),
    CompoundCap.ASSESS: frozenset({Role.COORDINATOR, Role.ASSESSOR}),
}
