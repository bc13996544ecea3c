from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; print OK or the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"BROKEN at event #{report.broken_seq}: {report.reason} ({report.checked} events verified before it)"
            )
        self.stdout.write(f"OK: {report.checked} events verified")
