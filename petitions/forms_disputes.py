"""The dispute screening forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Person, Unit, UnitKind
from petitions.forms import leaders
from petitions.models import Colour, FocusArea, Risk


def communities() -> Any:
    return Unit.objects.filter(kind=UnitKind.COMMUNITY).order_by("order", "id")


class DisputeForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Unit.objects.none())
    kind = forms.ModelChoiceField(label=_("Type"), queryset=FocusArea.objects.none())
    summary = forms.CharField(label=_("What the dispute is"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("Place"), max_length=200)
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices, initial=Risk.MEDIUM)
    colour = forms.ChoiceField(label=_("Warning colour"), choices=Colour.choices, initial=Colour.YELLOW)
    measures = forms.CharField(
        label=_("Stabilisation measures taken"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.ModelChoiceField(label=_("Person responsible"), queryset=Person.objects.none(), required=False)
    raised_on = forms.DateField(label=_("Raised on"), widget=forms.DateInput(attrs={"type": "date"}))
    party_name = forms.CharField(label=_("A party's name"), max_length=50, required=False)
    party_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    party_id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities()  # type: ignore[attr-defined]
        self.fields["kind"].queryset = FocusArea.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = Person.objects.exclude(name="").order_by("unit__order", "id")  # type: ignore[attr-defined]


class RecolourForm(forms.Form):
    colour = forms.ChoiceField(label=_("Warning colour"), choices=Colour.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class FollowUpForm(forms.Form):
    measures = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was settled (调解成功)"), max_length=4000)


class EscalateForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Escalate to"), choices=[("matter", _("A matter")), ("petition", _("A petition case"))]
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owning leaders (for a petition case)"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = leaders()  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Unit.objects.none())
    day = forms.DateField(label=_("A day of the period"), widget=forms.DateInput(attrs={"type": "date"}))
    zero_report = forms.BooleanField(label=_("Nothing found (零报告)"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities()  # type: ignore[attr-defined]
