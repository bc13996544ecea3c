"""`manage.py duty_remind`: remind people short of their weekly duties (cron, Fridays after noon).

Idempotent: each person is reminded at most once per ISO week, however often it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from fieldwork.duties import week_of
from fieldwork.reminders import duty_reminders_send

# Reminders go out from Friday noon (local time): early enough to catch up before Sunday.
SEND_FROM_WEEKDAY = 4  # Monday is 0
SEND_FROM_TIME = dt.time(12, 0)


def may_send(now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    return (local.weekday(), local.time()) >= (SEND_FROM_WEEKDAY, SEND_FROM_TIME)


class Command(BaseCommand):
    help = "Remind people short of their weekly duties, once per ISO week; only from Friday 12:00 unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Send now, whatever the day and time.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        week = week_of(timezone.localdate(now))
        if not options["force"] and not may_send(now):
            self.stdout.write(f"duty_remind {week}: nothing sent before Friday 12:00 (use --force to send now)")
            return
        sent = duty_reminders_send(now=now)
        self.stdout.write(f"duty_remind {week}: {sent} reminders sent")
