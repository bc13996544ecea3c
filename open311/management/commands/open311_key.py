from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from open311.models import ApiKey
from open311.services import api_key_create, api_key_revoke


class Command(BaseCommand):
    help = "Manage the API keys of Open311 clients: create NAME (prints the key once), list, revoke NAME."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a key for a client system and print it once.")
        create.add_argument("name")
        sub.add_parser("list", help="List the keys: name, prefix, state, created, last used.")
        revoke = sub.add_parser("revoke", help="Revoke a key; it stops working at once.")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                key, secret = api_key_create(actor=None, name=options["name"])
                self.stdout.write(
                    _("Created the Open311 API key “%(name)s”. Keep it now; it is not shown again:")
                    % {"name": key.name}
                )
                self.stdout.write(secret)
            elif options["action"] == "revoke":
                key = api_key_revoke(actor=None, name=options["name"])
                self.stdout.write(_("Revoked the Open311 API key “%(name)s”.") % {"name": key.name})
            else:
                self._list()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _list(self) -> None:
        keys = ApiKey.objects.order_by("name")
        if not keys:
            self.stdout.write(_("No Open311 API keys."))
        for key in keys:
            state = _("active") if key.active else _("revoked")
            used = timezone.localtime(key.last_used_at).strftime("%Y-%m-%d %H:%M") if key.last_used_at else "-"
            created = timezone.localtime(key.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{key.name}\t{key.prefix}…\t{state}\t{created}\t{used}")
