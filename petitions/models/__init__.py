"""The petition line's tables: cases and their people, documents and dispositions (cases.py)."""

from petitions.models.cases import (
    CaseDocument,
    Channel,
    DocumentKind,
    FocusArea,
    Level,
    PetitionCase,
    Petitioner,
    RefusalGround,
    Risk,
)
from petitions.models.dispositions import CloseWay, Closing, Disposition, Term
from petitions.models.disputes import (
    Colour,
    ColourChange,
    Dispute,
    DisputeParty,
    DisputeStatus,
    ScreeningRound,
    SensitivePeriod,
)
from petitions.models.limits import CaseLimit, LimitCode, LimitEvent, LimitEventKind, TimeLimitRule
from petitions.models.ownership import FiveOnes, HomeVisit

__all__ = [
    "CaseDocument",
    "CaseLimit",
    "Channel",
    "CloseWay",
    "Closing",
    "Colour",
    "ColourChange",
    "Disposition",
    "Dispute",
    "DisputeParty",
    "DisputeStatus",
    "DocumentKind",
    "FiveOnes",
    "FocusArea",
    "HomeVisit",
    "Level",
    "LimitCode",
    "LimitEvent",
    "LimitEventKind",
    "PetitionCase",
    "Petitioner",
    "RefusalGround",
    "Risk",
    "ScreeningRound",
    "SensitivePeriod",
    "Term",
    "TimeLimitRule",
]
