"""Care: who sees households (then row by row, care.selectors), who reviews and claims micro-wishes."""

from __future__ import annotations

from core.roles import Capability, Grants, Role


class CareCap(Capability):
    HOUSEHOLD_VIEW = "care.households"  # then only the households of one's community, pairings or team
    HOUSEHOLD_EDIT = "care.household_edit"
    WISH_REVIEW = "care.wish_review"
    WISH_CLAIM = "care.wish_claim"
    FIGURES = "care.figures"


R = Role
GRANTS: Grants = {
    CareCap.HOUSEHOLD_VIEW: frozenset({R.CADRE, R.HANDLER, R.COORDINATOR, R.SUPERVISOR}),
    CareCap.HOUSEHOLD_EDIT: frozenset({R.HANDLER, R.COORDINATOR}),
    CareCap.WISH_REVIEW: frozenset({R.HANDLER, R.COORDINATOR}),
    CareCap.WISH_CLAIM: frozenset({R.CADRE, R.HANDLER, R.LEADER, R.COORDINATOR}),
    CareCap.FIGURES: frozenset({R.COORDINATOR, R.LEADER, R.ASSESSOR, R.SUPERVISOR}),
}
