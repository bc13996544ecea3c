"""The assessment's reads: periods, the subjects scored, the figures collected from the indicators, the scoring,
who sees what, and the content check of the confirmed versions.

Scoring (`score`), per item of the scheme and per subject:
- rate: the figure (0..1) × the weight;
- count: min(1, value ÷ target) × the weight;
- manual: the score entered (within the item's range, whose top is the weight);
- deduction: −min(cap, points × occurrences).
A subject without a figure for an item has nothing to count there: 0 points (a deduction: none taken off). A
sustained appeal takes its record out of the item's figure, which is recomputed from the records left (a rate:
hits ÷ records; a count or a deduction: the records left). The total is the sum; ties share a rank; the grade
follows the scheme's thresholds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months
from core.indicators import registered
from core.roles import Role, user_can, user_roles
from oversight.capabilities import OversightCap
from oversight.models.assessment import (
    Appeal,
    AppealStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    Grade,
    ItemKind,
    ManualScore,
    PeriodKind,
    Scheme,
    SchemeItem,
    SubjectKind,
)
from oversight.selectors.publication import canonical_json, content_hash

__all__ = ["canonical_json", "content_hash"]

COMPUTE_JOB = "oversight.assessment_compute"
CONFIRM_ACTION = "oversight.assessment.confirm"
PERIOD_MONTHS = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
# Never indicators (国办函〔2026〕12号; the 2024 rules on relieving grassroots burdens): a key or label naming one
# of these is refused by the test that reads the registry.
FORBIDDEN_WORDS = (
    "check-in", "checkin", "online", "points", "like", "endorse", "vote", "share", "photo",
    "打卡", "在线", "积分", "点赞", "附议", "投票", "转发", "分享", "照片",
)  # fmt: skip


# --- periods --------------------------------------------------------------------------------------------------


def period_start_of(kind: str, day: dt.date) -> dt.date:
    """The first day of the period of `kind` that holds `day`."""
    months = PERIOD_MONTHS[PeriodKind(kind)]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def period_end(kind: str, start: dt.date) -> dt.date:
    return add_months(start, PERIOD_MONTHS[PeriodKind(kind)]) - dt.timedelta(days=1)


def period_label(kind: str, start: dt.date) -> str:
    """2031年第1季度, 2031年上半年, 2031年度 (as the period's kind writes it)."""
    if kind == PeriodKind.QUARTER:
        return _("Q%(quarter)d %(year)d") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if kind == PeriodKind.HALF:
        if start.month == 1:
            return _("First half of %(year)d") % {"year": start.year}
        return _("Second half of %(year)d") % {"year": start.year}
    return _("Year %(year)d") % {"year": start.year}


def last_ended_period(kind: str, today: dt.date | None = None) -> dt.date:
    """The first day of the last period of `kind` that ended before today."""
    today = today or timezone.localdate()
    return add_months(period_start_of(kind, today), -PERIOD_MONTHS[PeriodKind(kind)])


def parse_period(kind: str, text: str) -> dt.date | None:
    """A period's first day from "2031-04" (any month of it) or an ISO date; None when it does not read."""
    text = (text or "").strip()
    try:
        day = dt.date.fromisoformat(text if len(text) > 7 else text + "-01")
    except ValueError:
        return None
    return period_start_of(kind, day)


# --- subjects -------------------------------------------------------------------------------------------------


def subjects(kind: str) -> list[tuple[int, str, int | None]]:
    """The units (departments and communities) or people (leaders and cadres) a scheme scores: id, name, unit."""
    from org.models import Person, PersonCategory, Unit, UnitKind

    if kind == SubjectKind.UNIT:
        units = Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY]).order_by("order", "name", "pk")
        return [(u.pk, str(u.name), u.pk) for u in units]
    people = Person.objects.filter(category__in=[PersonCategory.LEADER, PersonCategory.CADRE]).select_related("unit")
    return [(p.pk, p.display_name, p.unit_id) for p in people.order_by("unit__order", "unit__name", "pk")]


def indicator_choices(subject: str) -> list[tuple[str, str, str]]:
    """The registered indicators that can score `subject`: key, label, kind."""
    return [(i.key, str(i.label), i.kind) for i in registered().values() if subject in i.subjects]


# --- collecting and scoring -----------------------------------------------------------------------------------


