"""What the hardening tests share: a client per persona of the authorisation matrix, and a fetch that reads files."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.test import Client

from tests.security.matrix import ANONYMOUS, PERSONAS, ROUTES, Route

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


ROOT = Path(__file__).resolve().parents[2]
ClientAs = Callable[[str | None], Client]
User = get_user_model()


def persona_client(persona: str, *, csrf: bool = False) -> Client:
    """A client logged in as the persona's account (anonymous for ANONYMOUS); `csrf` makes it check tokens.

    Tests that call it take `client_as`, which makes the extra personas' accounts and the test's own savepoint.
    """
    client = Client(enforce_csrf_checks=csrf)
    account, _roles = PERSONAS[persona]
    if account is not None:
        client.force_login(User.objects.get(username=account))
    return client


def fetch(client: Client, url: str) -> Response:
    response = client.get(url)
    if response.streaming:
        # Read a download to its end: the test client then closes it (and its file) without firing the
        # request_finished handler that would close the database connection of the test's transaction.
        response.getvalue()
    return response


GET_ROUTES = [route for route in ROUTES if route.method == "GET"]
FILE_NOTES = {"download", "xlsx", "docx", "csv"}  # routes that answer a file, not a page


def first_allowed(route: Route) -> str:
    return ANONYMOUS if ANONYMOUS in route.allowed else sorted(route.allowed)[0]
