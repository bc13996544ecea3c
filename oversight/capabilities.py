"""Who does what in oversight. The coordination team prepares the review and drafts; the committee (leaders)
publishes; the assessment team scores; the conduct supervision team watches, receives clues and investigates.

Clues are the supervision team's alone (the audit administrator sees only the access log of them).
"""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role

R = Role


class OversightCap(Capability):
    REVIEW_VIEW = "oversight.review_view"  # the reviews, their decisions and minutes
    REVIEW_MANAGE = "oversight.review_manage"  # prepare, hold, record decisions, edit and close the minutes
    PUBLISH = "oversight.publish"  # publish a month's three lists, publish a correction
    PACK = "oversight.pack"  # generate and read the monthly pack
    DASHBOARD = "oversight.dashboard"  # the dashboards, each role in its scope
    ASSESSMENT_VIEW = "oversight.assessment_view"  # one's own scores and breakdown (all of them: ASSESSMENT_MANAGE)
    ASSESSMENT_MANAGE = "oversight.assessment_manage"  # schemes, manual items, compute, confirm
    APPEAL_REVIEW = "oversight.appeal_review"  # review an appeal against a deduction or a bad rating
    SIGNALS = "oversight.signals"  # the supervision signals and their workbench
    CLUES = "oversight.clues"  # problem clues, investigation, accountability
    CIRCULARS = "oversight.circulars"  # draft and issue circulars


GRANTS: Grants = {
    OversightCap.REVIEW_VIEW: frozenset({R.LEADER, R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR}),
    OversightCap.REVIEW_MANAGE: frozenset({R.COORDINATOR}),
    OversightCap.PUBLISH: frozenset({R.LEADER, R.COORDINATOR}),
    OversightCap.PACK: frozenset({R.LEADER, R.COORDINATOR, R.ASSESSOR, R.SUPERVISOR}),
    OversightCap.DASHBOARD: WORK_ROLES,
    OversightCap.ASSESSMENT_VIEW: WORK_ROLES,
    OversightCap.ASSESSMENT_MANAGE: frozenset({R.ASSESSOR}),
    OversightCap.APPEAL_REVIEW: frozenset({R.COORDINATOR}),
    OversightCap.SIGNALS: frozenset({R.SUPERVISOR}),
    OversightCap.CLUES: frozenset({R.SUPERVISOR}),
    OversightCap.CIRCULARS: frozenset({R.SUPERVISOR, R.COORDINATOR}),
}
