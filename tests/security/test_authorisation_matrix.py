"""Every route × every persona answers as the grants its app declares say; other units' records are "not found" alike.

The expectation is the data of tests/security/matrix.py; docs/security.md shows the same matrix as tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.test.client import ClientHandler

from core.capabilities import CoreCap
from fieldwork.capabilities import FieldworkCap
from matters.capabilities import MatterCap
from tests.security import matrix
from tests.security.conftest import MISSING_ID, REPORTER_PHONE, World
from tests.security.matrix import ANONYMOUS, PERSONAS, ROUTES, UNIT_SCOPED, Route, allowed_personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

ClientAs = Callable[[str | None], Client]


def _request(client: Client, route: Route, url: str) -> Response:
    """GET, or the method with an empty body (JSON for the REST API, a form for everything else)."""
    if route.method == "GET":
        response = client.get(url)
    elif route.namespace == "api":  # POST, PUT or PATCH with an empty JSON body
        response = client.generic(route.method, url, "{}", content_type="application/json")
    else:
        response = client.post(url, {})
    if isinstance(response, StreamingHttpResponse):
        # Read a download to its end: the test client then closes it (and its file) without firing the
        # request_finished handler that would close the database connection of the test's transaction.
        response.getvalue()
    return response


def _to_login(response: Response) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(f"{login}?")


def _refused(response: Response) -> bool:
    return response.status_code in (401, 403) or _to_login(response)


# A new Client loads the middleware again on its first request, and WhiteNoise then walks every static file
# (about 10 ms, most of a refused request): the clients of this module share one handler, loaded once.
_HANDLER = ClientHandler(enforce_csrf_checks=False)


def _client(client_as: ClientAs, persona: str) -> Client:
    account, _roles = PERSONAS[persona]
    client = client_as(account)
    client.handler = _HANDLER
    return client


# --- the URL conf and the matrix agree ------------------------------------------------------------------------


def test_every_route_of_the_url_conf_has_a_row_in_the_matrix() -> None:
    names = {pattern.name for pattern in matrix.url_patterns()}
    missing = sorted(names - {route.name for route in ROUTES} - set(matrix.EXCLUDED))
    assert not missing, f"Add these routes to ROUTES in tests/security/matrix.py with what each needs: {missing}"


def test_every_method_of_every_api_view_has_a_row_in_the_matrix() -> None:
    rows = {(route.name, route.method) for route in ROUTES}
    missing = sorted(
        f"{method} {pattern.name}"
        for pattern in matrix.url_patterns()
        for method in matrix.api_methods(pattern.callback)
        if (pattern.name, method) not in rows
    )
    assert not missing, f"Add a row per method to ROUTES in tests/security/matrix.py: {missing}"


def test_no_row_of_the_matrix_names_a_route_that_is_gone() -> None:
    names = {pattern.name for pattern in matrix.url_patterns()}
    assert not sorted({route.name for route in ROUTES} - names)
    assert not sorted(set(matrix.EXCLUDED) - names), "an exclusion outlived its route"


def test_each_format_suffix_twin_of_an_api_route_is_the_same_view_under_the_same_name() -> None:
    """DRF adds `units.json` beside `units/`: the same view, so the same permission check as the row tested."""
    patterns = matrix.url_patterns()
    twins = [pattern for pattern in patterns if matrix.is_format_suffix(pattern)]
    assert twins
    for twin in twins:
        plain = [p.callback for p in patterns if p.name == twin.name and not matrix.is_format_suffix(p)]
        assert plain == [twin.callback], twin.pattern


def test_the_matrix_in_docs_security_md_matches_the_data() -> None:
    text = matrix.DOC.read_text("utf-8") if matrix.DOC.exists() else ""
    assert matrix.doc_section(text) == matrix.render_section(), (
        f"docs/security.md's matrix is out of date with tests/security/matrix.py: run `{matrix.REGENERATE}`"
    )


# --- every route × every persona -----------------------------------------------------------------------------

CASES = [pytest.param(route, persona, id=f"{route.id} as {persona}") for route in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES)
def test_a_route_lets_in_exactly_the_personas_granted_its_capability(
    route: Route, persona: str, client_as: ClientAs, world: World
) -> None:
    url = route.url(world.for_persona(persona))
    response = _request(_client(client_as, persona), route, url)
    status = response.status_code
    assert status < 500, f"{route.id} as {persona}: {url} failed with {status}"
    if persona in route.allowed:
        assert not _refused(response), f"{route.id} ({route.need}) refuses {persona}, who is granted it: {status}"
        assert status != 404 or route.missing_ok, f"{route.id} as {persona}: {url} is not found"
    elif persona == ANONYMOUS and not route.is_api:
        assert _to_login(response), f"{route.id} ({route.need}) answers an anonymous visitor {status}, not the login"
    elif persona == ANONYMOUS:
        assert status in (401, 403), f"{route.id} ({route.need}) answers an anonymous caller {status}"
    else:
        assert status == 403, f"{route.id} ({route.need}) lets in {persona}, who is not granted it: {status}"


def test_an_open311_client_key_lets_a_submission_in_without_any_account(client_as: ClientAs, world: World) -> None:
    """The one row no persona is allowed: the key, not a session, opens it."""
    data = {
        "api_key": world.open311_key,
        "service_code": "facilities",
        "description": "路灯不亮",
        "address_string": "长宇社区",
    }
    response = client_as(None).post("/open311/v2/requests.json", data)
    assert response.status_code == 200, response.content


# --- unit scoping: another unit's records are "not found", exactly like an id that does not exist -------------

_MATTER_KEYS = {"matter", "attachment", "extension"}
_OWN_KEYS = {"own_visit", "own_photo", "own_person", "own_notification"}


def _keys(route: Route) -> set[str]:
    text = " ".join(value for _name, value in route.kwargs) + " " + route.query
    return {key for key in _MATTER_KEYS | _OWN_KEYS if f"{{{key}}}" in text}


def _scoped_personas(keys: set[str]) -> frozenset[str]:
    """Who must not see another's record behind these keys (and may use the route at all)."""
    if keys & _MATTER_KEYS:
        return frozenset(UNIT_SCOPED)
    if keys & {"own_visit", "own_photo", "own_person"}:
        return allowed_personas(FieldworkCap.VISIT_LOG) - allowed_personas(FieldworkCap.VISITS_ALL)
    return allowed_personas(CoreCap.WORKBENCH)  # one's inbox is one's own, whatever one's roles


