"""Show or import the working-day calendar's declared days (holidays and make-up working days, 调休)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import workdays
from core.exceptions import DomainError
from core.models import CalendarDay
from matters.deadlines import calendar_days_import


class Command(BaseCommand):
    help = (
        "list [--year Y]: the declared days; import FILE (one day a line: 2026-10-01,holiday,国庆节 — '-' reads stdin) "
        "or import --official 2026: declare a year's holidays and make-up working days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "import"])
        parser.add_argument("file", nargs="?", help="The file to import ('-': standard input).")
        parser.add_argument("--year", type=int, help="list: only this year.")
        parser.add_argument(
            "--official", type=int, choices=sorted(workdays.OFFICIAL), help="import: the State Council's schedule."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        rows = CalendarDay.objects.order_by("date")
        if options["year"]:
            rows = rows.filter(date__gte=dt.date(options["year"], 1, 1), date__lte=dt.date(options["year"], 12, 31))
        for row in rows:
            self.stdout.write(f"{row.date.isoformat()}\t{row.kind}\t{row.name}")

    def _import(self, options: dict[str, Any]) -> None:
        if options["official"]:
            days = list(workdays.OFFICIAL[options["official"]])
        elif options["file"]:
            try:
                text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text(encoding="utf-8")
                days = workdays.parse_days(text)
            except (OSError, UnicodeDecodeError, workdays.CalendarParseError) as exc:
                raise CommandError(str(exc)) from None
        else:
            raise CommandError(_("Give a file to import, or --official YEAR."))
        try:
            changed = calendar_days_import(actor=None, days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(_("%(n)d declared days new or changed.") % {"n": changed})
