"""The publication area's {targets} for the authorisation matrix (joined by oversight.tests.world)."""

from __future__ import annotations

import datetime as dt

from campaigns.models import Campaign
from oversight.services.publication import publication_publish


def build() -> dict[str, str]:
    """A published month of the demo campaign (May 2022: ended at the matrix's moment, 15 June 2022)."""
    campaign = Campaign.objects.order_by("id").first()
    assert campaign is not None, "the demo has a campaign"
    publication = publication_publish(actor=None, campaign=campaign, month=dt.date(2022, 5, 1))
    return {"publication": str(publication.pk), "published_month": publication.month_label}
