"""The authorisation matrix as data: every route of the project, what it needs, and so which personas may use it.

Each route names the capability it needs (core.roles.Cap) or says it is public; who is allowed is computed from
core.roles.GRANTS, never copied from what the views happen to do, so that a view that forgets its check (or checks
the wrong capability) fails tests/security/test_authorisation_matrix.py.

Values in braces (``{matter}``, ``{own_visit}``) stand for the objects the tests create over the demo, per
persona; tests/security/conftest.py (the ``world`` fixture) says what each one is.

docs/security.md carries this matrix as tables between its ``<!-- matrix:start -->`` and ``<!-- matrix:end -->``
markers. After changing ROUTES (or GRANTS), regenerate that section:

    .venv/bin/python -m tests.security.matrix --write    # rewrite the section in docs/security.md
    .venv/bin/python -m tests.security.matrix            # print it
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: configure Django before the project's models are imported
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings_test")
    django.setup()

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from core.roles import GRANTS, Cap, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
MARK_START, MARK_END = "<!-- matrix:start -->", "<!-- matrix:end -->"
REGENERATE = ".venv/bin/python -m tests.security.matrix --write"


class Open(StrEnum):
    """What a route needs when it is not a capability."""

    PUBLIC = "public"  # anyone, signed in or not
    API_KEY = "Open311 key"  # a client system's key in the request; no account and no role stands in for it


Need = Cap | Open

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
    """The personas that `need` lets in, from core.roles.GRANTS."""
    if need == Open.PUBLIC:
        return frozenset(PERSONAS)
    if need == Open.API_KEY:
        return frozenset()
    return frozenset(name for name, (_account, roles) in PERSONAS.items() if roles & GRANTS[Cap(need)])


@dataclass(frozen=True)
class Route:
    """One request to check: a URL name, a method, what it needs; the URL's arguments and query, with {targets}."""

    name: str
    method: str
    need: Need
    kwargs: tuple[tuple[str, str], ...] = ()
    query: str = ""
    note: str = ""
    missing_ok: bool = False  # "not found" is this route's own answer for everyone (the catch-alls)
    path: str = ""  # a literal path for a catch-all pattern, instead of reversing the name

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (f" [{self.note}]" if self.note else "")

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""

    @property
    def is_api(self) -> bool:
        """Machine endpoints answer 401/403 to anonymous callers instead of sending them to the login page."""
        return self.namespace in ("api", "open311")

    @property
    def allowed(self) -> frozenset[str]:
        return allowed_personas(self.need)

    def url(self, values: Mapping[str, str]) -> str:
        """The URL to request, with each {target} replaced by the value for the persona."""
        kwargs = {key: value.format_map(values) for key, value in self.kwargs}
        path = self.path or reverse(self.name, kwargs=kwargs or None)
        assert resolve(path).view_name == self.name, f"{path} is not {self.name}"
        query = self.query.format_map(values)
        return f"{path}?{query}" if query else path


def _r(name: str, need: Need, methods: str = "GET", *, query: str = "", note: str = "", **kwargs: str) -> list[Route]:
    """Routes of one URL name, one per method ("GET POST")."""
    return [Route(name, method, need, tuple(kwargs.items()), query, note) for method in methods.split()]


C, PUBLIC = Cap, Open.PUBLIC
_LIST_QUERY = "list=tasks&format={fmt}"
_REPORT_QUERY = "format=docx&person={own_person}&start=2022-06-01&end=2022-06-30"

