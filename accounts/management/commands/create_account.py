from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import account_create, account_set_roles
from core.exceptions import DomainError
from core.roles import Role


class Command(BaseCommand):
    help = "Create an account with one role: how a new deployment gets its first administrators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password-env", help="Read the password from this environment variable.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("Password: ")
        try:
            user = account_create(actor=None, username=options["username"], password=password)
            account_set_roles(actor=None, user=user, roles=[options["role"]])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created {user.get_username()} with role {options['role']}")
