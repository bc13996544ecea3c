"""Hypothesis against the portal's forms: raising a problem, tracking it, endorsing, asking for a code, rating.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from core.privacy import redact
from core.text import clean_line, clean_text
from matters.models import Category, Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
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
from tests.fuzz.forms_common import (
    ASCII_PHONE,
    EXAMPLES,
    assert_answered,
    digits_only,
    optional_box,
    phones,
    uploads,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


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
            assert_answered(response, data)
            if response.status_code == 302:
                matter = Matter.objects.get(idempotency_key=f"portal:{last(data['token']).strip()}")
                assert matter.problem == clean_text(last(data["description"]).strip())
                assert matter.location == clean_line(last(data["place"]).strip())
                assert matter.reporter_name == clean_line(" ".join(last(data.get("name", "")).split()))
                assert matter.reporter_phone == digits_only(last(data.get("phone", "")))
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
                assert_answered(response, (code, path_code, description))
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
            assert_answered(response, (code, cookie))
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
            assert_answered(response, phone)
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
            assert_answered(response, data)
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
            assert_answered(response, data)
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


