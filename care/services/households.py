"""Households, their members, pairings and the help given: audited writes; reads of private data on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_list_view, audit_record, audit_view, snapshot
from care.models import Category, Help, Household, Member, Pairing
from core.types import Actor
from org.models import Person, Unit, UnitKind

# What the audit log may hold of a household: which fields, never the address or the members' values.
_PRIVATE = ["address", "situation", "needs", "members"]
_SAFE = ["community", "compound", "last_reviewed_on", "ref"]


def _check_places(community: Unit, compound: Unit | None) -> None:
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError({"community": _("Choose a community.")})
    if compound is not None and (compound.kind != UnitKind.COMPOUND or compound.parent_id != community.pk):
        raise ValidationError({"compound": _("Choose a compound of this community.")})


def household_create(
    *,
    actor: Actor,
    community: Unit,
    address: str,
    categories: Iterable[Category],
    compound: Unit | None = None,
    situation: str = "",
    needs: str = "",
    last_reviewed_on: dt.date | None = None,
    ref: str = "",
    import_key: str = "",
) -> Household:
    """Register a household in need; it must have at least one category."""
    categories = list(categories)
    if not categories:
        raise ValidationError({"categories": _("Give the household at least one category.")})
    _check_places(community, compound)
    with transaction.atomic():
        household = Household(
            community=community,
            compound=compound,
            address=address.strip(),
            situation=situation.strip(),
            needs=needs.strip(),
            last_reviewed_on=last_reviewed_on,
            ref=ref,
            import_key=import_key,
        )
        household.full_clean()
        household.save()
        household.categories.set(categories)
        after = {**snapshot(household, _SAFE), "categories": sorted(c.code for c in categories)}
        audit_record(actor=actor, action="care.household_create", target=household, after=after)
    return household


def household_update(*, actor: Actor, household: Household, data: dict[str, Any]) -> list[str]:
    """Change a household's fields (and categories); the audit names the private fields changed, not their values."""
    categories = data.pop("categories", None)
    if categories is not None and not list(categories):
        raise ValidationError({"categories": _("Give the household at least one category.")})
    changed = [name for name, value in data.items() if getattr(household, name) != value]
    with transaction.atomic():
        before = snapshot(household, [n for n in changed if n in _SAFE])
        for name in changed:
            setattr(household, name, data[name])
        _check_places(household.community, household.compound)
        household.full_clean()
        household.save()
        after: dict[str, Any] = snapshot(household, [n for n in changed if n in _SAFE])
        if categories is not None:
            old = sorted(c.code for c in household.categories.all())
            new = sorted(c.code for c in categories)
            if old != new:
                household.categories.set(categories)
                before["categories"], after["categories"] = old, new
                changed.append("categories")
        if changed:
            after["private_fields"] = sorted(n for n in changed if n in _PRIVATE)
            audit_record(actor=actor, action="care.household_update", target=household, before=before, after=after)
    return changed


def member_add(
    *, actor: Actor, household: Household, name: str, relation: str, age: int | None = None, phone: str = ""
) -> Member:
    with transaction.atomic():
        member = Member(household=household, name=name.strip(), relation=relation.strip(), age=age, phone=phone.strip())
        member.full_clean()
        member.save()
        audit_record(
            actor=actor,
            action="care.member_add",
            target=household,
            after={"member": member.pk, "fields": ["name", "relation", "age", "phone"]},
        )
    return member


def household_viewed(*, actor: Actor, household: Household, fields: Sequence[str] = ("address", "members")) -> None:
    """Record that someone was shown a household's private data (which fields, never their values)."""
    audit_view(actor=actor, action="care.household_view", target=household, fields=list(fields))


def households_listed(*, actor: Actor, households: Sequence[Household], fields: Sequence[str]) -> None:
    audit_list_view(
        actor=actor, action="care.household_list", model=Household, ids=[h.pk for h in households], fields=fields
    )


# --- pairings ---------------------------------------------------------------------------------------------


def pairing_create(
    *,
    actor: Actor,
    cadre: Person,
    household: Household,
    target_outcome: str,
    started_on: dt.date | None = None,
    plan: str = "",
    review_on: dt.date | None = None,
    cadence_days: int | None = None,
) -> Pairing:
    """Pair a cadre with a household; a household may have several cadres, a cadre one active pairing per household."""
    if Pairing.objects.filter(cadre=cadre, household=household, ended_on__isnull=True).exists():
        raise ValidationError({"cadre": _("This cadre is already paired with this household.")})
    started_on = started_on or timezone.localdate()
    if review_on is not None and review_on < started_on:
        raise ValidationError({"review_on": _("The review comes after the pairing starts.")})
    with transaction.atomic():
        pairing = Pairing(
            cadre=cadre,
            household=household,
            target_outcome=target_outcome.strip(),
            started_on=started_on,
            plan=plan.strip(),
            review_on=review_on,
        )
        if cadence_days is not None:
            pairing.cadence_days = cadence_days
        pairing.full_clean()
        pairing.save()
        audit_record(
            actor=actor,
            action="care.pairing_create",
            target=pairing,
            after=snapshot(pairing, ["cadre", "household", "started_on", "review_on", "cadence_days"]),
        )
    return pairing


def pairing_end(*, actor: Actor, pairing: Pairing, outcome_met: bool, ended_on: dt.date | None = None) -> Pairing:
    """End a pairing, saying whether the outcome it aimed for was reached (progress is judged by outcomes)."""
    if pairing.ended_on is not None:
        raise ValidationError(_("This pairing has ended already."))
    with transaction.atomic():
        pairing.ended_on = ended_on or timezone.localdate()
        pairing.outcome_met = outcome_met
        pairing.full_clean()
        pairing.save(update_fields=["ended_on", "outcome_met"])
        audit_record(
            actor=actor, action="care.pairing_end", target=pairing, after=snapshot(pairing, ["ended_on", "outcome_met"])
        )
    return pairing


def help_add(*, actor: Actor, pairing: Pairing, kind: str, date: dt.date, note: str = "", visit: Any = None) -> Help:
    """Record one help given under a pairing (a visit, goods, money, a service, a referral, a matter raised)."""
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if pairing.ended_on is not None:
        raise ValidationError(_("This pairing has ended already."))
    with transaction.atomic():
        user = actor if actor is not None and actor.is_authenticated else None
        help_given = Help(pairing=pairing, kind=kind, date=date, note=note.strip(), visit=visit, created_by=user)  # type: ignore[misc]
        help_given.full_clean()
        help_given.save()
        audit_record(
            actor=actor,
            action="care.help_add",
            target=pairing,
            after={"help": help_given.pk, "kind": kind, "date": date},
        )
    return help_given


def pairings_chase(*, now: dt.datetime | None = None) -> int:
    """Remind each cadre whose pairings fell behind their cadence (one message a cadre); return how many."""
    from care.selectors import pairings_behind
    from notifications.services import notify

    today = timezone.localdate(now) if now is not None else timezone.localdate()
    by_cadre: dict[int, list[Pairing]] = {}
    for pairing in pairings_behind(today=today):
        if pairing.cadre.user_id is not None:
            by_cadre.setdefault(pairing.cadre_id, []).append(pairing)
    for pairings in by_cadre.values():
        notify(
            recipients=[pairings[0].cadre.user],
            title=_("%(count)d paired households wait for your visit") % {"count": len(pairings)},
            body=", ".join(p.household.code for p in pairings),
            link="/care/households/",
        )
    return len(by_cadre)
