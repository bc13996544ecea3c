"""What the public leaves on the portal: endorsements, ratings, phone codes, and the counters that throttle it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models import Matter, Satisfaction


class EndorsementKind(models.TextChoices):
    VERIFIED = "verified", _("endorsement (phone verified)")
    ANONYMOUS = "anonymous", _("anonymous support")


class Endorsement(models.Model):
    """附议: one resident's "+1" on a problem.

    Verified: a phone proved by an SMS code, once per phone per matter (a keyed digest, never the number); these are
    the matter's endorsements (`Matter.endorsement_count`). Anonymous support (匿名支持): without a phone, counted
    apart and limited per client address and day (a keyed digest of the address, never the address)."""

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="endorsements")
    kind = models.CharField(_("kind"), max_length=10, choices=EndorsementKind.choices)
    phone_digest = models.CharField(_("phone"), max_length=64, blank=True)
    # Anonymous support: the client address's digest (cookie digests for endorsements made before the phone path).
    client_digest = models.CharField(_("client"), max_length=64, blank=True)
    day = models.DateField(_("day"))  # the local date, for the per-day limits of anonymous support
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "phone_digest"],
                condition=Q(kind=EndorsementKind.VERIFIED),
                name="endorsement_once_per_phone",
            ),
            models.CheckConstraint(
                condition=(Q(kind=EndorsementKind.VERIFIED) & ~Q(phone_digest=""))
                | (Q(kind=EndorsementKind.ANONYMOUS) & Q(phone_digest="")),
                name="endorsement_phone_only_when_verified",
            ),
        ]
        indexes = [models.Index(fields=["client_digest", "day"], name="endorsement_client_day")]

    def __str__(self) -> str:
        return f"{self.matter_id} +1 ({self.kind})"


class Rating(CleanTextModel):
    """民生实事群众评: a verified phone's judgement of a completed matter; one per phone per matter."""

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="ratings")
    phone_digest = models.CharField(_("phone"), max_length=64)
    value = models.CharField(_("rating"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=500)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["matter", "phone_digest"], name="rating_once_per_phone"),
            models.CheckConstraint(condition=Q(value__in=Satisfaction.values), name="rating_value_known"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.value}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove a phone; stored as a keyed hash, spent once, tried a few times."""

    phone_digest = models.CharField(_("phone"), max_length=64, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20)
    matter = models.ForeignKey(Matter, verbose_name=_("matter"), null=True, blank=True, on_delete=models.CASCADE)
    code_digest = models.CharField(_("code"), max_length=64)
    created_at = models.DateTimeField(_("time"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class ThrottleHit(models.Model):
    """How often a client did something in a time window; shared by every server process through the database."""

    key = models.CharField(_("key"), max_length=120)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("throttle counter")
        verbose_name_plural = _("throttle counters")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="throttle_key_window_unique")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} {self.count}"


class ResidentStep(models.TextChoices):
    """The steps a reporter is told of by text message."""

    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("completed")


class ResidentMessage(models.Model):
    """One text message to a matter's reporter about one step (portal.services.messages): one per step, and at most
    one a day per matter; a step that finds the day's message already sent waits (`sent_at` empty) for the next day.
    The phone is read from the matter when sending, never kept here."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="resident_messages"
    )
    step = models.CharField(_("step"), max_length=10, choices=ResidentStep.choices)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)  # the local date, for the one-a-day rule
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message to the reporter")
        verbose_name_plural = _("messages to the reporter")
        constraints = [
            models.UniqueConstraint(fields=["matter", "step"], name="resident_message_once_per_step"),
            models.UniqueConstraint(
                fields=["matter", "sent_on"], condition=Q(sent_on__isnull=False), name="resident_message_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.step}"


class FrontFigures(models.Model):
    """The front page's figures of a campaign (none: of all public matters), computed by a job, never in a request.

    `portal.services.figures.front_figures_refresh` (every minute, `portal.front_figures`) writes them; the front
    page reads this row through the cache. Counting a province's matters takes a while, and the front door is the
    busiest page of all.
    """

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("front page figures")
        verbose_name_plural = _("front page figures")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(campaign__isnull=True), name="front_figures_one_without_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id or '-'} @ {self.computed_at:%Y-%m-%d %H:%M}"
