"""Field work: visits (走访, 调研座谈, 入户 …), dual registration (双报到双报告) and duty reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel
from matters.models import Matter
from org.models import ContactPoint, Person, Unit


class VisitKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit (实地走访)")
    SURVEY_MEETING = "survey_meeting", _("Survey meeting (调研座谈)")
    HOUSEHOLD = "household", _("Household visit (入户走访)")
    ENTERPRISE = "enterprise", _("Enterprise visit (走访企业)")
    PETITIONER = "petitioner", _("Petitioner home visit (信访户家访)")
    PARTY_BUILDING = "party_building", _("Party building (党建)")
    GOVERNANCE = "governance", _("Community governance (基层治理)")
    EMERGENCY = "emergency", _("Emergency duty (应急值守)")
    POLICY_TALK = "policy_talk", _("Policy talk (政策宣讲)")


# Visits that put a person on site for the day: they count towards a leader's field days.
FIELD_KINDS = frozenset(
    {
        VisitKind.SITE_VISIT,
        VisitKind.SURVEY_MEETING,
        VisitKind.HOUSEHOLD,
        VisitKind.ENTERPRISE,
        VisitKind.PETITIONER,
    }
)


class PlaceKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    COMPOUND = "compound", _("Compound")
    HOUSEHOLD = "household", _("Household")
    CONTACT_POINT = "contact_point", _("Contact point")
    OTHER = "other", _("Other place")


class Visit(CleanTextModel):
    """One stretch of grassroots work by one person on one day."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"), null=True, blank=True)
    end_time = models.TimeField(_("end"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.1), MaxValueValidator(24)],
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices)
    place_kind = models.CharField(_("place"), max_length=16, choices=PlaceKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("community, enterprise or compound"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("contact point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # A household's description is personal data: shown only to those who may see the visit, never published.
    place_detail = models.CharField(_("place details"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants or audience"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    # Why a visit was entered more than settings.VISIT_LATE_DAYS after its date (补录原因); the supervision team sees it.
    late_reason = models.TextField(_("reason for late entry (补录原因)"), blank=True)
    matters = models.ManyToManyField(Matter, verbose_name=_("matters raised"), blank=True, related_name="visits")
    entered_at = models.DateTimeField(_("entered at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_key = models.CharField(_("import key"), max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="visit_hours_0_24"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="visit_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(contact_point__isnull=False) | ~Q(place_detail=""),
                name="visit_has_place",
            ),
            models.UniqueConstraint(fields=["import_key"], condition=~Q(import_key=""), name="visit_import_key_unique"),
        ]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.get_kind_display()}"

    @property
    def place_label(self) -> str:
        if self.contact_point is not None:
            return self.contact_point.target_label
        if self.unit is not None:
            return self.unit.name
        return self.place_detail


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The photo's fingerprints (core.imagehash), set where it is stored: the supervision signals find a photo reused.
    sha256 = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.file.name


class Registration(models.Model):
    """双报到: a cadre registered with the community where they live."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registration"
    )
    community = models.ForeignKey(
        Unit, verbose_name=_("residential community"), on_delete=models.PROTECT, related_name="registrations"
    )
    registered_on = models.DateField(_("registered on"))

    class Meta:
        ordering = ["community", "person"]
        verbose_name = _("dual registration")
        verbose_name_plural = _("dual registrations")

    def __str__(self) -> str:
        return f"{self.person} → {self.community}"


class RegistrationReport(CleanTextModel):
    """双报告: what a registered cadre did for their residential community, reported back for a period."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    text = models.TextField(_("report"))
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("registration report")
        verbose_name_plural = _("registration reports")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="registration_report_period"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.period_start}–{self.period_end}"


class DutyReminder(models.Model):
    """A reminder sent to a person short of their duties in an ISO week; once per person and week."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    week = models.CharField(_("ISO week"), max_length=8)  # "2026-W48"
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("duty reminder")
        verbose_name_plural = _("duty reminders")
        constraints = [models.UniqueConstraint(fields=["person", "week"], name="duty_reminder_once_per_week")]

    def __str__(self) -> str:
        return f"{self.person} {self.week}"


class DutyStatement(CleanTextModel):
    """述职: what a person writes of their own work over a report's period, read before the report's figures.

    主要工作 (main work), 存在问题 (problems) and 下步打算 (next steps); one statement per person and period.
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    main_work = models.TextField(_("main work"), max_length=4000)
    problems = models.TextField(_("problems"), max_length=4000)
    next_steps = models.TextField(_("next steps"), max_length=4000)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("duty statement")
        verbose_name_plural = _("duty statements")
        constraints = [
            models.UniqueConstraint(fields=["person", "period_start", "period_end"], name="duty_statement_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="duty_statement_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period_start}–{self.period_end}"
