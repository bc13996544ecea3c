"""Where the work is, as staff publish it for the public (the reporter's own coordinates are only ever coarsened)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.exceptions import NotAllowed
from core.types import Actor
from matters.access import user_capacities
from matters.models import Matter
from matters.workflow import Capacity


def matter_site_location_set(
    *, matter: Matter, actor: Actor, latitude: Decimal | None, longitude: Decimal | None
) -> Matter:
    """Publish the work site's location as given (both None withdraws it).

    Until staff set it, the public sees the reporter's own coordinates only to about 100 m (matters.selectors.
    public_location); the coordination team or a handler of a responsible unit knows where the work is done.
    """
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        if not user_capacities(actor, locked) & {Capacity.COORDINATOR, Capacity.HANDLER}:
            raise NotAllowed(
                _("Only the coordination team or a handler of a responsible unit may publish where the work is.")
            )
        if (latitude is None) != (longitude is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither to withdraw them."))
        before = _site_location(locked)
        locked.site_latitude, locked.site_longitude = latitude, longitude
        locked.full_clean()
        locked.save(update_fields=["site_latitude", "site_longitude", "updated_at"])
        audit_record(
            actor=actor,
            action="matters.site_location",
            target=locked,
            before=before,
            after=_site_location(locked),
            label=locked.code,
        )
    return locked


def _site_location(matter: Matter) -> dict[str, str | None]:
    return {
        "site_latitude": None if matter.site_latitude is None else str(matter.site_latitude),
        "site_longitude": None if matter.site_longitude is None else str(matter.site_longitude),
    }