def collect(assessment: Assessment, progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """Ask each indicator item's app for its figures over the period: {item id: {subject id: figure}}."""
    scheme = assessment.scheme
    wanted = [pk for pk, _name, _unit in subjects(scheme.subject)]
    known = registered()
    items = [i for i in scheme.items.order_by("order", "pk") if i.kind != ItemKind.MANUAL]
    out: dict[str, Any] = {}
    for done, item in enumerate(items):
        if progress is not None:
            progress(done, len(items), item.label)
        indicator = known.get(item.indicator)
        if indicator is None:
            out[str(item.pk)] = {}
            continue
        figures = indicator.compute(
            subject=scheme.subject, start=assessment.period_start, end=assessment.period_end, ids=wanted
        )
        out[str(item.pk)] = {
            str(key): {
                "value": figure.value,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "records": [[r.model, r.pk, r.title, r.url, r.hit] for r in figure.records],
            }
            for key, figure in sorted(figures.items())
            if key in set(wanted)
        }
    if progress is not None:
        progress(len(items), len(items), "")
    return out


def _num(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def item_plain(item: SchemeItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "indicator": item.indicator,
        "label": item.label,
        "weight": _num(item.weight),
        "target": _num(item.target),
        "points": _num(item.points),
        "cap": _num(item.cap),
        "min": _num(item.min_score),
    }


def grade_of(scheme: Scheme, total: float) -> str:
    if total >= float(scheme.excellent_from):
        return Grade.EXCELLENT
    if total >= float(scheme.good_from):
        return Grade.GOOD
    if total >= float(scheme.fair_from):
        return Grade.FAIR
    return Grade.POOR


def item_points(item: dict[str, Any], value: float | None) -> float:
    """The points of one item for a figure's value (None: no figure)."""
    weight = item["weight"] or 0.0
    if value is None:
        return 0.0
    if item["kind"] == ItemKind.RATE:
        return round(value * weight, 2)
    if item["kind"] == ItemKind.COUNT:
        return round(min(1.0, value / item["target"]) * weight, 2)
    if item["kind"] == ItemKind.DEDUCTION:
        return -round(min(item["cap"], item["points"] * value), 2)
    return round(value, 2)


def _refigure(kind: str, records: list[list[Any]], figure: dict[str, Any]) -> tuple[float | None, Any, Any]:
    """The figure's value, numerator and denominator over the records left."""
    if kind == ItemKind.RATE:
        if not records:
            return None, 0, 0
        hits = sum(1 for r in records if r[4])
        return hits / len(records), hits, len(records)
    if figure.get("records") is not None and len(records) != len(figure["records"]):
        return float(len(records)), None, None
    return figure["value"], figure.get("numerator"), figure.get("denominator")


def score(assessment: Assessment, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """Score every subject from the collected figures, the manual scores and the sustained appeals."""
    scheme = assessment.scheme
    figures = assessment.figures if figures is None else figures
    items = [item_plain(i) for i in scheme.items.order_by("order", "pk")]
    manual = {
        (m.item_id, m.subject_id): m for m in ManualScore.objects.filter(assessment=assessment).select_related("scorer")
    }
    removed: dict[tuple[int, int], dict[tuple[str, int], Appeal]] = {}
    for appeal in Appeal.objects.filter(assessment=assessment, status=AppealStatus.SUSTAINED).order_by("pk"):
        removed.setdefault((appeal.item_id, appeal.subject_id), {})[(appeal.record_model, appeal.record_pk)] = appeal
    rows = []
    for pk, name, unit in subjects(scheme.subject):
        cells = []
        for item in items:
            cell: dict[str, Any] = {"item": item["id"], "value": None, "numerator": None, "denominator": None}
            if item["kind"] == ItemKind.MANUAL:
                entry = manual.get((item["id"], pk))
                if entry is not None:
                    cell["value"] = float(entry.score)
                    cell["manual"] = {
                        "reason": entry.reason,
                        "scorer": entry.scorer.get_username() if entry.scorer else "",
                    }
                cell["points"] = item_points(item, cell["value"])
                cells.append(cell)
                continue
            figure = (figures.get(str(item["id"])) or {}).get(str(pk))
            records: list[list[Any]] = []
            out: list[dict[str, Any]] = []
            if figure is not None:
                dropped = removed.get((item["id"], pk), {})
                for record in figure["records"]:
                    sustained = dropped.get((record[0], record[1]))
                    # A sustained appeal takes out the record's occurrences (a deduction) or its misses (a rate).
                    if sustained is not None and (item["kind"] != ItemKind.RATE or not record[4]):
                        out.append({"title": record[2], "url": record[3], "reason": sustained.decision_reason})
                    else:
                        records.append(record)
                value, numerator, denominator = _refigure(item["kind"], records, figure)
                cell.update(value=value, numerator=numerator, denominator=denominator)
            cell["records"] = records
            cell["removed"] = out
            cell["points"] = item_points(item, cell["value"])
            cells.append(cell)
        total = round(sum(c["points"] for c in cells), 2)
        rows.append({"id": pk, "name": name, "unit": unit, "total": total, "cells": cells})
    rows.sort(key=lambda r: (-r["total"], r["name"], r["id"]))
    rank, previous = 0, None
    for index, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = index, row["total"]
        row["rank"] = rank
        row["grade"] = grade_of(scheme, row["total"])
    return {
        "assessment": assessment.pk,
        "scheme": scheme.name,
        "subject": scheme.subject,
        "period": {
            "kind": scheme.period_kind,
            "start": assessment.period_start.isoformat(),
            "end": assessment.period_end.isoformat(),
            "label": assessment.period_label,
        },
        "thresholds": {
            "excellent": float(scheme.excellent_from),
            "good": float(scheme.good_from),
            "fair": float(scheme.fair_from),
        },
        "items": items,
        "rows": rows,
    }


# --- reading ----------------------------------------------------------------------------------------------------


def schemes_list() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("name").prefetch_related("items")


def scheme_get(pk: int) -> Scheme | None:
    return Scheme.objects.filter(pk=pk).first()


def own_subjects(user: Any) -> dict[str, set[int]]:
    """What a user who is not on the assessment team may see: their person, and their unit as a handler/leader."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return {SubjectKind.PERSON: set(), SubjectKind.UNIT: set()}
    units = {person.unit_id} if user_roles(user) & {Role.HANDLER, Role.LEADER} else set()
    return {SubjectKind.PERSON: {person.pk}, SubjectKind.UNIT: units}


def sees_all(user: Any) -> bool:
    return user_can(user, OversightCap.ASSESSMENT_MANAGE)


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    """Every assessment for the assessment team; for the others, the scored ones (whose rows they see are their own:
    `rows_for`)."""
    qs = Assessment.objects.select_related("scheme").order_by("-period_start", "scheme__name", "pk")
    if sees_all(user):
        return qs
    if not user_can(user, OversightCap.ASSESSMENT_VIEW):
        return qs.none()
    return qs.filter(status__in=[AssessmentStatus.COMPUTED, AssessmentStatus.CONFIRMED])


def assessment_get_for_user(user: Any, pk: int) -> Assessment | None:
    """The assessment if this user may see it (None: not found, whether missing or forbidden)."""
    return assessments_visible_to(user).filter(pk=pk).first()


def rows_for(user: Any, assessment: Assessment, result: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The result's rows this user may see: all for the assessment team, else their own."""
    result = assessment.result if result is None else result
    rows = list(result.get("rows", []))
    if sees_all(user):
        return rows
    mine = own_subjects(user)[assessment.scheme.subject]
    return [row for row in rows if row["id"] in mine]


def row_get_for_user(user: Any, assessment: Assessment, subject_id: int) -> dict[str, Any] | None:
    return next((row for row in rows_for(user, assessment) if row["id"] == subject_id), None)


def breakdown(result: dict[str, Any], row: dict[str, Any]) -> list[dict[str, Any]]:
    """The row's cells with their items, for a page or a file."""
    items = {item["id"]: item for item in result.get("items", [])}
    out = []
    for cell in row["cells"]:
        item = items.get(cell["item"], {})
        kind = str(ItemKind(item["kind"]).label) if item.get("kind") in ItemKind.values else ""
        out.append({**cell, "item": item, "kind_label": kind})
    return out


def latest_version(assessment: Assessment) -> AssessmentVersion | None:
    return AssessmentVersion.objects.filter(assessment=assessment).order_by("-version").first()


def appeals_pending() -> QuerySet[Appeal]:
    return Appeal.objects.filter(status=AppealStatus.PENDING).select_related("assessment__scheme", "item")


def appeals_for(user: Any, assessment: Assessment) -> list[Appeal]:
    qs = Appeal.objects.filter(assessment=assessment).select_related("item", "assessment__scheme")
    qs = qs.order_by("-filed_at", "-pk")
    if sees_all(user) or user_can(user, OversightCap.APPEAL_REVIEW):
        return with_subject_names(qs)
    return with_subject_names(qs.filter(subject_id__in=own_subjects(user)[assessment.scheme.subject]))


def with_subject_names(appeals: Iterable[Appeal]) -> list[Appeal]:
    """The appeals, each with `subject_name`: the unit or person as the assessment's result names them."""
    out = []
    for appeal in appeals:
        rows = (appeal.assessment.result or {}).get("rows", [])
        appeal.subject_name = next((r["name"] for r in rows if r["id"] == appeal.subject_id), "")  # type: ignore[attr-defined]
        out.append(appeal)
    return out


def computed_unconfirmed() -> QuerySet[Assessment]:
    return Assessment.objects.filter(status=AssessmentStatus.COMPUTED)


def appealable(item: dict[str, Any], record: list[Any]) -> bool:
    """A deduction's occurrence, or a miss of a rate (a bad rating, a case not closed), may be appealed."""
    return item.get("kind") == ItemKind.DEDUCTION or (item.get("kind") == ItemKind.RATE and not record[4])


# --- what other pages read --------------------------------------------------------------------------------------


def confirmed_rows(kind: str, subject_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The latest confirmed scores of a subject in assessments whose period lies in [start, end]."""
    versions = AssessmentVersion.objects.filter(
        assessment__scheme__subject=kind, assessment__period_start__gte=start, assessment__period_end__lte=end
    ).order_by("assessment__period_start", "assessment_id", "-version")
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for version in versions:
        if version.assessment_id in seen:
            continue
        seen.add(version.assessment_id)
        snapshot = version.snapshot
        row = next((r for r in snapshot.get("rows", []) if r["id"] == subject_id), None)
        if row is not None:
            out.append({"scheme": snapshot["scheme"], "period": snapshot["period"]["label"], "version": version.version,
                        "total": row["total"], "rank": row["rank"], "of": len(snapshot["rows"]),
                        "grade": str(Grade(row["grade"]).label)})  # fmt: skip
    return out


def last_confirmed(before: dt.date) -> list[dict[str, Any]]:
    """The latest confirmed version of each scheme's last assessment ended by `before`: its top and bottom three."""
    out = []
    for scheme in Scheme.objects.order_by("name"):
        version = (
            AssessmentVersion.objects.filter(assessment__scheme=scheme, assessment__period_end__lte=before)
            .order_by("-assessment__period_start", "-version")
            .first()
        )
        if version is None:
            continue
        rows = version.snapshot.get("rows", [])
        plain = [{"rank": r["rank"], "name": r["name"], "total": r["total"],
                  "grade": str(Grade(r["grade"]).label)} for r in rows]  # fmt: skip
        out.append({"scheme": scheme.name, "period": version.snapshot["period"]["label"], "version": version.version,
                    "count": len(rows), "top": plain[:3], "bottom": plain[-3:] if len(plain) > 3 else []})  # fmt: skip
    return out


def versions_audit_problems() -> list[Any]:
    """Every confirmed version whose snapshot or hash no longer matches the audit chain; every one removed."""
    from audit.content import ContentProblem
    from audit.models import AuditEvent

    recorded = {
        event.target_id: event
        for event in AuditEvent.objects.filter(action=CONFIRM_ACTION, target_type="oversight.assessmentversion")
    }
    problems: list[ContentProblem] = []
    seen: set[str] = set()
    for version in AssessmentVersion.objects.order_by("id").iterator(chunk_size=100):
        key = str(version.pk)
        seen.add(key)
        event = recorded.get(key)
        label = f"assessment #{version.assessment_id} v{version.version}"
        if event is None:
            problems.append(ContentProblem(None, f"confirmed {label} has no confirmation event"))
            continue
        after = event.after or {}
        if content_hash(version.snapshot) != after.get("content_hash") or version.content_hash != after.get(
            "content_hash"
        ):
            problems.append(ContentProblem(event.seq, f"confirmed {label}: snapshot changed"))
        elif (after.get("assessment"), after.get("version")) != (version.assessment_id, version.version):
            problems.append(ContentProblem(event.seq, f"confirmed {label}: identity changed"))
    for key, event in recorded.items():
        if key not in seen:
            problems.append(ContentProblem(event.seq, f"confirmed assessment version #{key} removed"))
    return problems


def statement_sections(person: Any, start: dt.date, end: dt.date) -> list[Any]:
    """The person's confirmed scores of assessments within the period, for their duty statement (述职): the
    extension "fieldwork.statement_sections"."""
    from core.documents import Section

    rows = confirmed_rows(SubjectKind.PERSON, person.pk, start, end)
    if not rows:
        return []
    lines = [
        _("%(scheme)s, %(period)s: %(total)s points, rank %(rank)d of %(of)d, %(grade)s (confirmed, version %(v)d).")
        % {**row, "total": f"{row['total']:g}", "v": row["version"]}
        for row in rows
    ]
    return [Section(_("Assessment results"), lines=lines)]
