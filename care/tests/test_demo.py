"""The care demo: invented households in 长宇社区 and 卫王社区, pairings, a dozen wishes in every state; twice is once."""

from __future__ import annotations

import pytest

from care import demo
from care.models import Household, Member, Pairing, Wish, WishState

pytestmark = pytest.mark.usefixtures("demo")


def test_the_demo_loads_households_in_both_communities_and_wishes_in_every_state_and_is_idempotent() -> None:
    demo.load(with_wishes=True)
    counts = (Household.objects.count(), Member.objects.count(), Pairing.objects.count(), Wish.objects.count())
    demo.load(with_wishes=True)
    assert (Household.objects.count(), Member.objects.count(), Pairing.objects.count(), Wish.objects.count()) == counts
    assert set(Household.objects.values_list("community__name", flat=True)) == {"长宇社区", "卫王社区"}
    assert {w.state for w in Wish.objects.all()} >= {s.value for s in WishState if s != WishState.WITHDRAWN}
    assert Wish.objects.count() >= 12
    assert all("（演示）" in m.name and m.phone.startswith("1390000") for m in Member.objects.exclude(phone=""))
