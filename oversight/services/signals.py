"""The supervision signals' writes: refreshing them from the detectors, looking at one, dismissing one with a reason,
turning one into a problem clue, and queueing a refresh as a background job.

A refresh updates a signal found again (its summary, evidence, day) and never its status: a dismissed signal stays
dismissed, a clued one stays clued. Signals no longer found are kept (they were found; the records may have changed
since, which the evidence's links show).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from campaigns.selectors import campaign_current
from core.exceptions import DomainError, StateConflict
from core.text import clean_line, clean_text
from core.types import Actor
from org.models import Person
from oversight.models.clues import Clue, ClueSource
from oversight.models.signals import Signal, SignalStatus
from oversight.services.clues import clue_create
from oversight.signals import Found, Window, detect

REFRESH_JOB = "oversight.signals_refresh"
REASON_MAX = 2000
DEFAULT_DAYS = 92  # without a campaign running, the last three months
BATCH = 500  # signals written per statement
UPDATED_FIELDS = ["person", "unit", "day", "summary", "evidence", "refreshed_at"]


@dataclass(frozen=True)
class Refreshed:
    found: int
    new: int
    updated: int


def signals_window(*, today: dt.date | None = None) -> Window:
    """The period a refresh looks at: the current campaign up to today, else the last three months."""
    today = today or timezone.localdate()
    campaign = campaign_current(on=today)
    if campaign is not None and campaign.starts_on <= today:
        return Window(start=campaign.starts_on, end=min(campaign.ends_on, today), today=today)
    return Window(start=today - dt.timedelta(days=DEFAULT_DAYS), end=today, today=today)


def signals_store(*, actor: Actor, found: Iterable[Found], window: Window | None = None) -> Refreshed:
    """Write what the detectors found: a new signal per new fingerprint, the others updated (status kept)."""
    items = {item.fingerprint: item for item in found}
    now = timezone.now()
    # A signal on a person counts for the unit they belong to, unless the detector named one (a matter's unit).
    units = dict(
        Person.objects.filter(pk__in={i.person_id for i in items.values() if i.person_id and not i.unit_id})
        .exclude(unit__isnull=True)
        .values_list("pk", "unit_id")
    )
    new = updated = 0
    fingerprints = list(items)
    with transaction.atomic():
        for begin in range(0, len(fingerprints), BATCH):
            chunk = fingerprints[begin : begin + BATCH]
            existing = {s.fingerprint: s for s in Signal.objects.select_for_update().filter(fingerprint__in=chunk)}
            fresh, changed = [], []
            for fp in chunk:
                item = items[fp]
                signal = existing.get(fp)
                if signal is None:
                    signal = Signal(kind=item.kind, fingerprint=fp, found_at=now, status=SignalStatus.NEW)
                    fresh.append(signal)
                else:
                    changed.append(signal)
                signal.person_id = item.person_id
                signal.unit_id = item.unit_id or units.get(item.person_id or 0)
                signal.day = item.day
                signal.summary = clean_line(item.summary)[:300]
                signal.evidence = item.evidence
                signal.refreshed_at = now
            # A refresh running at the same moment may have added one of them: it is found, and kept, once.
            Signal.objects.bulk_create(fresh, ignore_conflicts=True)
            Signal.objects.bulk_update(changed, UPDATED_FIELDS)
            new, updated = new + len(fresh), updated + len(changed)
        after: dict[str, object] = {"found": len(items), "new": new, "updated": updated}
        if window is not None:
            after |= {"from": window.start.isoformat(), "to": window.end.isoformat()}
        audit_record(actor=actor, action="oversight.signals_refresh", after=after, label=_("Supervision signals"))
    return Refreshed(found=len(items), new=new, updated=updated)


def signals_refresh(*, actor: Actor, window: Window | None = None, kinds: Iterable[str] | None = None) -> Refreshed:
    """Run the detectors over the window (signals_window by default) and store what they find."""
    window = window or signals_window()
    return signals_store(actor=actor, found=detect(window, kinds=kinds), window=window)


def signals_refresh_start(*, actor: Actor) -> object:
    """Queue a refresh as a background job (the workbench's button); return the job."""
    from core.jobs.services import job_start

    with transaction.atomic():
        job = job_start(owner=actor, kind=REFRESH_JOB, title=_("Refresh of the supervision signals"))
        audit_record(actor=actor, action="oversight.signals_refresh_start", after={"job": str(job.pk)})
    return job


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update().get(pk=signal.pk)


def signal_mark_seen(*, actor: Actor, signal: Signal) -> Signal:
    """Mark a new signal as looked at (a signal already handled stays as it is)."""
    with transaction.atomic():
        locked = _locked(signal)
        if locked.status != SignalStatus.NEW:
            return locked
        locked.status = SignalStatus.SEEN
        locked.handled_at = timezone.now()
        locked.handled_by = actor if actor is not None and actor.is_authenticated else None  # type: ignore[assignment]
        locked.save(update_fields=["status", "handled_at", "handled_by"])
        audit_record(actor=actor, action="oversight.signal_seen", target=locked, label=locked.get_kind_display())
    return locked


def signal_dismiss(*, actor: Actor, signal: Signal, reason: str) -> Signal:
    """Dismiss a signal with the reason it needs no further look; it stays dismissed when found again."""
    reason = clean_text(reason or "").strip()
    if "\x00" in reason:
        raise DomainError(_("The text holds a character that cannot be stored."), field="reason")
    if not reason:
        raise DomainError(_("Say why the signal is dismissed: the reason is required."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX}, field="reason"
        )
    with transaction.atomic():
        locked = _locked(signal)
        if locked.status in (SignalStatus.DISMISSED, SignalStatus.CLUED):
            raise StateConflict(_("This signal is “%(status)s” already.") % {"status": locked.get_status_display()})
        before = {"status": locked.status}
        locked.status = SignalStatus.DISMISSED
        locked.dismiss_reason = reason
        locked.handled_at = timezone.now()
        locked.handled_by = actor if actor is not None and actor.is_authenticated else None  # type: ignore[assignment]
        locked.full_clean()
        locked.save(update_fields=["status", "dismiss_reason", "handled_at", "handled_by"])
        audit_record(
            actor=actor,
            action="oversight.signal_dismiss",
            target=locked,
            before=before,
            after={"status": locked.status, "reason": reason},
            label=locked.get_kind_display(),
        )
    return locked


def signal_to_clue(*, actor: Actor, signal: Signal, text: str = "") -> Clue:
    """Turn a signal into a problem clue (oversight.services.clues.clue_create marks the signal)."""
    if signal.status in (SignalStatus.DISMISSED, SignalStatus.CLUED):
        raise StateConflict(_("This signal is “%(status)s” already.") % {"status": signal.get_status_display()})
    if "\x00" in (text or ""):
        raise DomainError(_("The text holds a character that cannot be stored."), field="text")
    text = (text or "").strip() or f"{signal.get_kind_display()}：{signal.summary}"
    return clue_create(actor=actor, source=ClueSource.SIGNAL, text=text, signal=signal)
