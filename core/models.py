from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs.models import Job, PeriodClaim  # the job machinery keeps its models in its own room


class AccountLock(models.Model):
    """Failed-login counter per username; a lock holds until `locked_until` or a security admin lifts it."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")

    def __str__(self) -> str:
        return self.username


__all__ = ["AccountLock", "Job", "PeriodClaim"]
