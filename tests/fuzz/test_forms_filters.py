"""Hypothesis against every filter of every page (GET forms) and odd codes in public paths.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.db.models import Max
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from matters.models import Matter
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    nasty_text,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    EXAMPLES,
    READ_RECORDS,
    assert_answered,
    login_as,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


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
    coordinator, auditor = login_as("coordinator"), login_as("auditor")
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
            assert_answered(response, (path, params))
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
    coordinator, auditor, anyone = login_as("coordinator"), login_as("auditor"), Client()
    for path, names in [*QUERIES.items(), *PUBLIC_QUERIES.items()]:
        client = auditor if path == "/audit/" else anyone if path in PUBLIC_QUERIES else coordinator
        for name in names:
            for value in PAGE_SWEEP:
                with rolled_back():
                    before = row_counts()
                    response = client.get(path, {name: value})
                    assert_answered(response, (path, name, value))
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
                assert_answered(response, (template, value))
                assert_unchanged(before)
            count_case("forms-sweep:public_paths")


