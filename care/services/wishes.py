"""Micro-wishes (微心愿): submitted for a household, published after the community's review, claimed by one
claimer at a time (a claim lapses after `CARE_CLAIM_DAYS` days without delivery), delivered, and fulfilled when
the household confirms receipt — through its community, or through the link the community passes on. A photo is
never asked for.

The claim is a conditional UPDATE (`state = published`), so of two claims at the same moment exactly one
changes the row and the other is refused, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from care.models import ClaimerKind, Household, Wish, WishState
from care.selectors import masked_for, user_may_edit_household
from care.services.wish_matter import wish_matter_claimed, wish_matter_fulfilled, wish_matter_taken
from core.exceptions import NotAllowed, StateConflict
from core.roles import user_can
from core.types import Actor

KIND = "micro_wish"
_STATE_FIELDS = [
    "state",
    "claimer_kind",
    "claimer_name",
    "claimed_at",
    "claim_expires_at",
    "delivered_at",
    "fulfilled_at",
]


def claim_days() -> int:
    return int(getattr(settings, "CARE_CLAIM_DAYS", 14))


def _event(actor: Actor, action: str, wish: Wish, **extra: object) -> None:
    after = {"state": wish.state, **extra}
    audit_record(actor=actor, action=action, target=wish, after=after)


def _user(actor: Actor) -> object:
    return actor if actor is not None and actor.is_authenticated else None


def _may_review(actor: Actor, wish: Wish) -> bool:
    return actor is None or user_may_edit_household(actor, wish.household)


def wish_create(
    *,
    actor: Actor,
    household: Household,
    text: str,
    value: Decimal,
    wanted_by: dt.date | None = None,
    reported_at: dt.datetime | None = None,
) -> Wish:
    """Take a household's wish, as a matter of kind `micro_wish` (never public as a matter: the wall shows it)."""
    from matters.models import Channel
    from matters.services import matter_create

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what the household wishes for.")})
    if value is None or value < 0:
        raise ValidationError({"value": _("The estimated value cannot be negative.")})
    if wanted_by is not None and wanted_by < timezone.localdate():
        raise ValidationError({"wanted_by": _("The date wanted by cannot be in the past.")})
    if actor is not None and not _may_review(actor, Wish(household=household)):
        raise NotAllowed(_("Only the household's community takes its wishes."))
    with transaction.atomic():
        matter, _created = matter_create(
            actor=actor,
            problem=masked_for(household, text),
            kind=KIND,
            channel=Channel.VISIT,
            is_public=False,
            location=household.community.name,
            reported_at=reported_at,
        )
        wish = Wish(
            matter=matter,
            household=household,
            community=household.community,
            text=text,
            value=value,
            wanted_by=wanted_by,
        )
        wish.full_clean()
        wish.save()
        wish_matter_taken(wish)
        _event(actor, "care.wish_create", wish, value=str(value))
    return wish


