"""Hardening: security headers and the Content Security Policy on every response, CSRF on every form, a clean
`check --deploy`, uploads judged by their content, login and session rules, separated administrators, and an audit
trail that the database itself keeps append-only.

Pages are walked from the authorisation matrix's routes (tests/security/matrix.py), so a new route is covered here
as soon as it is added there.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import get_commands
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import translation
from PIL import Image

from audit.apps import MIN_RETENTION_DAYS, check_retention
from audit.guard import guard_installed, guard_lifted
from audit.models import AuditEvent, AuditHead
from audit.services import audit_record
from core.roles import GRANTS, Cap, Role
from core.security import DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY
from core.services import account_create
from matters.models import Attachment, Matter
from tests.security.conftest import World
from tests.security.matrix import ANONYMOUS, PERSONAS, ROUTES, Route

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

ROOT = Path(__file__).resolve().parents[2]
ClientAs = Callable[[str | None], Client]
User = get_user_model()


def _client(persona: str, *, csrf: bool = False) -> Client:
    """A client logged in as the persona's account (anonymous for ANONYMOUS); `csrf` makes it check tokens.

    Tests that call it take `client_as`, which makes the extra personas' accounts and the test's own savepoint.
    """
    client = Client(enforce_csrf_checks=csrf)
    account, _roles = PERSONAS[persona]
    if account is not None:
        client.force_login(User.objects.get(username=account))
    return client


def _fetch(client: Client, url: str) -> Response:
    response = client.get(url)
    if response.streaming:
        # Read a download to its end: the test client then closes it (and its file) without firing the
        # request_finished handler that would close the database connection of the test's transaction.
        response.getvalue()
    return response


# --- headers on every response ----------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "Content-Security-Policy": DEFAULT_CSP,
    "Permissions-Policy": DEFAULT_PERMISSIONS_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
GET_ROUTES = [route for route in ROUTES if route.method == "GET"]
FILE_NOTES = {"download", "xlsx", "docx", "csv"}  # routes that answer a file, not a page


def _first_allowed(route: Route) -> str:
    return ANONYMOUS if ANONYMOUS in route.allowed else sorted(route.allowed)[0]


def test_the_policy_allows_only_our_own_scripts_and_styles_and_no_framing() -> None:
    directives = dict(part.strip().split(" ", 1) for part in DEFAULT_CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in DEFAULT_CSP


def test_every_route_answers_with_the_security_headers_whoever_asks(world: World, client_as: ClientAs) -> None:
    """Each GET route as a persona it lets in, and as one it refuses (redirects and 403s carry them too)."""
    checked = 0
    for route in GET_ROUTES:
        personas = {_first_allowed(route)} | ({ANONYMOUS} if ANONYMOUS not in route.allowed else set())
        for persona in personas:
            response = _fetch(_client(persona), route.url(world.for_persona(persona)))
            for name, value in EXPECTED_HEADERS.items():
                assert response.get(name) == value, f"{route.id} as {persona}: {name} is {response.get(name)!r}"
            checked += 1
    assert checked > len(GET_ROUTES)


@pytest.mark.parametrize(
    "path",
    ["/static/js/minqing.js", "/static/css/minqing.css", "/no/such/page/", "/open311/v2/no/such/endpoint"],
)
def test_static_files_and_not_found_answers_carry_the_headers_too(path: str, db: None) -> None:
    response = _fetch(Client(), path)
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
            client = clients.setdefault(persona, _client(persona))
            response = _fetch(client, route.url(world.for_persona(persona)))
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
    persona = _first_allowed(route)
    if route.namespace == "api" and persona == ANONYMOUS:
        persona = "coordinator"  # the REST API checks CSRF for session-authenticated callers
    response = _post(_client(persona, csrf=True), route, route.url(world.for_persona(persona)))
    assert response.status_code == 403, f"{route.id} as {persona}: {response.status_code}"
    assert b"CSRF" in response.content, f"{route.id}: refused, but not by the CSRF check"


def test_the_csrf_exempt_endpoints_do_nothing_for_a_session_cookie_alone(client_as: ClientAs) -> None:
    """What a forged cross-site POST would carry is the victim's cookie: these two endpoints ignore it."""
    client = _client("coordinator", csrf=True)
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


# --- check --deploy with production settings ----------------------------------------------------------------


