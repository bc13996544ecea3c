"""Field work: everyone at work logs their own visits and sees their own week; the teams see everyone's."""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role


class FieldworkCap(Capability):
    VISIT_LOG = "fieldwork.log"
    VISITS_ALL = "fieldwork.all"
    VISITS_IMPORT = "fieldwork.import"
    DUTY_GRID = "fieldwork.grid"
    REGISTRATIONS_VIEW = "fieldwork.registrations"


# The coordination and assessment teams (and conduct supervision) see everyone's visits and the week grid;
# handlers of a community see who registered there.
GRANTS: Grants = {
    FieldworkCap.VISIT_LOG: WORK_ROLES,
    FieldworkCap.VISITS_ALL: frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.SUPERVISOR}),
    FieldworkCap.VISITS_IMPORT: frozenset({Role.COORDINATOR}),
    FieldworkCap.DUTY_GRID: frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.SUPERVISOR}),
    FieldworkCap.REGISTRATIONS_VIEW: frozenset({Role.COORDINATOR, Role.HANDLER, Role.ASSESSOR, Role.SUPERVISOR}),
}
