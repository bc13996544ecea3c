"""Personal data planted in matters, visits and people never reaches the public, the logs, or a back-office role
that has no need for it; and every view of a private record is on the audit trail.

The portal's and Open311's own tests (portal/tests/test_privacy.py, open311/tests/test_privacy.py) plant the
reporter's details in new matters; these plant every kind of personal data the project holds in the authorisation
matrix's objects (tests/security/conftest.py) and walk every route of the matrix with it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import AuditEvent
from core.roles import Capability, user_can
from fieldwork.capabilities import FieldworkCap
from fieldwork.models import PlaceKind, Visit, VisitKind
from matters.capabilities import MatterCap
from matters.exchange.exporter import ListSpec, export
from matters.models import Category, Extension, Matter, ProgressReport, Transition
from notifications.models import Notification
from notifications.services import notify
from org.capabilities import OrgCap
from org.models import Person
from tests.security.conftest import FALLBACK, World
from tests.security.matrix import ANONYMOUS, PERSONAS, ROUTES

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

User = get_user_model()
ClientAs = Callable[[str | None], Client]

# What is planted. Each value is unique in the database, so finding it anywhere means it leaked.
REPORTER_NAME = "欧阳秘名"
REPORTER_PHONE = "13987650001"
TYPED_PHONE = "13812340002"  # typed into a matter's problem, task, remarks, progress, reasons, reply
ID_NUMBER = "110105198807071236"
LANDLINE = "0714-8812345"
HOUSEHOLD = "司马藏户"  # a household's name in a household visit
VISIT_PHONE = "13700001113"
VISIT_ID = "420102197001011238"
PERSON_PHONE = "13600000004"  # a cadre's private phone (org.Person)
MATTER_NUMBERS = (REPORTER_NAME, REPORTER_PHONE, TYPED_PHONE, ID_NUMBER, LANDLINE)
EVERYTHING = (*MATTER_NUMBERS, HOUSEHOLD, VISIT_PHONE, VISIT_ID, PERSON_PHONE)
TYPED = f"联系{TYPED_PHONE}或{LANDLINE}，身份证{ID_NUMBER}"


@dataclass(frozen=True)
class Planted:
    world: World
    matter: Matter  # the shared matter: public, in progress, seen by the handler's and the cadre's units
    done: Matter  # a completed public matter (the effect list, the rating page)
    visit: Visit  # the cadre's own visit, made a household visit
    person: Person  # 杨立新, with a private phone


@pytest.fixture
def planted(world: World, client_as: ClientAs) -> Planted:
    """Personal data in every field that can hold it; rolled back after each test with the test's savepoint.

    (`client_as` brings the test's own savepoint and the extra personas' accounts.)
    """
    values = world.for_persona(FALLBACK)
    matter = Matter.objects.get(pk=values["matter"])
    done = Matter.objects.get(code=values["done_code"])
    for target in (matter, done):
        Matter.objects.filter(pk=target.pk).update(
            problem=f"长宇社区路灯不亮，{TYPED}",
            task=f"修复路灯，回访{TYPED_PHONE}",
            location=f"长宇社区3栋，电话{TYPED_PHONE}",
            remarks=f"内部备注：{TYPED}",
            public_reply=f"已处理，有疑问请拨打{TYPED_PHONE}",
            effect=f"路灯已修复，{TYPED}",
            reporter_name=REPORTER_NAME,
            reporter_phone=REPORTER_PHONE,
        )
        ProgressReport.objects.filter(matter=target).update(text=f"已联系居民{TYPED}")
        Transition.objects.filter(matter=target).update(reason=f"据居民{TYPED_PHONE}反映")
    Extension.objects.filter(matter=matter).update(reason=f"等居民{TYPED_PHONE}回复")
    visit = Visit.objects.get(pk=values["own_visit"])
    Visit.objects.filter(pk=visit.pk).update(
        kind=VisitKind.HOUSEHOLD,
        place_kind=PlaceKind.HOUSEHOLD,
        unit=None,
        place_detail=f"长宇新城3栋 {HOUSEHOLD}家 {VISIT_PHONE}",
        notes=f"{HOUSEHOLD}反映困难，电话{VISIT_PHONE}，身份证{VISIT_ID}",
    )
    person = Person.objects.get(pk=values["person"])
    Person.objects.filter(pk=person.pk).update(phone=PERSON_PHONE)
    notify(recipients=User.objects.all(), title=f"来电{TYPED_PHONE}", body=f"居民{TYPED}", link="/workbench/")
    return Planted(world, Matter.objects.get(pk=matter.pk), Matter.objects.get(pk=done.pk), visit, person)


def _client(persona: str) -> Client:
    client = Client()
    account, _roles = PERSONAS[persona]
    if account is not None:
        client.force_login(User.objects.get(username=account))
    return client


def _text(response: Response) -> str:
    """Everything a response carries as text: pages, JSON (unescaped), CSV, XML, and the XML inside xlsx/docx."""
    # A download read to its end is closed by the test client, without closing the test's database connection.
    body = response.getvalue() if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
            )
    if "json" in kind:
        return json.dumps(json.loads(body), ensure_ascii=False)
    if kind.startswith(("image/", "application/pdf")):
        return ""  # pictures and PDFs are checked where they are made (the poster, the public exports)
    return body.decode("utf-8-sig", "replace")


def _leaks(text: str, secrets: tuple[str, ...] | set[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


# --- the public side ----------------------------------------------------------------------------------------

PUBLIC_GETS = [route for route in ROUTES if route.method == "GET" and ANONYMOUS in route.allowed]


def test_no_public_page_or_open311_answer_shows_any_planted_personal_data(planted: Planted) -> None:
    values = planted.world.for_persona(ANONYMOUS)
    extra = [
        f"/m/{planted.done.code}/",
        f"/m/{planted.done.code}/rate/",
        f"/track/{planted.done.tracking_code}/",
        "/lists/tasks/",
        "/lists/effects/",
        f"/open311/v2/requests/{planted.done.code}.xml",
        "/open311/v2/requests.xml",
    ]
    urls = [route.url(values) for route in PUBLIC_GETS] + extra
    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url  # 302: "sent" goes back to the empty form
        text = _text(response)
        assert not _leaks(text, EVERYTHING), f"{url} shows {_leaks(text, EVERYTHING)}"
    page = client.get(f"/m/{planted.matter.code}/").content.decode()
    assert "长宇社区路灯不亮" in page and "已联系居民" in page  # the problem and its progress are public…
    assert "[" in page  # … with the numbers replaced by their "hidden" marks


@pytest.mark.parametrize("list_kind", ["problems", "tasks", "effects"])
def test_the_public_version_of_each_list_export_hides_everything_planted(
    planted: Planted, list_kind: str, client_as: ClientAs
) -> None:
    out = io.BytesIO()
    export(ListSpec(list_kind=list_kind, public_only=True), "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert len(rows) > 2 and not _leaks(out.getvalue().decode("utf-8-sig"), EVERYTHING)
    # Even for the coordination team, who may see everything, the public version is the public version.
    for fmt in ("csv", "xlsx", "docx"):
        url = f"/matters/lists/download/?list={list_kind}&format={fmt}&public=1"
        assert not _leaks(_text(client_as("coordinator").get(url)), EVERYTHING), url


# --- the back office: who sees what -------------------------------------------------------------------------


def _must_not_see(persona: str, planted: Planted) -> set[str]:
    """The planted values this persona's roles give no need for (the author of a visit sees what they typed)."""
    account, _roles = PERSONAS[persona]
    user = User.objects.get(username=account) if account else None

    def can(cap: Capability) -> bool:
        return user is not None and user_can(user, cap)

    author = persona == FALLBACK
    hidden: set[str] = set()
    if not can(MatterCap.REPORTER_VIEW):
        hidden |= set(MATTER_NUMBERS)
    if not can(OrgCap.PHONE_VIEW):
        hidden.add(PERSON_PHONE)
        if not author:
            hidden |= {VISIT_PHONE, VISIT_ID}
    if not (can(FieldworkCap.VISITS_ALL) or author):
        hidden.add(HOUSEHOLD)
    return hidden