def _manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DATABASE_URL", "DJANGO_"))}
    base.update(DJANGO_SETTINGS_MODULE="minqing.settings", MINQING_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "minqing.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://minqing.example.gov.cn",
    "SECURE_PROXY_SSL_HEADER": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_the_https_switches_a_deployment_forgot(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_")}
    result = _manage(["check", "--deploy"], env, tmp_path)
    assert "security.W008" in result.stderr and "security.W021" in result.stderr  # SSL redirect, HSTS preload


def test_start_up_refuses_an_audit_retention_under_180_days(tmp_path: Path) -> None:
    result = _manage(["check"], {**PRODUCTION, "AUDIT_RETENTION_DAYS": "90"}, tmp_path)
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS=90: audit events must be kept at least 180 days" in result.stderr


def test_the_retention_check_accepts_180_days_and_more_only() -> None:
    assert settings.AUDIT_RETENTION_DAYS >= MIN_RETENTION_DAYS == 180
    check_retention(180)
    check_retention(3650)
    for bad in (179, 0, -1, None, "365", True):
        with pytest.raises(ImproperlyConfigured):
            check_retention(bad)


# --- uploads are judged by their content, not their name ----------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, format="PNG")
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions (a pixel bomb: tiny on disk, gigabytes once decoded)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SCRIPT = b"<script>alert(document.cookie)</script>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def _bomb_xlsx() -> bytes:
    """An .xlsx of 110 KB whose one row of a million cells unpacks to 38 MB (and would take the reader 20 s)."""
    out = io.BytesIO()
    cell = '<c t="inlineStr"><is><t>x</t></is></c>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>" + cell * 1_000_000 + "</row>")
    return out.getvalue()


def _lying_zip() -> bytes:
    """A small .xlsx whose archive claims a member of 300 MB (what a zip bomb's directory says)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (300 * 1024 * 1024).to_bytes(4, "little")  # uncompressed size
    return bytes(data)


BAD_IMAGES = {
    "a script named .jpg": ("photo.jpg", SCRIPT),
    "an SVG with script named .png": ("photo.png", SVG),
    "an HTML page named .webp": ("photo.webp", b"<!doctype html><html><body onload=alert(1)></body></html>"),
    "an executable named .jpeg": ("photo.jpeg", b"MZ\x90\x00" + b"\x00" * 200),
    "a truncated PNG": ("photo.png", _png()[:40]),
    "a PNG claiming 100 megapixels": ("photo.png", _png_claiming(10_000, 10_000)),
    "a PNG claiming 400 megapixels": ("photo.png", _png_claiming(20_000, 20_000)),
}
BAD_TABLES = {
    "a PNG named .xlsx": ("list.xlsx", _png()),
    "a script named .xlsx": ("list.xlsx", SCRIPT),
    "a zip that is no workbook, named .xlsx": ("list.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    "a zip bomb-ish workbook": ("list.xlsx", _bomb_xlsx()),
    "an archive that claims 300 MB": ("list.xlsx", _lying_zip()),
    "a PNG named .csv": ("list.csv", _png()),
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _portal_form(photo: SimpleUploadedFile) -> dict[str, Any]:
    import uuid

    from matters.models import Category

    return {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路",
        "consent": "on",
        "token": uuid.uuid4().hex,
        "photo": photo,
    }


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_the_portal_refuses_a_photo_that_is_not_an_image_whatever_its_name(case: str, media: Path, demo: None) -> None:
    name, data = BAD_IMAGES[case]
    matters = Matter.objects.count()
    response = Client().post("/report/", _portal_form(SimpleUploadedFile(name, data, content_type="image/jpeg")))
    assert response.status_code in (200, 400) and response.context["form"].errors.get("photo"), case
    assert Matter.objects.count() == matters and not list(media.rglob("*.*"))


def _matter_in_progress() -> Matter:
    from matters.tests.factories import matter_in

    return matter_in("in_progress")


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_matter_evidence_refuses_what_is_not_an_image_or_a_pdf_on_the_page_and_through_the_api(
    case: str, media: Path, client_as: ClientAs
) -> None:
    name, data = BAD_IMAGES[case]
    matter = _matter_in_progress()
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    page = client_as("handler").post(
        f"/matters/{matter.pk}/act/progress/",
        {"progress-percent": "50", "progress-text": "施工中", "progress-evidence": upload},
        HTTP_HX_REQUEST="true",
    )
    forms = {action.value: form for action, form in page.context["actions"]}
    assert page.status_code == 200 and forms["progress"].errors.get("evidence"), case
    upload.seek(0)
    api = client_as("handler").post(
        f"/api/v1/matters/{matter.pk}/transitions/",
        {"action": "progress", "percent": "50", "text": "施工中", "files": [upload]},
    )
    assert api.status_code == 400 and "files" in api.json(), api.content
    assert not Attachment.objects.filter(matter=matter).exists() and not list(media.rglob("*.*"))


def test_an_image_is_stored_under_its_real_type_and_a_pdf_is_served_as_a_download(
    media: Path, client_as: ClientAs
) -> None:
    """A PNG named .exe is a PNG; a PDF that also holds HTML is sent as a download the browser will not render."""
    matter = _matter_in_progress()
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    files = [SimpleUploadedFile("tool.exe", _png()), SimpleUploadedFile("page.pdf", polyglot)]
    response = client_as("handler").post(
        f"/api/v1/matters/{matter.pk}/transitions/",
        {"action": "progress", "percent": "50", "text": "施工中", "files": files},
    )
    assert response.status_code == 200, response.content
    image, pdf = Attachment.objects.filter(matter=matter).order_by("id")
    assert (image.content_type, image.file.name.rsplit(".", 1)[-1]) == ("image/png", "png")
    download = client_as("handler").get(f"/matters/attachments/{pdf.pk}/")
    assert download["Content-Type"] == "application/pdf" and download["Content-Disposition"] == "attachment"
    assert (
        download["X-Content-Type-Options"] == "nosniff" and "script-src 'self'" in download["Content-Security-Policy"]
    )
    download.getvalue()  # read to its end: the test client closes the file


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_a_visit_photo_must_be_an_image_whatever_its_name(case: str, media: Path, client_as: ClientAs) -> None:
    from fieldwork.models import Visit
    from org.models import Unit

    name, data = BAD_IMAGES[case]
    visits = Visit.objects.count()
    response = client_as("cadre").post(
        "/fieldwork/visits/new/",
        {
            "date": "2022-06-15",
            "hours": "2",
            "kind": "site_visit",
            "place_kind": "community",
            "community": Unit.objects.get(name="长宇社区").pk,
            "participants": "3",
            "photos": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("photos"), case
    assert Visit.objects.count() == visits and not list(media.rglob("*.*"))


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
@pytest.mark.parametrize("importer", ["/matters/lists/import/", "/fieldwork/visits/import/"])
def test_both_importers_refuse_a_file_that_is_not_the_table_its_name_claims_quickly_and_cleanly(
    case: str, importer: str, client_as: ClientAs
) -> None:
    from fieldwork.models import Visit

    name, data = BAD_TABLES[case]
    counts = (Matter.objects.count(), Visit.objects.count())
    response = client_as("coordinator").post(importer, {"file": SimpleUploadedFile(name, data), "dry_run": "on"})
    assert response.status_code == 200, case
    report = response.context["report"]
    assert not report.ok and report.file_errors, case
    assert (Matter.objects.count(), Visit.objects.count()) == counts


def test_the_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    """Refused from the archive's directory: fast, and without the gigabyte a parse of it would take."""
    import time

    from core.tables.reader import TableError, read_table
    from matters.exchange.importer import ListImporter

    data = _bomb_xlsx()
    started = time.process_time()
    with translation.override("en"), pytest.raises(TableError, match="unpacks to far more"):
        read_table("list.xlsx", data, ListImporter.layout())
    assert time.process_time() - started < 2  # a safety margin: the refusal itself takes milliseconds


# --- login, passwords, sessions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Short-1", "fewer than 10 characters"),
        ("password123", "a common password"),
        ("2026112520261125", "digits only"),
        ("policytester", "the username itself"),
    ],
)
def test_the_password_policy_refuses_weak_passwords_for_new_accounts(password: str, why: str, demo: None) -> None:
    with pytest.raises(ValidationError):
        account_create(actor=None, username="policytester", password=password)
    assert not User.objects.filter(username="policytester").exists(), why


