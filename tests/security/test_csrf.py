"""CSRF on every form that changes something; the exempt endpoints take no cookie.

Pages are walked from the authorisation matrix's routes (tests/security/matrix.py), so a new route is covered here as
soon as an app declares it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from matters.models import Matter
from tests.security.conftest import World
from tests.security.matrix import ANONYMOUS, ROUTES, Route

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
from tests.security.hardening_common import (
    ClientAs,
    first_allowed,
    persona_client,
)

# --- CSRF ---------------------------------------------------------------------------------------------------

# Endpoints that take no cookie, so a forged cross-site request carries nothing to abuse.
CSRF_EXEMPT = {
    "api:token": "exchanges a username and password for a token; no session is used or made",
    "open311:requests": "authenticated by the client system's key in the body, never by a cookie",
}
POST_ROUTES = [route for route in ROUTES if route.method == "POST" and route.name not in CSRF_EXEMPT]


def _post(client: Client, route: Route, url: str, data: dict[str, str] | None = None) -> Response:
    if route.namespace == "api":
        return client.post(url, data or {}, content_type="application/json")
    return client.post(url, data or {})


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.id for route in POST_ROUTES])
def test_a_post_without_a_csrf_token_is_refused(route: Route, world: World, client_as: ClientAs) -> None:
    persona = first_allowed(route)
    if route.namespace == "api" and persona == ANONYMOUS:
        persona = "coordinator"  # the REST API checks CSRF for session-authenticated callers
    response = _post(persona_client(persona, csrf=True), route, route.url(world.for_persona(persona)))
    assert response.status_code == 403, f"{route.id} as {persona}: {response.status_code}"
    assert b"CSRF" in response.content, f"{route.id}: refused, but not by the CSRF check"


def test_the_csrf_exempt_endpoints_do_nothing_for_a_session_cookie_alone(client_as: ClientAs) -> None:
    """What a forged cross-site POST would carry is the victim's cookie: these two endpoints ignore it."""
    client = persona_client("coordinator", csrf=True)
    matters = Matter.objects.count()
    token = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert token.status_code == 400 and "token" not in token.json()
    data = {"service_code": "facilities", "description": "伪造的请求", "lat": "30.1", "long": "114.6"}
    open311 = client.post("/open311/v2/requests.json", data)
    assert open311.status_code in (400, 401, 403) and Matter.objects.count() == matters
    assert set(CSRF_EXEMPT) == {r.name for r in ROUTES if r.method == "POST"} - {r.name for r in POST_ROUTES}


def test_the_same_post_with_its_token_passes_the_csrf_check(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/").cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/elder/", {"elder": "1", "next": "/"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302


def test_only_the_cookie_free_endpoints_skip_django_csrf_middleware() -> None:
    """REST framework views skip the middleware but check CSRF themselves for session callers (tested above)."""
    from tests.security.matrix import url_patterns

    exempt = {p.name for p in url_patterns() if getattr(p.callback, "csrf_exempt", False)}
    assert {name.split(":")[0] for name in exempt} <= {"api", "open311"}, exempt


