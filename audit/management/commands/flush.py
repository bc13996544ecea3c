"""`manage.py flush`, which empties every table, audit trail included: it lifts the append-only guard to do so.

Emptying the whole database is an operator's act on the server, outside any role of the application; the
test suite does it between transactional tests. Anything less than the whole database still meets the guard.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from audit.guard import guard_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with guard_lifted(options["database"]):
            super().handle(**options)
