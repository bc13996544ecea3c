"""Name the accounts that break the separation of duties: an administrator role held with another role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.selectors import accounts_mixing_roles


class Command(BaseCommand):
    help = (
        "List accounts that combine an administrator role (system, security, audit) with another role; "
        "exit with status 1 if there are any. Changes nothing: the security administrator sorts them out."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        mixed = accounts_mixing_roles()
        if not mixed:
            self.stdout.write(_("No account combines an administrator role with another role."))
            return
        for user, roles in mixed:
            self.stdout.write(f"{user.get_username()}: {', '.join(role.value for role in roles)}")
        raise CommandError(
            _(
                "%(n)d account(s) combine an administrator role with another role; until the security administrator "
                "changes their roles they act with their administrator role only."
            )
            % {"n": len(mixed)}
        )
