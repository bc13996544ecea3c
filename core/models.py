from django.db import models
from django.utils.translation import gettext_lazy as _

from core.jobs.models import Job, PeriodClaim  # the job machinery keeps its models in its own room


class AccountLock(models.Model):
    """Failed logins of one account from one client address; a lock holds until `locked_until` or a security admin
    lifts it. Per address, so that someone else's attempts lock the owner out only where those attempts come from."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    # A keyed digest of the client address the failures came from (core.privacy.client_digest), never the address.
    client = models.CharField(_("client"), max_length=64, blank=True, default="")
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("account lock")
        verbose_name_plural = _("account locks")
        constraints = [models.UniqueConstraint(fields=["username", "client"], name="account_lock_per_client")]

    def __str__(self) -> str:
        return self.username


class LoginBlock(models.Model):
    """Failed logins counted per client address, per address range, and per unknown username and address, in a
    window of LOGIN_LOCKOUT; past its limit the key is refused until `blocked_until`. Keys are keyed digests."""

    class Scope(models.TextChoices):
        ADDRESS = "address", _("address")
        RANGE = "range", _("address range")
        UNKNOWN = "unknown", _("unknown username")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("key"), max_length=64)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    window_start = models.DateTimeField(_("window start"))
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login block")
        verbose_name_plural = _("login blocks")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_block_scope_key_unique")]
        indexes = [models.Index(fields=["window_start"]), models.Index(fields=["blocked_until"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:12]}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """A day the working-day calendar declares (core.workdays): a holiday on a weekday, or a weekend day worked in
    its place (调休). The days of settings.HOLIDAYS and WORKDAYS count too; a day declared here overrides them."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("declared day")
        verbose_name_plural = _("declared days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]), name="calendar_day_kind")
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}".strip()


__all__ = ["AccountLock", "CalendarDay", "CalendarDayKind", "Job", "LoginBlock", "PeriodClaim"]
