"""The audit chain: every service write is recorded, and a record changed behind our back is detected."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent
from audit.selectors import audit_verify
from org.models import Unit, UnitKind
from org.services import unit_create, unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEvent]:
    """Four events at the end of the chain (the demo loaded for the session wrote the ones before)."""
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    park = unit_create(actor=None, name="园区党委", kind=UnitKind.PARTY_COMMITTEE)
    office = unit_create(actor=None, name="党政办", kind=UnitKind.DEPARTMENT, parent=park)
    unit_update(actor=None, unit=office, data={"short_name": "党政"})
    unit_create(actor=None, name="长宇社区", kind=UnitKind.COMMUNITY, parent=park)
    return list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))


def _raw(sql: str, params: list[Any]) -> None:
    """Tamper as someone with the database owner's rights would: past the append-only guard."""
    from audit.guard import guard_lifted

    with guard_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_command() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_every_service_write_records_actor_action_target_and_old_and_new_values(chain: list[AuditEvent]) -> None:
    update = chain[2]
    assert update.action == "org.unit.update"
    assert update.target_type == "org.unit" and update.target_label == "党政办"
    assert update.before == {"short_name": ""} and update.after == {"short_name": "党政"}
    assert update.actor_name == "system"
    first = chain[0].seq
    assert [e.seq for e in chain] == [first, first + 1, first + 2, first + 3]
    assert chain[1].prev_hash == chain[0].hash


def test_an_untouched_chain_verifies(chain: list[AuditEvent]) -> None:
    assert audit_verify().ok
    assert _verify_command().startswith(f"OK: {AuditEvent.objects.count()} events verified")


def test_editing_an_event_in_the_database_is_detected_and_named(chain: list[AuditEvent]) -> None:
    seq = chain[1].seq
    _raw("UPDATE audit_auditevent SET target_label = %s WHERE seq = %s", ["篡改", seq])
    report = audit_verify()
    assert not report.ok and report.broken_seq == seq and report.reason == "event content changed"
    with pytest.raises(CommandError, match=f"BROKEN at event #{seq}"):
        _verify_command()


def test_rewriting_an_event_and_its_hash_breaks_the_next_link(chain: list[AuditEvent]) -> None:
    from audit.services import event_hash

    forged = chain[1]
    forged.after = {"name": "伪造"}
    forged.hash = event_hash(forged)
    _raw(
        "UPDATE audit_auditevent SET after = %s, hash = %s WHERE seq = %s",
        ['{"name": "伪造"}', forged.hash, forged.seq],
    )
    report = audit_verify()
    assert not report.ok and report.broken_seq == chain[2].seq


def test_deleting_an_event_in_the_middle_or_at_the_end_is_detected(chain: list[AuditEvent]) -> None:
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [chain[3].seq])
    assert audit_verify().reason == "events missing at the end of the chain"
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [chain[1].seq])
    report = audit_verify()
    assert not report.ok and report.broken_seq == chain[1].seq


def test_a_refused_write_leaves_no_event() -> None:
    from django.core.exceptions import ValidationError

    events, units = AuditEvent.objects.count(), Unit.objects.count()
    with pytest.raises(ValidationError):
        unit_create(actor=None, name="", kind=UnitKind.DEPARTMENT)
    assert AuditEvent.objects.count() == events
    assert Unit.objects.count() == units


def test_auditor_reads_and_verifies_the_log_in_the_browser(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("auditor").get("/audit/?verify=1")
    assert response.status_code == 200
    assert response.context["report"].ok
    assert response.context["page"].paginator.count == AuditEvent.objects.count()