BACK_OFFICE_GETS = [route for route in ROUTES if route.method == "GET" and ANONYMOUS not in route.allowed]
RESTRICTED = ["cadre", "handler", "leader", "assessor", "sysadmin", "secadmin", "auditor", "resident", "no-role"]


@pytest.mark.parametrize("persona", RESTRICTED)
def test_every_back_office_list_detail_and_export_masks_what_the_role_may_not_see(
    persona: str, planted: Planted
) -> None:
    hidden = _must_not_see(persona, planted)
    assert hidden
    client = _client(persona)
    values = planted.world.for_persona(persona)
    # The matter everyone who sees matters may open, and the cadre's household visit for the teams that see visits.
    values = {**values, "own_visit": str(planted.visit.pk)} if persona in ("assessor",) else values
    checked = 0
    for route in BACK_OFFICE_GETS:
        if persona not in route.allowed:
            continue
        url = route.url(values)
        response = client.get(url)
        # A route whose own answer may be "not found" (another unit's breakdown, say) has nothing to leak then.
        found = response.status_code in (200, 302) or (route.missing_ok and response.status_code == 404)
        assert found, f"{url} as {persona}: {response.status_code}"
        leaked = _leaks(_text(response), hidden)
        assert not leaked, f"{route.id} as {persona} shows {leaked}"
        checked += 1
    assert checked or persona in ("resident", "no-role")


