"""Every write of the assessment: schemes and their items, opening an assessment, computing it (a background job),
manual scores, appeals and their review, and confirming (a frozen, hashed, versioned result).

Each refusal is a DomainError with a translated message, raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError, NotAllowed, StateConflict
from core.indicators import registered
from core.jobs.models import Job
from core.types import Actor
from oversight.models.assessment import (
    HUNDRED,
    Appeal,
    AppealStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    ItemKind,
    ManualScore,
    PeriodKind,
    Scheme,
    SchemeItem,
    SubjectKind,
)
from oversight.selectors import assessment as selectors
from oversight.selectors.assessment import COMPUTE_JOB, CONFIRM_ACTION, canonical_json, content_hash

REASON_MAX = 1000


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _decimal(value: Any, label: str, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(field)s is not a number.") % {"field": label}, field=field) from None
    if not number.is_finite() or abs(number) >= Decimal(10000):
        raise DomainError(_("%(field)s is not a number.") % {"field": label}, field=field)
    return number.quantize(Decimal("0.01"))


def _items(subject: str, raw: Sequence[dict[str, Any]]) -> list[SchemeItem]:
    """The scheme's items as unsaved rows, each checked; the non-deduction weights must sum to 100."""
    known = registered()
    items: list[SchemeItem] = []
    for order, entry in enumerate(raw, start=1):
        key = (entry.get("indicator") or "").strip()
        label = (entry.get("label") or "").strip()
        weight = _decimal(entry.get("weight"), _("The weight"), "items") or Decimal(0)
        if key:
            indicator = known.get(key)
            if indicator is None or subject not in indicator.subjects:
                raise DomainError(_("The indicator %(key)s cannot score this scheme's subjects.") % {"key": key},
                                  field="items")  # fmt: skip
            kind = indicator.kind
            label = label or str(indicator.label)
        else:
            kind = ItemKind.MANUAL
            if not label:
                raise DomainError(_("A manual item needs its label."), field="items")
        item = SchemeItem(order=order, kind=kind, indicator=key, label=label[:120], weight=weight)
        if weight < 0:
            raise DomainError(_("A weight cannot be negative."), field="items")
        if kind == ItemKind.COUNT:
            item.target = _decimal(entry.get("target"), _("The target"), "items")
            if item.target is None or item.target <= 0:
                raise DomainError(_("The count “%(label)s” needs a target above 0.") % {"label": label}, field="items")
        if kind == ItemKind.DEDUCTION:
            item.weight = Decimal(0)
            item.points = _decimal(entry.get("points"), _("The points"), "items")
            item.cap = _decimal(entry.get("cap"), _("The cap"), "items")
            if not item.points or item.points <= 0 or not item.cap or item.cap <= 0:
                raise DomainError(
                    _("The deduction “%(label)s” needs its points per occurrence and its cap, both above 0.")
                    % {"label": label},
                    field="items",
                )
        if kind == ItemKind.MANUAL:
            item.min_score = _decimal(entry.get("min_score"), _("The lowest score"), "items") or Decimal(0)
            if item.min_score < 0 or item.min_score > weight:
                raise DomainError(
                    _("The manual item “%(label)s” needs a range from 0 up to its weight.") % {"label": label},
                    field="items",
                )
        items.append(item)
    if not items:
        raise DomainError(_("A scheme needs at least one item."), field="items")
    keys = [i.indicator for i in items if i.indicator]
    if len(keys) != len(set(keys)):
        raise DomainError(_("An indicator appears twice in the scheme."), field="items")
    total = sum((i.weight for i in items if i.kind != ItemKind.DEDUCTION), Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            _("The weights of the items other than deductions must sum to 100; they sum to %(total)s.")
            % {"total": f"{total.normalize():f}"},
            field="items",
        )
    return items


