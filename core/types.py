"""Types every layer shares."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# Who does something: a signed-in user, or None for the system itself (imports, the demo, scheduled jobs).
Actor = AbstractBaseUser | AnonymousUser | None
