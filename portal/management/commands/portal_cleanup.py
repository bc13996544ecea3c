"""Delete what is kept only for a while: the portal's throttle counters and spent or expired phone codes, and the
login's counters of failures per address (core.services.login_prune)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.services import login_prune
from portal.models import PhoneCode
from portal.throttle import throttle_prune


class Command(BaseCommand):
    help = "Delete throttle and login counters older than a day and phone codes spent or expired more than a day ago."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=1)
        counters = throttle_prune(before=cutoff)
        codes, _detail = PhoneCode.objects.filter(Q(expires_at__lt=cutoff) | Q(used_at__lt=cutoff)).delete()
        logins = login_prune(before=cutoff)
        self.stdout.write(
            f"portal_cleanup: {counters} throttle counters, {codes} phone codes, {logins} login counters deleted"
        )
