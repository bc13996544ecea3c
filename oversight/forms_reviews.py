"""The reviews area's forms: a review, holding it, a decision, the minutes, a cancellation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.forms import PeopleField, StyledForm, picker, searchable
from matters.models import Matter
from matters.selectors import parse_month
from org.models import Person, Unit, UnitKind
from oversight.models.reviews import DecisionKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> Any:
    return Person.objects.select_related("unit").order_by("unit__order", "pk")


class ChairField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = getattr(getattr(obj, "unit", None), "name", "")
        return f"{obj.display_name} · {unit}" if unit else str(obj.display_name)


class ReviewForm(StyledForm):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.order_by("-starts_on"))
    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}), help_text=_("YYYY-MM")
    )
    chair = ChairField(label=_("Chair"), queryset=_people(), required=False)
    attendees = PeopleField(label=_("Attendees"), queryset=_people(), required=False, widget=picker())
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        searchable(self.fields["chair"])
        if editing:
            del self.fields["campaign"], self.fields["month"]

    def clean_month(self) -> dt.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return month


class HoldForm(StyledForm):
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    chair = ChairField(label=_("Chair"), queryset=_people(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        searchable(self.fields["chair"])


class DecisionForm(StyledForm):
    kind = forms.ChoiceField(label=_("What it does"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    matter = forms.CharField(
        label=_("Matter code"), required=False, max_length=20, help_text=_("The matter it acts on, e.g. MQ-2022-0001.")
    )
    task = forms.CharField(label=_("Task"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=_DATE)
    units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY]).order_by("order", "name"),
        required=False,
        widget=picker(),
    )
    leads = PeopleField(label=_("Leads"), queryset=_people(), required=False, widget=picker())

    def clean_matter(self) -> Matter | None:
        code = (self.cleaned_data.get("matter") or "").strip()
        if not code:
            return None
        matter = Matter.objects.filter(code=code).first()
        if matter is None:
            raise forms.ValidationError(_("No matter has the code %(code)s.") % {"code": code})
        return matter


class MinutesForm(StyledForm):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 18}))


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
