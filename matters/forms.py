"""Forms of the back office: new matter, one form per workflow action, bulk assignment, extensions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PeopleField, StyledForm, picker
from core.uploads import UploadField
from matters.kinds import kind_choices
from matters.models import Category, Channel, Matter, Precision, Satisfaction, problem_length
from matters.selectors import parse_month
from matters.services import check_deadline, check_responsible_units
from matters.workflow import Action
from org.models import Person, PersonCategory, Unit, UnitKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MatterCreateForm(StyledForm):
    # Changing the kind reloads the page with that kind's own fields (static/js/minqing.js).
    kind = forms.ChoiceField(
        label=_("Kind"), choices=kind_choices, widget=forms.Select(attrs={"data-reload-with": "kind"})
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in (Channel.VISIT, Channel.HOTLINE, Channel.MEETING, Channel.PETITION)],
    )
    problem = forms.CharField(label=_("Problem"), validators=[problem_length], widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=60, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)
    is_public = forms.BooleanField(label=_("May be published"), required=False, initial=True)


def _people_field() -> forms.ModelMultipleChoiceField:
    return PeopleField(
        label=_("Leads"),
        queryset=Person.objects.filter(category=PersonCategory.LEADER).select_related("unit"),
        required=False,
        help_text=_("Leave empty if no lead is known yet: the matter is then flagged as needing a lead."),
        widget=picker(_("Type a few characters of a name or unit")),
    )


def _units_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY, UnitKind.ENTERPRISE]),
        required=False,
        widget=picker(_("Type a few characters of a unit's name")),
    )


def check_leads_complete(leads: Any, *, keep: Any = ()) -> None:
    """People whose names the seed lost cannot be chosen as new leads until their record is completed.

    `keep` are the matter's current leads: one already on it stays (the matter is not re-assigned away from them).
    """
    kept = {person.pk for person in keep}
    missing = [p for p in leads or () if (p.name_incomplete or not p.name) and p.pk not in kept]
    if missing:
        raise ValidationError(
            _(
                "The record of %(names)s is incomplete: complete the name in the people's list before choosing them as a lead."
            )
            % {"names": "、".join(p.display_name for p in missing)},
            code="lead_incomplete",
        )


class DeadlineForm(StyledForm):
    """A deadline as the park sets it: a day, or a whole month (stored as the month's first day, precision month).

    `deadline_precision` stays a (hidden) field so clients that post a date with precision keep working.
    """

    deadline = forms.DateField(label=_("Deadline: a day"), widget=_DATE, required=False)
    deadline_month = forms.CharField(
        label=_("…or a whole month"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12", "pattern": r"\d{4}-\d{1,2}"}),
        help_text=_("A month deadline runs to the month's last day."),
    )
    deadline_precision = forms.ChoiceField(choices=Precision.choices, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw_month = (data.pop("deadline_month", "") or "").strip()
        day = data.get("deadline")
        if raw_month:
            month = parse_month(raw_month)
            if month is None:
                self.add_error("deadline_month", _("Enter a month as YYYY-MM, for example 2026-12."))
            elif day is not None and "deadline" in self.changed_data:
                # A day the page only suggested (its initial value, left as it was) gives way to the month typed.
                self.add_error("deadline_month", _("Give a day or a month, not both."))
            else:
                data["deadline"], data["deadline_precision"] = month, Precision.MONTH
        elif day is None:
            if "deadline" not in self.errors:
                self.add_error("deadline", _("Give the deadline: a day or a month."))
        else:
            data["deadline_precision"] = data.get("deadline_precision") or Precision.DAY
        return data


class ActionForm(StyledForm):
    """Fields common to every action: optimistic concurrency on the status the page showed."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, matter: Matter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matter = matter  # the matter acted on, when the form needs it (its current leads)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("expected_status", None)
        return data


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Code of the matter it duplicates"), max_length=20)
    reason = forms.CharField(label=_("Note to the reporter"), max_length=2000, required=False)

    def clean_into(self) -> Matter:
        code = self.cleaned_data["into"].strip().upper()
        matter = Matter.objects.filter(code=code).first()
        if matter is None:
            raise forms.ValidationError(_("No matter has the code %(code)s.") % {"code": code})
        return matter


def _check_assignment(form: forms.Form, data: dict[str, Any]) -> None:
    """The service's own checks of an assignment, beside the fields: responsible units, a deadline not past."""
    try:
        check_responsible_units(data.get("units") or [], bool(data.get("all_communities")))
    except ValidationError as exc:
        form.add_error(None, exc)
    if data.get("deadline"):
        try:
            check_deadline(data["deadline"], data.get("deadline_precision") or Precision.DAY, timezone.localdate())
        except ValidationError as exc:
            month = data.get("deadline_precision") == Precision.MONTH and "deadline_month" in form.fields
            form.add_error("deadline_month" if month else "deadline", exc.message_dict["deadline"])


class AssignForm(ActionForm, DeadlineForm):
    task = forms.CharField(label=_("Task"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    leads = _people_field()
    units = _units_field()
    all_communities = forms.BooleanField(label=_("All communities (各社区)"), required=False)
    budget_yuan = forms.DecimalField(
        label=_("Budget (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["leads"]).queryset = _people_field().queryset
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = _units_field().queryset

    field_order = ["task", "deadline", "deadline_month", "leads", "units", "all_communities", "budget_yuan"]

    def clean_leads(self) -> Any:
        leads = self.cleaned_data.get("leads")
        check_leads_complete(leads, keep=self.matter.leads.all() if self.matter is not None else ())
        return leads

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_assignment(self, data)
        return data


class ProgressForm(ActionForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = UploadField(label=_("Photos or PDF (optional)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["files"] = data.pop("evidence", [])  # the service's name for the checked files
        return data


class CompleteForm(ActionForm):
    effect = forms.CharField(label=_("Effect achieved"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction at the callback"), choices=[("", "—"), *Satisfaction.choices], required=False
    )


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.ACCEPT: ActionForm,
    Action.DECLINE: ReasonForm,
    Action.MERGE: MergeForm,
    Action.ASSIGN: AssignForm,
    Action.START: ActionForm,
    Action.PROGRESS: ProgressForm,
    Action.COMPLETE: CompleteForm,
    Action.VERIFY: ActionForm,
    Action.RETURN: ReasonForm,
    Action.CLOSE: CloseForm,
}


class BulkAssignForm(DeadlineForm):
    leads = _people_field()
    units = _units_field()
    all_communities = forms.BooleanField(label=_("All communities (各社区)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["leads"]).queryset = _people_field().queryset
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = _units_field().queryset

    def clean_leads(self) -> Any:
        leads = self.cleaned_data.get("leads")
        check_leads_complete(leads)
        return leads

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_assignment(self, data)
        return data


class ExtensionForm(StyledForm):
    new_deadline = forms.DateField(label=_("New deadline"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SiteLocationForm(StyledForm):
    """The work site's public location; both empty withdraws it (the reported place is then published coarsely)."""

    site_latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, max_digits=9, decimal_places=6
    )
    site_longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, max_digits=10, decimal_places=6
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("site_latitude"), data.get("site_longitude")
        if (latitude is None) != (longitude is None) and not self.errors:
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither to withdraw them."))
        return data