def _scheme_fields(scheme: Scheme, data: dict[str, Any]) -> None:
    scheme.name = (data.get("name") or "").strip()
    scheme.subject = data.get("subject") or ""
    scheme.period_kind = data.get("period_kind") or ""
    if scheme.subject not in SubjectKind.values:
        raise DomainError(_("Choose units or people."), field="subject")
    if scheme.period_kind not in PeriodKind.values:
        raise DomainError(_("Choose a quarter, a half-year or a year."), field="period_kind")
    for field, label in (("excellent_from", _("Excellent from")), ("good_from", _("Good from")),
                         ("fair_from", _("Fair from"))):  # fmt: skip
        if data.get(field) not in (None, ""):
            setattr(scheme, field, _decimal(data[field], label, field))
    if not (HUNDRED >= scheme.excellent_from > scheme.good_from > scheme.fair_from >= 0):
        raise DomainError(_("The grades' thresholds must fall: excellent above good above fair, from 100 to 0."),
                          field="excellent_from")  # fmt: skip
    days = data.get("appeal_days")
    if days not in (None, ""):
        if not isinstance(days, int) or not 0 <= days <= 60:
            raise DomainError(_("The appeal days are from 0 to 60."), field="appeal_days")
        scheme.appeal_days = days
    if not scheme.name:
        raise DomainError(_("A scheme needs its name."), field="name")
    if Scheme.objects.filter(name=scheme.name).exclude(pk=scheme.pk).exists():
        raise DomainError(_("There is a scheme of that name already."), field="name")


def scheme_create(*, actor: Actor, items: Sequence[dict[str, Any]], **data: Any) -> Scheme:
    """A new scheme with its items (the non-deduction weights summing to 100)."""
    now = timezone.now()
    scheme = Scheme(created_at=now, updated_at=now)
    _scheme_fields(scheme, data)
    rows = _items(scheme.subject, items)
    with transaction.atomic():
        scheme.full_clean()
        scheme.save()
        for row in rows:
            row.scheme = scheme
            row.full_clean()
            row.save()
        audit_record(actor=actor, action="oversight.assessment.scheme_create", target=scheme,
                     after={"name": scheme.name, "items": [selectors.item_plain(r) for r in rows]})  # fmt: skip
    return scheme


def scheme_update(*, actor: Actor, scheme: Scheme, items: Sequence[dict[str, Any]], **data: Any) -> Scheme:
    """Change a scheme and its items while none of its assessments is scored (then a new scheme is made)."""
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if locked.assessments.exclude(status=AssessmentStatus.OPEN).exists():
            raise StateConflict(_("This scheme has scores already; make a new scheme for other rules."))
        before = {"name": locked.name, "items": [selectors.item_plain(i) for i in locked.items.all()]}
        _scheme_fields(locked, data)
        rows = _items(locked.subject, items)
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        ManualScore.objects.filter(item__scheme=locked).delete()
        locked.items.all().delete()
        for row in rows:
            row.scheme = locked
            row.full_clean()
            row.save()
        audit_record(actor=actor, action="oversight.assessment.scheme_update", target=locked, before=before,
                     after={"name": locked.name, "items": [selectors.item_plain(r) for r in rows]})  # fmt: skip
    return locked


def assessment_open(*, actor: Actor, scheme: Scheme, period: dt.date) -> Assessment:
    """Open the assessment of a scheme for one period that has begun (one plan per scheme and period). A period still
    running is scored as it stands (暂评), so that the team sees where each unit is; it is confirmed once it ends."""
    start = selectors.period_start_of(scheme.period_kind, period)
    end = selectors.period_end(scheme.period_kind, start)
    if start > timezone.localdate():
        raise DomainError(_("A period is assessed once it has begun: %(period)s has not.")
                          % {"period": selectors.period_label(scheme.period_kind, start)}, field="period")  # fmt: skip
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        if Assessment.objects.filter(scheme=scheme, period_start=start).exists():
            raise StateConflict(_("This scheme already has an assessment of %(period)s.")
                                % {"period": selectors.period_label(scheme.period_kind, start)})  # fmt: skip
        assessment = Assessment(scheme=scheme, period_start=start, period_end=end, created_by=_user(actor),
                                created_at=timezone.now())  # fmt: skip
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            raise StateConflict(_("This scheme already has an assessment of this period.")) from None
        audit_record(actor=actor, action="oversight.assessment.open", target=assessment,
                     after={"scheme": scheme.pk, "from": start.isoformat(), "to": end.isoformat()})  # fmt: skip
    return assessment


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("scheme").get(pk=assessment.pk)


