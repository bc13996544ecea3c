"""The nightly audit check: a broken chain is logged as an error and told to the audit administrators."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from audit.guard import guard_lifted
from audit.models import AuditEvent
from core.jobs.queue import daily, periodic_run
from notifications.models import Notification
from notifications.tasks import verify_audit
from org.models import UnitKind
from org.services import unit_create

pytestmark = pytest.mark.django_db
NIGHT = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)


def _audit_notes() -> list[Notification]:
    return list(Notification.objects.filter(link__startswith="/audit/"))


def test_an_intact_chain_alerts_nobody(demo: None, caplog: pytest.LogCaptureFixture) -> None:
    unit_create(actor=None, name="园区党委", kind=UnitKind.PARTY_COMMITTEE)
    with caplog.at_level(logging.INFO, logger="minqing.audit"):
        assert periodic_run("audit.verify", daily, verify_audit.work, now=NIGHT)
    assert "verify_audit: OK" in caplog.text
    assert not _audit_notes()


def test_a_broken_chain_is_logged_and_told_to_every_audit_administrator(
    demo: None, caplog: pytest.LogCaptureFixture
) -> None:
    unit_create(actor=None, name="园区党委", kind=UnitKind.PARTY_COMMITTEE)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    with guard_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["forged", event.seq])
    second = get_user_model().objects.create_user("audit2", password="audit2-pass-2026")
    second.groups.set(get_user_model().objects.get(username="auditor").groups.all())
    with caplog.at_level(logging.ERROR, logger="minqing.audit"):
        assert periodic_run("audit.verify", daily, verify_audit.work, now=NIGHT)
    assert f"BROKEN at event #{event.seq}: event content changed" in caplog.text
    notes = _audit_notes()
    assert sorted(n.recipient.username for n in notes) == ["audit2", "auditor"]
    assert all(f"第 {event.seq} 号事件" in n.title and n.link == "/audit/?verify=1" for n in notes)  # in Chinese
    # The same night again (another worker's scheduler): claimed already, nobody is told twice.
    assert not periodic_run("audit.verify", daily, verify_audit.work, now=NIGHT)
    assert len(_audit_notes()) == 2