def test_roles_with_the_right_do_see_the_numbers_so_the_masking_is_not_blanket(planted: Planted) -> None:
    detail = _client("coordinator").get(f"/matters/{planted.matter.pk}/").content.decode()
    assert REPORTER_PHONE in detail and TYPED_PHONE in detail and ID_NUMBER in detail
    handler = _client("handler").get(f"/matters/{planted.matter.pk}/").content.decode()
    assert "长宇社区路灯不亮" in handler and TYPED_PHONE not in handler and REPORTER_NAME not in handler
    own = _client(FALLBACK).get(f"/fieldwork/visits/{planted.visit.pk}/").content.decode()
    assert VISIT_PHONE in own and HOUSEHOLD in own  # the cadre reads back what they typed
    assessor = _client("assessor").get(f"/fieldwork/visits/{planted.visit.pk}/").content.decode()
    assert HOUSEHOLD in assessor and VISIT_PHONE not in assessor and VISIT_ID not in assessor


def test_notifications_leave_with_the_numbers_masked(planted: Planted) -> None:
    """Inbox messages are also sent to e-mail and chat groups outside the system."""
    note = Notification.objects.filter(title__startswith="来电").latest("id")
    assert not _leaks(note.title + note.body, MATTER_NUMBERS)
    from matters.services import matter_create

    matter, _created = matter_create(actor=None, problem=f"新问题，{TYPED}", channel="hotline")
    raised = Notification.objects.about(matter)
    assert raised and not any(_leaks(n.body, MATTER_NUMBERS) for n in raised)


def test_a_role_without_the_phone_right_can_neither_read_nor_erase_a_phone_on_the_person_form(
    planted: Planted,
) -> None:
    client = _client("sysadmin")
    url = f"/org/people/{planted.person.pk}/edit/"
    form = client.get(url)
    assert "phone" not in form.context["form"].fields and PERSON_PHONE not in form.content.decode()
    data = {"name": planted.person.name, "title": "改了职务", "unit": planted.person.unit_id, "category": "leader"}
    assert client.post(url, data).status_code == 302
    planted.person.refresh_from_db()
    assert (planted.person.title, planted.person.phone) == ("改了职务", PERSON_PHONE)


def test_the_audit_log_shows_its_reader_no_phone_or_id_number(planted: Planted, client_as: ClientAs) -> None:
    from org.services import person_update

    person_update(actor=None, person=planted.person, data={"phone": "13600000005"})  # audited with old and new
    assert AuditEvent.objects.filter(action__startswith="org.person", after__phone="13600000005").exists()
    page = client_as("auditor").get("/audit/").content.decode()
    assert "13600000005" not in page and PERSON_PHONE not in page


# --- every view of a private record is audited ----------------------------------------------------------------


def _events(action: str, target: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(target.pk)).order_by("seq"))


def test_opening_a_matter_with_its_reporter_is_recorded_with_what_was_shown_never_the_values(
    planted: Planted,
) -> None:
    for persona in ("coordinator", "supervisor"):
        assert _client(persona).get(f"/matters/{planted.matter.pk}/").status_code == 200
    events = _events("matters.view_reporter", planted.matter)
    assert [e.actor_name for e in events] == ["coordinator", "supervisor"]
    assert events[0].after == {"fields": ["reporter_name", "reporter_phone"]}
    assert not _leaks(json.dumps([[e.after, e.target_label] for e in events], ensure_ascii=False), EVERYTHING)


