"""The compounds app's tables: the profile (profile.py), the linkage (meetings.py), the scoring (scoring.py)."""

from compounds.models.meetings import Decision, LinkageMeeting, OwnersVote, VoteSubject
from compounds.models.profile import CommitteeMember, CommitteeRole, CompoundProfile, PolicyTalk, TalkPlace
from compounds.models.scoring import (
    Assessment,
    Checklist,
    ChecklistItem,
    DerivedSource,
    ItemScore,
    PropertyRating,
    ScoringMethod,
    Title,
    TitleAward,
)

__all__ = [
    "Assessment",
    "Checklist",
    "ChecklistItem",
    "CommitteeMember",
    "CommitteeRole",
    "CompoundProfile",
    "Decision",
    "DerivedSource",
    "ItemScore",
    "LinkageMeeting",
    "OwnersVote",
    "PolicyTalk",
    "PropertyRating",
    "ScoringMethod",
    "TalkPlace",
    "Title",
    "TitleAward",
    "VoteSubject",
]
