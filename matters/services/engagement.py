"""What the public's engagement changes on a matter: its endorsement and rating counters, and the redo flag.

The portal decides (a verified phone, one rating per phone, the share of "dissatisfied" ratings); these write the
matter, in the caller's transaction, so that the matters app stays the only writer of its own rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.roles import Role
from matters.models import Matter, Satisfaction
from notifications.services import notify

RATING_COUNTERS = {
    Satisfaction.SATISFIED: "rated_satisfied",
    Satisfaction.BASICALLY: "rated_basically",
    Satisfaction.DISSATISFIED: "rated_dissatisfied",
}


def matter_endorsement_counted(*, matter: Matter) -> None:
    """Count one more verified endorsement (附议) of this matter."""
    Matter.objects.filter(pk=matter.pk).update(endorsement_count=F("endorsement_count") + 1)


def matter_rating_counted(*, matter: Matter, value: str) -> None:
    """Count one more public rating of this value."""
    counter = RATING_COUNTERS[Satisfaction(value)]
    Matter.objects.filter(pk=matter.pk).update(**{counter: F(counter) + 1})


def matter_redo_flag(*, matter: Matter, now: dt.datetime, dissatisfied: int, ratings: int) -> bool:
    """Flag the matter for redo by public ratings and tell the coordination team; False if it was flagged already."""
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if locked.redo_flagged_at is not None:
            return False
        Matter.objects.filter(pk=locked.pk).update(redo_flagged_at=now)
        audit_record(
            actor=None,
            action="portal.redo_flag",
            target=locked,
            after={"dissatisfied": dissatisfied, "ratings": ratings, "percent": settings.RATING_REDO_PERCENT},
        )
        # The coordination team reads its inbox in the site's language, whatever the rater's.
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipients=get_user_model().objects.filter(groups__name=Role.COORDINATOR),
                title=_("Public ratings ask to redo %(code)s") % {"code": locked.code},
                body=_(
                    "%(bad)s of %(total)s ratings since the work was completed are “dissatisfied”. "
                    "Check the work and return the matter for redo if needed."
                )
                % {"bad": dissatisfied, "total": ratings},
                link=locked.get_absolute_url(),
                subject=locked,
            )
    return True
