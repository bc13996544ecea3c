"""Security headers and the Content Security Policy on every response, HTTPS switches and cookie flags.

Pages are walked from the authorisation matrix's routes (tests/security/matrix.py), so a new route is covered here as
soon as an app declares it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from core.security import DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY
from tests.security.conftest import World
from tests.security.matrix import ANONYMOUS

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    GET_ROUTES,
    ClientAs,
    fetch,
    first_allowed,
    persona_client,
)

# --- headers on every response ----------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "Content-Security-Policy": DEFAULT_CSP,
    "Permissions-Policy": DEFAULT_PERMISSIONS_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
def test_the_policy_allows_only_our_own_scripts_and_styles_and_no_framing() -> None:
    directives = dict(part.strip().split(" ", 1) for part in DEFAULT_CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in DEFAULT_CSP


def test_every_route_answers_with_the_security_headers_whoever_asks(world: World, client_as: ClientAs) -> None:
    """Each GET route as a persona it lets in, and as one it refuses (redirects and 403s carry them too)."""
    checked = 0
    for route in GET_ROUTES:
        personas = {first_allowed(route)} | ({ANONYMOUS} if ANONYMOUS not in route.allowed else set())
        for persona in personas:
            response = fetch(persona_client(persona), route.url(world.for_persona(persona)))
            for name, value in EXPECTED_HEADERS.items():
                assert response.get(name) == value, f"{route.id} as {persona}: {name} is {response.get(name)!r}"
            checked += 1
    assert checked > len(GET_ROUTES)


@pytest.mark.parametrize(
    "path",
    ["/static/js/minqing.js", "/static/css/minqing.css", "/no/such/page/", "/open311/v2/no/such/endpoint"],
)
def test_static_files_and_not_found_answers_carry_the_headers_too(path: str, db: None) -> None:
    response = fetch(Client(), path)
    assert response.status_code in (200, 404)
    for name, value in EXPECTED_HEADERS.items():
        if name == "X-Frame-Options" and path.startswith("/static/"):
            continue  # WhiteNoise answers before Django's framing middleware; frame-ancestors 'none' covers it
        assert response.get(name) == value, f"{path}: {name}"


def test_hsts_is_sent_over_https_only_and_for_a_year_in_production(db: None) -> None:
    assert not settings.DEBUG and settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert "Strict-Transport-Security" not in Client().get("/")
    header = Client().get("/", secure=True)["Strict-Transport-Security"]
    assert header.startswith(f"max-age={settings.SECURE_HSTS_SECONDS}") and "includeSubDomains" in header


def test_the_https_redirect_switch_sends_plain_http_to_https(settings: Any, db: None) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/lists/problems/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/lists/problems/"
    assert Client().get("/lists/problems/", secure=True).status_code == 200


def test_session_and_csrf_cookies_are_http_only_same_site_and_secure_outside_development(client_as: ClientAs) -> None:
    response = Client().post("/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax" and session["secure"]
    csrf = Client().get("/login/").cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax" and csrf["secure"]


def test_htmx_sends_the_token_the_page_carries_so_no_script_needs_the_csrf_cookie(db: None) -> None:
    """The CSRF cookie is HttpOnly: htmx takes the token from the page (base.html's hx-headers), never the cookie."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/").content.decode()
    found = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([A-Za-z0-9]+)\"\}'", page)
    assert found is not None, "the page carries no CSRF token for htmx"
    response = client.post("/elder/", {"elder": "1", "next": "/"}, HTTP_X_CSRFTOKEN=found.group(1))
    assert response.status_code == 302
    scripts = list((Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))
    assert scripts and not [p.name for p in scripts if "document.cookie" in p.read_text(encoding="utf-8")]


