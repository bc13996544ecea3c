"""The demo's clue: from the portal, anonymous, investigated by 初步核实 to a founded conclusion with a 谈话提醒 for
the seed's cadre it names, inside the seed's campaign; loading the demo again adds nothing."""

from __future__ import annotations

import pytest

from campaigns.models import Campaign
from core.indicators import compute
from core.plugins import DemoOptions
from oversight import demo_clues
from oversight.models.clues import Clue

pytestmark = pytest.mark.usefixtures("demo")


def test_the_demo_has_one_public_clue_concluded_as_founded_with_a_reminder_talk_and_is_loaded_once() -> None:
    clue = Clue.objects.get(text=demo_clues.TEXT)
    assert (clue.source, clue.disposal, clue.status, clue.conclusion) == ("public", "verify", "concluded", "founded")
    assert "（演示）" in clue.text and clue.reporter_name == "" and clue.reporter_phone == "" and clue.tracking_code
    [measure] = clue.measures.all()
    assert (measure.kind, measure.person.ref) == ("reminder", demo_clues.PERSON)  # type: ignore[union-attr]
    campaign = Campaign.objects.get(ref=demo_clues.CAMPAIGN)
    assert campaign.starts_on <= clue.received_at.date() <= clue.concluded_on <= measure.decided_on <= campaign.ends_on  # type: ignore[operator]
    figures = compute("clues.measures", subject="person", start=campaign.starts_on, end=campaign.ends_on)
    assert [ref.pk for ref in figures[measure.person_id].records] == [measure.pk]  # type: ignore[index]
    assert demo_clues.load(DemoOptions()) == ""
    assert Clue.objects.filter(text=demo_clues.TEXT).count() == 1
