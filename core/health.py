"""`/healthz`: whether this app server can serve, for the reverse proxy's checks and the operator's monitoring.

It answers 200 "ok" when the database and the cache both answer, 503 with the part that failed otherwise; it says
nothing else (no versions, no paths), needs no login and sets no cookie.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("minqing.health")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: the database did not answer")
        failed.append("database")
    try:
        cache.set("minqing:healthz", 1, 5)
    except Exception:
        logger.exception("healthz: the cache did not answer")
        failed.append("cache")
    if failed:
        return HttpResponse("unavailable: " + ", ".join(failed), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
