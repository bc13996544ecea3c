"""Run the sweep of lost job runs now (the workers also run it every minute): what it did, one line per job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs.services import job_sweep


class Command(BaseCommand):
    help = "Queue again the job runs lost with their worker (or fail them, with a message); resend lost messages."

    def handle(self, *args: Any, **options: Any) -> None:
        swept = job_sweep(now=timezone.now())
        for job_id in swept.retried:
            self.stdout.write(_("queued again: %(job)s") % {"job": job_id})
        for job_id in swept.failed:
            self.stdout.write(_("failed, its worker stopped: %(job)s") % {"job": job_id})
        for job_id in swept.resent:
            self.stdout.write(_("message sent again: %(job)s") % {"job": job_id})
        self.stdout.write(
            _("%(retried)d queued again, %(failed)d failed, %(resent)d messages sent again.")
            % {"retried": len(swept.retried), "failed": len(swept.failed), "resent": len(swept.resent)}
        )
