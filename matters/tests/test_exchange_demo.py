"""The demo's matters: the seed's 17 through the importer, spread over the loop, idempotent, shiftable."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import Campaign
from matters import demo as matters_demo
from matters.models import Channel, Matter, Precision, Satisfaction
from matters.workflow import Status

pytestmark = pytest.mark.usefixtures("exchange_english")


def load(shift: int) -> str:
    out = io.StringIO()
    call_command("load_demo", shift_months=shift, stdout=out)
    return out.getvalue()


def seed_matters() -> dict[str, Matter]:
    """Seed number → matter: the import keeps the table's order in the reported times."""
    matters = Matter.objects.filter(channel=Channel.IMPORT).order_by("reported_at", "id")
    return {str(index): m for index, m in enumerate(matters, start=1)}


def test_the_demo_imports_the_17_seed_matters_through_the_importer(exchange_demo: None) -> None:
    matters = seed_matters()
    assert len(matters) == 17
    assert matters["1"].problem == "园区无综治中心阵地,企业服务中心不够靠前。"
    assert (matters["7"].deadline, matters["7"].deadline_precision) == (dt.date(2022, 11, 1), Precision.MONTH)
    assert all(m.import_key and m.campaign is not None for m in matters.values())
    assert AuditEvent.objects.filter(action="matters.import").count() == 1


def test_the_demo_spreads_the_matters_over_the_loop(exchange_demo: None) -> None:
    matters = seed_matters()
    by_status = {n: m.status for n, m in matters.items()}
    assert [by_status[n] for n in ("1", "2", "3")] == [Status.CLOSED] * 3  # due 2022.6
    assert sorted(m.satisfaction for n, m in matters.items() if n in ("1", "2", "3")) == sorted(
        [Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY]
    )
    assert all(matters[n].effect for n in ("1", "2", "3"))
    assert {by_status[n] for n in ("4", "9")} == {Status.VERIFIED}  # due 2022.7
    assert by_status["5"] == Status.COMPLETED
    assert (by_status["8"], matters["8"].progress) == (Status.IN_PROGRESS, 80)
    assert matters["8"].reports.get().text
    later = [m for n, m in matters.items() if n in {"6", "7", "10", "11", "12", "13", "14", "15", "16", "17"}]
    assert {m.status for m in later} == {Status.IN_PROGRESS, Status.ASSIGNED}
    assert all(20 <= m.progress <= 60 for m in later if m.status == Status.IN_PROGRESS)
    assert not matters["17"].leads.exists()


def test_the_demo_users_act_where_the_workflow_lets_them(exchange_demo: None) -> None:
    matters = seed_matters()
    actors = {t.action: t.actor_name for t in matters["3"].transitions.all()}  # 基建办, led by 杨立新
    assert (actors["start"], actors["complete"]) == ("handler", "handler")
    assert (actors["verify"], actors["close"]) == ("leader", "leader")
    actors = {t.action: t.actor_name for t in matters["2"].transitions.all()}  # 社事办: no demo handler
    assert (actors["start"], actors["close"]) == ("system", "coordinator")


def test_the_extra_resident_reports_cover_triage_and_carry_no_real_personal_data(exchange_demo: None) -> None:
    # The residents' reports of matters' own demo: the domain lines' demo matters (petitions' cases, enterprises'
    # demands, care's wishes) come by their own channel or kind.
    extras = Matter.objects.exclude(channel__in=[Channel.IMPORT, Channel.PETITION]).filter(kind="livelihood")
    assert Counter(m.status for m in extras) == {
        Status.REPORTED: 2,
        Status.ACCEPTED: 1,
        Status.DECLINED: 1,
        Status.MERGED: 1,
    }
    assert {m.channel for m in extras} <= {Channel.PORTAL, Channel.HOTLINE, Channel.VISIT}
    assert all(m.reporter_name == "居民（演示）" and m.reporter_phone == "" for m in extras)
    assert extras.get(status=Status.DECLINED).public_reply
    assert extras.get(status=Status.MERGED).merged_into == seed_matters()["3"]


def test_loading_the_demo_twice_creates_nothing_new(exchange_demo: None) -> None:
    load(0)  # the domain lines' demo matters again (exchange_demo leaves them out)
    counts = (Matter.objects.count(), AuditEvent.objects.filter(action__startswith="matters.").count())
    out = load(0)
    assert "Demo matters: 0 new, 0 rescheduled." in out
    assert "Demo engagement: 0 endorsements and 0 ratings added." in out
    assert (Matter.objects.count(), AuditEvent.objects.filter(action__startswith="matters.").count()) == (
        counts[0],
        counts[1],  # a repeated import that writes nothing leaves no audit event
    )


def test_loading_with_another_shift_moves_the_deadlines_of_the_same_matters(exchange_demo: None) -> None:
    before = {m.pk: m.deadline for m in Matter.objects.filter(channel=Channel.IMPORT)}
    out = load(5)
    assert "0 new, 17 rescheduled" in out
    after = {m.pk: m.deadline for m in Matter.objects.filter(channel=Channel.IMPORT)}
    assert after.keys() == before.keys()
    assert seed_matters()["1"].deadline == dt.date(2022, 11, 1)
    assert seed_matters()["16"].deadline == dt.date(2023, 5, 1)
    assert seed_matters()["16"].deadline_precision == Precision.MONTH
    assert AuditEvent.objects.filter(action="matters.reschedule").count() == 17
    assert Matter.objects.get(pk=seed_matters()["1"].pk).status == Status.CLOSED  # the history stays


def test_matter_reschedule_records_the_old_and_new_deadline(exchange_demo: None) -> None:
    matter = seed_matters()["7"]
    matters_demo.matter_reschedule(matter=matter, deadline=dt.date(2022, 12, 1), actor=None)
    event = AuditEvent.objects.filter(action="matters.reschedule").get()
    assert (event.before, event.after) == ({"deadline": "2022-11-01"}, {"deadline": "2022-12-01"})


@time_machine.travel(dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC), tick=False)
def test_shifted_to_today_the_demo_reports_fall_inside_the_campaign_and_before_today(demo: None) -> None:
    call_command("load_demo", shift_to_today=True, stdout=io.StringIO())
    campaign = Campaign.objects.get(ref="seed:campaign:2022")
    assert campaign.starts_on <= timezone.localdate() <= campaign.ends_on
    for matter in Matter.objects.all():
        reported = timezone.localdate(matter.reported_at)
        assert campaign.starts_on <= reported < timezone.localdate()
    assert seed_matters()["1"].deadline == dt.date(2026, 2, 1)  # 2022.6, shifted so that 2022.7 is this month


def test_the_seed_table_shifts_deadlines_by_whole_months() -> None:
    text = matters_demo.seed_table(7).decode("utf-8")
    assert ",2023.1," in text and ",2023.7," in text and ",2022.6," not in text
    assert matters_demo.seed_table(0) == matters_demo.SEED_TABLE.read_bytes()
