"""Who works the petition backlog: the cases, the board, the owners' own cases, the petitioners' data."""

from __future__ import annotations

from core.roles import Capability, Grants, Role


class PetitionCap(Capability):
    VIEW = "petitions.view"  # the cases one may see (petitions.access says which), masked
    WORK = "petitions.work"  # record on one's cases: dispositions, documents, closing (petitions.access: whose)
    EDIT = "petitions.edit"  # register cases and change their data
    MINE = "petitions.mine"  # an owning leader's own cases (包保)
    BOARD = "petitions.board"  # the backlog board, its chart and downloads
    DISPUTES = "petitions.disputes"  # dispute screening: raise, follow up, rounds (whose: petitions.disputes)
    DISPUTES_WORK = "petitions.dispute_work"  # raise disputes, follow them up, record rounds (in one's community)
    PERSONAL = "petitions.petitioners"  # the petitioners' data of the cases one owns or handles
    PERSONAL_ALL = "petitions.personal"  # the petitioners' data of every case (else only one's own cases')


_CASE_ROLES = frozenset({Role.HANDLER, Role.LEADER, Role.COORDINATOR, Role.ASSESSOR, Role.SUPERVISOR})

GRANTS: Grants = {
    PetitionCap.VIEW: _CASE_ROLES,
    PetitionCap.WORK: frozenset({Role.HANDLER, Role.LEADER, Role.COORDINATOR}),
    PetitionCap.EDIT: frozenset({Role.COORDINATOR}),
    PetitionCap.MINE: frozenset({Role.LEADER}),
    PetitionCap.BOARD: frozenset({Role.LEADER, Role.COORDINATOR, Role.ASSESSOR, Role.SUPERVISOR}),
    PetitionCap.DISPUTES: frozenset({Role.CADRE, *_CASE_ROLES}),
    PetitionCap.DISPUTES_WORK: frozenset({Role.CADRE, Role.HANDLER, Role.COORDINATOR}),
    PetitionCap.PERSONAL: frozenset({Role.HANDLER, Role.LEADER, Role.COORDINATOR, Role.SUPERVISOR}),
    PetitionCap.PERSONAL_ALL: frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
}