def test_an_unknown_username_gets_the_same_answer_and_the_same_lockout_as_a_wrong_password(demo: None) -> None:
    """No way to learn which usernames exist from the login form."""
    wrong = Client().post("/login/", {"username": "leader", "password": "wrong-password"})
    unknown = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password"})
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = Client().post("/login/", {"username": "nobody-here", "password": "wrong-password"})
    assert "锁定" in response.content.decode()


def test_logging_in_starts_a_new_session_so_a_planted_session_id_is_useless(demo: None) -> None:
    client = Client()
    client.get("/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "planted-by-an-attacker"
    client.post("/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in ("", "planted-by-an-attacker")
    assert client.get("/workbench/").status_code == 200


def test_logging_out_needs_a_post_so_a_link_cannot_end_a_session(demo: None) -> None:
    client = Client()
    client.post("/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    assert client.get("/logout/").status_code == 405
    assert client.get("/workbench/").status_code == 200


def test_sessions_end_when_idle_and_with_the_browser() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


# --- separation of duties (三权分立) ---------------------------------------------------------------------------

ADMINS = {Role.SYSADMIN: "/accounts/", Role.SECADMIN: "/security/", Role.AUDITOR: "/audit/"}


def _caps(role: Role) -> set[Cap]:
    return {cap for cap, roles in GRANTS.items() if role in roles and cap != Cap.WORKBENCH}


def test_the_three_administrators_share_no_capability_but_the_workbench() -> None:
    sysadmin, secadmin, auditor = (_caps(role) for role in ADMINS)
    assert Cap.ACCOUNTS_MANAGE in sysadmin and Cap.ROLES_ASSIGN in secadmin and Cap.AUDIT_VIEW in auditor
    assert not sysadmin & secadmin and not sysadmin & auditor and not secadmin & auditor
    # Only the security administrator grants roles, only the auditor reads the log.
    assert GRANTS[Cap.ROLES_ASSIGN] == {Role.SECADMIN} and GRANTS[Cap.AUDIT_VIEW] == {Role.AUDITOR}


@pytest.mark.parametrize("admin", list(ADMINS), ids=[role.value for role in ADMINS])
def test_each_administrator_does_their_own_work_and_none_of_the_others(admin: Role, client_as: ClientAs) -> None:
    client = client_as(admin.value)
    for role, page in ADMINS.items():
        assert client.get(page).status_code == (200 if role == admin else 403), f"{admin} on {page}"


@pytest.mark.parametrize("admin", list(ADMINS), ids=[role.value for role in ADMINS])
def test_no_administrator_can_grant_themselves_a_role(admin: Role, client_as: ClientAs) -> None:
    me = User.objects.get(username=admin.value)
    for wanted in [*ADMINS, Role.COORDINATOR]:
        response = client_as(admin.value).post(f"/security/{me.pk}/roles/", {"roles": [admin.value, wanted.value]})
        assert response.status_code in (200, 403)  # the security administrator sees the refusal on the form
        assert list(me.groups.values_list("name", flat=True)) == [admin.value]


def test_the_system_administrator_creates_accounts_without_any_role_even_when_asked_for_one(
    client_as: ClientAs,
) -> None:
    client_as("sysadmin").post(
        "/accounts/new/", {"username": "newcomer", "password": "a-Long-passphrase-2026", "roles": ["auditor"]}
    )
    assert not User.objects.get(username="newcomer").groups.exists()


def test_no_account_is_a_django_superuser_or_staff_and_there_is_no_django_admin(demo: None) -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not User.objects.filter(is_superuser=True).exists() and not User.objects.filter(is_staff=True).exists()


# --- the audit trail is append-only, in the database itself ---------------------------------------------------


@pytest.fixture
def event(demo: None) -> AuditEvent:
    return audit_record(actor=None, action="test.guard", after={"n": 1})


def _refused(action: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_the_guard_is_installed_on_this_database(db: None) -> None:
    assert connection.vendor in ("sqlite", "postgresql") and guard_installed()


def test_an_audit_event_cannot_be_deleted_or_changed_through_the_orm(event: AuditEvent) -> None:
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    _refused(lambda: AuditEvent.objects.all().delete())
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="test.forged"))
    event.action = "test.forged"
    _refused(lambda: event.save())
    _refused(lambda: AuditHead.objects.all().delete())
    event.refresh_from_db()
    assert event.action == "test.guard" and AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_delete_change_or_truncate_the_trail_either(event: AuditEvent) -> None:
    def sql(statement: str) -> Callable[[], object]:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(statement)

        return run

    _refused(sql(f"DELETE FROM audit_auditevent WHERE id = {event.pk}"))  # noqa: S608
    _refused(sql(f"UPDATE audit_auditevent SET after = NULL WHERE id = {event.pk}"))  # noqa: S608
    _refused(sql("DELETE FROM audit_audithead"))
    if connection.vendor == "postgresql":
        _refused(sql("TRUNCATE audit_auditevent"))
    assert AuditEvent.objects.filter(pk=event.pk, after={"n": 1}).exists()


def test_new_events_are_still_appended_and_the_head_still_moves(event: AuditEvent) -> None:
    after = audit_record(actor=None, action="test.guard", after={"n": 2})
    assert after.seq == event.seq + 1 and AuditHead.objects.get().seq == after.seq


def test_lifting_the_guard_is_scoped_and_it_comes_back(event: AuditEvent) -> None:
    with guard_lifted():
        assert not guard_installed()
    assert guard_installed()
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_only_flush_which_empties_the_whole_database_lifts_the_guard() -> None:
    assert get_commands()["flush"] == "audit"


def test_the_audit_log_page_has_no_way_to_change_or_delete(client_as: ClientAs) -> None:
    client = client_as("auditor")
    events = AuditEvent.objects.count()
    for method in ("post", "put", "patch", "delete"):
        getattr(client, method)("/audit/", {"seq": "1"})
    assert AuditEvent.objects.count() == events
    from tests.security.matrix import url_patterns

    audit_views = {p.name for p in url_patterns() if p.callback.__module__.startswith("audit.")}
    assert audit_views == {"audit:list"}
