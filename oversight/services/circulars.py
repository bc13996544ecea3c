"""The circulars area's writes: draft a circular from the records of a period, edit the draft, issue it.

Issuing numbers it (〔year〕第N期 in the year of issue), freezes it (the model refuses any later change or removal),
records the hash of its content in the audit chain, and tells the units concerned (their accounts' inboxes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError, StateConflict
from core.types import Actor
from notifications.services import excerpt, notify
from org.models import Person, Unit
from oversight.models.circulars import Circular, CircularKind, CircularPerson, CircularStatus, CircularUnit
from oversight.models.reviews import Decision, DecisionKind
from oversight.selectors.circulars import ISSUE_ACTION, content, content_hash, draft_for
from oversight.services.publication import publisher_unit

TITLE_MAX = 200
TEXT_MAX = {"lead": 5000, "body": 50_000, "conclusion": 5000}
ISSUER_MAX = 100
PERIOD_MAX_DAYS = 366
YEARS = (2000, 2100)  # the years a period may lie in (a date the calendar cannot step past is refused, not a 500)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_text(*, title: str, lead: str, body: str, conclusion: str, issuer: str) -> None:
    if not title:
        raise DomainError(_("A circular needs a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("The title is too long (at most %(n)d characters).") % {"n": TITLE_MAX}, field="title")
    for name, value in (("lead", lead), ("body", body), ("conclusion", conclusion)):
        if len(value) > TEXT_MAX[name]:
            raise DomainError(_("The text is too long (at most %(n)d characters).") % {"n": TEXT_MAX[name]}, field=name)
    if not issuer:
        raise DomainError(_("A circular needs the unit that issues it."), field="issuer")
    if len(issuer) > ISSUER_MAX:
        raise DomainError(
            _("The issuing unit is too long (at most %(n)d characters).") % {"n": ISSUER_MAX}, field="issuer"
        )


def _default_issuer(actor: Actor) -> str:
    unit = publisher_unit(actor)
    if unit:
        return unit
    park = Unit.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    return park.name if park is not None else _("Conduct supervision team")


def _set_links(circular: Circular, unit_ids: list[int], person_ids: list[int]) -> None:
    CircularUnit.objects.filter(circular=circular).delete()
    CircularPerson.objects.filter(circular=circular).delete()
    CircularUnit.objects.bulk_create([CircularUnit(circular=circular, unit_id=pk) for pk in dict.fromkeys(unit_ids)])
    CircularPerson.objects.bulk_create(
        [CircularPerson(circular=circular, person_id=pk) for pk in dict.fromkeys(person_ids)]
    )


def circular_draft(
    *,
    actor: Actor,
    kind: str,
    start: dt.date,
    end: dt.date,
    decision: Decision | None = None,
    issuer: str = "",
) -> Circular:
    """Generate a draft of `kind` from the records of [start, end]; it can be edited until it is issued."""
    if kind not in CircularKind.values:
        raise DomainError(_("Choose the kind of circular."), field="kind")
    if start is None or end is None or end < start:
        raise DomainError(_("The period ends before it starts."), field="end")
    if start.year < YEARS[0] or end.year > YEARS[1]:
        raise DomainError(
            _("A circular covers a period between %(first)d and %(last)d.") % {"first": YEARS[0], "last": YEARS[1]},
            field="start",
        )
    if (end - start).days >= PERIOD_MAX_DAYS:
        raise DomainError(_("A circular covers at most a year."), field="end")
    if decision is not None and decision.kind != DecisionKind.CIRCULAR:
        raise DomainError(_("Only a review decision to order a circular starts one."), field="decision")
    draft = draft_for(kind, start, end)
    issuer = _text(issuer) or _default_issuer(actor)
    _check_text(title=draft.title, lead=draft.lead, body=draft.body, conclusion=draft.conclusion, issuer=issuer)
    now = timezone.now()
    with transaction.atomic():
        circular = Circular(
            kind=kind,
            period_start=start,
            period_end=end,
            title=draft.title,
            lead=draft.lead,
            body=draft.body,
            conclusion=draft.conclusion,
            table={"headers": draft.headers, "rows": draft.rows},
            issuer=issuer,
            decision=decision,
            created_by=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
            created_at=now,
            updated_at=now,
        )
        circular.full_clean()
        circular.save()
        _set_links(circular, draft.unit_ids, draft.person_ids)
        audit_record(
            actor=actor,
            action="oversight.circular_draft",
            target=circular,
            after={
                "kind": kind,
                "period": [start.isoformat(), end.isoformat()],
                "rows": len(draft.rows),
                "units": draft.unit_ids,
                "persons": draft.person_ids,
                "decision": decision.pk if decision is not None else None,
            },
        )
    return circular


def _locked_draft(circular: Circular) -> Circular:
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if locked.status != CircularStatus.DRAFT:
        raise StateConflict(_("This circular is issued: it cannot be changed."))
    return locked


def circular_update(
    *,
    actor: Actor,
    circular: Circular,
    title: str,
    lead: str = "",
    body: str = "",
    conclusion: str = "",
    issuer: str | None = None,
    units: list[Unit] | None = None,
) -> Circular:
    """Edit a draft: its title, lead paragraph, body, conclusion, signature and (if given) the units concerned."""
    title, lead, body, conclusion = _text(title), _text(lead), _text(body), _text(conclusion)
    with transaction.atomic():
        locked = _locked_draft(circular)
        issuer_text = locked.issuer if issuer is None else _text(issuer)
        _check_text(title=title, lead=lead, body=body, conclusion=conclusion, issuer=issuer_text)
        before = {"title": locked.title, "lead": locked.lead, "body": locked.body, "conclusion": locked.conclusion}
        locked.title, locked.lead, locked.body, locked.conclusion = title, lead, body, conclusion
        locked.issuer = issuer_text
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
        after: dict[str, Any] = {"title": title, "lead": lead, "body": body, "conclusion": conclusion}
        if units is not None:
            persons = list(locked.person_links.values_list("person_id", flat=True))
            _set_links(locked, [u.pk for u in units], persons)
            after["units"] = [u.pk for u in units]
        audit_record(actor=actor, action="oversight.circular_update", target=locked, before=before, after=after)
    return locked


def _recipients(circular: Circular) -> list[Any]:
    """The active accounts of the people of the units concerned, and of the persons named."""
    unit_ids = list(circular.unit_links.values_list("unit_id", flat=True))
    person_ids = list(circular.person_links.values_list("person_id", flat=True))
    people = Person.objects.filter(user__isnull=False, user__is_active=True).select_related("user")
    people = people.filter(unit_id__in=unit_ids) | people.filter(pk__in=person_ids)
    return [p.user for p in people.distinct().order_by("pk")]


def circular_issue(*, actor: Actor, circular: Circular) -> Circular:
    """Issue a draft: number it, freeze it, hash it into the audit chain and tell the units concerned."""
    with transaction.atomic():
        locked = _locked_draft(circular)
        _check_text(
            title=locked.title, lead=locked.lead, body=locked.body, conclusion=locked.conclusion, issuer=locked.issuer
        )
        if not locked.unit_links.exists():
            raise DomainError(_("Name at least one unit concerned before issuing the circular."), field="units")
        now = timezone.now()
        today = timezone.localdate(now)
        # One number per year: the year's last issued circular is read under a lock (a first issue of the year has
        # none to lock; the unique constraint on year and number backs it).
        last = (
            Circular.objects.select_for_update()
            .filter(status=CircularStatus.ISSUED, year=today.year)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        locked.year, locked.seq = today.year, (last or 0) + 1
        locked.issued_on, locked.issued_at = today, now
        locked.issued_by = actor if actor is not None and actor.is_authenticated else None  # type: ignore[assignment]
        locked.content_hash = content_hash(content(locked))
        locked.status = CircularStatus.ISSUED
        locked.updated_at = now
        locked.full_clean()
        locked.save()
        units = list(locked.unit_links.values_list("unit_id", flat=True))
        audit_record(
            actor=actor,
            action=ISSUE_ACTION,
            target=locked,
            after={
                "number": locked.number,
                "kind": locked.kind,
                "units": sorted(units),
                "persons": sorted(locked.person_links.values_list("person_id", flat=True)),
                "content_hash": locked.content_hash,
            },
        )
        values = {"number": locked.number, "title": locked.title}
        notify(
            recipients=_recipients(locked),
            title=_("Circular %(number)s: %(title)s") % values,
            body=excerpt(locked.lead, 300),
            link=locked.get_absolute_url(),
            subject=locked,
        )
    return locked