def _locked(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().select_related("household", "community").get(pk=wish.pk)


def wish_publish(*, actor: Actor, wish: Wish) -> Wish:
    """The community's review: publish the wish on the wall."""
    with transaction.atomic():
        wish = _locked(wish)
        if not _may_review(actor, wish):
            raise NotAllowed(_("Only the household's community reviews its wishes."))
        if wish.state != WishState.SUBMITTED:
            raise StateConflict(_("This wish is not awaiting review."))
        wish.state, wish.published_at = WishState.PUBLISHED, timezone.now()
        wish.save(update_fields=["state", "published_at"])
        _event(actor, "care.wish_publish", wish)
    return wish


def wish_claim(*, actor: Actor, wish: Wish, claimer_kind: str = ClaimerKind.CADRE, claimer_name: str = "") -> Wish:
    """Claim an open wish for oneself, one's unit or one's party branch: one claimer at a time."""
    from care.capabilities import CareCap

    if actor is not None and not user_can(actor, CareCap.WISH_CLAIM):
        raise NotAllowed(_("You may not claim wishes."))
    if claimer_kind not in ClaimerKind.values:
        raise ValidationError({"claimer_kind": _("Say who claims the wish: a cadre, a unit or a party branch.")})
    person = getattr(actor, "person", None)
    if not claimer_name.strip():
        if claimer_kind == ClaimerKind.CADRE and person is not None:
            claimer_name = person.name
        elif claimer_kind == ClaimerKind.UNIT and person is not None:
            claimer_name = person.unit.name
        else:
            raise ValidationError({"claimer_name": _("Name the unit or party branch that claims the wish.")})
    now = timezone.now()
    expires = now + dt.timedelta(days=claim_days())
    with transaction.atomic():
        won = Wish.objects.filter(pk=wish.pk, state=WishState.PUBLISHED).update(
            state=WishState.CLAIMED,
            claimed_by=_user(actor),
            claimer_kind=claimer_kind,
            claimer_name=claimer_name.strip()[:120],
            claimed_at=now,
            claim_expires_at=expires,
        )
        if not won:
            raise StateConflict(_("This wish is not open for claiming: someone may have claimed it first."))
        wish = Wish.objects.get(pk=wish.pk)
        wish_matter_claimed(wish)
        _event(actor, "care.wish_claim", wish, claimer_kind=claimer_kind, expires=expires)
    return wish


def wish_deliver(*, actor: Actor, wish: Wish) -> Wish:
    """The claimer says the wish was delivered; it is fulfilled once the household confirms receipt."""
    with transaction.atomic():
        wish = _locked(wish)
        if wish.state != WishState.CLAIMED:
            raise StateConflict(_("Only a claimed wish can be delivered."))
        if actor is not None and wish.claimed_by_id != getattr(actor, "pk", None) and not _may_review(actor, wish):
            raise NotAllowed(_("Only the claimer or the household's community records the delivery."))
        wish.state, wish.delivered_at = WishState.DELIVERED, timezone.now()
        wish.confirm_token = secrets.token_urlsafe(24)
        wish.save(update_fields=["state", "delivered_at", "confirm_token"])
        _event(actor, "care.wish_deliver", wish)
    return wish


def wish_confirm(*, actor: Actor, wish: Wish, household_confirmed: bool = False, token: str = "") -> Wish:
    """Fulfil the wish on the household's confirmation of receipt: recorded by its community, or given by the
    household itself through the link (`token`). Without that confirmation nothing changes."""
    with transaction.atomic():
        wish = _locked(wish)
        if token:
            if not wish.confirm_token or not secrets.compare_digest(token, wish.confirm_token):
                raise NotAllowed(_("This confirmation link is not valid."))
            if wish.state != WishState.DELIVERED:
                raise StateConflict(_("This wish is not awaiting confirmation."))
            via = "link"
        else:
            # The community may record a receipt the claimer did not report as delivered (it delivered in person).
            if wish.state not in (WishState.CLAIMED, WishState.DELIVERED):
                raise StateConflict(_("This wish is not awaiting confirmation."))
            if not _may_review(actor, wish):
                raise NotAllowed(_("Only the household's community records its confirmation."))
            if not household_confirmed:
                raise ValidationError(
                    {"household_confirmed": _("A wish is fulfilled only when the household confirms receipt.")}
                )
            via = "community"
        wish.delivered_at = wish.delivered_at or timezone.now()
        wish.state, wish.fulfilled_at, wish.confirmed_via = WishState.FULFILLED, timezone.now(), via
        wish.save(update_fields=["state", "delivered_at", "fulfilled_at", "confirmed_via"])
        wish_matter_fulfilled(wish)
        _event(actor, "care.wish_confirm", wish, via=via)
    return wish


def wish_claims_expire(*, now: dt.datetime | None = None) -> int:
    """Open again the wishes whose claim lapsed without delivery, telling the claimer; return how many."""
    from notifications.services import notify

    now = now or timezone.now()
    count = 0
    for pk in Wish.objects.filter(state=WishState.CLAIMED, claim_expires_at__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            wish = (
                Wish.objects.select_for_update()
                .filter(pk=pk, state=WishState.CLAIMED, claim_expires_at__lt=now)
                .first()
            )
            if wish is None:
                continue
            claimer = wish.claimed_by
            wish.state = WishState.PUBLISHED
            wish.claimed_by, wish.claimer_kind, wish.claimer_name = None, "", ""
            wish.claimed_at = wish.claim_expires_at = None
            wish.save(update_fields=[*_STATE_FIELDS[:5], "claimed_by"])
            _event(None, "care.wish_claim_expire", wish)
            if claimer is not None:
                notify(
                    recipients=[claimer],
                    title=_("Your claim on micro-wish %(code)s lapsed") % {"code": wish.code},
                    body=_("It was not delivered within %(days)d days and is open again.") % {"days": claim_days()},
                    link="/wishes/",
                    subject=wish,
                )
            count += 1
    return count
