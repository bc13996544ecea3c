"""Reads of the publication area: the snapshot a publication freezes, the published versions, their differences,
and the audit's content check of every stored snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.privacy import redact
from matters.figures import period_matters, rates
from matters.models import Matter
from matters.selectors import MatterFilter, list_queryset, matters_public
from oversight.models.publication import Publication
from oversight.selectors.reviews import campaign_months

LISTS = ("problems", "tasks", "effects")
SNAPSHOT_FORMAT = 1
# The figures a snapshot keeps (matters.figures.Rates), in the order the pages show them.
FIGURES = (
    "reported",
    "completed",
    "response",
    "resolution",
    "on_time",
    "public_satisfaction",
    "public_ratings",
    "callback_satisfaction",
    "callbacks",
    "response_pending",
    "overdue_open",
    "min_ratings",
)
# A row's public columns: what the portal's list pages and a matter's public page show (portal.selectors).
ROW_FIELDS = (
    "code",
    "category",
    "status",
    "problem",
    "location",
    "reported",
    "endorsements",
    "task",
    "deadline",
    "leads",
    "units",
    "all_communities",
    "progress",
    "effect",
    "completed",
    "rated_satisfied",
    "rated_basically",
    "rated_dissatisfied",
)


def month_first(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, 1)


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month_has_ended(month: dt.date, *, today: dt.date | None = None) -> bool:
    return month_end(month) < (today or timezone.localdate())


def canonical_json(snapshot: dict[str, Any]) -> str:
    """The one encoding the content hash is taken of: sorted keys, no spaces, UTF-8 text as is."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def _deadline(matter: Matter) -> str:
    if matter.deadline is None:
        return ""
    if matter.deadline_precision == "month":
        return f"{matter.deadline.year}.{matter.deadline.month}"
    return matter.deadline.isoformat()


