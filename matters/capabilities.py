"""Who sees matters, raises and triages them, reads the three lists and the figures, and sees reporters."""

from __future__ import annotations

from core.roles import OVERSIGHT_ROLES, WORK_ROLES, Capability, Grants, Role


class MatterCap(Capability):
    VIEW = "matters.view"
    CREATE = "matters.create"
    TRIAGE = "matters.triage"
    LISTS_VIEW = "matters.lists"
    LISTS_IMPORT = "matters.import"
    FIGURES_VIEW = "matters.figures"
    REPORTER_VIEW = "matters.reporter"


# Every working role sees matters (unit-scoped roles only their units'; see matters.access).
GRANTS: Grants = {
    MatterCap.VIEW: WORK_ROLES,
    MatterCap.CREATE: WORK_ROLES,
    MatterCap.TRIAGE: frozenset({Role.COORDINATOR}),
    MatterCap.LISTS_VIEW: OVERSIGHT_ROLES,
    MatterCap.LISTS_IMPORT: frozenset({Role.COORDINATOR}),
    MatterCap.FIGURES_VIEW: OVERSIGHT_ROLES,
    MatterCap.REPORTER_VIEW: frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
}
