"""What residents do on a public matter: endorse an open one (附议, with a phone proved by an SMS code, or as
anonymous support without one), rate a finished one (群众评).

Enough "dissatisfied" ratings since the last completion flag the matter for redo (发回重办): the coordination team is
told and uses the workflow's RETURN action, which clears the flag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import DomainError
from core.privacy import client_digest, phone_digest, redact
from core.validators import plain_text_validator
from matters.models import Matter, Satisfaction
from matters.selectors import matters_public
from matters.services import matter_endorsement_counted, matter_rating_counted, matter_redo_flag
from matters.workflow import OPEN
from portal.models import Endorsement, EndorsementKind, PhoneCode, Rating
from portal.selectors import RATEABLE_STATUSES
from portal.services.codes import CodeRefused, phone_code_check

RATE_PURPOSE = "rate"
ENDORSE_PURPOSE = "endorse"
COMMENT_MAX = 500


class NotEndorsable(DomainError):
    """Only open public problems can be endorsed."""


class AlreadyEndorsed(DomainError):
    """This phone has endorsed this matter before."""


class SupportLimited(DomainError):
    """This client address has given as much anonymous support today as it may."""


class NotRateable(DomainError):
    """Only finished public matters can be rated."""


class AlreadyRated(DomainError):
    """This phone has rated this matter before."""


def _endorsable(matter: Matter) -> Matter:
    """The matter, locked, if it is open and public; refused otherwise. Runs in the caller's transaction."""
    locked = matters_public().select_for_update().filter(pk=matter.pk).first()
    if locked is None or locked.status not in OPEN:
        raise NotEndorsable(_("Only open problems can be endorsed; this one is finished or not public."))
    return locked


