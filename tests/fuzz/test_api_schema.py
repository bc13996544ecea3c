"""Schemathesis against /api/v1/schema/: every operation, as every persona and anonymously, through the WSGI app.

Each case must answer without a server error, with a status code, content type and body the schema documents;
a refused write (4xx) and every read must leave the tracked tables as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
import time_machine
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.demo import DEMO_ACCOUNTS
from campaigns.models import Campaign, Phase
from care import demo as care_demo
from care.models import Household, Pairing, Wish
from compounds import demo as compounds_demo
from compounds.models import Assessment, CompoundProfile, LinkageMeeting
from core.plugins import DemoOptions
from enterprises import demo as enterprises_demo
from enterprises.models import Delivery, EnterpriseProfile, Policy
from fieldwork import demo as fieldwork_demo
from fieldwork.models import Visit
from matters import demo as matters_demo
from matters.models import Matter
from org.models import Person, Unit
from oversight import demo_signals
from oversight.models import Clue, Review
from oversight.models.signals import Signal
from oversight.selectors.assessment import collect
from oversight.services import assessment as assessment_services
from oversight.services.circulars import circular_draft
from oversight.services.publication import publication_publish
from petitions import demo as petitions_demo
from petitions.models import Dispute, PetitionCase
from tests.fuzz.conftest import GENERATED, NOW, count_case, fuzz_settings, nasty_text, rolled_back, row_counts

SCHEMA_PATH = "/api/v1/schema/"
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *(username for username, _role, _ref in DEMO_ACCOUNTS)]
# Examples per operation and role: positive cases follow the schema, negative ones break it on purpose, and
# "nasty" ones send NUL, markup, odd digits and huge values in every query parameter.
POSITIVE_EXAMPLES = 9
NEGATIVE_EXAMPLES = 3
NASTY_EXAMPLES = 3
# A role the operation refuses (401/403 to every one of its first valid cases) is refused before any input is read:
# it gets these few cases to prove that the refusal writes nothing, the full set goes to the roles let in.
REFUSED_PROBES = 2
REFUSED = {401, 403}
MIN_CASES = 2_000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Refused logins are counted and audited on purpose (the lockout): the only rows a refusal may write.
WRITTEN_ON_REFUSAL = {"POST /api/v1/auth/token/": {"AccountLock", "LoginBlock", "AuditEvent"}}
# A read that shows personal data (a reporter, a household) is audited: the only rows a read may write.
WRITTEN_ON_READ = {"AuditEvent"}

# Generated cases carry no credentials of their own: each test sends its role's token.
CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
SCHEMA = schemathesis.openapi.from_wsgi(
    SCHEMA_PATH, WSGIHandler(), config=CONFIG, headers={"Accept": "application/vnd.oai.openapi+json"}
)
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations() if isinstance(result, Ok))
_ran: set[tuple[str, str]] = set()


def _operation(label: str) -> Any:
    operation = SCHEMA.find_operation_by_label(label)
    assert operation is not None, label
    return operation


@dataclass
class World:
    """The demo with its matters and visits, and a token per persona: what the cases are sent against."""

    tokens: dict[str, str]
    ids: dict[str, list[int]] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == ANONYMOUS else {"Authorization": f"Token {self.tokens[role]}"}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Load the demo's matters and visits once for the module, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), transaction.atomic():
        matters_demo.load(shift_months=0)
        fieldwork_demo.load(shift_months=0)
        petitions_demo.load(shift_months=0)
        enterprises_demo.load(DemoOptions(shift_months=0))
        compounds_demo.load(shift_months=0)
        care_demo.load(with_wishes=True)
        published = publication_publish(
            actor=None, campaign=Campaign.objects.order_by("id")[0], month=dt.date(2022, 5, 1)
        )
        demo_signals.load(DemoOptions(shift_months=0))
        circular = circular_draft(
            actor=None, kind="overdue", start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30), issuer="作风监督专班"
        )
        scheme = assessment_services.scheme_create(
            actor=None, name="fuzz", subject="unit", period_kind="quarter",
            items=[{"indicator": "matters.resolution", "weight": 100}],
        )  # fmt: skip
        scored = assessment_services.assessment_open(actor=None, scheme=scheme, period=dt.date(2022, 7, 1))
        scored = assessment_services.assessment_computed(actor=None, assessment=scored, figures=collect(scored))
        users = get_user_model().objects.filter(username__in=ROLES)
        tokens = {user.get_username(): Token.objects.get_or_create(user=user)[0].key for user in users}
        yield World(
            tokens=tokens,
            ids={
                "matters": list(Matter.objects.values_list("pk", flat=True)),
                "visits": list(Visit.objects.values_list("pk", flat=True)[:40]),
                "units": list(Unit.objects.values_list("pk", flat=True)),
                "people": list(Person.objects.values_list("pk", flat=True)[:40]),
                "campaigns": list(Campaign.objects.values_list("pk", flat=True)),
                "phases": list(Phase.objects.values_list("pk", flat=True)),
                "petitions": list(PetitionCase.objects.values_list("pk", flat=True)),
                "disputes": list(Dispute.objects.values_list("pk", flat=True)),
                "enterprises": list(EnterpriseProfile.objects.values_list("pk", flat=True)),
                "policies": list(Policy.objects.values_list("pk", flat=True)),
                "deliveries": list(Delivery.objects.values_list("pk", flat=True)),
                "compounds": list(CompoundProfile.objects.values_list("pk", flat=True)),
                "linkage-meetings": list(LinkageMeeting.objects.values_list("pk", flat=True)),
                "compound-scores": list(Assessment.objects.values_list("pk", flat=True)),
                "households": list(Household.objects.values_list("pk", flat=True)),
                "pairings": list(Pairing.objects.values_list("pk", flat=True)),
                "wishes": list(Wish.objects.values_list("pk", flat=True)),
                "published": [published.pk],
                "reviews": list(Review.objects.values_list("pk", flat=True)),
                "signals": list(Signal.objects.values_list("pk", flat=True)),
                "circulars": [circular.pk],
                "clues": list(Clue.objects.values_list("pk", flat=True)),
                "assessments": [scored.pk],
            },
        )
        transaction.set_rollback(True)


def _nasty_queries(operation: Any) -> st.SearchStrategy[Any] | None:
    """Cases whose query parameters carry what people and scripts really send, whatever the schema says."""
    names = [parameter.name for parameter in operation.query]
    if not names:
        return None
    queries = st.fixed_dictionaries({}, optional={name: nasty_text() for name in names})
    return queries.flatmap(lambda query: operation.as_strategy(query=query))


_strategies: dict[tuple[str, GenerationMode], st.SearchStrategy[Any]] = {}


def _strategy(operation: Any, mode: GenerationMode, world: World) -> st.SearchStrategy[Any]:
    """Cases of the operation (built once for every role); for a detail route, also cases aimed at existing records."""
    key = (operation.label, mode)
    if key not in _strategies:
        _strategies[key] = _build_strategy(operation, mode, world)
    return _strategies[key]


def _build_strategy(operation: Any, mode: GenerationMode, world: World) -> st.SearchStrategy[Any]:
    generated = operation.as_strategy(generation_mode=mode)
    collection = operation.path.removeprefix("/api/v1/").split("/", 1)[0]
    ids = world.ids.get(collection, [])
    if "{id}" not in operation.path or not ids or mode is GenerationMode.NEGATIVE:
        return generated
    existing = st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
    )
    return st.one_of(existing, generated)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now", "media_root")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation_answers_as_documented_and_keeps_refused_input_out(
    label: str, role: str, world: World, wsgi_app: WSGIHandler
) -> None:
    operation = _operation(label)
    operation.app = wsgi_app
    headers = world.headers(role)
    refused = WRITTEN_ON_REFUSAL.get(label, set())
    _ran.add((label, role))

    statuses: list[int] = []

    def exercise(case: schemathesis.Case) -> None:
        with rolled_back():
            before = row_counts()
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            # After a server error PostgreSQL refuses further queries until the savepoint is rolled back.
            after = row_counts() if response.status_code < 500 else before
        count_case(f"api:{role}")
        case.validate_response(response, checks=CHECKS, headers=headers)
        if 400 <= response.status_code < 500 or case.method == "GET":
            allowed = refused if response.status_code >= 400 else WRITTEN_ON_READ
            changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
            assert set(changed) <= allowed, (
                f"{case.method} {case.formatted_path} → {response.status_code} wrote {changed}"
            )

    def run(strategy: st.SearchStrategy[Any] | None, examples: int) -> None:
        if strategy is None:
            return

        @fuzz_settings(examples)
        @given(case=strategy)
        def cases(case: schemathesis.Case) -> None:
            exercise(case)

        cases()

    positive = _strategy(operation, GenerationMode.POSITIVE, world)
    run(positive, REFUSED_PROBES)
    refused_role = bool(statuses) and set(statuses) <= REFUSED
    if refused_role:
        run(_strategy(operation, GenerationMode.NEGATIVE, world), 1)
        run(_nasty_queries(operation), 1)
        return
    run(positive, POSITIVE_EXAMPLES - REFUSED_PROBES)
    run(_strategy(operation, GenerationMode.NEGATIVE, world), NEGATIVE_EXAMPLES)
    run(_nasty_queries(operation), NASTY_EXAMPLES)


# Every query and path parameter of every operation gets each of these, whatever its type: NUL (which PostgreSQL
# refuses in text), digits that int() refuses, numbers too large for a column, markup, SQL, a huge value.
SWEEP = [
    "\x00",
    "路\x00灯",
    "²",
    "9" * 25,
    "-1.5",
    "<script>alert(1)</script>",
    "'; DROP TABLE matters_matter; --",
    "字" * 3000,
]
SWEPT = [label for label in OPERATIONS if "{id}" in label or _operation(label).query]


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_now", "media_root")
@pytest.mark.parametrize("label", SWEPT)
def test_every_parameter_answers_odd_values_as_documented(label: str, world: World, wsgi_app: WSGIHandler) -> None:
    operation = _operation(label)
    operation.app = wsgi_app
    headers = world.headers("coordinator")
    collection = operation.path.removeprefix("/api/v1/").split("/", 1)[0]
    known = {"id": world.ids[collection][0]} if "{id}" in operation.path else {}
    variants: list[tuple[dict[str, Any], dict[str, Any]]] = [({"id": value}, {}) for value in SWEEP if known] + [
        (known, {parameter.name: value}) for parameter in operation.query for value in SWEEP
    ]
    for path_parameters, query in variants:
        case = SCHEMA.make_case(operation=operation, path_parameters=path_parameters, query=query)
        with rolled_back():
            before = row_counts()
            response = case.call(headers=headers)
            after = row_counts() if response.status_code < 500 else before
        count_case("api-sweep:coordinator")
        case.validate_response(response, checks=CHECKS, headers=headers)
        changed = {name for name in before if before[name] != after[name]}
        assert changed <= (WRITTEN_ON_READ if response.status_code < 400 else set()), (case.formatted_path, changed)


# --- regressions: what the fuzzing found, pinned down --------------------------------------------------------


def _api(username: str) -> Client:
    user = get_user_model().objects.get(username=username)
    return Client(headers={"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"})


@pytest.mark.usefixtures("demo")
def test_unmatched_api_paths_answer_a_json_404_even_for_a_post() -> None:
    for response in (
        _api("coordinator").get("/api/v1/matters/1.5e-3/"),
        Client().post("/api/v1/matters/-3.5/transitions/", {}),
        Client().get("/api/v1/nothing/here/"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


@pytest.mark.usefixtures("demo")
def test_digits_that_int_cannot_read_and_numbers_too_large_are_not_found_rather_than_a_server_error() -> None:
    api = _api("coordinator")
    for path in ("/api/v1/matters/²/", "/api/v1/visits/²/"):
        assert api.get(path).status_code == 404, path
    for path in ("/api/v1/visits/?person=²", "/api/v1/duties/?person=²"):
        assert api.get(path).status_code == 400, path
    for path in (
        "/api/v1/units/?parent=²",
        f"/api/v1/units/?parent={'9' * 25}",
        "/api/v1/people/?unit=²",
        f"/api/v1/people/?unit={'9' * 25}",
        "/api/v1/matters/?unit=²&lead=𐩀&month=2022-²",
    ):
        assert api.get(path).status_code == 200, path


@pytest.mark.usefixtures("demo")
def test_record_ids_and_counts_no_column_can_hold_are_refused_by_field_instead_of_overflowing_the_database() -> None:
    api, before = _api("coordinator"), row_counts()
    case = {
        "summary": "欠薪问题（演示）", "focus": "wages", "risk": "medium", "level": "park", "channel": "letter",
        "received_on": "2022-11-01", "first_petition_on": "2022-10-01", "petition_count": 2, "owners": [1],
        "petitioners": [{"name": "甲某（演示）"}],
    }  # fmt: skip
    for overflow in (
        {"handling_units": [10**40]},
        {"owners": [-(10**30)]},
        {"petition_count": 10**12},
        {"visit_every_days": 2**40},
    ):
        response = api.post("/api/v1/petitions/", case | overflow, content_type="application/json")
        assert response.status_code == 400, overflow
        assert set(response.json()) == set(overflow), response.json()
    assert row_counts() == before


@pytest.mark.usefixtures("demo")
def test_a_nul_in_a_search_or_a_filter_matches_nothing_instead_of_failing_on_postgresql() -> None:
    api = _api("coordinator")
    for path in ("/api/v1/people/?q=%00", "/api/v1/units/?kind=%00", "/api/v1/units/?kind=nonsense"):
        response = api.get(path)
        assert response.status_code == 200, path
        assert response.json()["results"] == [], path


@pytest.mark.usefixtures("demo")
def test_a_category_code_with_a_nul_is_refused_as_unknown_instead_of_failing_on_postgresql() -> None:
    before = row_counts()
    data = {"problem": "路灯不亮", "kind": "livelihood", "category": "roads\x00"}
    response = _api("cadre").post("/api/v1/matters/", data, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"category"}
    assert row_counts() == before


def test_the_schema_documents_the_errors_every_operation_can_answer() -> None:
    schema = Client().get(SCHEMA_PATH, HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            if path != "/api/v1/auth/token/":
                assert {"401", "403"} <= documented, (method, path)
            if method == "get":
                assert "404" in documented, (method, path)  # no such record, or no such page
            else:
                assert "415" in documented, (method, path)  # a body in a media type the operation does not read


def test_the_api_fuzzing_sent_at_least_2000_cases() -> None:
    """Runs after the module's fuzz tests (pytest keeps the file's order); proves the number instead of assuming it."""
    if len(_ran) < len(OPERATIONS) * len(ROLES):
        pytest.skip("only part of the API fuzzing ran (selected with -k?): the total is not meaningful")
    total = sum(count for key, count in GENERATED.items() if key.startswith("api:"))
    assert total >= MIN_CASES, f"only {total} API cases were generated"
