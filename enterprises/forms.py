"""Forms of the enterprise line: the demand (a kind's detail form), profiles, policies, deliveries, visits."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import StyledForm, StyledModelForm
from enterprises.models import (
    Delivery,
    Demand,
    DemandType,
    EnterpriseProfile,
    Policy,
    Rating,
)
from org.models import Unit, UnitKind


class DemandForm(forms.ModelForm):  # type: ignore[type-arg]
    """The data of a matter of kind `enterprise` (the back office's create page, the API's `kind_data`)."""

    class Meta:
        model = Demand
        fields = ["enterprise", "demand_type", "amount", "confidential"]


class ProfileForm(StyledModelForm):
    class Meta:
        model = EnterpriseProfile
        fields = [
            "unit", "credit_code", "industry", "size", "employees", "registered_capital", "address", "stage",
            "contact_leader", "tags", "fewer_visits",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind=UnitKind.ENTERPRISE)  # type: ignore[attr-defined]


class ContactForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=60)
    position = forms.CharField(label=_("position"), max_length=60, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)


class ConditionsField(forms.CharField):
    """The conditions as JSON text: [{"field": "industry", "op": "in", "value": ["copper"]}]."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return []
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Write the conditions as a JSON list.")) from exc

    def prepare_value(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


class PolicyForm(StyledModelForm):
    conditions = ConditionsField(label=_("conditions"), required=False)

    class Meta:
        model = Policy
        fields = [
            "title", "issuer", "doc_number", "year", "summary", "valid_from", "valid_to", "benefit_kind",
            "benefit_amount", "benefit_text", "conditions", "eligibility_text", "route", "apply_by",
            "scope_complete", "standard_complete", "data_complete", "payout_days",
        ]  # fmt: skip
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "apply_by": forms.DateInput(attrs={"type": "date"}),
        }


class DeliveryForm(StyledModelForm):
    class Meta:
        model = Delivery
        fields = ["policy", "enterprise", "person", "delivered_on", "way", "outcome", "amount", "reason"]
        widgets = {"delivered_on": forms.DateInput(attrs={"type": "date"})}


class RatingForm(StyledForm):
    rating = forms.ChoiceField(label=_("How do you rate the result?"), choices=Rating.choices, widget=forms.RadioSelect)


class EnterpriseVisitForm(StyledForm):
    """What an enterprise visit adds on the phone: a demand found, a policy explained, the cap's reason."""

    demand_problem = forms.CharField(label=_("Demand found"), required=False, max_length=500)
    demand_type = forms.ChoiceField(label=_("demand type"), choices=DemandType.choices, required=False)
    confidential = forms.BooleanField(label=_("confidential"), required=False)
    policy = forms.ModelChoiceField(label=_("Policy explained"), queryset=Policy.objects.all(), required=False)
    beyond_cap_reason = forms.CharField(
        label=_("Reason for a visit beyond the month's cap"), required=False, max_length=200
    )

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person


class LedgerImportForm(StyledForm):
    file = forms.FileField(
        label=_("Enterprise ledger"),
        help_text=_(
            "An .xlsx or .csv file with the columns 企业名称, 统一社会信用代码, 行业, 规模, 从业人数, 地址, 联系人, 联系电话, 联系领导."
        ),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)


class PolicyImportForm(StyledForm):
    file = forms.FileField(
        label=_("Policy list"),
        help_text=_(
            "An .xlsx or .csv file with the columns 政策名称, 发文单位, 文号, 年份, 有效期起, 有效期止, 支持方式, 金额, "
            "适用条件, 摘要, 申报途径."
        ),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)