def assessment_compute(*, actor: Actor, assessment: Assessment) -> Job:
    """Queue the computation of every subject's figures (a background job with its progress)."""
    from core.jobs.services import job_start

    with transaction.atomic():
        locked = _locked(assessment)
        if locked.status == AssessmentStatus.COMPUTING and locked.job is not None and not locked.job.finished:
            raise StateConflict(_("The scores are being computed already; wait for the job to finish."))
        title = _("Scores of %(assessment)s") % {"assessment": str(locked)}
        job = job_start(owner=actor, kind=COMPUTE_JOB, title=title, params={"assessment": locked.pk})
        locked.job = job
        if locked.status == AssessmentStatus.OPEN:
            locked.status = AssessmentStatus.COMPUTING
        locked.save(update_fields=["job", "status"])
        audit_record(actor=actor, action="oversight.assessment.compute", target=locked, after={"job": str(job.pk)})
    return job


def _rescore(locked: Assessment) -> None:
    locked.result = json.loads(canonical_json(selectors.score(locked)))
    if locked.status == AssessmentStatus.CONFIRMED:
        locked.status = AssessmentStatus.COMPUTED  # a change after confirming waits for a correction
    locked.save(update_fields=["result", "status"])


def assessment_computed(*, actor: Actor, assessment: Assessment, figures: dict[str, Any]) -> Assessment:
    """Keep the figures the job collected and score them (the job's last step); the appeal days start the first
    time."""
    with transaction.atomic():
        locked = _locked(assessment)
        locked.figures = json.loads(canonical_json(figures))
        now = timezone.now()
        locked.computed_at = now
        if locked.appeal_until is None:
            locked.appeal_until = timezone.localdate(now) + dt.timedelta(days=locked.scheme.appeal_days)
        locked.status = AssessmentStatus.COMPUTED
        locked.save(update_fields=["figures", "computed_at", "appeal_until", "status"])
        _rescore(locked)
        audit_record(actor=actor, action="oversight.assessment.computed", target=locked,
                     after={"subjects": len(locked.result["rows"]), "hash": content_hash(locked.result)})  # fmt: skip
    return locked


def manual_score_set(
    *, actor: Actor, assessment: Assessment, item: SchemeItem, subject_id: int, score: Any, reason: str
) -> ManualScore:
    """Enter (or change) a manual item's score for one subject, within the item's range, with its reason."""
    reason = (reason or "").strip()
    value = _decimal(score, _("The score"), "score")
    if item.scheme_id != assessment.scheme_id or item.kind != ItemKind.MANUAL:
        raise DomainError(_("That item is not a manual item of this scheme."), field="item")
    low, high = item.min_score or Decimal(0), item.weight
    if value is None or not low <= value <= high:
        raise DomainError(_("The score of “%(label)s” must be from %(low)s to %(high)s.")
                          % {"label": item.label, "low": f"{low.normalize():f}", "high": f"{high.normalize():f}"},
                          field="score")  # fmt: skip
    if not reason:
        raise DomainError(_("Give the reason for the score."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX}, field="reason")
    if subject_id not in {pk for pk, _n, _u in selectors.subjects(assessment.scheme.subject)}:
        raise DomainError(_("That unit or person is not scored by this scheme."), field="subject")
    with transaction.atomic():
        locked = _locked(assessment)
        entry, _created = ManualScore.objects.update_or_create(
            assessment=locked, item=item, subject_id=subject_id,
            defaults={"score": value, "reason": reason, "scorer": _user(actor), "scored_at": timezone.now()},
        )  # fmt: skip
        if locked.status != AssessmentStatus.OPEN and locked.figures is not None and locked.computed_at:
            _rescore(locked)
        audit_record(actor=actor, action="oversight.assessment.manual_score", target=locked,
                     after={"item": item.pk, "subject": subject_id, "score": str(value), "reason": reason})  # fmt: skip
    return entry


