"""The authorisation matrix as data: every route of the project, what it needs, and so which personas may use it.

Each app declares, in its plugin (`<app>/plugin.py`, `Plugin.routes`), the capability each of its routes needs or
that it is public; who is allowed is computed from the collected grants (`core.roles.grants()`, each app's
`capabilities.GRANTS`), never copied from what the views happen to do, so that a view that forgets its check (or
checks the wrong capability) fails tests/security/test_authorisation_matrix.py, and a route no app declares fails
it too.

Values in braces (``{matter}``, ``{own_visit}``) stand for the objects the tests create over the demo, per
persona; tests/security/conftest.py (the ``world`` fixture, with each app's ``tests/world.py``) says what each is.

docs/security.md carries this matrix as tables between its ``<!-- matrix:start -->`` and ``<!-- matrix:end -->``
markers. After changing an app's routes or grants, regenerate that section:

    .venv/bin/python -m tests.security.matrix --write    # rewrite the section in docs/security.md
    .venv/bin/python -m tests.security.matrix            # print it
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: configure Django before the project's models are imported
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings_test")
    django.setup()

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from core.plugins import Open, RouteAccess, installed
from core.roles import Capability, Role, grants

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
MARK_START, MARK_END = "<!-- matrix:start -->", "<!-- matrix:end -->"
REGENERATE = ".venv/bin/python -m tests.security.matrix --write"


Need = Capability | Open

ANONYMOUS, NO_ROLE = "anonymous", "no-role"
# Persona → (the account the root conftest's `client_as` logs in, None for an anonymous visitor; its roles).
# The demo accounts are named after their roles; "outsider" and "resident" are the conftest's extra accounts.
PERSONAS: dict[str, tuple[str | None, frozenset[Role]]] = {
    ANONYMOUS: (None, frozenset()),
    NO_ROLE: ("outsider", frozenset()),
    Role.RESIDENT.value: ("resident", frozenset({Role.RESIDENT})),
    **{role.value: (role.value, frozenset({role})) for role in Role if role != Role.RESIDENT},
}
SHORT_NAMES = {ANONYMOUS: "anon", NO_ROLE: "no role", Role.COORDINATOR: "coord.", Role.SUPERVISOR: "superv."}


def allowed_personas(need: Need) -> frozenset[str]:
    """The personas that `need` lets in, from the collected grants (core.roles.grants)."""
    if need == Open.PUBLIC:
        return frozenset(PERSONAS)
    if need == Open.API_KEY or not isinstance(need, Capability):
        return frozenset()
    return frozenset(name for name, (_account, roles) in PERSONAS.items() if roles & grants()[need])


@dataclass(frozen=True)
class Route:
    """One row of the matrix: an app's declaration (core.plugins.RouteAccess) and the app that declared it."""

    access: RouteAccess
    area: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.access, name)

    @property
    def id(self) -> str:
        return self.access.id

    @property
    def is_api(self) -> bool:
        """Machine endpoints answer 401/403 to anonymous callers instead of sending them to the login page."""
        return self.access.namespace in ("api", "open311")

    @property
    def allowed(self) -> frozenset[str]:
        return allowed_personas(self.access.need)

    def url(self, values: Mapping[str, str]) -> str:
        """The URL to request, with each {target} replaced by the value for the persona."""
        kwargs = {key: value.format_map(values) for key, value in self.access.kwargs}
        path = self.access.path or reverse(self.access.name, kwargs=kwargs or None)
        assert resolve(path).view_name == self.access.name, f"{path} is not {self.access.name}"
        query = self.access.query.format_map(values)
        return f"{path}?{query}" if query else path


def collect_routes() -> tuple[Route, ...]:
    """Every app's declared routes (`Plugin.routes`), in the order of INSTALLED_APPS."""
    return tuple(
        Route(access, entry.plugin.area or entry.label) for entry in installed() for access in entry.plugin.routes
    )


ROUTES: tuple[Route, ...] = collect_routes()

# Routes deliberately left out of the matrix, each with its reason. None at present: static files are served by
# WhiteNoise's middleware and media files have no URL of their own (each stored file is served by a view that checks
# access: matters:attachment, portal:evidence, fieldwork:visit_photo), so neither is in the URL conf; Django's
# language switch (i18n) is in the matrix as a public route.
EXCLUDED: dict[str, str] = {}

# Roles whose view of matters is limited to their units' (matters.access): another unit's matter, its attachments,
# its extension and its API record answer them exactly as a nonexistent id does.
UNIT_SCOPED: tuple[str, ...] = (Role.CADRE.value, Role.HANDLER.value)


