"""The reviews area's {targets}: a prepared review and a held one, of a campaign of 2030 of their own (the seed's
campaign has its demo reviews already)."""

from __future__ import annotations

import datetime as dt

from campaigns import services as campaign_services
from org.models import Person, Unit
from oversight.services import reviews as services


def build() -> dict[str, str]:
    campaign = campaign_services.campaign_create(
        actor=None,
        name="matrix campaign",
        organiser=Unit.objects.get(ref="seed:park"),
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
    )
    chair = Person.objects.get(ref="seed:person:xiong")
    held = services.review_create(actor=None, campaign=campaign, month=dt.date(2020, 5, 1), chair=chair)
    services.review_prepared(actor=None, review=held, data={"lists": {}})
    services.review_hold(actor=None, review=held, held_on=dt.date(2020, 6, 2))
    prepared = services.review_create(actor=None, campaign=campaign, month=dt.date(2020, 6, 1), chair=chair)
    services.review_prepared(actor=None, review=prepared, data={"lists": {}})
    return {"review": str(prepared.pk), "held_review": str(held.pk)}
