"""Show or set the time limits of the categories of matters (urgency, response window, handling limit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from matters.deadlines import handling_limit
from matters.models import Category, Urgency
from matters.services import category_limits_set
from matters.services.categories import UNCHANGED


def _hours(raw: str | None) -> int | object | None:
    """'12' → 12; 'default' → None (back to the default); not given → unchanged."""
    if raw is None:
        return UNCHANGED
    if raw.strip().lower() == "default":
        return None
    if not raw.strip().isdecimal():
        raise CommandError(_("Write the hours as a whole number, or “default”."))
    return int(raw)


class Command(BaseCommand):
    help = "Show the categories' time limits, or set one category's (urgency, response and handling hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", dest="code", help="The code of the category to change.")
        parser.add_argument("--urgency", choices=Urgency.values)
        parser.add_argument("--response-hours", help="Hours to respond, or “default” (one working day).")
        parser.add_argument("--handling-hours", help="Hours to handle, or “default” (the urgency's).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            category = Category.objects.filter(code=options["code"]).first()
            if category is None:
                raise CommandError(_("No category has the code “%(code)s”.") % {"code": options["code"][:40]})
            try:
                category_limits_set(
                    actor=None,
                    category=category,
                    urgency=options["urgency"],
                    response_hours=_hours(options["response_hours"]),
                    handling_hours=_hours(options["handling_hours"]),
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        for category in Category.objects.order_by("order", "code"):
            response = f"{category.response_hours} h" if category.response_hours else _("one working day")
            hours = int(handling_limit(category).total_seconds() // 3600)
            self.stdout.write(
                f"{category.code}\t{category.name}\t{category.get_urgency_display()}\t{response}\t{hours} h"
            )
