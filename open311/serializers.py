"""The spec's documents as plain dicts, one function per document; the renderers write them as JSON or XML.

Public answers carry only what the public lists show: never the reporter's name, phone or e-mail, the
remarks or internal ids; free text goes through `redact`, which masks the phone, ID and door numbers people type;
a location is the work site's as staff published it, or the reporter's rounded to about 100 m.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.privacy import redact
from matters.exchange.cells import join_units
from matters.models import Category, Matter
from matters.selectors import evidence_public, public_location
from open311.selectors import UNCATEGORISED, open311_status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"  # when this endpoint's behaviour last changed
FORMATS = ["text/xml", "application/json"]

Document = dict[str, Any]


def absolute_url(request: HttpRequest, path: str) -> str:
    """An absolute URL: on the configured SITE_URL when there is one (behind a proxy), else on the request's host."""
    base = getattr(settings, "SITE_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def w3c(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the local offset, to the second: 2026-11-25T09:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def end_of_day(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def discovery(request: HttpRequest) -> Document:
    return {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _("The coordination team of the park (综合协调专班)."),
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
        or _("Ask the system administrator for an API key; it is needed only to submit service requests."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": absolute_url(request, reverse("open311:root")),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }


def service(category: Category) -> Document:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": _("Minqing"),
    }


def service_definition(category: Category) -> Document:
    # No service asks for more than the standard fields (metadata is false), so there are no attributes.
    return {"service_code": category.code, "attributes": []}


DESCRIPTION_MAX = 4000  # GeoReport v2 caps a service request's description; a matter's problem may be longer


def _description(text: str) -> str:
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def _media_url(request: HttpRequest, matter: Matter) -> str | None:
    images = getattr(matter, "public_images", None)
    if images is None:  # not prefetched
        images = list(evidence_public().filter(matter=matter).order_by("id")[:1])
    if not images:
        return None
    return absolute_url(request, reverse("portal:evidence", kwargs={"code": matter.code, "token": images[0].token}))


def service_request(request: HttpRequest, matter: Matter) -> Document:
    category = matter.category
    location = public_location(matter)  # the reporter's own coordinates only to about 100 m
    return {
        "service_request_id": matter.code,
        "status": open311_status(matter),
        "status_notes": redact(matter.public_reply),
        "service_name": category.name if category else _("Other"),
        "service_code": category.code if category else UNCATEGORISED,
        "description": _description(redact(matter.problem)),
        "agency_responsible": join_units([unit.name for unit in matter.units.all()], matter.all_communities),
        "service_notice": "",
        "requested_datetime": w3c(matter.reported_at),
        "updated_datetime": w3c(matter.updated_at),
        "expected_datetime": w3c(end_of_day(matter.due_on)),
        "address": redact(matter.location),
        "address_id": None,
        "zipcode": None,
        "lat": float(location[0]) if location is not None else None,
        "long": float(location[1]) if location is not None else None,
        "media_url": _media_url(request, matter),
    }


def request_created(matter: Matter, token: str) -> Document:
    return {
        "service_request_id": matter.code,
        "token": token,
        "service_notice": _(
            "Your report has been registered as %(code)s. The coordination team will review it and hand it "
            "to the responsible unit."
        )
        % {"code": matter.code},
        "account_id": None,
    }


def token_resolved(matter: Matter, token: str) -> Document:
    return {"service_request_id": matter.code, "token": token}


def error(code: int, description: str) -> Document:
    return {"code": code, "description": description}