def test_the_api_gives_the_reporter_only_in_a_matters_detail_and_records_each_time(planted: Planted) -> None:
    client = _client("coordinator")
    listing = client.get("/api/v1/matters/", {"page_size": 1000})
    assert not _leaks(_text(listing), (REPORTER_NAME, REPORTER_PHONE))
    assert not _events("matters.view_reporter", planted.matter)
    detail = client.get(f"/api/v1/matters/{planted.matter.pk}/").json()
    assert (detail["reporter_name"], detail["reporter_phone"]) == (REPORTER_NAME, REPORTER_PHONE)
    assert [e.actor_name for e in _events("matters.view_reporter", planted.matter)] == ["coordinator"]


def test_a_role_that_does_not_see_the_reporter_leaves_no_view_event(planted: Planted) -> None:
    for persona in ("handler", "leader", "assessor", "cadre"):
        assert _client(persona).get(f"/matters/{planted.matter.pk}/").status_code == 200
        _client(persona).get(f"/api/v1/matters/{planted.matter.pk}/")
    assert not _events("matters.view_reporter", planted.matter)


def test_opening_someone_elses_household_visit_is_recorded_on_the_page_and_through_the_api(
    planted: Planted,
) -> None:
    _client(FALLBACK).get(f"/fieldwork/visits/{planted.visit.pk}/")  # its author: nothing to record
    _client(FALLBACK).get(f"/api/v1/visits/{planted.visit.pk}/")
    assert not _events("fieldwork.view_visit", planted.visit)
    _client("coordinator").get(f"/fieldwork/visits/{planted.visit.pk}/")
    _client("assessor").get(f"/api/v1/visits/{planted.visit.pk}/")
    _client("supervisor").get("/api/v1/visits/", {"page_size": 1000})
    events = _events("fieldwork.view_visit", planted.visit)
    assert [e.actor_name for e in events] == ["coordinator", "assessor"]
    assert events[0].after == {"fields": ["notes", "photos", "place_detail"]}
    # A list (here a page of the API) writes one event naming every visit it showed (tests/security/test_list_audit.py).
    listed = AuditEvent.objects.get(action="fieldwork.view_visits")
    assert listed.actor_name == "supervisor" and planted.visit.pk in (listed.after or {})["ids"]
    assert not _leaks(json.dumps([e.after for e in [*events, listed]], ensure_ascii=False), EVERYTHING)


def test_reading_a_persons_phone_is_recorded_whether_revealed_or_shown_on_the_edit_form(planted: Planted) -> None:
    client = _client("coordinator")
    detail = client.get(f"/org/people/{planted.person.pk}/").content.decode()
    assert PERSON_PHONE not in detail  # hidden until asked for
    assert not _events("org.person.view_phone", planted.person)
    assert PERSON_PHONE in client.post(f"/org/people/{planted.person.pk}/phone/").content.decode()
    assert PERSON_PHONE in client.get(f"/org/people/{planted.person.pk}/edit/").content.decode()
    assert len(_events("org.person.view_phone", planted.person)) == 2


# --- log lines ------------------------------------------------------------------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text}")


