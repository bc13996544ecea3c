"""The nightly audit check, with its alert: it lives here, above `audit`, because the alert is a notification."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from audit.selectors import audit_verify
from core.jobs.queue import crontab, daily, periodic_job
from core.roles import Role
from notifications.services import notify

logger = logging.getLogger("minqing.audit")


@periodic_job("audit.verify", crontab(hour="2", minute="0"), daily)
def verify_audit(*, now: dt.datetime) -> None:
    """What `manage.py verify_audit` checks; a broken chain is logged as an error and told to the audit administrators."""
    report = audit_verify()
    if report.ok:
        logger.info("verify_audit: OK, %d events verified", report.checked)
        return
    logger.error(
        "verify_audit: BROKEN at event #%s: %s (%d events verified before it)",
        report.broken_seq,
        report.reason,
        report.checked,
    )
    auditors = get_user_model().objects.filter(groups__name=Role.AUDITOR, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=auditors,
            title=_("The audit chain is broken at event #%(seq)s") % {"seq": report.broken_seq},
            body=_(
                "Tonight's check of the audit log found: %(reason)s (%(checked)d events before it verified). "
                "A record was changed, removed or inserted behind the application's back: verify the log, "
                "keep the database as it is and report it to the security officer."
            )
            % {"reason": report.reason, "checked": report.checked},
            link=f"{reverse('audit:list')}?verify=1",
        )
