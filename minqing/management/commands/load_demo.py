from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from campaigns import demo as campaign_demo
from campaigns.selectors import today
from core.dates import months_between
from core.plugins import DemoOptions, plugins


class Command(BaseCommand):
    help = (
        "Load the demo data of every app (the seed's organisation, accounts, campaign, matters, visits …); "
        "running it again duplicates nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--shift-to-today",
            action="store_true",
            help="Move all dates by whole months so that the campaign is running today.",
        )
        parser.add_argument("--shift-months", type=int, default=None, help="Move all dates by this many months.")
        parser.add_argument(
            "--without-matters",
            action="store_true",
            help="Only the organisation, the accounts and the campaign: no matters, visits or other records of "
            "work (for tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        shift = options["shift_months"]
        if shift is None:
            shift = months_between(campaign_demo.ANCHOR_MONTH, today()) if options["shift_to_today"] else 0
        demo = DemoOptions(shift_months=shift, full=not options["without_matters"])
        with transaction.atomic():
            # Each app loads its own part, in the order of INSTALLED_APPS (the organisation before the campaign,
            # the campaign before the matters, …).
            lines = [plugin.demo(demo) for plugin in plugins() if plugin.demo is not None]
            lines += [plugin.demo_late(demo) for plugin in plugins() if plugin.demo_late is not None]
        # The front page shows its figures from the first request on (the workers count them every minute after).
        from portal.services.figures import front_figures_refresh

        front_figures_refresh()
        for line in lines:
            if line:
                self.stdout.write(line)
