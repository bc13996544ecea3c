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
from petitions.models.limits import CaseLimit, LimitCode, LimitEvent, LimitEventKind, TimeLimitRule
from petitions.models.ownership import FiveOnes, HomeVisit

__all__ = [
    "CaseDocument",
    "CaseLimit",
    "Channel",
    "CloseWay",
    "Closing",
    "Disposition",
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
    "Term",
    "TimeLimitRule",
]