def endorsement_support(*, matter: Matter, client: str, now: dt.datetime | None = None) -> Endorsement:
    """匿名支持: count a "+1" without a phone on an open public matter, apart from the verified endorsements.

    Limited per client address (`client`, kept only as a keyed digest) and local day: PORTAL_SUPPORT_PER_MATTER on
    this matter, PORTAL_SUPPORT_PER_DAY on all matters. Audited without the address.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    key = client_digest(client)
    with transaction.atomic():
        locked = _endorsable(matter)
        today = Endorsement.objects.filter(kind=EndorsementKind.ANONYMOUS, client_digest=key, day=day)
        if today.filter(matter=locked).count() >= settings.PORTAL_SUPPORT_PER_MATTER:
            raise SupportLimited(
                _(
                    "Your connection has already supported this problem today. To be counted as a resident who has "
                    "it too, endorse it with your phone."
                )
            )
        if today.count() >= settings.PORTAL_SUPPORT_PER_DAY:
            raise SupportLimited(
                _("Your connection has given all the anonymous support it may today. Endorse with your phone instead.")
            )
        support = Endorsement(matter=locked, kind=EndorsementKind.ANONYMOUS, client_digest=key, day=day, created_at=now)
        support.full_clean()
        support.save()
        audit_record(
            actor=None, action="portal.endorse", target=locked, after={"endorsement": support.pk, "kind": support.kind}
        )
    return support


def endorsement_submit(*, matter: Matter, phone: str, code: str, now: dt.datetime | None = None) -> Endorsement:
    """附议 with a phone proved by its SMS code (the rating's code path): one per phone per matter, counted.

    A wrong code counts a try on it and writes nothing else; a correct one is spent with the endorsement, the counter
    and the audit event in one transaction.
    """
    now = now or timezone.now()
    phone_key = phone_digest(phone)
    refusal = ""
    with transaction.atomic():
        locked = _endorsable(matter)
        live, refusal = phone_code_check(
            phone_key=phone_key, purpose=ENDORSE_PURPOSE, matter=locked, code=code, now=now
        )
        if refusal:
            if live is not None:
                PhoneCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)
        else:
            assert live is not None
            endorsement = _endorsement_save(matter=locked, phone_key=phone_key, now=now, actor=None)
            PhoneCode.objects.filter(pk=live.pk).update(used_at=now)
    if refusal:  # raised after the block, so that the counted try is committed
        raise CodeRefused(refusal, field="code")
    return endorsement


def endorsement_record(*, matter: Matter, phone: str, actor: Any = None, at: dt.datetime | None = None) -> Endorsement:
    """Record an endorsement gathered outside the portal (on a visit, on a paper form, the demo), its phone verified
    by whoever gathered it; the same rules hold otherwise: open public matters only, one per phone, counted, audited."""
    now = at or timezone.now()
    with transaction.atomic():
        locked = _endorsable(matter)
        return _endorsement_save(matter=locked, phone_key=phone_digest(phone), now=now, actor=actor)


def _endorsement_save(*, matter: Matter, phone_key: str, now: dt.datetime, actor: Any) -> Endorsement:
    """Write one verified endorsement of a locked, open matter and count it; audited without the phone."""
    if Endorsement.objects.filter(matter=matter, kind=EndorsementKind.VERIFIED, phone_digest=phone_key).exists():
        raise AlreadyEndorsed(_("This phone has already endorsed this problem."), field="phone")
    endorsement = Endorsement(
        matter=matter,
        kind=EndorsementKind.VERIFIED,
        phone_digest=phone_key,
        day=timezone.localdate(now),
        created_at=now,
    )
    endorsement.full_clean()
    try:
        with transaction.atomic():
            endorsement.save()
    except IntegrityError:  # another request with the same phone got there first
        raise AlreadyEndorsed(_("This phone has already endorsed this problem."), field="phone") from None
    matter_endorsement_counted(matter=matter)
    audit_record(
        actor=actor, action="portal.endorse", target=matter, after={"endorsement": endorsement.pk, "kind": "verified"}
    )
    return endorsement


def _clean_rating(value: str, comment: str) -> str:
    if value not in Satisfaction.values:
        raise ValidationError({"value": _("Choose satisfied, basically satisfied or dissatisfied.")})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("Keep the comment to %(max)s characters.") % {"max": COMMENT_MAX}})
    plain_text_validator(comment)
    # A rating is anonymous: phone or ID numbers typed into the comment are masked before it is kept.
    return redact(comment)[:COMMENT_MAX]


def rating_submit(
    *, matter: Matter, phone: str, code: str, value: str, comment: str = "", now: dt.datetime | None = None
) -> Rating:
    """Rate a finished public matter with a phone proved by its SMS code; one rating per phone per matter.

    A wrong code counts a try on it and writes nothing else; a correct one is spent with the rating, the counters and
    the audit event in one transaction. Then the redo flag is checked.
    """
    now = now or timezone.now()
    try:
        comment = _clean_rating(value, comment)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise ValidationError({"comment": exc.messages}) from None
        raise
    phone_key = phone_digest(phone)
    refusal = ""
    with transaction.atomic():
        locked = matters_public().select_for_update().filter(pk=matter.pk).first()
        if locked is None or locked.status not in RATEABLE_STATUSES:
            raise NotRateable(_("This matter cannot be rated yet: residents rate matters once the work is completed."))
        live, refusal = phone_code_check(phone_key=phone_key, purpose=RATE_PURPOSE, matter=locked, code=code, now=now)
        if refusal:
            if live is not None:
                PhoneCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)
        else:
            assert live is not None
            rating = _rating_save(matter=locked, phone_key=phone_key, value=value, comment=comment, now=now, actor=None)
            PhoneCode.objects.filter(pk=live.pk).update(used_at=now)
            matter_redo_check(matter=locked, now=now)
    if refusal:  # raised after the block, so that the counted try is committed
        raise CodeRefused(refusal, field="code")
    return rating


def _rating_save(*, matter: Matter, phone_key: str, value: str, comment: str, now: dt.datetime, actor: Any) -> Rating:
    """Write one rating of a locked, rateable matter and count it; audited without the phone."""
    if Rating.objects.filter(matter=matter, phone_digest=phone_key).exists():
        raise AlreadyRated(_("This phone has already rated this matter."), field="phone")
    rating = Rating(matter=matter, phone_digest=phone_key, value=value, comment=comment, created_at=now)
    rating.full_clean()
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise AlreadyRated(_("This phone has already rated this matter."), field="phone") from None
    matter_rating_counted(matter=matter, value=value)
    audit_record(
        actor=actor,
        action="portal.rate",
        target=matter,
        after={"rating": rating.pk, "value": value, "comment": comment},
    )
    return rating


def rating_record(
    *, matter: Matter, phone: str, value: str, comment: str = "", actor: Any = None, at: dt.datetime | None = None
) -> Rating:
    """Record a rating gathered outside the portal (a callback call, a paper form at the site, the demo).

    The phone was verified by whoever gathered it; the same rules hold otherwise: finished public matters only,
    one rating per phone, counters, audit and the redo check.
    """
    now = at or timezone.now()
    comment = _clean_rating(value, comment)
    with transaction.atomic():
        locked = matters_public().select_for_update().filter(pk=matter.pk).first()
        if locked is None or locked.status not in RATEABLE_STATUSES:
            raise NotRateable(_("This matter cannot be rated yet: residents rate matters once the work is completed."))
        rating = _rating_save(
            matter=locked, phone_key=phone_digest(phone), value=value, comment=comment, now=now, actor=actor
        )
        matter_redo_check(matter=locked, now=now)
    return rating


def matter_redo_check(*, matter: Matter, now: dt.datetime | None = None) -> bool:
    """Flag `matter` for redo when enough ratings since its last completion are "dissatisfied"; True if flagged now."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.redo_flagged_at is not None:
            return False
        since = Rating.objects.filter(matter=locked)
        if locked.completed_at is not None:
            since = since.filter(created_at__gte=locked.completed_at)
        counts = since.aggregate(total=Count("pk"), bad=Count("pk", filter=Q(value=Satisfaction.DISSATISFIED)))
        total, bad = counts["total"], counts["bad"]
        if total < settings.RATING_REDO_MIN or bad * 100 <= settings.RATING_REDO_PERCENT * total:
            return False
        return matter_redo_flag(matter=locked, now=now, dissatisfied=bad, ratings=total)
