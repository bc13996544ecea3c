"""The matters app's tables, by theme: the matter itself, its steps and evidence, its deadlines."""

from matters.models.deadlines import (
    DeadlineEvent,
    DeadlineEventKind,
    Extension,
    ExtensionStatus,
)
from matters.models.matter import (
    DERIVED,
    DERIVED_FROM,
    PROBLEM_MAX_LENGTH,
    REPORTER_FIELDS,
    Category,
    Channel,
    CodeCounter,
    Matter,
    Precision,
    Satisfaction,
    Urgency,
    derive,
    last_day,
    problem_length,
)
from matters.models.steps import (
    Attachment,
    ProgressReport,
    Transition,
    evidence_token,
)

__all__ = [
    "DERIVED",
    "DERIVED_FROM",
    "PROBLEM_MAX_LENGTH",
    "REPORTER_FIELDS",
    "Attachment",
    "Category",
    "Channel",
    "CodeCounter",
    "DeadlineEvent",
    "DeadlineEventKind",
    "Extension",
    "ExtensionStatus",
    "Matter",
    "Precision",
    "ProgressReport",
    "Satisfaction",
    "Transition",
    "Urgency",
    "derive",
    "evidence_token",
    "last_day",
    "problem_length",
]
