"""Dispute screening (矛盾纠纷排查): raise, follow up, recolour (with history), resolve, escalate to a matter or a
petition case; screening rounds per community (half-monthly, weekly in sensitive periods; 零报告); the monthly
report and the early-warning list. The parties are private like petitioners (`can_see_parties`)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.roles import Role, user_can, user_roles
from core.types import Actor
from matters.models import Channel as MatterChannel
from matters.services import matter_create
from org.models import Person, Unit, UnitKind
from petitions.capabilities import PetitionCap
from petitions.models import (
    Colour,
    ColourChange,
    Dispute,
    DisputeParty,
    DisputeStatus,
    FocusArea,
    Risk,
    ScreeningRound,
    SensitivePeriod,
)
from petitions.services import anonymised, case_create

_SEE_ALL = {Role.COORDINATOR, Role.LEADER, Role.ASSESSOR, Role.SUPERVISOR}
_PARTY_FIELDS = ("name", "phone", "id_number")


def follow_up_days() -> int:
    return int(getattr(settings, "PETITIONS_DISPUTE_FOLLOW_UP_DAYS", 7))


# --- who sees what ---------------------------------------------------------------------------------------------


def disputes_visible_to(user: Actor) -> QuerySet[Dispute]:
    qs = Dispute.objects.select_related("community", "kind", "responsible")
    if user is None:
        return qs
    if not user_can(user, PetitionCap.DISPUTES):
        return qs.none()
    if user_roles(user) & _SEE_ALL:
        return qs
    person = getattr(user, "person", None)
    scope = Q(raised_by=user)
    if person is not None:
        scope |= Q(community=person.unit_id) | Q(responsible=person)
    return qs.filter(scope)


def can_see_parties(user: Actor, dispute: Dispute) -> bool:
    if user is None or user_can(user, PetitionCap.PERSONAL_ALL):
        return True
    person = getattr(user, "person", None)
    if person is None or not user_can(user, PetitionCap.DISPUTES):
        return False
    return person.pk == dispute.responsible_id or (
        bool(user_roles(user) & {Role.HANDLER, Role.CADRE}) and person.unit_id == dispute.community_id
    )


def can_act(user: Actor, dispute: Dispute) -> bool:
    """Whether this user follows the dispute up: its community's cadres and handlers, its responsible, the coordinators."""
    return user is None or (user_can(user, PetitionCap.DISPUTES_WORK) and can_see_parties(user, dispute))


# --- writes ------------------------------------------------------------------------------------------------------


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def dispute_create(
    *,
    actor: Actor,
    community: Unit,
    kind: FocusArea,
    summary: str,
    place: str,
    risk: str = Risk.MEDIUM,
    colour: str = Colour.YELLOW,
    measures: str = "",
    responsible: Person | None = None,
    raised_on: dt.date | None = None,
    parties: Sequence[Mapping[str, Any]] = (),
    visit: Any = None,
) -> Dispute:
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("This date lies in the future.")})
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError({"community": _("Disputes are screened by community: choose a community.")})
    with transaction.atomic():
        dispute = Dispute(
            community=community,
            kind=kind,
            summary=summary.strip(),
            place=place.strip(),
            risk=risk,
            colour=colour,
            measures=measures.strip(),
            responsible=responsible,
            raised_on=raised_on,
            raised_by=_user(actor),
            visit=visit,
        )
        dispute.full_clean()
        dispute.save()
        for data in parties:
            party = DisputeParty(dispute=dispute, **{name: (data.get(name) or "").strip() for name in _PARTY_FIELDS})
            party.full_clean()
            party.save()
        ColourChange.objects.create(dispute=dispute, old="", new=colour, at=timezone.now(), by=_user(actor))
        audit_record(
            actor=actor,
            action="petitions.dispute_create",
            target=dispute,
            after={"community": community.pk, "colour": colour, "risk": risk, "parties": len(parties)},
        )
    return dispute


