"""All writes of the compounds app, audited; the private fields never reach the audit log's values.

- `linkage`: the compound's record and committee, linkage meetings, decisions into matters, owners' votes, talks;
- `scoring`: checklists and their items, assessments, the residents' ratings of the property company, titles.
"""

from compounds.services.linkage import (
    committee_member_add,
    decision_add,
    decision_link_matter,
    decision_to_matter,
    meeting_create,
    policy_talk_save,
    profile_create,
    profile_update,
    vote_record,
)
from compounds.services.scoring import (
    assessment_record,
    checklist_create,
    checklist_item_add,
    period_dates,
    property_rating_add,
    ratings_record,
    title_award,
)

__all__ = [
    "assessment_record",
    "checklist_create",
    "checklist_item_add",
    "committee_member_add",
    "decision_add",
    "decision_link_matter",
    "decision_to_matter",
    "meeting_create",
    "period_dates",
    "policy_talk_save",
    "profile_create",
    "profile_update",
    "property_rating_add",
    "ratings_record",
    "title_award",
    "vote_record",
]
