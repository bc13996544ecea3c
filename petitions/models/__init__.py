"""The petition line's tables: cases and their people, documents and dispositions (cases.py)."""

from petitions.models.cases import (
    CaseDocument,
    Channel,
    DocumentKind,
    FocusArea,
    Level,
    PetitionCase,
    Petitioner,
    Risk,
)
from petitions.models.dispositions import CloseWay, Closing, Disposition, Term

__all__ = [
    "CaseDocument",
    "Channel",
    "CloseWay",
    "Closing",
    "Disposition",
    "DocumentKind",
    "FocusArea",
    "Level",
    "PetitionCase",
    "Petitioner",
    "Risk",
    "Term",
]
