"""Publishing a month's three lists: the only write of the publication area.

A published version is never changed nor removed (the model refuses both); a correction is a new version of the
same month with its reason. Each publication's content hash goes into the audit chain, and the audit's content
check (oversight.selectors.publication.publications_audit_problems) compares it with the stored snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from campaigns.models import Campaign
from core.exceptions import DomainError, StateConflict
from core.types import Actor
from oversight.models.publication import Publication
from oversight.selectors.publication import (
    PUBLISH_ACTION,
    canonical_json,
    content_hash,
    month_first,
    month_has_ended,
    snapshot_build,
)

REASON_MAX = 1000


def publisher_unit(actor: Actor) -> str:
    """The unit the publisher acts for, as the public sees it (never the person's name)."""
    person = getattr(actor, "person", None) if actor is not None and actor.is_authenticated else None
    unit = getattr(person, "unit", None)
    return str(unit.name) if unit is not None else ""


def _check(campaign: Campaign, month: dt.date, reason: str, previous: Publication | None) -> None:
    if not month_has_ended(month):
        raise DomainError(
            _("A month is published once it has ended: %(month)s has not.") % {"month": month.strftime("%Y-%m")},
            field="month",
        )
    first = month_first(campaign.starts_on)
    if month < first or month > month_first(campaign.ends_on):
        raise DomainError(_("That month is outside the campaign."), field="month")
    if previous is not None and not reason:
        raise StateConflict(
            _(
                "%(month)s is already published (version %(version)s). A correction needs its reason: "
                "say what it corrects."
            )
            % {"month": previous.month_label, "version": previous.version},
        )
    if previous is None and reason:
        raise DomainError(
            _("The first publication of a month is not a correction: leave the reason empty."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX}, field="reason")


def publication_publish(*, actor: Actor, campaign: Campaign, month: dt.date, reason: str = "") -> Publication:
    """Publish the month's three lists as they are now: version 1, or a correction (a new version with its reason)."""
    month = month_first(month)
    reason = (reason or "").strip()
    with transaction.atomic():
        # One publisher at a time per campaign: the next version number is read and taken under the lock.
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        previous = Publication.objects.filter(campaign=locked, month=month).order_by("-version").first()
        _check(locked, month, reason, previous)
        unit = publisher_unit(actor)
        # Round-tripped through the canonical encoding: what is stored is exactly what was hashed.
        snapshot: dict[str, Any] = json.loads(
            canonical_json(snapshot_build(campaign=locked, month=month, publisher_unit=unit))
        )
        publication = Publication(
            campaign=locked,
            month=month,
            version=previous.version + 1 if previous is not None else 1,
            reason=reason,
            published_at=timezone.now(),
            publisher=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[misc]
            publisher_unit=unit,
            snapshot=snapshot,
            content_hash=content_hash(snapshot),
            supersedes=previous,
        )
        publication.full_clean()
        publication.save()
        audit_record(
            actor=actor,
            action=PUBLISH_ACTION,
            target=publication,
            after={
                "campaign": locked.pk,
                "month": publication.month_label,
                "version": publication.version,
                "reason": reason,
                "content_hash": publication.content_hash,
                "counts": snapshot["counts"],
            },
            label=f"{locked.name} {publication.month_label} v{publication.version}",
        )
    return publication
