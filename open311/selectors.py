"""Reads of Open311: services (the matter categories), public service requests, tokens and API keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from matters.models import Category, Matter
from matters.selectors import evidence_public, matters_public
from matters.workflow import FINISHED, Status
from open311.models import ApiKey, api_key_digest, token_key

OPEN, CLOSED = "open", "closed"
# The spec's two statuses. Declined and merged matters are never public, so they need no mapping.
OPEN_STATUSES = frozenset({Status.REPORTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS})
CLOSED_STATUSES = FINISHED
STATUSES = {OPEN: OPEN_STATUSES, CLOSED: CLOSED_STATUSES}

MAX_REQUESTS = 1000  # the spec's default cap on one answer
DEFAULT_DAYS = 90  # without dates, the last 90 days
UNCATEGORISED = "other"  # matters without a category (e.g. from the seed's table) are served as "other"


@dataclass(frozen=True)
class RequestSearch:
    """What GET requests.{format} asks for; empty lists mean 'any'."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: list[str] = field(default_factory=list)


def open311_status(matter: Matter) -> str:
    return CLOSED if matter.status in CLOSED_STATUSES else OPEN


def services_all() -> QuerySet[Category]:
    return Category.objects.order_by("order", "code")


def service_get(code: str) -> Category | None:
    return Category.objects.filter(code=code).first()


def _public_requests() -> QuerySet[Matter]:
    """Public matters with what an answer shows: category, units and the first public evidence image."""
    images = evidence_public().order_by("id")
    return (
        matters_public()
        .select_related("category")
        .prefetch_related("units", Prefetch("attachments", queryset=images, to_attr="public_images"))
    )


def requests_search(search: RequestSearch, *, now: dt.datetime | None = None) -> list[Matter]:
    """Public requests, newest first, at most MAX_REQUESTS.

    Ids override every other filter (as the spec says). Otherwise: no dates means the last DEFAULT_DAYS days;
    only an end date means the DEFAULT_DAYS days before it; only a start date means from then on.
    """
    matters = _public_requests()
    if search.ids:
        matters = matters.filter(code__in=search.ids)
    else:
        start, end = search.start, search.end
        if start is None and end is None:
            end = now or timezone.now()
        if start is None and end is not None:
            start = end - dt.timedelta(days=DEFAULT_DAYS)
        matters = matters.filter(reported_at__gte=start)
        if end is not None:
            matters = matters.filter(reported_at__lte=end)
        if search.service_codes:
            by_code = Q(category__code__in=search.service_codes)
            if UNCATEGORISED in search.service_codes:
                by_code |= Q(category__isnull=True)
            matters = matters.filter(by_code)
        if search.statuses:
            matters = matters.filter(status__in=set().union(*(STATUSES[s] for s in search.statuses)))
    return list(matters.order_by("-reported_at", "-id")[:MAX_REQUESTS])


def request_get(code: str) -> Matter | None:
    return _public_requests().filter(code=code).first()


def request_by_token(token: str) -> Matter | None:
    return matters_public().filter(idempotency_key=token_key(token)).first()


def api_key_by_secret(secret: str) -> ApiKey | None:
    """The active key with this secret, or None (missing, wrong and revoked keys alike)."""
    if not secret or len(secret) > 200:
        return None
    return ApiKey.objects.filter(digest=api_key_digest(secret), active=True).first()
