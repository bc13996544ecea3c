"""Hypothesis against every public form and the back office's forms, through the test client.

Each form gets plausible values, nasty ones (NUL, control characters, markup, SQL, odd digits, huge strings,
wrong types), repeated and missing fields, and uploads that are not what they claim. Whatever comes in:
no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed, never escaped),
but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from core.privacy import redact
from core.text import clean_line, clean_text
from fieldwork.models import Registration, RegistrationReport, Visit
from matters.forms import ACTION_FORMS
from matters.kinds import LIVELIHOOD
from matters.models import Category, Extension, Matter, Transition
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in
from matters.workflow import TRANSITIONS, Action, Status
from open311.services import api_key_create
from org.models import ContactPoint, Person, Unit, UnitKind
from portal import sms
from portal.models import Rating
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    fuzzed,
    last,
    nasty_text,
    plain_text,
    rolled_back,
    row_counts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]

EXAMPLES = 50
PASSWORD = "demo-pass-2026"
# Refused logins are counted and audited on purpose: the lockout.
LOGIN_RECORDS = frozenset({"AccountLock", "LoginBlock", "AuditEvent"})
ASCII_PHONE = re.compile(r"^[0-9-]*$")
# A page that shows personal data (a reporter, a household) records the read.
READ_RECORDS = frozenset({"AuditEvent"})


# --- values ----------------------------------------------------------------------------------------------


def _image(fmt: str, size: tuple[int, int] = (8, 6), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(out, format=fmt)
    return out.getvalue()


PNG, JPEG, WEBP, GIF = _image("PNG"), _image("JPEG"), _image("WEBP"), _image("GIF", mode="P")
# A 1-bit image of 12,000 × 12,000 pixels: a few kilobytes that decode to 144 megapixels.
BOMB = _image("PNG", (12_000, 12_000), mode="1")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UPLOADS: list[tuple[str, bytes]] = [
    ("photo.png", PNG),
    ("photo.jpg", JPEG),
    ("photo.webp", WEBP),
    ("photo.gif", GIF),
    ("photo.jpg", PNG),  # a PNG named .jpg: judged by its content
    ("photo.png", PNG[:60]),  # truncated
    ("photo.jpg", JPEG[: len(JPEG) // 2]),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the signature and nothing else
    ("bomb.png", BOMB),
    ("scan.pdf", PDF),
    ("scan.pdf", PDF[:20]),
    ("empty.jpg", b""),
    ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ("名字 😀 <b>.png", PNG),
    ("../../etc/passwd", PNG),
    ("x" * 300 + ".png", PNG),
]


def uploads() -> st.SearchStrategy[SimpleUploadedFile]:
    named = st.sampled_from(UPLOADS)
    random = st.tuples(st.sampled_from(["a.jpg", "a.png", "a.pdf", "a"]), st.binary(max_size=300))
    return st.one_of(named, random).map(
        lambda item: SimpleUploadedFile(item[0], item[1], content_type="application/octet-stream")
    )


def phones() -> st.SearchStrategy[str]:
    mobile = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    return st.one_of(
        mobile,
        mobile.map(lambda p: f"+86 {p[:3]} {p[3:7]} {p[7:]}"),
        st.from_regex(r"0[0-9]{2,3}-[0-9]{7,8}", fullmatch=True),
        st.sampled_from(["１３９１２３４５６７８", "1٣٩١٢٣٤٥٦٧٨", "13912345678\n", "139 1234 5678 9"]),
    )


def optional_box() -> st.SearchStrategy[str]:
    return st.sampled_from(["on", "", "off", "1", "true"])


def _digits(value: str) -> str:
    return re.sub(r"\s", "", value)


# --- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture
def outbox() -> Iterator[list[tuple[str, str]]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _login(username: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _assert_answered(response: Any, context: Any = "") -> None:
    assert response.status_code < 500, f"{response.status_code} for {context!r}"


# --- portal: raise a problem -----------------------------------------------------------------------------


def test_raising_a_problem_stores_valid_reports_exactly_and_nothing_else() -> None:
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)]
    fields = {
        "category": st.sampled_from(categories),
        "description": plain_text(min_size=10, max_size=2000),
        "place": plain_text(min_size=1, max_size=200),
        "latitude": st.decimals(-90, 90, places=6).map(str),
        "longitude": st.decimals(-180, 180, places=6).map(str),
        "name": plain_text(max_size=60),
        "phone": phones(),
        "consent": optional_box(),
        "is_public": optional_box(),
        "token": st.uuids().map(lambda u: u.hex),
    }
    client = Client()

    @fuzz_settings(EXAMPLES * 2)
    @given(data=fuzzed(fields), photo=st.none() | uploads() | st.lists(uploads(), min_size=2, max_size=3))
    def run(data: dict[str, Any], photo: Any) -> None:
        stored = False
        payload = {**data, **({"photo": photo} if photo is not None else {})}
        with rolled_back():
            before = row_counts()
            response = client.post("/report/", payload)
            _assert_answered(response, data)
            if response.status_code == 302:
                matter = Matter.objects.get(idempotency_key=f"portal:{last(data['token']).strip()}")
                assert matter.problem == clean_text(last(data["description"]).strip())
                assert matter.location == clean_line(last(data["place"]).strip())
                assert matter.reporter_name == clean_line(" ".join(last(data.get("name", "")).split()))
                assert matter.reporter_phone == _digits(last(data.get("phone", "")))
                assert ASCII_PHONE.match(matter.reporter_phone), matter.reporter_phone
                stored = True
            else:
                assert response.status_code in (200, 400), response.status_code
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:raise", stored=stored)

    run()


def test_tracking_codes_and_suggestions_answer_whatever_is_typed() -> None:
    tracking_code = matter_in(Status.ASSIGNED).tracking_code or ""
    code = st.one_of(st.just(tracking_code), st.just(tracking_code.lower()), nasty_text())
    client = Client()

    @fuzz_settings(EXAMPLES)
    @given(code=code, path_code=code, description=nasty_text())
    def run(code: str, path_code: str, description: str) -> None:
        with rolled_back():
            before = row_counts()
            for response in (
                client.get("/track/", {"code": code}),
                client.get(f"/track/{quote(path_code, safe='')}/"),
                client.get("/report/similar/", {"description": description}),
            ):
                _assert_answered(response, (code, path_code, description))
            assert_unchanged(before)
        count_case("forms:track")

    run()


# --- portal: endorse, ask for a code, rate ---------------------------------------------------------------


def test_anonymous_support_counts_once_whatever_the_cookie_and_refusals_store_nothing() -> None:
    open_matter = matter_in(Status.ASSIGNED)
    finished = matter_in(Status.COMPLETED)
    codes = st.one_of(st.sampled_from([open_matter.code, finished.code]), nasty_text())
    cookie = st.one_of(st.just("a" * 40), st.text(alphabet="abcXYZ019_-", min_size=30, max_size=70), nasty_text())

    @fuzz_settings(EXAMPLES)
    @given(code=codes, cookie=st.none() | cookie, htmx=st.booleans())
    def run(code: str, cookie: str | None, htmx: bool) -> None:
        client = Client()
        if cookie is not None:
            # A WSGI server hands Django the header's bytes decoded as Latin-1: do the same with the UTF-8 bytes.
            client.cookies["mq_client"] = cookie.encode("utf-8", "surrogatepass").decode("latin-1")
        headers = {"HX-Request": "true"} if htmx else {}
        with rolled_back():
            before = row_counts()
            response = client.post(f"/m/{quote(code, safe='')}/endorse/", headers=headers)
            _assert_answered(response, (code, cookie))
            if not (response.status_code in (200, 302) and row_counts()["Endorsement"] == before["Endorsement"] + 1):
                assert_unchanged(before, context=repr((code, cookie)))
        count_case("forms:endorse")

    run()


def test_asking_for_a_rating_code_sends_one_only_to_a_valid_phone(outbox: list[tuple[str, str]]) -> None:
    matter = matter_in(Status.COMPLETED)
    open_matter = matter_in(Status.ASSIGNED)
    codes = st.sampled_from([matter.code, open_matter.code]) | nasty_text()

    @fuzz_settings(EXAMPLES)
    @given(code=codes, phone=st.one_of(phones(), nasty_text(), st.lists(phones(), min_size=2, max_size=2)))
    def run(code: str, phone: Any) -> None:
        sent = len(outbox)
        with rolled_back():
            before = row_counts()
            response = Client().post(f"/m/{quote(code, safe='')}/rate/code/", {"ask-phone": phone})
            _assert_answered(response, phone)
            if len(outbox) > sent:
                assert response.status_code == 200
                assert ASCII_PHONE.match(outbox[-1][0]), outbox[-1][0]
            else:
                assert_unchanged(before, context=repr(phone))
        count_case("forms:rate_code")

    run()


def test_rating_needs_the_code_and_keeps_the_comment_as_typed(outbox: list[tuple[str, str]]) -> None:
    matter = matter_in(Status.COMPLETED)
    fields = {
        "rate-phone": phones(),
        "rate-value": st.sampled_from(["satisfied", "basically", "dissatisfied"]),
        "rate-comment": plain_text(max_size=500),
    }

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields), real_code=st.booleans(), code=nasty_text())
    def run(data: dict[str, Any], real_code: bool, code: str) -> None:
        stored = False
        client = Client()
        with rolled_back():
            phone = last(data.get("rate-phone", ""))
            if real_code and isinstance(phone, str):
                client.post(f"/m/{matter.code}/rate/code/", {"ask-phone": phone})
                found = re.search(r"\b([0-9]{6})\b", outbox[-1][1]) if outbox else None
                code = found.group(1) if found else code
            before = row_counts()
            response = client.post(f"/m/{matter.code}/rate/", {**data, "rate-code": code})
            _assert_answered(response, data)
            if response.status_code == 302:
                rating = Rating.objects.get(matter=matter)
                assert rating.comment == redact(last(data.get("rate-comment", "")).strip())
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
            outbox.clear()
        count_case("forms:rate", stored=stored)

    run()


def test_endorsing_with_a_phone_needs_its_code_and_stores_one_endorsement(outbox: list[tuple[str, str]]) -> None:
    matter = matter_in(Status.ASSIGNED)
    fields = {"endorse-phone": phones(), "endorse-code": st.from_regex(r"\A[0-9]{6}\Z")}

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields), real_code=st.booleans())
    def run(data: dict[str, Any], real_code: bool) -> None:
        stored = False
        client = Client()
        with rolled_back():
            phone = last(data.get("endorse-phone", ""))
            if real_code and isinstance(phone, str):
                client.post(f"/m/{matter.code}/endorse/code/", {"ask-phone": phone})
                found = re.search(r"\b([0-9]{6})\b", outbox[-1][1]) if outbox else None
                if found:
                    data = {**data, "endorse-code": found.group(1)}
            before = row_counts()
            response = client.post(f"/m/{matter.code}/endorse/phone/", data)
            _assert_answered(response, data)
            if response.status_code == 302:
                assert row_counts()["Endorsement"] == before["Endorsement"] + 1
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
            outbox.clear()
        count_case("forms:endorse_phone", stored=stored)

    run()


@pytest.mark.parametrize("path", ["/report/", "endorse", "code", "rate"])
def test_the_portal_throttle_answers_429_not_a_server_error(path: str, outbox: list[tuple[str, str]]) -> None:
    matter = matter_in(Status.ASSIGNED if path == "endorse" else Status.COMPLETED)
    target = {
        "/report/": "/report/",
        "endorse": f"/m/{matter.code}/endorse/",
        "code": f"/m/{matter.code}/rate/code/",
        "rate": f"/m/{matter.code}/rate/",
    }[path]
    category = Category.objects.first()
    assert category is not None
    statuses = []
    with override_settings(PORTAL_SUBMIT_LIMIT=2, PORTAL_ACTION_LIMIT=2):
        for n in range(4):
            data = {
                "category": category.pk,
                "description": "路灯不亮已有一周，晚上出行不便。",
                "place": "长宇社区",
                "token": uuid.uuid4().hex,
                "ask-phone": f"1391234567{n}",
                "rate-phone": f"1391234567{n}",
                "rate-code": "123456",
                "rate-value": "satisfied",
            }
            client = Client()
            client.cookies["mq_client"] = f"{n}" * 40
            statuses.append(client.post(target, data).status_code)
    assert statuses[-1] == 429, statuses
    assert all(status < 500 for status in statuses), statuses


# --- login -----------------------------------------------------------------------------------------------


def test_login_refuses_anything_but_the_right_password_and_only_redirects_home() -> None:
    usernames = st.sampled_from(["cadre", "coordinator", "CADRE", " cadre ", "nobody"])
    passwords = st.sampled_from([PASSWORD, PASSWORD.upper(), PASSWORD + " ", "wrong"])
    targets = st.sampled_from(["", "/matters/", "//evil.example/", "https://evil.example/", "javascript:alert(1)"])

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed({"username": usernames, "password": passwords, "next": targets}))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = Client().post("/login/", data)
            _assert_answered(response, data)
            if response.status_code == 302:
                assert last(data["password"]) == PASSWORD
                location = response["Location"]
                assert location.startswith("/") and not location.startswith("//"), location
                stored = True
            else:
                assert_unchanged(before, allowed=LOGIN_RECORDS, context=repr(data)[:300])
        count_case("forms:login", stored=stored)

    run()


# --- Open311 ---------------------------------------------------------------------------------------------


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text())
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner))


def test_open311_requests_store_valid_ones_exactly_and_refuse_the_rest() -> None:
    _key, secret = api_key_create(actor=None, name="fuzz")
    codes = list(Category.objects.values_list("code", flat=True))
    fields = {
        "api_key": st.just(secret),
        "service_code": st.sampled_from(codes),
        "lat": st.decimals(-90, 90, places=6).map(str),
        "long": st.decimals(-180, 180, places=6).map(str),
        "address_string": plain_text(max_size=200),
        "description": plain_text(min_size=1, max_size=2000),
        "first_name": plain_text(max_size=30),
        "last_name": plain_text(max_size=30),
        "phone": phones(),
        "email": st.sampled_from(["a@example.org", "王@例子.中国", "not-an-email"]),
        "media_url": st.sampled_from(["https://example.org/a.jpg", "example.org/a.jpg", "ftp://x"]),
    }
    client = Client()

    @fuzz_settings(EXAMPLES * 2)
    @given(
        data=fuzzed(fields),
        fmt=st.sampled_from(["json", "xml", "csv"]),
        encoding=st.sampled_from(["form", "json", "raw-json"]),
        extra=st.dictionaries(st.text(max_size=10), _json_values(), max_size=2),
        raw=st.sampled_from(['{"description": "\\ud800"}', "[1, 2]", "{", '"text"', '{"a": NaN}', "[" * 5000]),
    )
    def run(data: dict[str, Any], fmt: str, encoding: str, extra: dict[str, Any], raw: str) -> None:
        stored = False
        path = f"/open311/v2/requests.{fmt}"
        with rolled_back():
            before = row_counts()
            if encoding == "form":
                response = client.post(path, data)
            elif encoding == "json":
                body = json.dumps({**extra, **{k: last(v) for k, v in data.items()}})
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.post(path, raw, content_type="application/json")
            _assert_answered(response, data)
            if response.status_code == 200 and row_counts()["Matter"] == before["Matter"] + 1:
                matter = Matter.objects.latest("pk")
                assert matter.problem == clean_text(last(data["description"]).strip())
                assert matter.location == clean_line(last(data.get("address_string", "")).strip())
                assert ASCII_PHONE.match(matter.reporter_phone), matter.reporter_phone
                stored = True
            else:
                assert_unchanged(before, allowed=frozenset({"ApiKey"}), context=repr(data)[:300])
        count_case("forms:open311", stored=stored)

    run()


def test_open311_searches_answer_whatever_the_parameters() -> None:
    params = {
        "service_request_id": st.sampled_from(["1", "1,2,3", ",,,", "x" * 60]),
        "service_code": st.sampled_from(["roads", "roads,facilities", "nope"]),
        "start_date": st.sampled_from(["2022-06-01", "2022-06-01T09:00:00+08:00", "0001-01-01", "9999-12-31T23:59"]),
        "end_date": st.sampled_from(["2022-12-31", "2022-06-01T09:00:00Z"]),
        "status": st.sampled_from(["open", "closed", "open,closed", "OPEN"]),
    }
    client = Client()

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(params), fmt=st.sampled_from(["json", "xml"]), request_id=nasty_text())
    def run(data: dict[str, Any], fmt: str, request_id: str) -> None:
        with rolled_back():
            before = row_counts()
            for response in (
                client.get(f"/open311/v2/requests.{fmt}", data),
                client.get(f"/open311/v2/requests/{quote(request_id, safe='')}.{fmt}"),
                client.get(f"/open311/v2/services/{quote(request_id, safe='')}.{fmt}"),
            ):
                _assert_answered(response, data)
            assert_unchanged(before)
        count_case("forms:open311_search")

    run()


# --- back office: matters --------------------------------------------------------------------------------


def test_registering_a_matter_stores_it_as_typed_or_not_at_all() -> None:
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)]
    fields = {
        "kind": st.just(LIVELIHOOD),
        "category": st.sampled_from(["", *categories]),
        "channel": st.sampled_from(["visit", "hotline", "meeting", "petition", "portal"]),
        "problem": plain_text(min_size=1, max_size=5000),
        "location": plain_text(max_size=200),
        "reporter_name": plain_text(max_size=60),
        "reporter_phone": st.one_of(st.just(""), phones()),
        "is_public": optional_box(),
    }
    client = _login("coordinator")

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = client.post("/matters/new/", data)
            _assert_answered(response, data)
            if response.status_code == 302:
                matter = Matter.objects.latest("pk")
                assert matter.problem == clean_text(last(data["problem"]).strip())
                assert matter.location == clean_line(last(data.get("location", "")).strip())
                assert matter.reporter_name == clean_line(last(data.get("reporter_name", "")).strip())
                assert ASCII_PHONE.match(matter.reporter_phone), matter.reporter_phone
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:matter_create", stored=stored)

    run()


# Who takes each action in the back office, and on which matter.
ACTORS = {
    Action.ACCEPT: "coordinator",
    Action.DECLINE: "coordinator",
    Action.MERGE: "coordinator",
    Action.ASSIGN: "coordinator",
    Action.START: "handler",
    Action.PROGRESS: "handler",
    Action.COMPLETE: "handler",
    Action.VERIFY: "leader",
    Action.RETURN: "leader",
    Action.CLOSE: "coordinator",
}
ACTION_TEXT = {"reason", "task", "text", "effect"}


def test_workflow_forms_record_what_was_typed_or_nothing() -> None:
    matters = {status: matter_in(status) for status in Status}
    people = [str(pk) for pk in Person.objects.values_list("pk", flat=True)[:5]]
    units = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("pk", flat=True)[:4]]
    clients = {username: _login(username) for username in set(ACTORS.values())}
    values = {
        "expected_status": st.sampled_from(["", "", *Status.values]),
        "reason": plain_text(max_size=2000),
        "into": st.sampled_from([m.code for m in matters.values()]),
        "task": plain_text(min_size=1, max_size=5000),
        "deadline": (st.dates(dt.date(2022, 6, 1), dt.date(2023, 12, 31)) | st.dates()).map(str),
        "deadline_precision": st.sampled_from(["day", "month"]),
        "leads": st.lists(st.sampled_from(people), max_size=2),
        "units": st.lists(st.sampled_from(units), min_size=1, max_size=2),
        "all_communities": optional_box(),
        "budget_yuan": st.decimals(0, 10**13, places=2).map(str),
        "percent": st.integers(-5, 105).map(str),
        "text": plain_text(min_size=1, max_size=5000),
        "evidence": st.lists(uploads(), max_size=2),
        "effect": plain_text(min_size=1, max_size=5000),
        "satisfaction": st.sampled_from(["", "satisfied", "basically", "dissatisfied"]),
    }

    @fuzz_settings(EXAMPLES * 2)
    @given(action=st.sampled_from(list(Action)), data=fuzzed(values), htmx=st.booleans(), draw=st.data())
    def run(action: Action, data: dict[str, Any], htmx: bool, draw: st.DataObject) -> None:
        # Mostly a matter the action applies to, sometimes any.
        status = draw.draw(st.sampled_from(sorted(TRANSITIONS[action].sources)) | st.sampled_from(list(Status)))
        stored = False
        matter = matters[status]
        wanted = set(ACTION_FORMS[action].base_fields) | {"evidence"}
        sent = {f"{action.value}-{name}": value for name, value in data.items() if name in wanted}
        with rolled_back():
            before = row_counts()
            response = clients[ACTORS[action]].post(
                f"/matters/{matter.pk}/act/{action.value}/", sent, headers={"HX-Request": "true"} if htmx else {}
            )
            _assert_answered(response, sent)
            if row_counts()["Transition"] == before["Transition"] + 1:
                transition = Transition.objects.filter(matter=matter).latest("pk")
                assert transition.reason == clean_text(last(sent.get(f"{action.value}-reason", "")).strip())
                matter.refresh_from_db()
                for name in ACTION_TEXT - {"reason"}:
                    if f"{action.value}-{name}" in sent:
                        kept = matter.reports.latest("pk").text if name == "text" else getattr(matter, name)
                        assert kept == clean_text(last(sent[f"{action.value}-{name}"]).strip()), name
                stored = True
            else:
                assert_unchanged(before, context=repr(sent)[:300])
        count_case("forms:matter_actions", stored=stored)

    run()


def test_bulk_assignment_and_extensions_refuse_bad_input_without_a_trace() -> None:
    accepted = [matter_in(Status.ACCEPTED, problem=f"待交办问题{n}") for n in range(2)]
    # Assigned with a deadline still ahead: an extension may be asked for.
    assigned = matter_transition(
        matter=matter_in(Status.ACCEPTED, problem="赵罗路破损"),
        action="assign",
        actor=None,
        **{**assign_fields(), "deadline": dt.date(2023, 3, 31)},
    )
    units = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("pk", flat=True)[:3]]
    ids = st.lists(st.sampled_from([str(m.pk) for m in accepted]) | nasty_text(), max_size=3)
    bulk = {
        "ids": ids,
        "deadline": st.dates().map(str),
        "deadline_precision": st.sampled_from(["day", "month"]),
        "units": st.lists(st.sampled_from(units), min_size=1, max_size=2),
        "all_communities": optional_box(),
        "next": st.sampled_from(["/matters/", "//evil.example/", "https://evil.example/"]),
    }
    extension = {
        "new_deadline": (st.dates(dt.date(2022, 12, 1), dt.date(2023, 12, 31)) | st.dates()).map(str),
        "reason": plain_text(min_size=1, max_size=2000),
    }
    coordinator, handler = _login("coordinator"), _login("handler")

    @fuzz_settings(EXAMPLES)
    @given(bulk_data=fuzzed(bulk), extension_data=fuzzed(extension))
    def run(bulk_data: dict[str, Any], extension_data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = coordinator.post("/matters/bulk-assign/", bulk_data)
            _assert_answered(response, bulk_data)
            location = response["Location"]
            assert location.startswith("/matters/"), location
            if row_counts()["Transition"] == before["Transition"]:
                assert_unchanged(before, context=repr(bulk_data)[:300])
        with rolled_back():
            before = row_counts()
            response = handler.post(f"/matters/{assigned.pk}/extension/", extension_data)
            _assert_answered(response, extension_data)
            if row_counts()["Extension"] == before["Extension"] + 1:
                extension = Extension.objects.latest("pk")
                assert extension.reason == clean_text(last(extension_data["reason"]).strip())
                stored = True
            else:
                assert_unchanged(before, context=repr(extension_data)[:300])
        count_case("forms:bulk_and_extension", stored=stored)

    run()


# --- back office: field work -----------------------------------------------------------------------------


def test_logging_a_visit_keeps_its_text_as_typed_or_stores_nothing() -> None:
    cadre = _login("cadre")
    person = Person.objects.get(user__username="cadre")
    communities = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True)[:3]]
    points = [str(pk) for pk in ContactPoint.objects.values_list("pk", flat=True)[:3]]
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)[:3]]
    fields = {
        "date": (st.dates(dt.date(2022, 5, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "start_time": st.just("") | st.times().map(lambda t: t.strftime("%H:%M")),
        "end_time": st.just("") | st.times().map(lambda t: t.strftime("%H:%M")),
        "hours": (st.decimals("0.5", 8, places=1) | st.decimals(0, 30, places=1)).map(str),
        "kind": st.sampled_from(["site_visit", "household", "policy_talk"]),
        "place_kind": st.sampled_from(["community", "household", "contact_point", "other"]),
        "community": st.sampled_from(communities),
        "contact_point": st.sampled_from(points or ["1"]),
        "place_detail": plain_text(max_size=200),
        "participants": (st.integers(0, 50) | st.integers(-1, 200_000)).map(str),
        "notes": plain_text(max_size=5000),
        "photos": st.lists(uploads(), max_size=2),
        "problem_1": plain_text(max_size=300),
        "category_1": st.sampled_from(["", *categories]),
    }

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = cadre.post("/fieldwork/visits/new/", data)
            _assert_answered(response, data)
            if response.status_code == 302:
                visit = Visit.objects.filter(person=person).latest("pk")
                assert visit.notes == clean_text(last(data.get("notes", "")).strip())
                if visit.place_detail:
                    assert visit.place_detail == clean_line(last(data["place_detail"]).strip())
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:visit", stored=stored)

    run()


def test_dual_registration_and_its_reports_refuse_bad_input_without_a_trace() -> None:
    cadre = _login("cadre")
    communities = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True)[:3]]
    fields = {
        "form": st.sampled_from(["register", "report"]),
        "reg-community": st.sampled_from(communities),
        "reg-registered_on": (st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "rep-period_start": (st.dates(dt.date(2022, 1, 1), dt.date(2022, 6, 30)) | st.dates()).map(str),
        "rep-period_end": (st.dates(dt.date(2022, 7, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "rep-text": plain_text(min_size=1, max_size=5000),
    }

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields), registered=st.booleans())
    def run(data: dict[str, Any], registered: bool) -> None:
        stored = False
        with rolled_back():
            if registered:
                cadre.post("/fieldwork/registration/", {"form": "register", "reg-community": communities[0]})
            before = row_counts()
            response = cadre.post("/fieldwork/registration/", data)
            _assert_answered(response, data)
            if row_counts()["RegistrationReport"] == before["RegistrationReport"] + 1:
                report = RegistrationReport.objects.latest("pk")
                assert report.text == clean_text(last(data["rep-text"]).strip())
                stored = True
            elif row_counts()["Registration"] == before["Registration"] + 1 or (
                response.status_code == 302 and Registration.objects.exists()
            ):
                stored = True  # registered, or moved to another community: nothing typed to compare
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:registration", stored=stored)

    run()


# --- back office: the filters of lists and pages (GET forms) ---------------------------------------------


QUERIES: dict[str, list[str]] = {
    "/matters/": ["tab", "status", "kind", "unit", "community", "lead", "month", "overdue", "needs_lead", "q", "page"],
    "/matters/lists/": ["list", "month", "unit", "community", "public", "page"],
    "/matters/lists/download/": ["list", "month", "unit", "format"],
    "/matters/figures/": ["month", "from", "to"],
    "/fieldwork/visits/": ["person", "kind", "unit", "week", "from", "to", "mine", "page"],
    "/fieldwork/registrations/": ["community"],
    "/fieldwork/duties/": ["week", "unit", "category"],
    "/fieldwork/my-week/": ["week"],
    "/fieldwork/report/": ["person", "start", "end", "format"],
    "/org/people/": ["unit", "q", "category", "page"],
    "/org/units/": ["kind", "q"],
    "/audit/": ["action", "actor", "target_type", "target_id", "page"],
}


def test_back_office_filters_answer_whatever_the_query() -> None:
    coordinator, auditor = _login("coordinator"), _login("auditor")
    biggest = Matter.objects.aggregate(top=Max("pk"))["top"] or 1
    value = st.one_of(
        st.sampled_from(["1", "2", str(biggest), "2022-06", "2022-W26", "2022-06-01", "csv", "xlsx", "on"]),
        st.sampled_from(["²", "𐩀", "١٢", "99999999999999999999999", "-1", "2022-²", "2022-W99", "9999-12", "\x00"]),
        nasty_text(),
    )

    @fuzz_settings(EXAMPLES * 2)
    @given(path=st.sampled_from(sorted(QUERIES)), data=st.data())
    def run(path: str, data: st.DataObject) -> None:
        params = data.draw(st.dictionaries(st.sampled_from(QUERIES[path]), value, max_size=4))
        query = urlencode(params)
        with rolled_back():
            before = row_counts()
            response = (auditor if path == "/audit/" else coordinator).get(f"{path}?{query}")
            _assert_answered(response, (path, params))
            assert_unchanged(before, allowed=READ_RECORDS if response.status_code == 200 else frozenset())
        count_case("forms:back_office_queries")

    run()


# The values that crash code which trusts str.isdigit(), a column's size or PostgreSQL's text (NUL): each is sent in
# every parameter of every page, so that none is left to chance.
PAGE_SWEEP = ["\x00", "²", "9" * 25, "字" * 3000]


# The public pages' parameters, for anyone.
PUBLIC_QUERIES: dict[str, list[str]] = {
    "/lists/tasks/": ["status", "kind", "unit", "community", "month", "overdue", "q", "category", "redo", "page"],
    "/track/": ["code"],
    "/report/similar/": ["description"],
    "/open311/v2/requests.json": ["service_request_id", "service_code", "start_date", "end_date", "status"],
}


def test_every_filter_of_every_page_answers_the_values_that_crash_naive_parsing() -> None:
    coordinator, auditor, anyone = _login("coordinator"), _login("auditor"), Client()
    for path, names in [*QUERIES.items(), *PUBLIC_QUERIES.items()]:
        client = auditor if path == "/audit/" else anyone if path in PUBLIC_QUERIES else coordinator
        for name in names:
            for value in PAGE_SWEEP:
                with rolled_back():
                    before = row_counts()
                    response = client.get(path, {name: value})
                    _assert_answered(response, (path, name, value))
                    assert_unchanged(before, allowed=READ_RECORDS if response.status_code == 200 else frozenset())
                count_case("forms-sweep:back_office_queries")


# Pages named by a code or an id in their path, for anyone ({} is the value).
PUBLIC_PATHS = [
    "/m/{}/",
    "/m/{}/rate/",
    "/m/{}/poster.png",
    "/m/{}/evidence/1/",
    "/track/{}/",
    "/lists/{}/",
    "/open311/v2/requests/{}.json",
    "/open311/v2/services/{}.xml",
    "/open311/v2/tokens/{}.json",
    "/open311/v2/requests.{}",
]


def test_every_public_path_answers_odd_codes_without_a_server_error() -> None:
    anyone = Client()
    for template in PUBLIC_PATHS:
        for value in [*PAGE_SWEEP, "MQ-2022-0001", "../../etc/passwd", "%00", "."]:
            with rolled_back():
                before = row_counts()
                response = anyone.get(template.format(quote(value, safe="")))
                _assert_answered(response, (template, value))
                assert_unchanged(before)
            count_case("forms-sweep:public_paths")


# --- regressions: what the fuzzing found, pinned down --------------------------------------------------------


def test_a_phone_written_in_another_script_s_digits_is_refused_and_nothing_is_stored() -> None:
    from core.validators import phone_validator

    for phone in ("1٣٩١٢٣٤٥٦٧٨", "１３９１２３４５６７８"):
        with pytest.raises(ValidationError):
            phone_validator(phone)
    phone_validator("13912345678")
    phone_validator("0714-1234567")
    category = Category.objects.first()
    assert category is not None
    before = row_counts()
    response = Client().post(
        "/report/",
        {
            "category": category.pk,
            "description": "路灯不亮已有一周，晚上出行不便。",
            "place": "长宇社区",
            "name": "王小明",
            "phone": "1٣٩١٢٣٤٥٦٧٨",
            "consent": "on",
            "token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 400
    assert_unchanged(before)


def test_an_image_past_pillows_pixel_limit_is_refused_whatever_the_warning_filters() -> None:
    from core.uploads import clean_upload

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValidationError):
            clean_upload("bomb.png", BOMB)
    before = row_counts()
    response = _login("cadre").post(
        "/fieldwork/visits/new/",
        {
            "date": "2022-12-30",
            "hours": "2",
            "kind": "site_visit",
            "place_kind": "other",
            "place_detail": "长宇社区",
            "participants": "0",
            "photos": SimpleUploadedFile("bomb.png", BOMB),
        },
    )
    assert response.status_code == 200  # the form again, with the photo refused
    assert_unchanged(before)


def test_page_filters_ignore_digits_that_int_cannot_read_and_numbers_too_large() -> None:
    coordinator = _login("coordinator")
    for path in (
        "/org/people/?unit=²",
        f"/org/people/?unit={'9' * 25}",
        "/matters/?unit=²&community=𐩀&lead=²&month=2022-²",
        "/matters/lists/?month=2022-²",
        "/fieldwork/visits/?person=²&unit=²",
        "/fieldwork/registrations/?community=²",
        "/fieldwork/duties/?unit=²",
        "/lists/tasks/?unit=²&month=２０２２-０６",
    ):
        assert coordinator.get(path).status_code == 200, path


def test_a_nul_in_a_search_of_people_or_of_the_audit_log_matches_nothing_instead_of_failing() -> None:
    assert _login("coordinator").get("/org/people/?q=%00").status_code == 200
    auditor = _login("auditor")
    for name in ("action", "actor", "target_type", "target_id"):
        response = auditor.get(f"/audit/?{name}=%00")
        assert response.status_code == 200, name


# --- bodies that are not forms at all --------------------------------------------------------------------


POST_TARGETS: dict[str, str | None] = {
    "/report/": None,
    "/login/": None,
    "/open311/v2/requests.json": None,
    "/matters/new/": "coordinator",
    "/fieldwork/visits/new/": "cadre",
    "/fieldwork/registration/": "cadre",
}


def _bodies() -> st.SearchStrategy[tuple[str, bytes]]:
    boundary = "----fuzz"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n"
    ).encode()
    return st.one_of(
        st.tuples(st.just(f"multipart/form-data; boundary={boundary}"), st.binary(max_size=300)),
        st.tuples(st.just(f"multipart/form-data; boundary={boundary}"), st.binary(max_size=200).map(part.__add__)),
        st.tuples(st.sampled_from(["multipart/form-data", "multipart/form-data; boundary="]), st.binary(max_size=50)),
        st.tuples(st.just("application/x-www-form-urlencoded"), st.binary(max_size=300)),
        st.tuples(
            st.just("application/x-www-form-urlencoded"),
            st.sampled_from([b"description=%FF%FE%00", b"a=%", b"&&&==&", b"x=" + b"%E4%B8" * 50]),
        ),
        st.tuples(st.sampled_from(["text/plain", "application/json", "application/xml"]), st.binary(max_size=200)),
    )


def test_malformed_bodies_are_refused_without_a_server_error() -> None:
    clients: dict[str | None, Client] = {None: Client(), "coordinator": _login("coordinator"), "cadre": _login("cadre")}

    @fuzz_settings(EXAMPLES * 2)
    @given(path=st.sampled_from(sorted(POST_TARGETS)), body=_bodies())
    def run(path: str, body: tuple[str, bytes]) -> None:
        content_type, raw = body
        with rolled_back():
            before = row_counts()
            response = clients[POST_TARGETS[path]].generic("POST", path, raw, content_type=content_type)
            _assert_answered(response, (path, body))
            assert_unchanged(before, allowed=LOGIN_RECORDS if path == "/login/" else frozenset())
        count_case("forms:malformed_bodies")

    run()
