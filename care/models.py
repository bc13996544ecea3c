"""Households in need, their members, pairings with cadres, the help given, and micro-wishes.

Everything about a household (its address, its members' names, ages and phones) is personal data: only the
household's community handlers, its paired cadres, the coordination team and the supervision team read it
(care.selectors.households_visible_to), and each view of it is audited. A micro-wish's public face is its text
(masked) and value, never its household.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from core.validators import phone_validator
from org.models import Person, Unit


class Category(models.Model):
    """A category of need (低保, 特困, 残疾 …): a configurable list, seeded by a migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("label"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category of need")
        verbose_name_plural = _("categories of need")

    def __str__(self) -> str:
        return self.label


class Household(CleanTextModel):
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="care_households"
    )
    compound = models.ForeignKey(
        Unit, verbose_name=_("compound"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), related_name="households")
    situation = models.TextField(_("situation"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ref = models.CharField(_("external reference"), max_length=80, blank=True)
    import_key = models.CharField(_("import key"), max_length=64, blank=True)

    class Meta:
        ordering = ["community__order", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["ref"], condition=~Q(ref=""), name="care_household_ref_unique"),
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="care_household_import_key_unique"
            ),
        ]

    def __str__(self) -> str:
        # Never the address or a member's name: this label reaches the audit log and notifications.
        return f"{_('Household')} H{self.pk or 0:05d}"

    @property
    def code(self) -> str:
        return f"H{self.pk or 0:05d}"


class Member(CleanTextModel):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=60)
    relation = models.CharField(
        _("relation"), max_length=30, help_text=_("To the head of the household: 户主, 配偶, 子女 …")
    )
    age = models.PositiveIntegerField(_("age"), null=True, blank=True, validators=[MaxValueValidator(130)])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.household} · {_('member')} {self.pk}"


def default_cadence() -> int:
    return int(getattr(settings, "CARE_PAIRING_CADENCE_DAYS", 30))


class Pairing(CleanTextModel):
    """A cadre paired with a household (结对帮扶): the plan, its review date, the outcome aimed for, the cadence."""

    cadre = models.ForeignKey(Person, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="care_pairings")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="pairings"
    )
    started_on = models.DateField(_("started on"))
    plan = models.TextField(_("plan"), blank=True)
    target_outcome = models.CharField(_("outcome aimed for"), max_length=200)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    cadence_days = models.PositiveIntegerField(
        _("visit every (days)"), default=default_cadence, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    outcome_met = models.BooleanField(_("outcome met"), default=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["household", "cadre"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "household"], condition=Q(ended_on__isnull=True), name="care_pairing_one_active"
            ),
            models.CheckConstraint(condition=Q(cadence_days__gte=1), name="care_pairing_cadence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.household}"

    def last_contact(self) -> dt.date | None:
        last = self.helps.order_by("-date").values_list("date", flat=True).first()
        return last


class HelpKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    GOODS = "goods", _("Goods")
    MONEY = "money", _("Money")
    SERVICE = "service", _("A service")
    REFERRAL = "referral", _("A referral")
    MATTER = "matter", _("A matter raised")


class Help(CleanTextModel):
    """One help given under a pairing; a household visit logged in field work adds one of kind `visit`."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="helps")
    kind = models.CharField(_("kind"), max_length=10, choices=HelpKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("what was done"), max_length=300, blank=True)
    visit = models.OneToOneField(
        "fieldwork.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="care_help",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("help given")
        verbose_name_plural = _("help given")

    def __str__(self) -> str:
        return f"{self.pairing} · {self.get_kind_display()} {self.date}"


class WishState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Open for claiming")
    CLAIMED = "claimed", _("Claimed")
    DELIVERED = "delivered", _("Delivered, awaiting confirmation")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClaimerKind(models.TextChoices):
    CADRE = "cadre", _("A cadre")
    UNIT = "unit", _("A unit")
    BRANCH = "branch", _("A party branch")


class Wish(CleanTextModel):
    """A micro-wish (微心愿): the detail of a matter of kind `micro_wish`."""

    matter = models.OneToOneField("matters.Matter", on_delete=models.CASCADE, related_name="care_wish")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="wishes"
    )
    community = models.ForeignKey(Unit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("wish"), max_length=200)
    value = models.DecimalField(
        _("estimated value (yuan)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=WishState.choices, default=WishState.SUBMITTED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimer_kind = models.CharField(_("claimed as"), max_length=10, choices=ClaimerKind.choices, blank=True)
    claimer_name = models.CharField(_("claimer"), max_length=120, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_expires_at = models.DateTimeField(_("claim expires at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    confirmed_via = models.CharField(_("confirmed through"), max_length=10, blank=True)
    confirm_token = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="care_wish_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(state__in=["claimed", "delivered", "fulfilled"]) | Q(claimed_at__isnull=False),
                name="care_wish_claimed_has_claim",
            ),
            models.CheckConstraint(
                condition=~Q(state="fulfilled") | Q(fulfilled_at__isnull=False), name="care_wish_fulfilled_has_date"
            ),
            models.UniqueConstraint(
                fields=["confirm_token"], condition=~Q(confirm_token=""), name="care_wish_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Micro-wish')} W{self.pk or 0:05d}"

    @property
    def code(self) -> str:
        return f"W{self.pk or 0:05d}"
