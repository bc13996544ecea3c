from __future__ import annotations

from typing import cast

from django import forms

from campaigns.models import Campaign, DutyRule, Phase
from core.forms import StyledModelForm
from org.models import Unit, UnitKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(StyledModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "organiser", "starts_on", "ends_on", "goals", "description"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE, "goals": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ModelChoiceField, self.fields["organiser"]).queryset = Unit.objects.filter(
            kind=UnitKind.PARTY_COMMITTEE
        )


class PhaseForm(StyledModelForm):
    class Meta:
        model = Phase
        fields = ["order", "name", "ends_on", "focus"]
        widgets = {"ends_on": _DATE, "focus": forms.Textarea(attrs={"rows": 3})}


class DutyRuleForm(StyledModelForm):
    class Meta:
        model = DutyRule
        fields = ["role", "metric", "threshold", "period", "description"]
