"""Read and verify the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from audit.content import content_problems
from audit.models import AuditEvent, AuditHead
from audit.services import GENESIS_HASH, event_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_verify(*, batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; name the first event whose record or link does not hold, then run the apps'
    content checks (audit.content) and name the event that recorded the first record found changed."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing event (gap in sequence)")
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.seq, "link to previous event broken")
        if event_hash(event) != event.hash:
            return ChainReport(False, checked, event.seq, "event content changed")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != expected_prev):
        return ChainReport(False, checked, checked + 1, "events missing at the end of the chain")
    # The chain holds: now the records kept beside it whose digests it recorded (the "audit.content" checks).
    problems = content_problems()
    if problems:
        first = problems[0]
        return ChainReport(False, checked, first.seq if first.seq is not None else checked, first.reason)
    return ChainReport(True, checked)


def audit_events(
    *, action: str = "", actor: str = "", target_type: str = "", target_id: str = ""
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if "\x00" in action + actor + target_type + target_id:
        return qs.none()  # no event holds a NUL, and PostgreSQL cannot even compare text with one
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return qs
