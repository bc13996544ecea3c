from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from campaigns import demo as campaign_demo
from campaigns.selectors import today
from core.dates import months_between
from core.roles import Role
from core.services import account_create, account_set_roles
from fieldwork import demo as fieldwork_demo
from matters import demo as matters_demo
from org import demo as org_demo
from portal import demo as portal_demo

# username → (role, person ref). Created only here, never by migrations.
DEMO_ACCOUNTS: list[tuple[str, Role, str]] = [
    ("cadre", Role.CADRE, "demo:person:cadre"),
    ("handler", Role.HANDLER, "demo:person:handler"),
    ("leader", Role.LEADER, "seed:person:yanglixin"),
    ("coordinator", Role.COORDINATOR, "seed:person:liyongjin"),
    ("assessor", Role.ASSESSOR, "seed:person:ji"),
    ("supervisor", Role.SUPERVISOR, "seed:person:zhanhanwen"),
    ("sysadmin", Role.SYSADMIN, "demo:person:sysadmin"),
    ("secadmin", Role.SECADMIN, "demo:person:secadmin"),
    ("auditor", Role.AUDITOR, "demo:person:auditor"),
]


class Command(BaseCommand):
    help = "Load the seed's organisation, campaign and demo accounts; running it again duplicates nothing."

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
            help="Skip the seed's 17 matters (attachment 2), the demo reports, ratings and visits (for tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        shift = options["shift_months"]
        if shift is None:
            shift = months_between(campaign_demo.ANCHOR_MONTH, today()) if options["shift_to_today"] else 0
        with transaction.atomic():
            _reference_categories()
            counts = org_demo.load()
            campaign = campaign_demo.load(shift_months=shift)
            created = self._accounts()
            matters = None if options["without_matters"] else matters_demo.load(shift_months=shift)
            voices = None if options["without_matters"] else portal_demo.load()
            visits = None if options["without_matters"] else fieldwork_demo.load(shift_months=shift)
        self.stdout.write(
            f"Demo data: {counts['units']} units, {counts['people']} people, "
            f"campaign {campaign.starts_on}–{campaign.ends_on} (shifted {shift} months), {created} new accounts."
        )
        if matters is not None and voices is not None:
            self.stdout.write(
                f"Demo matters: {matters['imported'] + matters['extras']} new, {matters['rescheduled']} rescheduled; "
                f"{voices['endorsements']} endorsements and {voices['ratings']} ratings added."
            )
        if visits is not None:
            self.stdout.write(f"Demo visits: {visits['visits']} new, {visits['enterprises']} demo enterprises.")

    def _accounts(self) -> int:
        user_model = get_user_model()
        created = 0
        for username, role, person_ref in DEMO_ACCOUNTS:
            if user_model.objects.filter(username=username).exists():
                continue
            user = account_create(
                actor=None,
                username=username,
                password=settings.DEMO_PASSWORD,
                person=org_demo.person_by_ref(person_ref),
            )
            account_set_roles(actor=None, user=user, roles=[role.value])
            created += 1
        return created


def _reference_categories() -> None:
    """The categories migration 0002 creates; put back if the database was emptied since (a test flush)."""
    import importlib

    from django.apps import apps

    importlib.import_module("matters.migrations.0002_categories").create(apps, None)
