"""The clues area's demo data (a step of oversight.demo, after the signals): one clue from the portal about a cadre's
perfunctory visits (anonymous), disposed of by 初步核实, concluded as founded with its findings, and a 谈话提醒 for
the seed's cadre it names, all inside the seed's campaign. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import Campaign
from core.plugins import DemoOptions
from matters.deadlines import add_working_days
from org.models import Person
from oversight.models.clues import Clue, ClueConclusion, ClueDisposal, ClueSource
from oversight.services import clues as services

CAMPAIGN = "seed:campaign:2022"
PERSON = "seed:person:yanglixin"
TEXT = (
    "反映某联系点包保干部走访敷衍：入户走访只拍照留痕、不问群众诉求，走访记录内容多次雷同，"
    "群众反映的楼道照明问题一直没有回音。（演示）"
)
FINDINGS = (
    "经初步核实，该干部在联系社区的入户走访中存在走访记录简单雷同、对群众诉求未及时跟进的问题，"
    "反映问题基本属实。（演示）"
)


def load(options: DemoOptions) -> str:
    campaign = Campaign.objects.filter(ref=CAMPAIGN).first()
    person = Person.objects.filter(ref=PERSON).select_related("unit").first()
    if campaign is None or person is None or Clue.objects.filter(text=TEXT).exists():
        return ""
    today = timezone.localdate()

    def day(value: dt.date) -> dt.date:
        return min(value, today)

    received = day(campaign.starts_on + dt.timedelta(days=45))
    received_at = min(timezone.make_aware(dt.datetime.combine(received, dt.time(10, 0))), timezone.now())
    clue = services.clue_create(
        actor=None,
        source=ClueSource.PUBLIC,
        text=TEXT,
        concerned="某联系点包保干部（演示）",
        persons=[person],
        units=[person.unit],
        received_at=received_at,
    )
    disposed = day(add_working_days(received, 1))
    clue = services.clue_dispose(actor=None, clue=clue, disposal=ClueDisposal.VERIFY, on=disposed)
    concluded = day(add_working_days(disposed, 12))
    clue = services.clue_conclude(
        actor=None,
        clue=clue,
        conclusion=ClueConclusion.FOUNDED,
        findings=FINDINGS,
        evidence="走访台账、群众回访记录（演示）",
        on=concluded,
    )
    services.measure_add(
        actor=None,
        clue=clue,
        kind="reminder",
        person=person,
        decided_on=day(add_working_days(concluded, 3)),
        decider="园区纪工委（演示）",
        note="对走访敷衍问题进行谈话提醒，要求立即整改（演示）",
    )
    return f"Demo clues: {clue.code} concluded as founded, with a reminder talk."
