"""Enterprise profiles: one per enterprise unit of the organisation, with the facts the policies' conditions read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import CleanTextModel
from core.validators import phone_validator
from enterprises.credit_code import normalise, validate_credit_code


class Industry(models.Model):
    """An industry of the park's list (铜产业, 大宗固废综合利用 …): configurable, referred to by its code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("industry", "name"), max_length=60, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A mark an enterprise may hold (高新技术企业, 专精特新, 规上工业 …), referred to by its code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("tag", "name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise tag")
        verbose_name_plural = _("enterprise tags")

    def __str__(self) -> str:
        return self.name


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class ProjectStage(models.TextChoices):
    SIGNED = "signed", _("Signed")
    BUILDING = "building", _("Under construction")
    PRODUCING = "producing", _("In production")


class EnterpriseProfile(CleanTextModel):
    """An enterprise unit's profile. Its contacts are private (EnterpriseContact): staff only, each view audited."""

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="enterprise_profile",
        limit_choices_to={"kind": "enterprise"},
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+")
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize.choices)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    registered_capital = models.DecimalField(
        _("registered capital (10,000 yuan)"), max_digits=14, decimal_places=2, default=0
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    stage = models.CharField(_("project stage"), max_length=10, choices=ProjectStage.choices, blank=True)
    contact_leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("contact leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises_led",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="+")
    fewer_visits = models.BooleanField(
        _("asks for fewer visits"), default=False, help_text=_("无事不扰: the enterprise asked to be visited less.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self) -> str:
        return self.unit.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.credit_code = normalise(self.credit_code or "")
        super().clean_fields(exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.credit_code = normalise(self.credit_code or "")
        super().save(*args, **kwargs)


class EnterpriseContact(CleanTextModel):
    """A contact person of an enterprise: private (never public, never in the audit log's values)."""

    profile = models.ForeignKey(
        EnterpriseProfile, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    position = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    class Meta:
        ordering = ["profile", "id"]
        verbose_name = _("enterprise contact")
        verbose_name_plural = _("enterprise contacts")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="enterprise_contact_named")]

    def __str__(self) -> str:
        return str(_("Contact of %(enterprise)s") % {"enterprise": self.profile})
