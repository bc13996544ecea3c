"""Forms of field work: the phone-first visit form, dual registration and its reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.uploads import UploadField
from core.validators import plain_text_validator
from fieldwork.models import PlaceKind, VisitKind
from fieldwork.selectors import contact_points_for_choice
from fieldwork.services import MAX_RAISED, UNIT_PLACES, RaisedMatter
from matters.models import Category
from org.models import ContactPoint, Person, Unit, UnitKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# The select that names the place of each unit place kind.
UNIT_FIELDS = {PlaceKind.COMMUNITY: "community", PlaceKind.ENTERPRISE: "enterprise", PlaceKind.COMPOUND: "compound"}
# Where each place kind is entered (the visit form shows only the matching one).
PLACE_FIELDS = {**UNIT_FIELDS, PlaceKind.CONTACT_POINT: "contact_point"}
RAISED_RANGE = range(1, MAX_RAISED + 1)


class DescribedErrorsMixin:
    """Tie each field's errors (and help text) to its input through aria-describedby and aria-invalid."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        names = [field] if field else []
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        elif isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:  # type: ignore[attr-defined]
                bound = self[name]  # type: ignore[index]
                ids = [f"{bound.auto_id}_error"]
                if bound.help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
                bound.field.widget.attrs["aria-invalid"] = "true"


def _units(kind: str) -> Any:
    return Unit.objects.filter(kind=kind)


class ContactPointChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ContactPoint) -> str:
        return f"{obj.target_label} · {obj.leader.display_name}"


class VisitForm(DescribedErrorsMixin, StyledForm):
    date = forms.DateField(label=_("Date of the visit"), widget=_DATE)
    start_time = forms.TimeField(label=_("Start"), required=False, widget=_TIME)
    end_time = forms.TimeField(label=_("End"), required=False, widget=_TIME)
    hours = forms.DecimalField(
        label=_("Or hours"),
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "max": "24", "inputmode": "decimal"}),
        help_text=_("Give the start and end, or the hours (the hours win if you give both)."),
    )
    kind = forms.ChoiceField(label=_("Kind of work"), choices=VisitKind.choices)
    place_kind = forms.ChoiceField(
        label=_("Place"), choices=PlaceKind.choices, widget=forms.Select(attrs={"data-place-kind": ""})
    )
    community = forms.ModelChoiceField(label=_("Community"), queryset=Unit.objects.none(), required=False)
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Unit.objects.none(), required=False)
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Unit.objects.none(), required=False)
    contact_point = ContactPointChoice(label=_("Contact point"), queryset=ContactPoint.objects.none(), required=False)
    place_detail = forms.CharField(
        label=_("Where exactly"),
        max_length=200,
        required=False,
        validators=[plain_text_validator],
        help_text=_("For a household or another place. Household details are seen only by you and the teams."),
    )
    participants = forms.IntegerField(
        label=_("Participants or audience"),
        min_value=0,
        max_value=100000,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        required=False,
        validators=[plain_text_validator],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    late_reason = forms.CharField(
        label=_("Reason for late entry (补录原因)"),
        max_length=2000,
        required=False,
        validators=[plain_text_validator],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed when the visit is entered more than %(days)d days after its date; the supervision team sees it."
        ),
    )
    photos = UploadField(label=_("Photos"), images_only=True)

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["late_reason"].help_text = str(self.fields["late_reason"].help_text) % {
            "days": settings.VISIT_LATE_DAYS
        }
        for place, name in UNIT_FIELDS.items():
            self.fields[name].queryset = _units(UNIT_PLACES[place])  # type: ignore[attr-defined]
        self.fields["contact_point"].queryset = contact_points_for_choice(person)  # type: ignore[attr-defined]
        for place, name in PLACE_FIELDS.items():
            self.fields[name].widget.attrs["data-place-for"] = place
        self.fields["place_detail"].widget.attrs["data-place-for"] = f"{PlaceKind.HOUSEHOLD} {PlaceKind.OTHER}"
        categories = Category.objects.all()
        for i in RAISED_RANGE:
            self.fields[f"problem_{i}"] = forms.CharField(
                label=_("Problem %(n)d found on this visit") % {"n": i},
                max_length=5000,
                required=False,
                validators=[plain_text_validator],
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields[f"category_{i}"] = forms.ModelChoiceField(
                label=_("Category of problem %(n)d") % {"n": i},
                queryset=categories,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    @property
    def raised_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"problem_{i}"], self[f"category_{i}"]) for i in RAISED_RANGE]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        raised = {f"problem_{i}" for i in RAISED_RANGE} | {f"category_{i}" for i in RAISED_RANGE}
        return [self[name] for name in self.fields if name not in raised]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in RAISED_RANGE:
            if data.get(f"category_{i}") and not (data.get(f"problem_{i}") or "").strip():
                self.add_error(f"problem_{i}", _("Describe the problem, or leave its category empty."))
        return data

    def service_args(self) -> dict[str, Any]:
        """The visit_create arguments for the cleaned data: the place from the select matching its kind."""
        d = self.cleaned_data
        place_kind = d["place_kind"]
        unit_field = UNIT_FIELDS.get(place_kind)
        return {
            "date": d["date"],
            "start_time": d.get("start_time"),
            "end_time": d.get("end_time"),
            "hours": d.get("hours"),
            "kind": d["kind"],
            "place_kind": place_kind,
            "unit": d.get(unit_field) if unit_field else None,
            "contact_point": d.get("contact_point") if place_kind == PlaceKind.CONTACT_POINT else None,
            "place_detail": d.get("place_detail", "") if place_kind in (PlaceKind.HOUSEHOLD, PlaceKind.OTHER) else "",
            "participants": d.get("participants") or 0,
            "notes": d.get("notes", ""),
            "late_reason": d.get("late_reason", ""),
            "photos": d.get("photos") or [],
            "raised": [
                RaisedMatter(problem=d[f"problem_{i}"].strip(), category=d.get(f"category_{i}"))
                for i in RAISED_RANGE
                if (d.get(f"problem_{i}") or "").strip()
            ],
        }

    def service_field(self, name: str) -> str | None:
        """The form field that shows a service error on `name`."""
        if name == "unit":
            return UNIT_FIELDS.get(self.cleaned_data.get("place_kind", ""))
        if name == "raised":
            return None
        return name if name in self.fields else None


class RegistrationForm(DescribedErrorsMixin, StyledForm):
    community = forms.ModelChoiceField(label=_("Residential community"), queryset=Unit.objects.none())
    registered_on = forms.DateField(label=_("Registered on"), widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _units(UnitKind.COMMUNITY)  # type: ignore[attr-defined]
        self.fields["registered_on"].initial = timezone.localdate()


class RegistrationReportForm(DescribedErrorsMixin, StyledForm):
    period_start = forms.DateField(label=_("From"), widget=_DATE)
    period_end = forms.DateField(label=_("To"), widget=_DATE)
    text = forms.CharField(
        label=_("What you did for your community"),
        max_length=5000,
        validators=[plain_text_validator],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