ROUTES: tuple[Route, ...] = (
    # --- the public portal: no login ---------------------------------------------------------------------
    *_r("portal:home", PUBLIC),
    *_r("portal:elder", PUBLIC, "POST"),
    *_r("set_language", PUBLIC, "POST"),
    *_r("portal:list", PUBLIC, list_kind="problems"),
    *_r("portal:matter", PUBLIC, code="{public_code}"),
    *_r("portal:evidence", PUBLIC, code="{public_code}", token="{evidence}"),
    *_r("portal:raise", PUBLIC, "GET POST"),
    *_r("portal:raise_done", PUBLIC),
    *_r("portal:similar", PUBLIC, query="description=streetlight+broken+for+a+week"),
    *_r("portal:track_form", PUBLIC),
    *_r("portal:track", PUBLIC, tracking_code="{tracking_code}"),
    *_r("portal:endorse", PUBLIC, "POST", code="{public_code}"),
    *_r("portal:endorse_phone", PUBLIC, "GET POST", code="{public_code}"),
    *_r("portal:endorse_code", PUBLIC, "POST", code="{public_code}"),
    *_r("portal:rate", PUBLIC, "GET POST", code="{done_code}"),
    *_r("portal:rate_code", PUBLIC, "POST", code="{done_code}"),
    *_r("portal:poster_png", PUBLIC, code="{done_code}", note="download"),
    *_r("portal:poster_pdf", PUBLIC, code="{done_code}", note="download"),
    # --- signing in; accounts (system administrator) and roles (security administrator) ------------------
    *_r("core:login", PUBLIC, "GET POST"),
    *_r("core:logout", PUBLIC, "POST"),
    *_r("core:workbench", C.WORKBENCH),
    *_r("core:account_list", C.ACCOUNTS_MANAGE),
    *_r("core:account_new", C.ACCOUNTS_MANAGE, "GET POST"),
    *_r("core:account_toggle", C.ACCOUNTS_MANAGE, "POST", pk="{account}"),
    *_r("core:security", C.ROLES_ASSIGN),
    *_r("core:roles_edit", C.ROLES_ASSIGN, "GET POST", pk="{account}"),
    *_r("core:unlock", C.ROLES_ASSIGN, "POST"),
    # A background job answers its owner alone: anyone else, anonymous and administrators too, gets "not found"
    # (core/tests/test_jobs.py), so no capability stands in for it and the row lets everyone reach the view.
    *[
        Route(name, "GET", PUBLIC, (("pk", "{own_job}"),), note="its owner only, 404 for anyone else", missing_ok=True)
        for name in ("core:job", "core:job_progress", "core:job_download")
    ],
    # --- the audit log ------------------------------------------------------------------------------------
    *_r("audit:list", C.AUDIT_VIEW),
    *_r("audit:list", C.AUDIT_VIEW, query="verify=1", note="verify the chain"),
    # --- organisation -------------------------------------------------------------------------------------
    *_r("org:unit_list", C.ORG_VIEW),
    *_r("org:unit_create", C.ORG_EDIT, "GET POST"),
    *_r("org:unit_detail", C.ORG_VIEW, pk="{unit}"),
    *_r("org:unit_edit", C.ORG_EDIT, "GET POST", pk="{unit}"),
    *_r("org:team_member_add", C.ORG_EDIT, "POST", pk="{team}"),
    *_r("org:team_member_remove", C.ORG_EDIT, "POST", pk="{membership}"),
    *_r("org:person_list", C.ORG_VIEW),
    *_r("org:person_create", C.ORG_EDIT, "GET POST"),
    *_r("org:person_detail", C.ORG_VIEW, pk="{person}"),
    *_r("org:person_edit", C.ORG_EDIT, "GET POST", pk="{person}"),
    *_r("org:person_phone", C.PHONE_VIEW, "POST", pk="{person}"),
    *_r("org:team_list", C.ORG_VIEW),
    *_r("org:contact_point_list", C.ORG_VIEW),
    *_r("org:contact_point_create", C.ORG_EDIT, "GET POST"),
    *_r("org:contact_point_delete", C.ORG_EDIT, "POST", pk="{contact_point}"),
    # --- campaigns ----------------------------------------------------------------------------------------
    *_r("campaigns:list", C.CAMPAIGN_VIEW),
    *_r("campaigns:create", C.CAMPAIGN_EDIT, "GET POST"),
    *_r("campaigns:detail", C.CAMPAIGN_VIEW, pk="{campaign}"),
    *_r("campaigns:edit", C.CAMPAIGN_EDIT, "GET POST", pk="{campaign}"),
    *_r("campaigns:phase_create", C.CAMPAIGN_EDIT, "GET POST", pk="{campaign}"),
    *_r("campaigns:phase_edit", C.CAMPAIGN_EDIT, "GET POST", pk="{phase}"),
    *_r("campaigns:phase_delete", C.CAMPAIGN_EDIT, "POST", pk="{phase}"),
    *_r("campaigns:rule_create", C.CAMPAIGN_EDIT, "GET POST", pk="{campaign}"),
    *_r("campaigns:rule_edit", C.CAMPAIGN_EDIT, "GET POST", pk="{rule}"),
    *_r("campaigns:rule_delete", C.CAMPAIGN_EDIT, "POST", pk="{rule}"),
    # --- matters: queues, the matter page and its actions, figures, the three lists -----------------------
    *_r("matters:list", C.MATTER_VIEW),
    *_r("matters:create", C.MATTER_CREATE, "GET POST"),
    *_r("matters:figures", C.FIGURES_VIEW),
    *_r("matters:bulk_assign", C.MATTER_TRIAGE, "POST"),
    *_r("matters:detail", C.MATTER_VIEW, pk="{matter}"),
    # Taking an action needs to see the matter; whether this user may take *this* action on *this* matter is
    # the workflow's own check (matters.workflow.TRANSITIONS), tested with the workflow.
    *_r("matters:act", C.MATTER_VIEW, "POST", pk="{matter}", action="accept"),
    *_r("matters:extension_request", C.MATTER_VIEW, "POST", pk="{matter}"),
    *_r("matters:site", C.MATTER_VIEW, "POST", pk="{matter}"),
    *_r("matters:extension_decide", C.MATTER_VIEW, "POST", pk="{extension}"),
    *_r("matters:attachment", C.MATTER_VIEW, pk="{attachment}", note="download"),
    *_r("matters:lists", C.LISTS_VIEW),
    # Each export in the formats that render in milliseconds; PDF takes seconds per file and is chosen by the same
    # query parameter after the same check.
    *[
        route
        for fmt in ("xlsx", "docx", "csv")
        for route in _r("matters:lists_download", C.LISTS_VIEW, query=_LIST_QUERY.replace("{fmt}", fmt), note=fmt)
    ],
    *_r("matters:lists_import", C.LISTS_IMPORT, "GET POST"),
    # --- the inbox ----------------------------------------------------------------------------------------
    *_r("notifications:inbox", C.WORKBENCH),
    *_r("notifications:read", C.WORKBENCH, "POST", pk="{own_notification}"),
    *_r("notifications:read_all", C.WORKBENCH, "POST"),
    # --- field work and weekly duties ---------------------------------------------------------------------
    *_r("fieldwork:visit_list", C.VISIT_LOG),
    *_r("fieldwork:visit_new", C.VISIT_LOG, "GET POST"),
    *_r("fieldwork:visit_detail", C.VISIT_LOG, pk="{own_visit}"),
    *_r("fieldwork:visit_delete", C.VISIT_LOG, "POST", pk="{own_visit}"),
    *_r("fieldwork:visit_photo", C.VISIT_LOG, pk="{own_photo}", note="download"),
    *_r("fieldwork:contact_points", C.VISIT_LOG),
    *_r("fieldwork:registration", C.VISIT_LOG, "GET POST"),
    *_r("fieldwork:registrations", C.REGISTRATIONS_VIEW),
    *_r("fieldwork:my_week", C.VISIT_LOG),
    *_r("fieldwork:week_grid", C.DUTY_GRID),
    *_r("fieldwork:week_grid", C.DUTY_GRID, query="format=xlsx", note="xlsx"),
    *_r("fieldwork:duty_report", C.VISIT_LOG),
    *_r("fieldwork:duty_report", C.VISIT_LOG, query=_REPORT_QUERY, note="docx"),
    *_r("fieldwork:duty_report_unit", C.VISITS_ALL, "POST"),
    *_r("fieldwork:visit_import", C.VISITS_IMPORT, "GET POST"),
    # --- the REST API -------------------------------------------------------------------------------------
    *_r("api:token", PUBLIC, "POST"),
    *_r("api:schema", PUBLIC),
    *_r("api:docs", PUBLIC),
    *_r("api:api-root", C.WORKBENCH),
    *_r("api:unit-list", C.ORG_VIEW),
    *_r("api:unit-detail", C.ORG_VIEW, pk="{unit}"),
    *_r("api:person-list", C.ORG_VIEW),
    *_r("api:person-detail", C.ORG_VIEW, pk="{person}"),
    *_r("api:campaign-list", C.CAMPAIGN_VIEW),
    *_r("api:campaign-detail", C.CAMPAIGN_VIEW, pk="{campaign}"),
    *_r("api:phase-list", C.CAMPAIGN_VIEW),
    *_r("api:phase-detail", C.CAMPAIGN_VIEW, pk="{phase}"),
    *_r("api:matter-list", C.MATTER_VIEW),
    *_r("api:matter-list", C.MATTER_CREATE, "POST"),
    *_r("api:matter-detail", C.MATTER_VIEW, pk="{matter}"),
    *_r("api:matter-transitions", C.MATTER_VIEW, "POST", pk="{matter}"),
    *_r("api:visit-list", C.VISIT_LOG, "GET POST"),
    *_r("api:visit-detail", C.VISIT_LOG, pk="{own_visit}"),
    *_r("api:duty-list", C.VISIT_LOG),
    Route("api:not_found", "GET", PUBLIC, path="/api/v1/no.such/endpoint/", missing_ok=True),
    # --- Open311 GeoReport v2: public reads; a submission needs a client key ------------------------------
    *_r("open311:root", PUBLIC),
    *_r("open311:discovery", PUBLIC, fmt="json"),
    *_r("open311:services", PUBLIC, fmt="json"),
    *_r("open311:service", PUBLIC, service_code="{service_code}", fmt="json"),
    *_r("open311:requests", PUBLIC, fmt="json"),
    *_r("open311:requests", Open.API_KEY, "POST", fmt="json"),
    *_r("open311:request", PUBLIC, request_id="{public_code}", fmt="json"),
    *_r("open311:token", PUBLIC, token="{open311_token}", fmt="json"),
    Route("open311:not_found", "GET", PUBLIC, path="/open311/v2/no/such/endpoint", missing_ok=True),
)

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

AREAS = {
    "portal": "Public portal",
    "": "Public portal",
    "core": "Sign-in, accounts and roles",
    "audit": "Audit log",
    "org": "Organisation",
    "campaigns": "Campaigns",
    "matters": "Matters and the three lists",
    "notifications": "Inbox",
    "fieldwork": "Field work and weekly duties",
    "api": "REST API (/api/v1/)",
    "open311": "Open311 GeoReport v2 (/open311/v2/)",
}


def _need_label(need: Need) -> str:
    return f"`{need.value}`" if isinstance(need, Cap) else str(need.value)


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
        "without the capability; the API answers 401 (anonymous) or 403. *Needs* is the capability of "
        "`core/roles.py` (the roles it is granted to are in `GRANTS`), *public* for everyone, *Open311 key* for a "
        "client system's key (no role grants it). *no role* is an account without any role.",
    ]
    by_area: dict[str, list[Route]] = {}
    for route in ROUTES:
        by_area.setdefault(AREAS[route.namespace], []).append(route)
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
