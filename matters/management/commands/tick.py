"""`manage.py tick`: chase and escalate overdue matters, then send pending notifications.

Idempotent and safe to run every few minutes from cron or a systemd timer, on several servers at once:
deadline events are unique per matter, kind and due date, and deliveries are claimed row by row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from matters.deadlines import deadlines_tick
from notifications.delivery import deliver_pending


def parse_now(raw: str) -> dt.datetime:
    """An ISO date or date-time; without a zone it is local time (settings.TIME_ZONE)."""
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(f"--now {raw!r} is not an ISO date or date-time (e.g. 2022-07-01T08:00).") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    help = "Record chases and circulars of overdue matters, then send pending notifications (e-mail, webhook)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Act as if it were this ISO date-time (tests, catching up); default: now.")
        parser.add_argument(
            "--limit", type=int, default=500, help="Send at most this many pending deliveries (default 500)."
        )
        parser.add_argument("--no-send", action="store_true", help="Record deadline events only; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"]) if options["now"] else timezone.now()
        if options["limit"] < 0:
            raise CommandError("--limit must not be negative.")
        events = deadlines_tick(now=now)
        sent = failed = 0
        if not options["no_send"]:
            delivered = deliver_pending(limit=options["limit"])
            sent, failed = delivered.sent, delivered.failed
        self.stdout.write(
            f"tick {timezone.localtime(now):%Y-%m-%d %H:%M}: {events.chases} chases, {events.circulars} circulars, "
            f"{sent} deliveries sent, {failed} failed"
        )