def dispute_recolour(*, actor: Actor, dispute: Dispute, colour: str, reason: str) -> ColourChange:
    if colour not in Colour.values:
        raise ValidationError({"colour": _("Choose a warning colour.")})
    if colour == dispute.colour:
        raise ValidationError({"colour": _("The dispute has this colour already.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        change = ColourChange.objects.create(
            dispute=dispute,
            old=dispute.colour,
            new=colour,
            reason=reason.strip()[:500],
            at=timezone.now(),
            by=_user(actor),
        )
        dispute.colour = colour
        dispute.save(update_fields=["colour"])
        audit_record(
            actor=actor, action="petitions.dispute_recolour", target=dispute, after={"from": change.old, "to": colour}
        )
    return change


def dispute_follow_up(
    *, actor: Actor, dispute: Dispute, measures: str, on: dt.date, responsible: Person | None = None
) -> Dispute:
    if on > timezone.localdate():
        raise ValidationError({"on": _("This date lies in the future.")})
    if not measures.strip():
        raise ValidationError({"measures": _("Say what was done to stabilise it.")})
    with transaction.atomic():
        dispute.measures = f"{dispute.measures}\n{on.isoformat()} {measures.strip()}".strip()
        dispute.followed_up_on = on
        if responsible is not None:
            dispute.responsible = responsible
        dispute.full_clean()
        dispute.save()
        audit_record(actor=actor, action="petitions.dispute_follow_up", target=dispute, after={"on": on.isoformat()})
    return dispute


def _still_open(dispute: Dispute) -> None:
    if dispute.status != DisputeStatus.OPEN:
        raise ValidationError({"status": _("This dispute is no longer open.")})


def dispute_resolve(*, actor: Actor, dispute: Dispute, resolution: str) -> Dispute:
    _still_open(dispute)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how it was settled.")})
    with transaction.atomic():
        dispute.status, dispute.resolution = DisputeStatus.RESOLVED, resolution.strip()
        dispute.save(update_fields=["status", "resolution"])
        audit_record(actor=actor, action="petitions.dispute_resolve", target=dispute, after={"status": dispute.status})
    return dispute


def dispute_escalate(
    *, actor: Actor, dispute: Dispute, to: str, owners: Sequence[Person] = (), received_on: dt.date | None = None
) -> Dispute:
    """Escalate to a matter (the loop takes it on) or to a petition case (owners needed), without the parties'
    details in the matter's text; the parties become the case's petitioners."""
    _still_open(dispute)
    parties = list(dispute.parties.all())
    text = anonymised(dispute.summary, parties)
    with transaction.atomic():
        if to == "matter":
            matter, _created = matter_create(
                actor=actor, problem=text, channel=MatterChannel.VISIT, location=dispute.community.name, is_public=False
            )
            dispute.matter, dispute.status = matter, DisputeStatus.MATTER
        elif to == "petition":
            if not parties:
                raise ValidationError({"to": _("A petition case needs the parties as its petitioners.")})
            on = received_on or timezone.localdate()
            case = case_create(
                actor=actor,
                data={
                    "summary": dispute.summary,
                    "focus": dispute.kind.pk
                    if not dispute.kind.disputes_only
                    else FocusArea.objects.get(code="other").pk,
                    "received_on": on.isoformat(),
                    "first_petition_on": on.isoformat(),
                    "petition_count": 1,
                    "level": "park",
                    "channel": "visit",
                    "risk": dispute.risk,
                    "owners": [p.pk for p in owners],
                    "handling_units": [dispute.community_id],
                    "visit_every_days": 30,
                },
                petitioners=[{"name": p.name, "phone": p.phone, "id_number": p.id_number} for p in parties],
            )
            dispute.case, dispute.status = case, DisputeStatus.PETITION
        else:
            raise ValidationError({"to": _("Escalate to a matter or to a petition case.")})
        dispute.save(update_fields=["matter", "case", "status"])
        audit_record(actor=actor, action="petitions.dispute_escalate", target=dispute, after={"to": to})
    return dispute


# --- screening rounds ------------------------------------------------------------------------------------------


def round_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The screening period of a day: its ISO week in a sensitive period, else the 1st–15th or the 16th–end."""
    if SensitivePeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).exists():
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def round_record(*, actor: Actor, community: Unit, day: dt.date, zero_report: bool, notes: str = "") -> ScreeningRound:
    """Record the community's round for the period of `day`; a zero report only if no dispute was raised in it."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": _("This date lies in the future.")})
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError({"community": _("Disputes are screened by community: choose a community.")})
    start, end = round_period(day)
    if ScreeningRound.objects.filter(community=community, period_start=start).exists():
        raise ValidationError(
            {
                "day": _("This community's round for %(start)s–%(end)s is recorded already.")
                % {"start": start.isoformat(), "end": end.isoformat()}
            }
        )
    found = Dispute.objects.filter(community=community, raised_on__gte=start, raised_on__lte=end).count()
    if zero_report and found:
        raise ValidationError(
            {"zero_report": _("%(n)s disputes were raised in this period: it is not a zero report.") % {"n": found}}
        )
    with transaction.atomic():
        row = ScreeningRound(
            community=community,
            period_start=start,
            period_end=end,
            zero_report=zero_report,
            notes=notes.strip(),
            recorded_on=today,
            recorded_by=_user(actor),
        )
        row.full_clean()
        row.save()
        audit_record(actor=actor, action="petitions.screening_round", target=row, after={"zero_report": zero_report})
    return row


@dataclass(frozen=True)
class MonthReport:
    community: Unit
    rounds: int
    zero_reports: int
    raised: int
    by_colour: dict[str, int]
    resolved: int
    escalated: int


def month_report(community: Unit, year: int, month: int) -> MonthReport:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    rounds = ScreeningRound.objects.filter(community=community, period_start__gte=first, period_start__lte=last)
    disputes = Dispute.objects.filter(community=community, raised_on__gte=first, raised_on__lte=last)
    colours = Counter(disputes.values_list("colour", flat=True))
    return MonthReport(
        community=community,
        rounds=rounds.count(),
        zero_reports=rounds.filter(zero_report=True).count(),
        raised=disputes.count(),
        by_colour={c: colours.get(c, 0) for c in Colour.values},
        resolved=disputes.filter(status=DisputeStatus.RESOLVED).count(),
        escalated=disputes.filter(status__in=[DisputeStatus.MATTER, DisputeStatus.PETITION]).count(),
    )


# --- the early-warning list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    dispute: Dispute
    reasons: list[str]


def early_warnings(user: Actor, today: dt.date) -> list[Warning]:
    """High risks without a measure or an owner; risks not followed up for N days; the same party or place again."""
    open_qs = disputes_visible_to(user).filter(status=DisputeStatus.OPEN).prefetch_related("parties")
    disputes = list(open_qs)
    stale = today - dt.timedelta(days=follow_up_days())
    all_parties = DisputeParty.objects.filter(dispute__status=DisputeStatus.OPEN)
    keys: Counter[str] = Counter()
    for party in all_parties:
        keys.update(_party_keys(party))
    places = Counter(
        _place(p) for p in Dispute.objects.filter(status=DisputeStatus.OPEN).values_list("place", flat=True)
    )
    warnings = []
    for dispute in disputes:
        reasons = []
        high = dispute.risk == Risk.HIGH or dispute.colour in (Colour.RED, Colour.ORANGE)
        if high and not dispute.measures:
            reasons.append(_("High risk without a stabilisation measure"))
        if high and dispute.responsible_id is None:
            reasons.append(_("High risk without a person responsible"))
        if (dispute.followed_up_on or dispute.raised_on) < stale:
            reasons.append(_("Not followed up for %(n)s days") % {"n": follow_up_days()})
        if any(keys[key] > 1 for party in dispute.parties.all() for key in _party_keys(party)):
            reasons.append(_("The same party again"))
        if places[_place(dispute.place)] > 1:
            reasons.append(_("The same place again"))
        if reasons:
            warnings.append(Warning(dispute, reasons))
    return warnings


def _party_keys(party: DisputeParty) -> set[str]:
    keys = set()
    if party.id_number:
        keys.add(f"id:{party.id_number.upper()}")
    if party.name and party.phone:
        keys.add(f"np:{party.name}:{''.join(ch for ch in party.phone if ch.isdigit())}")
    return keys


def _place(place: str) -> str:
    return "".join(place.split()).lower()
