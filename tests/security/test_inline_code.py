"""No page runs inline script or style, and every form that posts carries a CSRF token.

Pages are walked from the authorisation matrix's routes (tests/security/matrix.py), so a new route is covered here as
soon as an app declares it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.test import Client

from tests.security.conftest import World
from tests.security.matrix import ANONYMOUS

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    FILE_NOTES,
    GET_ROUTES,
    ROOT,
    ClientAs,
    fetch,
    persona_client,
)

# --- no inline script, no inline handler, no inline style -------------------------------------------------


class _PageAudit(HTMLParser):
    """What in a page the Content Security Policy would refuse, and POST forms without a CSRF token."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text = ""
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (inline event handler)")
            if name == "style":
                self.problems.append(f"<{tag} style=…> (inline style)")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._script, self._script_text = values, ""
        if tag == "form" and (values.get("method") or "get").lower() == "post":
            self._form = {"action": values.get("action"), "token": False}
        if tag == "input" and self._form is not None and values.get("name") == "csrfmiddlewaretoken":
            self._form["token"] = True

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            kind = (self._script.get("type") or "").lower()
            # A JSON data block (Django's json_script) is never run, so the policy has nothing to refuse.
            if not self._script.get("src") and kind != "application/json":
                self.problems.append(f"inline <script>{self._script_text.strip()[:60]}")
            self._script = None
        if tag == "form" and self._form is not None:
            if not self._form["token"]:
                self.problems.append(f"POST form to {self._form['action']} without a CSRF token")
            self._form = None


def _html_problems(html: str) -> list[str]:
    audit = _PageAudit()
    audit.feed(html)
    audit.close()
    return audit.problems


def test_the_page_check_notices_what_the_policy_would_refuse() -> None:
    bad = (
        '<button onclick="go()">x</button><script>alert(1)</script><p style="color:red">'
        '<a href="javascript:void(0)">y</a><form method="post" action="/x/"></form>'
    )
    assert len(_html_problems(bad)) == 5
    good = (
        '<script src="/static/js/a.js" defer></script><script id="d" type="application/json">{"a": 1}</script>'
        '<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>'
    )
    assert _html_problems(good) == []


def test_no_page_runs_inline_script_or_style_and_every_post_form_carries_a_csrf_token(
    world: World, client_as: ClientAs
) -> None:
    """Every GET route, as every persona it lets in: what each role sees (action forms, menus) differs."""
    pages = 0
    clients: dict[str, Client] = {}
    for route in GET_ROUTES:
        if route.note in FILE_NOTES or (route.is_api and route.name != "api:docs"):
            continue  # files and JSON: their headers are checked above
        # A public page looks the same to every signed-in role but for the menu: one of each side is enough.
        personas = {ANONYMOUS, "coordinator"} if ANONYMOUS in route.allowed else route.allowed
        for persona in sorted(personas):
            client = clients.setdefault(persona, persona_client(persona))
            response = fetch(client, route.url(world.for_persona(persona)))
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            problems = _html_problems(response.content.decode())
            assert not problems, f"{route.id} as {persona}: {problems}"
            pages += 1
    assert pages > 80


def _template_files() -> list[Path]:
    dirs = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return [path for folder in dirs for path in sorted(folder.rglob("*.html"))]


def test_no_template_holds_an_inline_script_handler_or_style() -> None:
    """The templates themselves, including those the walk does not reach (error pages, partials)."""
    files = _template_files()
    assert len(files) > 30
    for path in files:
        problems = _html_problems(path.read_text("utf-8"))
        # A template's POST form gets its token from {% csrf_token %}, which the parser sees as text.
        problems = [p for p in problems if "CSRF" not in p]
        assert not problems, f"{path.relative_to(ROOT)}: {problems}"