@pytest.fixture
def captured_logs() -> Iterator[_Capture]:
    """Every log record at DEBUG (LOG_LEVEL=DEBUG: the root logger), before any filter of the project's handlers.

    Loggers the settings pin to a level of their own (django.template) keep it, as they would in production.
    """
    root = logging.getLogger()
    handler, level = _Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _exercise(planted: Planted, settings: Any) -> list[Response]:
    """Use the site as the public, a client system, the API and the back office would, with personal data."""
    from open311.services import api_key_create

    settings.SMS_BACKEND = "portal.sms.ConsoleBackend"
    settings.NOTIFY_CHANNELS = ["email"]
    responses: list[Response] = []
    public = Client()
    values = planted.world.for_persona(ANONYMOUS)
    responses += [public.get(route.url(values)) for route in PUBLIC_GETS]
    responses.append(public.get("/report/similar/", {"description": f"路灯坏了，{TYPED}"}))
    raise_form = {
        "category": Category.objects.get(code="roads").pk,
        "description": f"赵罗路路面破损，{TYPED}",
        "place": "赵罗路",
        "name": REPORTER_NAME,
        "phone": REPORTER_PHONE,
        "consent": "on",
        "token": uuid.uuid4().hex,
    }
    responses.append(public.post("/report/", raise_form))
    responses.append(public.post(f"/m/{planted.done.code}/rate/code/", {"ask-phone": REPORTER_PHONE}))
    _key, secret = api_key_create(actor=None, name="privacy")
    open311 = {
        "api_key": secret,
        "service_code": "facilities",
        "description": f"楼下路灯不亮，{TYPED}",
        "lat": "30.1",
        "long": "114.6",
        "first_name": "秘名",
        "last_name": "欧阳",
        "phone": REPORTER_PHONE,
        "email": "secret-resident@example.org",
    }
    responses.append(public.post("/open311/v2/requests.json", open311))
    coordinator, cadre = _client("coordinator"), _client(FALLBACK)
    matter = {"problem": f"接到来电，{TYPED}", "kind": "livelihood", "reporter_name": REPORTER_NAME}
    responses.append(
        coordinator.post("/api/v1/matters/", {**matter, "reporter_phone": REPORTER_PHONE}, "application/json")
    )
    visit = {
        "date": "2022-06-14",
        "hours": "1.5",
        "kind": "household",
        "place_kind": "household",
        "place_detail": f"长宇新城5栋 {HOUSEHOLD}家",
        "notes": f"电话{VISIT_PHONE}，身份证{VISIT_ID}",
    }
    responses.append(cadre.post("/api/v1/visits/", visit, "application/json"))
    responses.append(coordinator.post(f"/org/people/{planted.person.pk}/phone/"))
    coordinator_values = planted.world.for_persona("coordinator")
    for route in BACK_OFFICE_GETS:
        if "coordinator" in route.allowed:
            response = coordinator.get(route.url({**coordinator_values, "own_visit": str(planted.visit.pk)}))
            if response.streaming:
                response.getvalue()  # read to its end: the test client closes the download
            responses.append(response)
    responses.append(coordinator.get("/org/people/", {"q": REPORTER_NAME}))
    responses.append(coordinator.get("/matters/", {"q": TYPED_PHONE}))
    from notifications.delivery import deliver_pending

    deliver_pending()
    return responses


def test_no_log_line_carries_planted_personal_data(
    planted: Planted, captured_logs: _Capture, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = _exercise(planted, settings)
    assert all(response.status_code < 500 for response in responses)
    assert captured_logs.lines, "the exercise logs something (an SMS sent, an e-mail delivered, a 404)"
    for line in captured_logs.lines:
        assert not _leaks(line, (*EVERYTHING, "secret-resident@example.org")), line
    out = capsys.readouterr()
    assert "[SMS to " in out.out  # the development backend prints the code to type in …
    assert not _leaks(out.out + out.err, EVERYTHING)  # … and the server's output, which its log keeps, no number


def _access_line(response: Response, log_format: str) -> str:
    """The line gunicorn would write to its access log for this request, in this format."""
    from datetime import timedelta

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    logger = Logger(Config())
    environ = dict(response.wsgi_request.environ)
    query = environ.get("QUERY_STRING", "")
    environ.setdefault("RAW_URI", environ["PATH_INFO"] + (f"?{query}" if query else ""))
    environ.setdefault("HTTP_REFERER", "http://testserver" + environ["RAW_URI"])  # a page that links onwards
    resp = SimpleNamespace(status=f"{response.status_code} OK", sent=len(response.content or b""), headers=[])
    req = SimpleNamespace(headers=[(k[5:].replace("_", "-"), v) for k, v in environ.items() if k.startswith("HTTP_")])
    atoms = logger.atoms_wrapper_class(logger.atoms(resp, req, environ, timedelta(milliseconds=12)))
    return log_format % atoms


def _gunicorn_access_format() -> str:
    from pathlib import Path

    namespace: dict[str, Any] = {}
    source = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    exec(compile(source.read_text("utf-8"), str(source), "exec"), namespace)  # noqa: S102  # our own config file
    return str(namespace["access_log_format"])


def test_gunicorns_access_log_keeps_no_query_string_or_referrer_that_carries_personal_data(
    planted: Planted, settings: Any
) -> None:
    from gunicorn.config import Config

    searches = [
        Client().get("/report/similar/", {"description": f"路灯坏了，{TYPED}"}),
        _client("coordinator").get("/org/people/", {"q": REPORTER_NAME}),
        _client("coordinator").get("/matters/", {"q": TYPED_PHONE}),
    ]
    ours = _gunicorn_access_format()
    lines = [_access_line(response, ours) for response in searches]
    assert all('"GET /' in line and " 200 " in line for line in lines), lines
    assert not any(_leaks(line, EVERYTHING) for line in lines), lines
    # gunicorn's default format would have logged them: this is why the project ships its own.
    default = Config().access_log_format
    assert any(_leaks(_access_line(response, default), EVERYTHING) for response in searches)
