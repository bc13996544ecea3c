"""The audit trail is append-only in the database itself, and its page can change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.management import get_commands
from django.db import IntegrityError, connection, transaction

from audit.guard import guard_installed, guard_lifted
from audit.models import AuditEvent, AuditHead
from audit.services import audit_record

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    ClientAs,
)

# --- the audit trail is append-only, in the database itself ---------------------------------------------------


@pytest.fixture
def event(demo: None) -> AuditEvent:
    return audit_record(actor=None, action="test.guard", after={"n": 1})


def _refused(action: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_the_guard_is_installed_on_this_database(db: None) -> None:
    assert connection.vendor in ("sqlite", "postgresql") and guard_installed()


def test_an_audit_event_cannot_be_deleted_or_changed_through_the_orm(event: AuditEvent) -> None:
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    _refused(lambda: AuditEvent.objects.all().delete())
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="test.forged"))
    event.action = "test.forged"
    _refused(lambda: event.save())
    _refused(lambda: AuditHead.objects.all().delete())
    event.refresh_from_db()
    assert event.action == "test.guard" and AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_delete_change_or_truncate_the_trail_either(event: AuditEvent) -> None:
    def sql(statement: str) -> Callable[[], object]:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(statement)

        return run

    _refused(sql(f"DELETE FROM audit_auditevent WHERE id = {event.pk}"))  # noqa: S608
    _refused(sql(f"UPDATE audit_auditevent SET after = NULL WHERE id = {event.pk}"))  # noqa: S608
    _refused(sql("DELETE FROM audit_audithead"))
    if connection.vendor == "postgresql":
        _refused(sql("TRUNCATE audit_auditevent"))
    assert AuditEvent.objects.filter(pk=event.pk, after={"n": 1}).exists()


def test_new_events_are_still_appended_and_the_head_still_moves(event: AuditEvent) -> None:
    after = audit_record(actor=None, action="test.guard", after={"n": 2})
    assert after.seq == event.seq + 1 and AuditHead.objects.get().seq == after.seq


def test_lifting_the_guard_is_scoped_and_it_comes_back(event: AuditEvent) -> None:
    with guard_lifted():
        assert not guard_installed()
    assert guard_installed()
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_only_flush_which_empties_the_whole_database_lifts_the_guard() -> None:
    assert get_commands()["flush"] == "audit"


def test_the_audit_log_page_has_no_way_to_change_or_delete(client_as: ClientAs) -> None:
    client = client_as("auditor")
    events = AuditEvent.objects.count()
    for method in ("post", "put", "patch", "delete"):
        getattr(client, method)("/audit/", {"seq": "1"})
    assert AuditEvent.objects.count() == events
    from tests.security.matrix import url_patterns

    audit_views = {p.name for p in url_patterns() if p.callback.__module__.startswith("audit.")}
    assert audit_views == {"audit:list"}
