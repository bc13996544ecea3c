"""Problem clues: the only writes of the clues area (registering, disposing, concluding, the measures, the chase).

Every write runs in one transaction with its audit event. A clue's text and the people it names are confidential;
the audit event records the clue's number, never its text. The status moves only through `_move`, checked against
`oversight.models.clues.TRANSITIONS` under a row lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.exceptions import DomainError, StateConflict
from core.roles import Role
from core.types import Actor
from core.uploads import CleanFile
from matters.deadlines import add_working_days
from matters.services import TRACKING_ALPHABET
from org.models import Person, Unit
from oversight.models.clues import (
    TRANSITIONS,
    Clue,
    ClueConclusion,
    ClueDisposal,
    ClueFile,
    ClueSource,
    ClueStatus,
    Measure,
)
from oversight.models.signals import Signal, SignalStatus

TEXT_MAX = 5000
FINDINGS_MAX = 10_000
TRACKING_PREFIX = "X"
TRACKING_LENGTH = 10  # "X" and nine of the matters' alphabet: a clue's code never reads as a matter's
CHASE_ACTION = "clue.chase"

# The accountability measures discipline practice names (问责条例): the keys settings.CLUE_MEASURES_* choose from.
MEASURE_LABELS: dict[str, Any] = {
    "inspection": gettext_lazy("Ordered to inspect (检查)"),
    "circular": gettext_lazy("Circulated (通报)"),
    "reorganise": gettext_lazy("Reorganised (改组)"),
    "reminder": gettext_lazy("Reminder talk (谈话提醒)"),
    "criticism": gettext_lazy("Criticism and education (批评教育)"),
    "self_inspection": gettext_lazy("Ordered to make a self-criticism (责令检查)"),
    "admonition": gettext_lazy("Admonishment (诫勉)"),
    "org_handling": gettext_lazy("Organisational adjustment or handling (组织调整或组织处理)"),
    "discipline": gettext_lazy("Disciplinary sanction (纪律处分)"),
}


def _new_tracking_code() -> str:
    return TRACKING_PREFIX + "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH - 1))


def _next_code(year: int) -> str:
    prefix = f"XS-{year}-"
    last = Clue.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def clue_create(
    *,
    actor: Actor,
    source: str,
    text: str,
    signal: Signal | None = None,
    public: bool | None = None,
    concerned: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    persons: Iterable[Person] | None = None,
    units: Iterable[Unit] | None = None,
    received_at: dt.datetime | None = None,
) -> Clue:
    """Register a clue. A public one gets a tracking code for its reporter; one from a signal marks the signal.

    `received_at` is for a clue that came in on paper earlier (never in the future); by default, now."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what the clue is about: the text is required."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(_("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX}, field="text")
    if source not in ClueSource.values:
        raise DomainError(_("Unknown source of a clue."))
    if (source == ClueSource.SIGNAL) != (signal is not None):
        raise DomainError(_("A clue comes from a signal exactly when its source is a signal."))
    now = timezone.now()
    if received_at is not None and received_at > now:
        raise DomainError(_("A clue cannot be received in the future."), field="received_at")
    received = received_at or now
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if signal is not None:
                    signal = Signal.objects.select_for_update().get(pk=signal.pk)
                    if signal.status == SignalStatus.CLUED:
                        raise DomainError(_("This signal has already been turned into a clue."))
                clue = Clue(
                    code=_next_code(timezone.localdate(received).year),
                    tracking_code=_new_tracking_code() if source == ClueSource.PUBLIC else None,
                    source=source,
                    text=text,
                    concerned=" ".join((concerned or "").split()),
                    reporter_name=" ".join((reporter_name or "").split()),
                    reporter_phone="".join((reporter_phone or "").split()),
                    received_at=received,
                    signal=signal,
                    created_by=_user(actor),
                )
                clue.full_clean()
                clue.save()
                if persons:
                    clue.persons.set(list(persons))
                if units:
                    clue.units.set(list(units))
                if signal is not None:
                    signal.status = SignalStatus.CLUED
                    signal.handled_at = now
                    signal.handled_by = clue.created_by
                    signal.save(update_fields=["status", "handled_at", "handled_by"])
                audit_record(actor=actor, action="clue.create", target=clue, after={"source": source}, label=clue.code)
                if source == ClueSource.PUBLIC:
                    transaction.on_commit(lambda pk=clue.pk: _tell_received(pk))  # type: ignore[misc]
                return clue
        except IntegrityError:  # two clues took the same number at once: take the next
            continue
    raise DomainError(_("The clue could not be numbered; try again."))


def _tell_received(pk: int) -> None:
    """Tell the supervision team a clue came in from the public: its number only, never what it says."""
    from notifications.services import notify

    clue = Clue.objects.filter(pk=pk).first()
    if clue is None:
        return
    notify(
        recipients=supervisors_for(clue),
        title=_("A problem clue came in from the public: %(code)s") % {"code": clue.code},
        body=_("Register how it is to be disposed of."),
        link=reverse("oversight:clue_detail", args=[clue.pk]),
        subject=clue,
    )


def _locked(clue: Clue) -> Clue:
    return Clue.objects.select_for_update().get(pk=clue.pk)


def _move(clue: Clue, to: str) -> str:
    """The one writer of a clue's status: refuse a step the workflow table does not allow."""
    before = clue.status
    if to not in TRANSITIONS.get(before, frozenset()):
        raise StateConflict(
            _("A clue that is “%(now)s” cannot become “%(to)s”.")
            % {"now": ClueStatus(before).label, "to": ClueStatus(to).label}
        )
    clue.status = to
    return before


def _check_day(day: Any, *, after: dt.date | None, what: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise DomainError(_("Give the date of %(what)s.") % {"what": what})
    if day > timezone.localdate():
        raise DomainError(_("The date of %(what)s cannot be in the future.") % {"what": what})
    if after is not None and day < after:
        raise DomainError(
            _("The date of %(what)s cannot be before %(day)s.") % {"what": what, "day": after.isoformat()}
        )
    return day


def due_on(disposal: str, *, disposed_on: dt.date, replied_on: dt.date | None = None) -> dt.date | None:
    """The day a clue disposed of this way is to be concluded by (None: 谈话函询 before its reply)."""
    if disposal == ClueDisposal.VERIFY:
        return add_working_days(disposed_on, settings.CLUE_VERIFY_WORKING_DAYS)
    if disposal == ClueDisposal.CLOSE:
        return add_working_days(disposed_on, settings.CLUE_CLOSE_WORKING_DAYS)
    if disposal == ClueDisposal.SHELVE:
        return disposed_on + dt.timedelta(days=settings.CLUE_SHELVE_DAYS)
    if replied_on is None:
        return None
    return replied_on + dt.timedelta(days=settings.CLUE_INQUIRY_DAYS)


def clue_link(
    *,
    actor: Actor,
    clue: Clue,
    persons: Iterable[Person],
    units: Iterable[Unit],
    concerned: str | None = None,
) -> Clue:
    """Set the people and units a clue names (they, and the supervisors among them, no longer see it)."""
    people, orgs = list(persons), list(units)
    with transaction.atomic():
        clue = _locked(clue)
        if concerned is not None:
            clue.concerned = " ".join(concerned.split())
            clue.full_clean()
            clue.save(update_fields=["concerned"])
        clue.persons.set(people)
        clue.units.set(orgs)
        audit_record(
            actor=actor,
            action="clue.link",
            target=clue,
            after={"persons": sorted(p.pk for p in people), "units": sorted(u.pk for u in orgs)},
            label=clue.code,
        )
    return clue


def clue_dispose(*, actor: Actor, clue: Clue, disposal: str, on: dt.date) -> Clue:
    """Dispose of a registered clue in one of the four ways; its limit starts (谈话函询: once the reply is in)."""
    if disposal not in ClueDisposal.values:
        raise DomainError(_("Choose one of the four ways of disposal."), field="disposal")
    with transaction.atomic():
        clue = _locked(clue)
        received = timezone.localdate(clue.received_at)
        on = _check_day(on, after=received, what=_("the disposal"))
        before = _move(clue, ClueStatus.DISPOSED)
        clue.disposal, clue.disposed_on = disposal, on
        clue.due_on = due_on(disposal, disposed_on=on)
        clue.full_clean()
        clue.save(update_fields=["status", "disposal", "disposed_on", "due_on"])
        audit_record(
            actor=actor,
            action="clue.dispose",
            target=clue,
            before={"status": before},
            after={"status": clue.status, "disposal": disposal, "on": on, "due_on": clue.due_on},
            label=clue.code,
        )
    return clue


def clue_reply_record(*, actor: Actor, clue: Clue, replied_on: dt.date) -> Clue:
    """Record the day the reply to a talk or written inquiry (谈话函询) came in: the clue is due so many days later."""
    with transaction.atomic():
        clue = _locked(clue)
        if clue.status != ClueStatus.DISPOSED or clue.disposal != ClueDisposal.INQUIRY:
            raise StateConflict(_("Only a clue under talk or written inquiry (谈话函询) waits for a reply."))
        replied_on = _check_day(replied_on, after=clue.disposed_on, what=_("the reply"))
        clue.replied_on = replied_on
        clue.due_on = due_on(clue.disposal, disposed_on=clue.disposed_on, replied_on=replied_on)  # type: ignore[arg-type]
        clue.save(update_fields=["replied_on", "due_on"])
        audit_record(
            actor=actor,
            action="clue.reply",
            target=clue,
            after={"replied_on": replied_on, "due_on": clue.due_on},
            label=clue.code,
        )
    return clue


def clue_conclude(
    *,
    actor: Actor,
    clue: Clue,
    conclusion: str,
    findings: str,
    on: dt.date,
    evidence: str = "",
    files: Sequence[CleanFile] = (),
) -> Clue:
    """Conclude a disposed clue: founded, partly founded or unfounded, with the findings (required) and the evidence
    (a description, and files checked by core.uploads)."""
    findings = (findings or "").strip()
    if conclusion not in ClueConclusion.values:
        raise DomainError(_("Choose the conclusion: founded, partly founded or unfounded."), field="conclusion")
    if not findings:
        raise DomainError(_("Write the findings: a clue is not concluded without them."), field="findings")
    if len(findings) > FINDINGS_MAX:
        raise DomainError(
            _("The findings are too long (at most %(max)d characters).") % {"max": FINDINGS_MAX}, field="findings"
        )
    with transaction.atomic():
        clue = _locked(clue)
        on = _check_day(on, after=clue.disposed_on, what=_("the conclusion"))
        before = _move(clue, ClueStatus.CONCLUDED)
        clue.conclusion, clue.findings, clue.concluded_on = conclusion, findings, on
        clue.evidence = (evidence or "").strip()
        clue.full_clean()
        clue.save(update_fields=["status", "conclusion", "findings", "evidence", "concluded_on"])
        stored = [_store(clue, clean, actor) for clean in files]
        audit_record(
            actor=actor,
            action="clue.conclude",
            target=clue,
            before={"status": before},
            after={"status": clue.status, "conclusion": conclusion, "on": on, "files": [f.pk for f in stored]},
            label=clue.code,
        )
    return clue


def _store(clue: Clue, clean: CleanFile, actor: Actor) -> ClueFile:
    row = ClueFile(
        clue=clue,
        content_type=clean.content_type,
        size=len(clean.content),
        original_name=clean.original_name[:200],
        uploaded_by=_user(actor),
        uploaded_at=timezone.now(),
    )
    row.file.save(f"{clue.code}.{clean.extension}", ContentFile(clean.content), save=False)
    row.full_clean()
    row.save()
    return row


def _configured(name: str) -> list[tuple[str, str]]:
    pairs = []
    for raw in getattr(settings, name):
        key, _sep, label = str(raw).partition(":")
        key = key.strip()
        if not label and key not in MEASURE_LABELS:
            raise ImproperlyConfigured(f"{name}: {key!r} is no known measure; write it as key:label.")
        pairs.append((key, label.strip() or str(MEASURE_LABELS[key])))
    return pairs


def measure_kinds(subject: str) -> list[tuple[str, str]]:
    """The measures offered for a person ("person") or an organisation ("unit"): (key, label), as configured."""
    return _configured("CLUE_MEASURES_PERSON" if subject == "person" else "CLUE_MEASURES_UNIT")


def measure_label(key: str) -> str:
    """A measure's label, whichever list it is configured in (a key no longer configured: its own label or key)."""
    for subject in ("person", "unit"):
        for known, label in measure_kinds(subject):
            if known == key:
                return label
    return str(MEASURE_LABELS.get(key, key))


def measure_add(
    *,
    actor: Actor,
    clue: Clue,
    kind: str,
    decided_on: dt.date,
    decider: str,
    person: Person | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> Measure:
    """Record one accountability measure of a founded or partly founded clue, for one person or one organisation."""
    if (person is None) == (unit is None):
        raise DomainError(_("A measure is for one person or for one organisation."), field="person")
    subject = "person" if person is not None else "unit"
    if kind not in dict(measure_kinds(subject)):
        message = (
            _("Choose one of the measures for a person.")
            if subject == "person"
            else _("Choose one of the measures for an organisation.")
        )
        raise DomainError(message, field="kind")
    decider = " ".join((decider or "").split())
    if not decider:
        raise DomainError(_("Say who decided the measure."), field="decider")
    with transaction.atomic():
        clue = _locked(clue)
        if not clue.accountable:
            raise StateConflict(
                _("Measures are taken only on a clue concluded as founded or partly founded; %(code)s is not.")
                % {"code": clue.code}
            )
        decided_on = _check_day(decided_on, after=clue.concluded_on, what=_("the decision"))
        measure = Measure(
            clue=clue,
            kind=kind,
            person=person,
            unit=unit,
            decided_on=decided_on,
            decider=decider,
            note=(note or "").strip(),
            created_at=timezone.now(),
            created_by=_user(actor),
        )
        measure.full_clean()
        measure.save()
        audit_record(
            actor=actor,
            action="clue.measure",
            target=measure,
            after={"clue": clue.code, "kind": kind, "person": person and person.pk, "unit": unit and unit.pk},
            label=f"{clue.code} · {kind}",
        )
    return measure


def supervisors_for(clue: Clue) -> list[Any]:
    """The active members of the supervision team, but for those the clue names."""
    named = Person.objects.filter(pk__in=clue.persons.values("pk"), user__isnull=False).values("user_id")
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
        .exclude(pk__in=named)
        .distinct()
        .order_by("pk")
    )
    return list(users)


def clues_chase(*, now: dt.datetime | None = None) -> int:
    """Tell the supervision team of each clue past its limit, once per limit; returns how many were chased."""
    from notifications.services import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    late = list(
        Clue.objects.filter(status=ClueStatus.DISPOSED, due_on__lt=today)
        .exclude(chased_for=F("due_on"))
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    chased = 0
    for pk in late:
        with transaction.atomic():
            clue = Clue.objects.select_for_update().filter(pk=pk).first()
            # Re-check under the lock: concluded or chased by another run meanwhile.
            if clue is None or clue.status != ClueStatus.DISPOSED or clue.due_on is None or clue.due_on >= today:
                continue
            if clue.chased_for == clue.due_on:
                continue
            clue.chased_for = clue.due_on
            clue.save(update_fields=["chased_for"])
            audit_record(
                actor=None,
                action=CHASE_ACTION,
                target=clue,
                after={"due_on": clue.due_on, "days_late": (today - clue.due_on).days},
                label=clue.code,
            )
            values = {"code": clue.code, "due": clue.due_on.isoformat(), "way": ClueDisposal(clue.disposal).label}
            notify(
                recipients=supervisors_for(clue),
                title=_("Clue %(code)s is past its limit") % values,
                body=_("%(way)s: it was to be concluded by %(due)s. Conclude it or record why it takes longer.")
                % values,
                link=reverse("oversight:clue_detail", args=[clue.pk]),
                subject=clue,
            )
            chased += 1
    return chased