SCOPED_CASES = [
    pytest.param(route, persona, id=f"{route.id} as {persona}")
    for route in ROUTES
    if _keys(route)
    for persona in sorted(_scoped_personas(_keys(route)) & route.allowed)
]


@pytest.mark.parametrize(("route", "persona"), SCOPED_CASES)
def test_another_units_or_persons_record_answers_exactly_as_a_nonexistent_one(
    route: Route, persona: str, client_as: ClientAs, world: World
) -> None:
    own = world.for_persona(persona)
    keys = _keys(route)
    foreign_values = {**own, **{key: world.foreign_for(persona)[key] for key in keys}}
    missing_values = {**own, **dict.fromkeys(keys, MISSING_ID)}
    client = _client(client_as, persona)
    foreign = _request(client, route, route.url(foreign_values))
    missing = _request(client, route, route.url(missing_values))
    assert (foreign.status_code, missing.status_code) == (404, 404), f"{route.id} as {persona}"
    if route.is_api:
        assert foreign.content == missing.content


def test_the_scoping_tests_cover_matters_attachments_extensions_the_api_visits_photos_reports_and_the_inbox() -> None:
    covered = {route.name for route in ROUTES if _keys(route)}
    assert {
        "matters:detail",
        "matters:act",
        "matters:extension_request",
        "matters:extension_decide",
        "matters:attachment",
        "api:matter-detail",
        "api:matter-transitions",
        "fieldwork:visit_detail",
        "fieldwork:visit_photo",
        "fieldwork:duty_report",
        "api:visit-detail",
        "notifications:read",
    } <= covered


MATTER_READERS = sorted(allowed_personas(MatterCap.VIEW))


@pytest.mark.parametrize("persona", MATTER_READERS)
def test_only_the_unit_scoped_roles_are_kept_from_another_units_matter(
    persona: str, client_as: ClientAs, world: World
) -> None:
    """The positive side of scoping: the roles that see every matter do see it, so UNIT_SCOPED is the whole list."""
    client = _client(client_as, persona)
    foreign = world.foreign_matter["matter"]
    code = client.get(f"/api/v1/matters/{foreign}/").json().get("code") if persona not in UNIT_SCOPED else None
    page = client.get(f"/matters/{foreign}/")
    listed = client.get("/api/v1/matters/", {"page_size": 1000}).json()["results"]
    in_list = any(str(row["id"]) == foreign for row in listed)
    queue = client.get("/matters/", {"tab": "all"}).content.decode()
    if persona in UNIT_SCOPED:
        assert page.status_code == 404 and not in_list
        shared_code = client.get(f"/api/v1/matters/{world.for_persona(persona)['matter']}/").json()["code"]
        assert shared_code in queue  # the queue lists what the role may see …
        assert world.foreign_code not in queue  # … and not the other unit's matter
    else:
        assert page.status_code == 200 and in_list and code and code in queue


@pytest.mark.parametrize("persona", sorted(allowed_personas(FieldworkCap.VISIT_LOG)))
def test_only_the_teams_that_see_every_visit_open_another_persons_visit_and_photo(
    persona: str, client_as: ClientAs, world: World
) -> None:
    """The positive side of the personal scoping above: VISITS_ALL opens others' visits, nothing else does."""
    other = world.foreign_for(persona)
    client = _client(client_as, persona)
    expected = 200 if persona in allowed_personas(FieldworkCap.VISITS_ALL) else 404
    for url in (
        f"/fieldwork/visits/{other['own_visit']}/",
        f"/fieldwork/visits/photos/{other['own_photo']}/",
        f"/api/v1/visits/{other['own_visit']}/",
    ):
        response = client.get(url)
        if isinstance(response, StreamingHttpResponse):
            response.getvalue()
        assert response.status_code == expected, url


# --- a capability that guards data rather than a route --------------------------------------------------------


@pytest.mark.parametrize("persona", MATTER_READERS)
def test_the_reporters_name_and_phone_show_only_to_the_roles_granted_to_see_them(
    persona: str, client_as: ClientAs, world: World
) -> None:
    client = _client(client_as, persona)
    matter = world.for_persona(persona)["matter"]
    page = client.get(f"/matters/{matter}/").content.decode()
    record = client.get(f"/api/v1/matters/{matter}/").json()
    shown = persona in allowed_personas(MatterCap.REPORTER_VIEW)
    assert (REPORTER_PHONE in page) is shown
    assert (record.get("reporter_phone") == REPORTER_PHONE) is shown