def _local_date(value: dt.datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value is not None else ""


def public_row(matter: Matter) -> dict[str, Any]:
    """A matter as the public sees it on the portal: its public columns, free text redacted, no reporter details."""
    return {
        "code": matter.code,
        "category": matter.category.name if matter.category is not None else "",
        "status": matter.status,
        "problem": redact(matter.problem),
        "location": redact(matter.location),
        "reported": _local_date(matter.reported_at),
        "endorsements": matter.endorsement_count,
        "task": redact(matter.task),
        "deadline": _deadline(matter),
        "leads": [p.name for p in matter.leads.all()],
        "units": [u.name for u in matter.units.all()],
        "all_communities": matter.all_communities,
        "progress": matter.progress,
        "effect": redact(matter.effect),
        "completed": _local_date(matter.completed_at),
        "rated_satisfied": matter.rated_satisfied,
        "rated_basically": matter.rated_basically,
        "rated_dissatisfied": matter.rated_dissatisfied,
    }


def _public_rows(campaign: Campaign, month: dt.date, list_kind: str) -> list[dict[str, Any]]:
    base = matters_public().filter(campaign=campaign)
    qs = (
        list_queryset(list_kind, MatterFilter(month=month), base)
        .select_related("category")
        .prefetch_related("leads", "units")
        .order_by("reported_at", "id")
    )
    return [public_row(m) for m in qs]


def month_figures(campaign: Campaign, month: dt.date) -> dict[str, Any]:
    """The month's figures over its public matters (matters.figures, the same computation as the figures page)."""
    public = matters_public().filter(campaign=campaign).values("pk")
    figures = rates(period_matters(month, month_end(month)).filter(pk__in=public))
    return {name: getattr(figures, name) for name in FIGURES}


def snapshot_build(*, campaign: Campaign, month: dt.date, publisher_unit: str = "") -> dict[str, Any]:
    """What publishing the month would freeze now: every row of the three public lists and the month's figures.

    Built from the public selectors only (matters_public, the lists' month queries), so a private, declined or
    merged matter is never in it, and every free text is redacted as the portal shows it.
    """
    month = month_first(month)
    lists = {kind: _public_rows(campaign, month, kind) for kind in LISTS}
    return {
        "format": SNAPSHOT_FORMAT,
        "campaign": {"id": campaign.pk, "name": campaign.name},
        "month": f"{month.year:04d}-{month.month:02d}",
        "publisher_unit": publisher_unit,
        "lists": lists,
        "counts": {kind: len(rows) for kind, rows in lists.items()},
        "figures": month_figures(campaign, month),
    }


# --- the published versions ---------------------------------------------------------------------------------


def publications_latest() -> list[Publication]:
    """The latest version of every month published (any campaign), newest month first."""
    latest = Publication.objects.values("campaign", "month").annotate(top=Max("version"))
    wanted = {(row["campaign"], row["month"], row["top"]) for row in latest}
    rows = Publication.objects.select_related("campaign").defer("snapshot").order_by("-month", "campaign_id")
    return [p for p in rows if (p.campaign_id, p.month, p.version) in wanted]


def month_versions(month: dt.date, campaign: Campaign | None = None) -> QuerySet[Publication]:
    """Every version of a month, newest first: of the campaign given, else of the latest campaign that published it."""
    qs = Publication.objects.filter(month=month_first(month)).select_related("campaign", "supersedes")
    if campaign is None:
        first = qs.order_by("-campaign__starts_on", "-campaign_id").first()
        if first is None:
            return qs.none()
        campaign = first.campaign
    return qs.filter(campaign=campaign).order_by("-version")


def latest_version(campaign: Campaign, month: dt.date) -> Publication | None:
    return Publication.objects.filter(campaign=campaign, month=month_first(month)).order_by("-version").first()


# --- differences between versions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    code: str
    changes: list[Change]


@dataclass
class ListDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Diff:
    lists: dict[str, ListDiff]
    figures: list[Change]

    @property
    def empty(self) -> bool:
        return not self.figures and all(d.empty for d in self.lists.values())


def _snapshot_of(value: Publication | dict[str, Any]) -> dict[str, Any]:
    return value.snapshot if isinstance(value, Publication) else value


def publication_diff(old: Publication | dict[str, Any], new: Publication | dict[str, Any]) -> Diff:
    """What changed from `old` to `new`: per list the rows added, removed and changed (field by field, rows
    matched by their code), and the figures changed."""
    a, b = _snapshot_of(old), _snapshot_of(new)
    lists: dict[str, ListDiff] = {}
    for kind in LISTS:
        before = {row["code"]: row for row in a.get("lists", {}).get(kind, [])}
        after = {row["code"]: row for row in b.get("lists", {}).get(kind, [])}
        diff = ListDiff(
            added=[row for code, row in after.items() if code not in before],
            removed=[row for code, row in before.items() if code not in after],
        )
        for code, row in after.items():
            if code in before:
                changes = [
                    Change(name, before[code].get(name), row.get(name))
                    for name in ROW_FIELDS
                    if before[code].get(name) != row.get(name)
                ]
                if changes:
                    diff.changed.append(RowChange(code, changes))
        lists[kind] = diff
    old_figures, new_figures = a.get("figures", {}), b.get("figures", {})
    figures = [
        Change(name, old_figures.get(name), new_figures.get(name))
        for name in FIGURES
        if old_figures.get(name) != new_figures.get(name)
    ]
    return Diff(lists=lists, figures=figures)


# --- the audit's content check (the "audit.content" extension point) ----------------------------------------

PUBLISH_ACTION = "oversight.publication.publish"


def publications_audit_problems() -> list[Any]:
    """Every published version whose stored snapshot, hash or identity no longer matches what the audit chain
    recorded when it was published; and every publication the chain recorded that is gone."""
    from audit.content import ContentProblem
    from audit.models import AuditEvent

    recorded: dict[str, AuditEvent] = {
        event.target_id: event
        for event in AuditEvent.objects.filter(action=PUBLISH_ACTION, target_type="oversight.publication")
    }
    problems: list[ContentProblem] = []
    seen: set[str] = set()
    for publication in Publication.objects.order_by("id").iterator(chunk_size=200):
        key = str(publication.pk)
        seen.add(key)
        event = recorded.get(key)
        label = f"{publication.month_label} v{publication.version}"
        if event is None:
            problems.append(ContentProblem(None, f"published version {label} has no publication event"))
            continue
        after = event.after or {}
        actual = content_hash(publication.snapshot)
        if actual != after.get("content_hash") or publication.content_hash != after.get("content_hash"):
            problems.append(ContentProblem(event.seq, f"published version {label}: snapshot changed"))
        elif (after.get("campaign"), after.get("month"), after.get("version")) != (
            publication.campaign_id,
            publication.month_label,
            publication.version,
        ):
            problems.append(ContentProblem(event.seq, f"published version {label}: identity changed"))
    for key, event in recorded.items():
        if key not in seen:
            problems.append(ContentProblem(event.seq, f"published version #{key} removed"))
    return problems


def months_unpublished(campaign: Campaign | None = None, *, today: dt.date | None = None) -> list[dt.date]:
    """The current campaign's months that have ended and have no published version yet."""
    from campaigns.selectors import campaign_current

    campaign = campaign or campaign_current()
    if campaign is None:
        return []
    done = set(Publication.objects.filter(campaign=campaign).values_list("month", flat=True))
    return [m for m in campaign_months(campaign) if month_has_ended(m, today=today) and m not in done]


# --- what the pages show of a snapshot ------------------------------------------------------------------------

LIST_TITLES = {
    "problems": _("Problem list"),
    "tasks": _("Task list"),
    "effects": _("Effect list"),
}
FIELD_LABELS = {
    "code": _("Code"),
    "category": _("Category"),
    "status": _("Status"),
    "problem": _("Problem"),
    "location": _("Location"),
    "reported": _("Reported"),
    "endorsements": _("Endorsements"),
    "task": _("Task"),
    "deadline": _("Deadline"),
    "leads": _("Leads"),
    "units": _("Responsible units"),
    "all_communities": _("all communities"),
    "progress": _("Progress"),
    "effect": _("Effect"),
    "completed": _("Completed"),
    "rated_satisfied": _("Satisfied"),
    "rated_basically": _("Basically satisfied"),
    "rated_dissatisfied": _("Dissatisfied"),
    "public_satisfaction": _("Public satisfaction rate"),
    "callback_satisfaction": _("Callback satisfaction rate"),
    "response": _("Response rate"),
    "resolution": _("Resolution rate"),
    "on_time": _("On-time completion rate"),
    "public_ratings": _("Public ratings"),
    "callbacks": _("Callbacks"),
    "response_pending": _("Awaiting a response"),
    "overdue_open": _("Overdue"),
    "min_ratings": _("Fewest ratings for a rate"),
}


PERCENTS = frozenset({"progress", "response", "resolution", "on_time", "public_satisfaction", "callback_satisfaction"})


def _status_label(code: str) -> str:
    from matters.workflow import Status

    return str(Status(code).label) if code in Status.values else code


def snapshot_sections(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The three lists of a snapshot for a page: kind, title and rows (each with its status label)."""
    sections = []
    for kind in LISTS:
        rows = [
            {**row, "status_label": _status_label(row.get("status", ""))} for row in snapshot["lists"].get(kind, [])
        ]
        sections.append({"kind": kind, "title": LIST_TITLES[kind], "rows": rows})
    return sections


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def diff_display(diff: Diff) -> dict[str, Any]:
    """A difference between two versions as the correction notice lists it."""
    lists = []
    for kind, d in diff.lists.items():
        if d.empty:
            continue
        lists.append(
            {
                "title": LIST_TITLES[kind],
                "added": [row["code"] for row in d.added],
                "removed": [row["code"] for row in d.removed],
                "changed": [
                    {
                        "code": rc.code,
                        "changes": [
                            (field_label(c.field), _shown(c.field, c.old), _shown(c.field, c.new)) for c in rc.changes
                        ],
                    }
                    for rc in d.changed
                ],
            }
        )
    figures = [(field_label(c.field), _shown(c.field, c.old), _shown(c.field, c.new)) for c in diff.figures]
    return {"lists": lists, "figures": figures, "empty": diff.empty}


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "status":
        return _status_label(str(value))
    if name in PERCENTS and isinstance(value, int | float):
        return f"{value}%"
    if isinstance(value, bool):
        return str(_("yes")) if value else str(_("no"))
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)
