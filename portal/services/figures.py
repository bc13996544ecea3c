"""The front page's figures: computed by a job (every minute) and kept for every server; a request only reads them.

`front_figures_refresh` counts the three lists and the rates over the current campaign's public matters, stores them
in `FrontFigures` (the database: every server and every deployment sees them, with or without Redis) and puts them in
the cache. `portal.selectors.headline` reads the cache, else the row; when neither has them yet (a new site before
its first minute) it asks for a refresh and the page says the figures are being counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from campaigns.selectors import campaign_current
from matters.figures import rates
from matters.selectors import LIST_STATUSES, matters_public
from portal.models import FrontFigures

CACHE_SECONDS = 30  # a server re-reads the row at most this often; the job writes it every minute


def figures_key(campaign_id: int | None) -> str:
    return f"portal:front-figures:v1:{campaign_id or '-'}"


def front_figures_compute(campaign: Any, *, today: dt.date) -> dict[str, Any]:
    """The figures as the front page shows them (JSON: the rates as a dict of their fields)."""
    qs = matters_public()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    counts = {kind: qs.filter(status__in=statuses).count() for kind, statuses in LIST_STATUSES.items()}
    return {"counts": counts, "rates": dataclasses.asdict(rates(qs, today=today))}


def front_figures_refresh(*, now: dt.datetime | None = None) -> FrontFigures:
    """Count the current campaign's figures now and keep them for every server."""
    now = now or timezone.now()
    campaign = campaign_current()
    figures = front_figures_compute(campaign, today=timezone.localdate(now))
    with transaction.atomic():
        row, _created = FrontFigures.objects.update_or_create(
            campaign=campaign, defaults={"figures": figures, "computed_at": now}
        )
    cache.set(figures_key(row.campaign_id), {"figures": figures, "computed_at": now}, CACHE_SECONDS)
    return row
