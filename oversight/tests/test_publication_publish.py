"""Publishing a month's three lists: the snapshot is the public view, frozen; a correction is a new version; the
audit chain holds the hash and finds a snapshot edited in the database; refusals write nothing."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent
from audit.selectors import audit_verify
from core.exceptions import DomainError, StateConflict
from matters.models import Matter
from matters.services import matter_create, matter_transition
from matters.tests.factories import assign_fields
from matters.workflow import Status
from org.models import Person, Unit
from oversight.models.publication import Publication, PublishedVersionImmutable
from oversight.selectors.publication import (
    PUBLISH_ACTION,
    content_hash,
    months_unpublished,
    publication_diff,
)
from oversight.services.publication import publication_publish
from oversight.tests.publication_world import IN_JULY, JUNE, LATER, REPORTER_NAME, TYPED_PHONE, Month, june
from portal.services.engage import rating_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(demo: None) -> Month:
    return june()


def _publish(month: Month, *, reason: str = "", at: dt.datetime = IN_JULY) -> Publication:
    with time_machine.travel(at, tick=False):
        return publication_publish(actor=None, campaign=month.campaign, month=JUNE, reason=reason)


def _codes(publication: Publication, kind: str) -> set[str]:
    return {row["code"] for row in publication.snapshot["lists"][kind]}


def _row(publication: Publication, kind: str, code: str) -> dict[str, Any]:
    return next(row for row in publication.snapshot["lists"][kind] if row["code"] == code)


def test_a_published_month_holds_the_public_rows_of_its_three_lists_and_its_figures(month: Month) -> None:
    publication = _publish(month)
    assert (publication.version, publication.month, publication.supersedes) == (1, JUNE, None)
    assert _codes(publication, "problems") == month.public_codes
    assert _codes(publication, "tasks") == {month.in_hand.code, month.done.code}
    assert _codes(publication, "effects") == {month.done.code}
    task = _row(publication, "tasks", month.in_hand.code)
    assert task["progress"] == 50 and task["leads"] == ["杨立新"] and task["units"] == ["基建办"]
    assert task["deadline"] == "2022-07-31"
    figures = publication.snapshot["figures"]
    assert figures["reported"] == 4 and figures["completed"] == 1
    assert set(figures) >= {"public_satisfaction", "callback_satisfaction", "response", "resolution", "on_time"}
    assert publication.snapshot["counts"] == {"problems": 4, "tasks": 2, "effects": 1}


def test_private_and_declined_matters_and_personal_data_are_never_in_a_snapshot(month: Month) -> None:
    publication = _publish(month)
    every_code = {row["code"] for rows in publication.snapshot["lists"].values() for row in rows}
    assert month.private.code not in every_code and month.declined.code not in every_code
    text = str(publication.snapshot)
    assert REPORTER_NAME not in text and TYPED_PHONE not in text and "110105198807071236" not in text
    assert "楼道灯坏了" in _row(publication, "problems", month.typed.code)["problem"]  # the rest of it is published


def test_a_published_snapshot_is_unchanged_by_every_later_edit_of_its_matters(month: Month) -> None:
    publication = _publish(month)
    frozen = copy.deepcopy(publication.snapshot)
    with time_machine.travel(LATER, tick=False):
        matter_transition(matter=month.accepted, action="assign", actor=None, **assign_fields())
        matter_transition(matter=month.in_hand, action="progress", actor=None, text="基本完成", percent=90)
        done = matter_transition(matter=month.in_hand, action="complete", actor=None, effect="路灯全部修复")
        matter_transition(matter=done, action="verify", actor=None)
        rating_record(matter=month.done, phone="13900000001", value="dissatisfied", comment="还是不及时")
        target, _created = matter_create(actor=None, problem="另一件相同问题（测试）", channel="hotline")
        target = matter_transition(matter=target, action="accept", actor=None)
        matter_transition(matter=month.typed, action="merge", actor=None, into=target)
        # Made private and its text redacted by hand: no service does either, so the rows are changed directly.
        Matter.objects.filter(pk=month.done.pk).update(is_public=False, problem="（已删除）")
        Matter.objects.filter(pk=month.accepted.pk).update(problem="（已编辑）", location="（已编辑）")
    stored = Publication.objects.get(pk=publication.pk)
    assert stored.snapshot == frozen
    assert content_hash(stored.snapshot) == publication.content_hash
    assert audit_verify().ok
    # Published again now, the month would read differently: the snapshot did not follow the matters.
    live = _publish(month, reason="更正：测试", at=LATER)
    assert live.snapshot != frozen
    assert month.done.code not in _codes(live, "problems") and month.typed.code not in _codes(live, "problems")


def test_a_correction_is_a_new_version_that_keeps_the_first_and_its_differences_list_the_change(month: Month) -> None:
    first = _publish(month)
    with time_machine.travel(LATER, tick=False):
        matter_transition(matter=month.in_hand, action="progress", actor=None, text="已更换大半", percent=80)
    second = _publish(month, reason="更正：赵罗路路灯的进度核实为80%", at=LATER)
    assert (second.version, second.supersedes, second.reason) == (2, first, "更正：赵罗路路灯的进度核实为80%")
    assert Publication.objects.get(pk=first.pk).snapshot == first.snapshot
    assert _row(first, "tasks", month.in_hand.code)["progress"] == 50
    assert _row(second, "tasks", month.in_hand.code)["progress"] == 80
    diff = publication_diff(first, second)
    changed = {rc.code: rc.changes for rc in diff.lists["tasks"].changed}
    assert [(c.field, c.old, c.new) for c in changed[month.in_hand.code]] == [("progress", 50, 80)]
    assert not diff.lists["tasks"].added and not diff.lists["tasks"].removed


def test_the_differences_list_rows_added_and_removed_and_figures_changed() -> None:
    row = {"code": "MQ-1", "progress": 10, "status": "in_progress"}
    old = {"lists": {"problems": [row], "tasks": [row], "effects": []}, "figures": {"completed": 0}}
    new = {
        "lists": {"problems": [{"code": "MQ-2"}], "tasks": [{**row, "status": "completed"}], "effects": []},
        "figures": {"completed": 1},
    }
    diff = publication_diff(old, new)
    assert [r["code"] for r in diff.lists["problems"].added] == ["MQ-2"]
    assert [r["code"] for r in diff.lists["problems"].removed] == ["MQ-1"]
    assert [(c.field, c.old, c.new) for c in diff.lists["tasks"].changed[0].changes] == [
        ("status", "in_progress", "completed")
    ]
    assert [(c.field, c.old, c.new) for c in diff.figures] == [("completed", 0, 1)]
    assert publication_diff(old, old).empty


def test_the_hash_recorded_in_the_audit_chain_is_the_hash_of_the_stored_snapshot(month: Month) -> None:
    publication = _publish(month)
    after = AuditEvent.objects.get(action=PUBLISH_ACTION, target_id=str(publication.pk)).after or {}
    assert after["content_hash"] == publication.content_hash == content_hash(publication.snapshot)
    assert (after["month"], after["version"]) == ("2022-06", 1)
    assert audit_verify().ok


def test_a_snapshot_edited_in_the_database_fails_verify_audit(month: Month) -> None:
    publication = _publish(month)
    event = AuditEvent.objects.get(action=PUBLISH_ACTION, target_id=str(publication.pk))
    forged = copy.deepcopy(publication.snapshot)
    forged["lists"]["tasks"][0]["progress"] = 100
    Publication.objects.filter(pk=publication.pk).update(snapshot=forged)
    report = audit_verify()
    assert not report.ok and report.broken_seq == event.seq
    assert report.reason == "published version 2022-06 v1: snapshot changed"
    with pytest.raises(CommandError, match=f"BROKEN at event #{event.seq}: published version 2022-06 v1"):
        call_command("verify_audit")


def test_a_snapshot_and_its_hash_rewritten_together_still_fail_verify_audit(month: Month) -> None:
    publication = _publish(month)
    forged = copy.deepcopy(publication.snapshot)
    forged["figures"]["completed"] = 99
    Publication.objects.filter(pk=publication.pk).update(snapshot=forged, content_hash=content_hash(forged))
    assert not audit_verify().ok


def test_a_published_version_removed_in_the_database_fails_verify_audit(month: Month) -> None:
    publication = _publish(month)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM oversight_publication WHERE id = %s", [publication.pk])
    report = audit_verify()
    assert not report.ok and report.reason == f"published version #{publication.pk} removed"


def test_the_application_cannot_change_or_remove_a_published_version(month: Month) -> None:
    publication = _publish(month)
    publication.reason = "改一下"
    with pytest.raises(PublishedVersionImmutable):
        publication.save()
    with pytest.raises(PublishedVersionImmutable):
        publication.delete()
    with pytest.raises(PublishedVersionImmutable):
        Publication.objects.filter(pk=publication.pk).delete()
    assert Publication.objects.get(pk=publication.pk).reason == ""


def _nothing_written(before: tuple[int, int]) -> bool:
    return (Publication.objects.count(), AuditEvent.objects.count()) == before


def test_a_month_that_has_not_ended_is_refused_and_nothing_is_written(month: Month) -> None:
    before = (Publication.objects.count(), AuditEvent.objects.count())
    with time_machine.travel(IN_JULY, tick=False), pytest.raises(DomainError, match="尚未结束"):
        publication_publish(actor=None, campaign=month.campaign, month=dt.date(2022, 7, 1))
    assert _nothing_written(before)


def test_publishing_a_month_again_without_a_reason_is_refused_and_nothing_is_written(month: Month) -> None:
    _publish(month)
    before = (Publication.objects.count(), AuditEvent.objects.count())
    for reason in ("", "   "):
        with pytest.raises(StateConflict, match="已发布"):
            _publish(month, reason=reason)
    assert _nothing_written(before)


def test_a_first_publication_with_a_reason_and_a_month_outside_the_campaign_are_refused(month: Month) -> None:
    before = (Publication.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError, match="不是更正"):
        _publish(month, reason="更正")
    with time_machine.travel(IN_JULY, tick=False), pytest.raises(DomainError, match="不在活动期间内"):
        publication_publish(actor=None, campaign=month.campaign, month=dt.date(2022, 1, 1))
    assert _nothing_written(before)


def test_the_database_refuses_a_correction_without_a_reason_and_a_first_version_with_one(month: Month) -> None:
    first = _publish(month)
    bad = Publication(
        campaign=month.campaign, month=JUNE, version=2, reason="", published_at=first.published_at, snapshot={}
    )
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_the_publishers_see_the_ended_months_not_yet_published(month: Month) -> None:
    today = dt.date(2022, 7, 5)
    assert months_unpublished(month.campaign, today=today) == [dt.date(2022, 5, 1), JUNE]
    _publish(month)
    assert months_unpublished(month.campaign, today=today) == [dt.date(2022, 5, 1)]


def test_the_publisher_is_shown_by_unit_never_by_name(month: Month) -> None:
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.get(username="coordinator")
    with time_machine.travel(IN_JULY, tick=False):
        publication = publication_publish(actor=coordinator, campaign=month.campaign, month=JUNE)
    person = Person.objects.get(user=coordinator)
    assert publication.publisher_unit == Unit.objects.get(pk=person.unit_id).name
    assert publication.snapshot["publisher_unit"] == publication.publisher_unit
    assert person.name not in str(publication.snapshot)


def test_a_status_published_is_the_status_at_publication(month: Month) -> None:
    publication = _publish(month)
    assert _row(publication, "tasks", month.done.code)["status"] == Status.COMPLETED
