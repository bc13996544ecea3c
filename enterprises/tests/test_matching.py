"""Matching: the fast matcher agrees with the brute-force loop, is fast, keeps the stored matches current, and
policies' conditions are checked (unknown fields refused, nothing written)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from bench.inprocess import enterprise_facts_and_policies
from enterprises import services
from enterprises.conditions import Facts, clean_conditions
from enterprises.matching import brute_force, match
from enterprises.models import EnterpriseProfile, Match, Policy

INDUSTRIES, SIZES, STAGES, TAGS = ["a", "b", "c"], ["large", "small"], ["", "signed", "producing"], ["x", "y", "z"]

facts_st = st.builds(
    Facts,
    id=st.just(0),
    industry=st.sampled_from(INDUSTRIES),
    size=st.sampled_from(SIZES),
    employees=st.integers(0, 50),
    registered_capital=st.decimals(0, 100, places=1),
    stage=st.sampled_from(STAGES),
    tags=st.frozensets(st.sampled_from(TAGS)),
)
condition_st = st.one_of(
    st.fixed_dictionaries({"field": st.just("industry"), "op": st.just("in"), "value": st.lists(st.sampled_from(INDUSTRIES), min_size=1)}),
    st.fixed_dictionaries({"field": st.just("size"), "op": st.just("in"), "value": st.lists(st.sampled_from(SIZES), min_size=1)}),
    st.fixed_dictionaries({"field": st.just("stage"), "op": st.just("in"), "value": st.lists(st.sampled_from(STAGES[1:]), min_size=1)}),
    st.fixed_dictionaries({"field": st.sampled_from(["employees", "registered_capital"]), "op": st.sampled_from(["gte", "lte"]), "value": st.integers(0, 60)}),
    st.fixed_dictionaries({"field": st.just("tags"), "op": st.just("has"), "value": st.sampled_from(TAGS)}),
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(facts_st, max_size=25), st.lists(st.lists(condition_st, max_size=4), max_size=8))
def test_fast_matching_finds_exactly_what_the_brute_force_loop_finds(facts: list[Facts], policies: list) -> None:
    numbered = [
        Facts(i + 1, *(getattr(f, n) for n in list(Facts.__dataclass_fields__)[1:])) for i, f in enumerate(facts)
    ]
    conditions = {i + 1: clean_conditions(p) for i, p in enumerate(policies)}
    assert match(numbered, conditions) == brute_force(numbered, conditions)


def test_a_thousand_enterprises_against_two_hundred_policies_match_in_under_a_second() -> None:
    facts, policies = enterprise_facts_and_policies(1000, 200)
    began = time.perf_counter()
    fast = match(facts, policies)
    assert time.perf_counter() - began < 1.0
    assert fast == brute_force(facts, policies)


def _policy(ref: str) -> Policy:
    return Policy.objects.get(ref=ref)


def _profile(ref: str) -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(unit__ref=ref)


@pytest.mark.usefixtures("demo")
def test_a_match_gives_its_reasons_and_a_near_miss_names_the_conditions_still_unmet() -> None:
    policy = _policy("demo:policy:copper-chain")
    won = Match.objects.get(policy=policy, enterprise=_profile("demo:enterprise:tongye"))
    assert won.qualified and any("铜产业" in reason for reason in won.reasons)
    near = Match.objects.get(policy=policy, enterprise=_profile("demo:enterprise:tongcai"))
    assert not near.qualified and len(near.unmet) == 1
    assert "In production" in near.unmet[0] or "投产" in near.unmet[0]


@pytest.mark.usefixtures("demo")
def test_matching_runs_again_when_a_profile_changes() -> None:
    policy, profile = _policy("demo:policy:copper-chain"), _profile("demo:enterprise:tongcai")
    services.profile_update(actor=None, profile=profile, data={"stage": "producing"})
    assert Match.objects.get(policy=policy, enterprise=profile).qualified


@pytest.mark.usefixtures("demo")
def test_matching_runs_again_when_a_policys_conditions_change() -> None:
    policy = _policy("demo:policy:high-tech")
    before = set(Match.objects.filter(policy=policy, qualified=True).values_list("enterprise", flat=True))
    services.policy_update(
        actor=None, policy=policy, data={"conditions": [{"field": "employees", "op": "gte", "value": 600}]}
    )
    after = set(Match.objects.filter(policy=policy, qualified=True).values_list("enterprise", flat=True))
    assert after != before and after == {_profile("demo:enterprise:tongye").pk}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([{"field": "revenue", "op": "gte", "value": 1}], "not a profile field"),
        ([{"field": "employees", "op": "in", "value": [1]}], "operator"),
        ([{"field": "industry", "op": "in", "value": ["shipbuilding"]}], "not a known value"),
        ([{"field": "employees", "op": "gte", "value": "many"}], "number"),
        ({"field": "size"}, "list"),
    ],
)
def test_a_policy_whose_conditions_are_wrong_is_refused_with_the_reason_and_nothing_is_written(
    conditions: object, message: str
) -> None:
    counts = (Policy.objects.count(), AuditEvent.objects.count(), Match.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.policy_create(
            actor=None, title="试验政策（演示）", issuer="园区（演示）", year=2022, valid_from="2022-01-01",
            benefit_kind="award", conditions=conditions,
        )  # fmt: skip
    assert message in " ".join(caught.value.message_dict["conditions"])
    assert (Policy.objects.count(), AuditEvent.objects.count(), Match.objects.count()) == counts


@pytest.mark.usefixtures("demo")
def test_a_policy_with_scope_standard_and_data_complete_is_granted_without_application() -> None:
    assert _policy("demo:policy:high-tech").no_application
    assert not _policy("demo:policy:specialised").no_application


def test_numbers_in_conditions_are_stored_plainly() -> None:
    assert clean_conditions([{"field": "registered_capital", "op": "gte", "value": "1000.0"}])[0]["value"] == 1000
    assert (
        clean_conditions([{"field": "registered_capital", "op": "lte", "value": Decimal("2.5")}])[0]["value"] == "2.5"
    )