def appeal_file(
    *,
    actor: Actor,
    assessment: Assessment,
    item_id: int,
    subject_id: int,
    record_model: str,
    record_pk: int,
    reason: str,
    today: dt.date | None = None,
) -> Appeal:
    """Appeal one deduction record or one miss of a rate in one's own breakdown, within the scheme's appeal days."""
    reason = (reason or "").strip()
    today = today or timezone.localdate()
    if assessment.status not in (AssessmentStatus.COMPUTED, AssessmentStatus.CONFIRMED) or not assessment.result:
        raise StateConflict(_("The scores are not computed yet."))
    if assessment.appeal_until is None or today > assessment.appeal_until:
        raise StateConflict(_("The appeal period ended on %(day)s.") % {"day": assessment.appeal_until})
    if subject_id not in selectors.own_subjects(actor)[assessment.scheme.subject]:
        raise NotAllowed(_("Only the unit or person assessed may appeal their own scores."))
    row = next((r for r in assessment.result.get("rows", []) if r["id"] == subject_id), None)
    item = next((i for i in assessment.result.get("items", []) if i["id"] == item_id), None)
    cell = next((c for c in (row or {}).get("cells", []) if c["item"] == item_id), None)
    matching = [r for r in (cell or {}).get("records", []) if r[0] == record_model and r[1] == record_pk]
    record = next((r for r in matching if item is not None and selectors.appealable(item, r)), None)
    if item is None or record is None:
        raise DomainError(_("Only a deduction or a bad rating in your breakdown can be appealed."), field="record")
    if not reason:
        raise DomainError(_("Give the reason for the appeal."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("The reason is too long (at most %(n)d characters).") % {"n": 2000}, field="reason")
    with transaction.atomic():
        locked = _locked(assessment)
        if Appeal.objects.filter(assessment=locked, item_id=item_id, subject_id=subject_id, record_model=record_model,
                                 record_pk=record_pk).exclude(status=AppealStatus.REJECTED).exists():  # fmt: skip
            raise StateConflict(_("This record has been appealed already."))
        appeal = Appeal(assessment=locked, item_id=item_id, subject_id=subject_id, record_model=record_model,
                        record_pk=record_pk, record_title=str(record[2])[:200], reason=reason,
                        filed_by=_user(actor), filed_at=timezone.now())  # fmt: skip
        appeal.full_clean()
        appeal.save()
        audit_record(actor=actor, action="oversight.assessment.appeal", target=appeal,
                     after={"assessment": locked.pk, "item": item_id, "subject": subject_id,
                            "record": f"{record_model}:{record_pk}", "reason": reason})  # fmt: skip
    return appeal


def appeal_decide(*, actor: Actor, appeal: Appeal, sustain: bool, reason: str) -> Appeal:
    """Sustain (the record leaves the figures, the reason kept) or reject an appeal, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("The reason is too long (at most %(n)d characters).") % {"n": 2000}, field="reason")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != AppealStatus.PENDING:
            raise StateConflict(_("This appeal has been decided already."))
        locked.status = AppealStatus.SUSTAINED if sustain else AppealStatus.REJECTED
        locked.decided_by = _user(actor)
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.full_clean()
        locked.save()
        if sustain:
            _rescore(_locked(locked.assessment))
        audit_record(actor=actor, action="oversight.assessment.appeal_decide", target=locked,
                     after={"status": locked.status, "reason": reason})  # fmt: skip
    return locked


def assessment_confirm(*, actor: Actor, assessment: Assessment, reason: str = "") -> AssessmentVersion:
    """Freeze the scores as the next version (a correction after the first needs its reason)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(assessment)
        if locked.status != AssessmentStatus.COMPUTED:
            raise StateConflict(_("Only computed scores with changes not yet confirmed can be confirmed."))
        if locked.period_end >= timezone.localdate():
            raise StateConflict(_("The period runs until %(day)s: its scores are provisional until then, and are "
                                  "confirmed once it has ended.") % {"day": locked.period_end})  # fmt: skip
        if Appeal.objects.filter(assessment=locked, status=AppealStatus.PENDING).exists():
            raise StateConflict(_("Appeals are waiting for review; confirm once they are decided."))
        previous = selectors.latest_version(locked)
        if previous is not None and not reason:
            raise DomainError(_("The scores were confirmed before: a correction needs its reason."), field="reason")
        if previous is None and reason:
            raise DomainError(_("The first confirmation is not a correction: leave the reason empty."), field="reason")
        if len(reason) > REASON_MAX:
            raise DomainError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX},
                              field="reason")  # fmt: skip
        snapshot: dict[str, Any] = json.loads(canonical_json(locked.result))
        version = AssessmentVersion(
            assessment=locked, version=previous.version + 1 if previous else 1, reason=reason,
            confirmed_at=timezone.now(), confirmed_by=_user(actor), snapshot=snapshot,
            content_hash=content_hash(snapshot),
        )  # fmt: skip
        version.save()
        locked.status = AssessmentStatus.CONFIRMED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=CONFIRM_ACTION,
            target=version,
            after={"assessment": locked.pk, "version": version.version, "reason": reason,
                   "content_hash": version.content_hash},
            label=f"{locked} v{version.version}",
        )  # fmt: skip
    return version
