"""A matter: its fields, what is derived from them, its category and its code counter."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.idempotency import KEY_MAX_LENGTH
from core.text import CleanTextModel
from core.validators import phone_validator
from matters import search
from matters.kinds import LIVELIHOOD, KindSpec, kind_spec, validate_kind
from matters.workflow import Status

# A problem's text, through every channel (the portal, Open311, the API, the back office, the importers): a
# problem is told in a few sentences; the room for more keeps every matter the API and the back office ever
# accepted valid at its next step, since each step checks the whole matter again.
PROBLEM_MAX_LENGTH = 5000
problem_length = MaxLengthValidator(
    PROBLEM_MAX_LENGTH, message=_("Keep the description to %(limit_value)d characters (you wrote %(show_value)d).")
)


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PORTAL = "portal", _("Portal")
    HOTLINE = "hotline", _("Hotline")
    MEETING = "meeting", _("Meeting")
    PETITION = "petition", _("Petition")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Urgency(models.TextChoices):
    """How hotline practice sorts matters for their time limits (the hours are in settings.HANDLING_LIMIT_HOURS)."""

    EMERGENCY = "emergency", _("Emergency")
    UTILITIES = "utilities", _("Water, power, gas or heating")
    GENERAL = "general", _("General")
    COMPLEX = "complex", _("Complex")


class Category(CleanTextModel):
    """A category of matters; its code is the Open311 service code; its urgency sets its time limits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.GENERAL)
    response_hours = models.PositiveIntegerField(
        _("response window (hours)"),
        null=True,
        blank=True,
        help_text=_("Empty: one working day, or the handling limit if that is shorter."),
    )
    handling_hours = models.PositiveIntegerField(
        _("handling limit (hours)"), null=True, blank=True, help_text=_("Empty: the default of its urgency.")
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class CodeCounter(models.Model):
    """The last matter number handed out for a year; locked to give out the next."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def last_day(deadline: dt.date | None, precision: str) -> dt.date | None:
    if deadline is None:
        return None
    if precision == Precision.MONTH:
        return deadline.replace(day=calendar.monthrange(deadline.year, deadline.month)[1])
    return deadline


def derive(matter: Any) -> None:
    """Set a matter's derived fields (also used by the migration that added them, on its historical model)."""
    from django.utils import timezone

    matter.deadline_last_day = last_day(matter.deadline, matter.deadline_precision)
    matter.completed_on = timezone.localdate(matter.completed_at) if matter.completed_at else None
    first = min((t for t in (matter.accepted_at, matter.declined_at) if t is not None), default=None)
    matter.response_seconds = (
        int((first - matter.reported_at).total_seconds()) if first is not None and matter.reported_at else None
    )


DERIVED = frozenset({"deadline_last_day", "completed_on", "response_seconds", "respond_by"})
DERIVED_FROM = frozenset(
    {"deadline", "deadline_precision", "completed_at", "accepted_at", "declined_at", "reported_at", "category"}
)


# The reporter's details: shown only to holders of MatterCap.REPORTER_VIEW, on a matter's page and in its API detail (each
# time audited as matters.view_reporter), never in lists, exports, public pages, Open311 or the audit log.
REPORTER_FIELDS = (
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_device_id",
    "reporter_account_id",
    "reporter_media_url",
)


class Matter(CleanTextModel):
    """民情事项: one problem raised through any channel, followed to its end."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    # A random code the reporter follows the matter by; the sequential `code` is guessable, this is not.
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, null=True, blank=True)
    # A registered kind (matters.kinds): livelihood, or one an app plugs in with its own detail data.
    kind = models.CharField(_("kind"), max_length=12, default=LIVELIHOOD, validators=[validate_kind])
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="matters"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    problem = models.TextField(_("problem"))
    task = models.TextField(_("task"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Where the work is, as staff publish it (matters.services.matter_site_location_set). The coordinates above are
    # the reporter's own (their browser's, their app's): the public only ever sees them rounded to about 100 m.
    site_latitude = models.DecimalField(
        _("public latitude of the work site"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    site_longitude = models.DecimalField(
        _("public longitude of the work site"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True, validators=[phone_validator])
    # The reporter asked for no text messages about the matter (the portal's form); with their other private details.
    reporter_no_sms = models.BooleanField(_("reporter wants no text messages"), default=False, db_default=False)
    # What else a client system (Open311) sends about its user: as private as the name and phone (REPORTER_FIELDS).
    reporter_email = models.EmailField(_("reporter's e-mail"), max_length=254, blank=True)
    reporter_device_id = models.CharField(_("reporter's device id"), max_length=100, blank=True)
    reporter_account_id = models.CharField(_("reporter's account id"), max_length=100, blank=True)
    reporter_media_url = models.URLField(_("reporter's media link"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_precision = models.CharField(
        _("deadline precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    budget_yuan = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    effect = models.TextField(_("effect"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    leads = models.ManyToManyField("org.Person", verbose_name=_("leads"), blank=True, related_name="led_matters")
    units = models.ManyToManyField("org.Unit", verbose_name=_("responsible units"), blank=True, related_name="matters")
    all_communities = models.BooleanField(_("all communities"), default=False, help_text=_("各社区"))
    remarks = models.TextField(_("remarks"), blank=True)
    public_reply = models.TextField(_("reply to the reporter"), blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=KEY_MAX_LENGTH, blank=True)
    import_key = models.CharField(_("import key"), max_length=64, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    # Public engagement, counted by the portal's services (denormalised so lists need no joins).
    endorsement_count = models.PositiveIntegerField(_("endorsements"), default=0)
    rated_satisfied = models.PositiveIntegerField(_("rated satisfied"), default=0)
    rated_basically = models.PositiveIntegerField(_("rated basically satisfied"), default=0)
    rated_dissatisfied = models.PositiveIntegerField(_("rated dissatisfied"), default=0)
    redo_flagged_at = models.DateTimeField(_("flagged for redo at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived in save() from the fields above, so that figures over a million matters are plain SQL:
    deadline_last_day = models.DateField(_("last day of the deadline"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on (local date)"), null=True, blank=True, editable=False)
    response_seconds = models.IntegerField(_("seconds to the first response"), null=True, blank=True, editable=False)
    respond_by = models.DateTimeField(_("end of the response window"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="matter_progress_0_100"),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | Q(closed_at__isnull=False), name="matter_closed_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.MERGED) | Q(merged_into__isnull=False), name="matter_merged_has_target"
            ),
            models.CheckConstraint(
                condition=Q(site_latitude__isnull=True, site_longitude__isnull=True)
                | Q(site_latitude__isnull=False, site_longitude__isnull=False),
                name="matter_site_location_whole",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="matter_idempotency_key_unique"
            ),
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="matter_import_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_last_day"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["reported_at"]),
            # A unit's lists filter its matters by status and publicity and sort them by time: all from here,
            # without reading the rows (see core.paging).
            models.Index(fields=["id", "status", "is_public", "reported_at"], name="matter_list_cover"),
            # The front page's most endorsed open problems and latest effects, read from the top of these.
            models.Index(fields=["endorsement_count", "reported_at"], name="matter_endorsed"),
            models.Index(fields=["completed_at"], name="matter_completed"),
            # Few matters concern every community; a community's list finds them through this.
            models.Index(fields=["all_communities"], condition=Q(all_communities=True), name="matter_all_communities"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.problem[:30]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & DERIVED_FROM:
            kwargs["update_fields"] = {*update_fields, *DERIVED}
        super().save(*args, **kwargs)
        if update_fields is not None and not set(update_fields) & set(search.INDEXED_FIELDS):
            return
        # A workflow step saves the whole matter but rarely changes its text: write the index entry only
        # when the text differs from what was loaded or last saved.
        text = tuple(getattr(self, f) for f in search.INDEXED_FIELDS)
        if text != getattr(self, "_indexed_text", None):
            search.write([(self.pk, search.document(text))])
            self._indexed_text = text

    def clean(self) -> None:
        """The rules every channel meets, whatever its form checked: the problem's length."""
        try:
            problem_length(self.problem)
        except ValidationError as exc:
            raise ValidationError({"problem": exc.error_list}) from None

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Matter:
        matter = super().from_db(db, field_names, values)
        if set(search.INDEXED_FIELDS) <= set(field_names):  # not when some were deferred
            matter._indexed_text = tuple(getattr(matter, f) for f in search.INDEXED_FIELDS)
        return matter

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        pk = self.pk
        deleted = super().delete(*args, **kwargs)
        search.remove([pk])
        return deleted

    def get_absolute_url(self) -> str:
        """The matter's back-office page."""
        from django.urls import reverse

        return reverse("matters:detail", args=[self.pk])

    @property
    def notification_label(self) -> str:
        """How an inbox names this matter: its code (never its text, which may carry personal data)."""
        return self.code

    @property
    def kind_spec(self) -> KindSpec:
        return kind_spec(self.kind)

    def get_kind_display(self) -> str:
        return str(self.kind_spec.label)

    @property
    def kind_detail(self) -> Any:
        """This matter's record of its kind's own data (a petition case, …), or None."""
        return self.kind_spec.detail_of(self)

    def derive(self) -> None:
        """Set the derived fields: the deadline's last day, the local completion date, the response time and window."""
        from matters.deadlines import response_due

        derive(self)
        category = self.category if self.category_id else None
        self.respond_by = response_due(self.reported_at, category) if self.reported_at else None

    @property
    def due_on(self) -> dt.date | None:
        """The last day of the deadline: a month deadline runs to the end of its month."""
        return last_day(self.deadline, self.deadline_precision)

    @property
    def response_state(self) -> str:
        """Against the response window: 'in_time' or 'late' once answered, else 'pending' or 'overdue'."""
        from django.utils import timezone

        if self.respond_by is None:
            return ""
        first = min((t for t in (self.accepted_at, self.declined_at) if t is not None), default=None)
        if first is not None:
            return "in_time" if first <= self.respond_by else "late"
        return "overdue" if timezone.now() > self.respond_by else "pending"

    @property
    def ratings_total(self) -> int:
        return self.rated_satisfied + self.rated_basically + self.rated_dissatisfied

    def is_overdue(self, on: dt.date) -> bool:
        from matters.workflow import UNFINISHED

        due = self.due_on
        return due is not None and self.status in UNFINISHED and on > due