# --- the URL conf ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern of the project: its namespaced name, its full pattern text, its view."""

    name: str
    pattern: str
    callback: Callable[..., Any]


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, walked from the root resolver."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Pattern]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield Pattern(f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), entry.callback)

    return list(walk(get_resolver().url_patterns, "", ""))


def is_format_suffix(pattern: Pattern) -> bool:
    """DRF's format-suffix twin of a route (`units.json`): the same view under the same name."""
    return "(?P<format>" in pattern.pattern or "<drf_format_suffix:format>" in pattern.pattern


def api_methods(callback: Callable[..., Any]) -> frozenset[str]:
    """The methods a REST framework view answers (a viewset's actions, an APIView's handlers); empty for others."""
    # HEAD (a GET without the body) and OPTIONS run the same handler and checks as GET: not rows of their own.
    actions = getattr(callback, "actions", None)
    if actions:
        return frozenset(method.upper() for method in actions if method not in ("head", "options"))
    cls = getattr(callback, "cls", None)  # set by APIView.as_view
    if cls is None:
        return frozenset()
    return frozenset(m.upper() for m in ("get", "post", "put", "patch", "delete") if callable(getattr(cls, m, None)))


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def display_path(pattern: str) -> str:
    """A pattern as readers write a URL: `/matters/{pk}/` for both path() converters and regex groups."""
    text = _GROUP.sub(r"{\1}", pattern)
    text = _CONVERTER.sub(r"{\1}", text).replace(".*", "{any}").replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + text


# --- docs/security.md --------------------------------------------------------------------------------------

def _need_label(need: Need) -> str:
    return f"`{need.value}`" if isinstance(need, Capability) else str(need.value)


def render_section() -> str:
    """The Markdown that goes between the matrix markers of docs/security.md."""
    paths = {p.name: display_path(p.pattern) for p in reversed(url_patterns()) if not is_format_suffix(p)}
    personas = list(PERSONAS)
    header = ["Route", "Method", "Needs", *(SHORT_NAMES.get(p, p) for p in personas)]
    lines = [
        "",
        f"<!-- Generated from tests/security/matrix.py by `{REGENERATE}`; do not edit by hand. -->",
        "",
        f"{len(ROUTES)} requests (one per route and method, and per export format) × {len(personas)} personas "
        f"= {len(ROUTES) * len(personas)} checks, run by `tests/security/test_authorisation_matrix.py`. "
        "✓ allowed, ✗ refused: pages send anonymous visitors to the login page and answer 403 to signed-in users "
        "without the capability; the API answers 401 (anonymous) or 403. *Needs* is the capability the app "
        "declares for the route (in its `plugin.py`; the roles it is granted to are in the app's "
        "`capabilities.py`), *public* for everyone, *Open311 key* for a client system's key (no role grants it). "
        "*no role* is an account without any role.",
    ]
    by_area: dict[str, list[Route]] = {}
    for route in ROUTES:
        by_area.setdefault(route.area, []).append(route)
    for area, routes in by_area.items():
        lines += ["", f"### {area}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for route in routes:
            where = f"`{paths[route.name]}`" + (f" ({route.note})" if route.note else "")
            marks = ["✓" if p in route.allowed else "✗" for p in personas]
            lines.append("| " + " | ".join([where, route.method, _need_label(route.need), *marks]) + " |")
    return "\n".join(lines) + "\n\n"


def doc_section(text: str) -> str | None:
    """What docs/security.md has between the markers, or None without them."""
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        return None
    return text[start + len(MARK_START) : end]


def write_doc(path: Path = DOC) -> None:
    """Put the generated matrix between the markers (creating the file with just them if it is missing)."""
    text = path.read_text("utf-8") if path.exists() else f"# Security\n\n{MARK_START}\n{MARK_END}\n"
    current = doc_section(text)
    if current is None:
        raise SystemExit(f"{path} has no {MARK_START} … {MARK_END} section to fill")
    start = text.find(MARK_START) + len(MARK_START)
    path.write_text(text[:start] + render_section() + text[start + len(current) :], "utf-8")


def main(argv: list[str]) -> None:
    if argv == ["--write"]:
        write_doc()
    elif not argv:
        sys.stdout.write(render_section())
    else:
        raise SystemExit("usage: python -m tests.security.matrix [--write]")


if __name__ == "__main__":
    main(sys.argv[1:])
