"""Owners' votes by Article 278 of the Civil Code: participation, the ordinary and the three-quarters majorities,
at the exact thresholds, and the service refusing a result the figures do not bear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from compounds import services
from compounds.models import CompoundProfile, OwnersVote, VoteSubject
from compounds.votes import SPECIAL, outcome

ORDINARY = [s for s in VoteSubject if s not in SPECIAL]


def _vote(subject: str, area: int, owners: int, v_area: int, v_owners: int, a_area: int, a_owners: int) -> Any:
    return outcome(
        subject=subject,
        total_area=Decimal(area),
        total_owners=owners,
        voting_area=Decimal(v_area),
        voting_owners=v_owners,
        agreeing_area=Decimal(a_area),
        agreeing_owners=a_owners,
    )


def test_the_special_items_are_raising_the_fund_rebuilding_and_common_parts_not_using_the_fund() -> None:
    assert {VoteSubject.RAISE_REPAIR_FUND, VoteSubject.REBUILD, VoteSubject.COMMON_PARTS} == SPECIAL
    assert VoteSubject.USE_REPAIR_FUND not in SPECIAL  # item 5: more than half suffices since 2021


def test_exactly_two_thirds_taking_part_is_a_quorum_one_less_is_not() -> None:
    assert _vote(VoteSubject.RULES, 300, 300, 200, 200, 101, 101).passed
    assert not _vote(VoteSubject.RULES, 300, 300, 199, 200, 101, 101).quorum
    assert not _vote(VoteSubject.RULES, 300, 300, 200, 199, 101, 101).quorum


def test_an_ordinary_matter_needs_more_than_half_so_exactly_half_fails() -> None:
    assert not _vote(VoteSubject.PROPERTY_COMPANY, 300, 300, 200, 200, 100, 150).passed
    assert not _vote(VoteSubject.PROPERTY_COMPANY, 300, 300, 200, 200, 150, 100).passed
    assert _vote(VoteSubject.PROPERTY_COMPANY, 300, 300, 200, 200, 101, 101).passed


def test_a_special_matter_passes_at_exactly_three_quarters_of_the_participants() -> None:
    assert _vote(VoteSubject.REBUILD, 300, 300, 200, 200, 150, 150).passed
    assert not _vote(VoteSubject.REBUILD, 300, 300, 200, 200, 149, 150).passed
    assert not _vote(VoteSubject.COMMON_PARTS, 300, 300, 200, 200, 150, 149).passed


@given(
    total=st.integers(min_value=1, max_value=2000),
    owners=st.integers(min_value=1, max_value=500),
    data=st.data(),
    special=st.booleans(),
)
def test_the_outcome_matches_the_articles_fractions(total: int, owners: int, data: Any, special: bool) -> None:
    v_area = data.draw(st.integers(min_value=0, max_value=total))
    v_owners = data.draw(st.integers(min_value=0, max_value=owners))
    a_area = data.draw(st.integers(min_value=0, max_value=v_area))
    a_owners = data.draw(st.integers(min_value=0, max_value=v_owners))
    subject = VoteSubject.RAISE_REPAIR_FUND if special else VoteSubject.USE_REPAIR_FUND
    result = _vote(subject, total, owners, v_area, v_owners, a_area, a_owners)
    quorum = Fraction(v_area, total) >= Fraction(2, 3) and Fraction(v_owners, owners) >= Fraction(2, 3)
    assert result.quorum == quorum
    if special:
        agreed = v_owners > 0 and 4 * a_area >= 3 * v_area and 4 * a_owners >= 3 * v_owners
    else:
        agreed = 2 * a_area > v_area and 2 * a_owners > v_owners
    assert result.agreed == agreed
    assert result.passed == (quorum and agreed)


# --- the service ----------------------------------------------------------------------------------------------


@pytest.fixture
def decision(demo: None) -> Any:
    profile = CompoundProfile.objects.get(compound__name="长宇新城")
    profile.exclusive_area, profile.owners = Decimal("9000.00"), 90
    profile.save()
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, 0), tick=False):
        meeting = services.meeting_create(
            actor=None, profile=profile, held_on=dt.date(2022, 6, 10), decisions=["筹集维修资金更换电梯。"]
        )
    return meeting.decisions.get()


def _record(decision: Any, **overrides: Any) -> OwnersVote:
    fields: dict[str, Any] = {
        "subject": VoteSubject.RAISE_REPAIR_FUND,
        "held_on": dt.date(2022, 6, 12),
        "voting_area": Decimal("6000.00"),
        "voting_owners": 60,
        "agreeing_area": Decimal("4500.00"),
        "agreeing_owners": 45,
        "passed": True,
    }
    fields.update(overrides)
    with time_machine.travel(dt.datetime(2022, 6, 15, 10, 0), tick=False):
        return services.vote_record(actor=None, decision=decision, **fields)


def test_a_vote_at_the_thresholds_is_recorded_with_the_compounds_bases(decision: Any) -> None:
    vote = _record(decision)
    assert (vote.total_area, vote.total_owners, vote.passed) == (Decimal("9000.00"), 90, True)


def test_a_vote_recorded_as_passed_below_the_quorum_is_refused_and_nothing_written(decision: Any) -> None:
    with pytest.raises(ValidationError, match="two-thirds"):
        _record(decision, voting_area=Decimal("5999.99"))
    assert not OwnersVote.objects.filter(decision=decision).exists()


def test_a_special_vote_recorded_as_passed_short_of_three_quarters_is_refused(decision: Any) -> None:
    with pytest.raises(ValidationError, match="Too few"):
        _record(decision, agreeing_owners=44)
    assert not OwnersVote.objects.exists()


def test_a_vote_recorded_as_failed_that_the_figures_pass_is_refused(decision: Any) -> None:
    with pytest.raises(ValidationError, match="passed"):
        _record(decision, passed=False)


def test_a_vote_dated_in_the_future_is_refused(decision: Any) -> None:
    with pytest.raises(ValidationError, match="future"):
        _record(decision, held_on=dt.date(2022, 6, 16))


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are matched by their English msgids (their Chinese is checked by check-translations)."""
    with translation.override("en"):
        yield
