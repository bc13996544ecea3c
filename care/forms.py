"""Care's forms: a household, a member, a wish, a pairing, a help given, a claim, a confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from care.models import Category, ClaimerKind, HelpKind
from core.forms import StyledForm
from org.models import Person, Unit, UnitKind


class HouseholdForm(StyledForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Unit.objects.filter(kind=UnitKind.COMMUNITY))
    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=Unit.objects.filter(kind=UnitKind.COMPOUND), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Give the household at least one category.")},
    )
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    last_reviewed_on = forms.DateField(
        label=_("Last reviewed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class MemberForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    relation = forms.CharField(label=_("Relation"), max_length=30)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=130, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class WishForm(StyledForm):
    text = forms.CharField(label=_("Wish"), max_length=200)
    value = forms.DecimalField(label=_("Estimated value (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    wanted_by = forms.DateField(label=_("Wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ClaimForm(StyledForm):
    claimer_kind = forms.ChoiceField(label=_("Claimed as"), choices=ClaimerKind.choices, initial=ClaimerKind.CADRE)
    claimer_name = forms.CharField(label=_("Unit or party branch"), max_length=120, required=False)


class ConfirmForm(StyledForm):
    household_confirmed = forms.BooleanField(label=_("The household confirmed receipt"), required=False)


class PairingForm(StyledForm):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Person.objects.select_related("unit"))
    target_outcome = forms.CharField(label=_("Outcome aimed for"), max_length=200)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    review_on = forms.DateField(label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    cadence_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1, max_value=366, required=False)


class HelpForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=HelpKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What was done"), max_length=300, required=False)


class LedgerImportForm(StyledForm):
    file = forms.FileField(
        label=_("Household ledger"),
        help_text=_(
            "An .xlsx or .csv file with the columns 户主, 社区, 住址, 类别 and, if you like, 小区, 电话, 家庭情况, 需求."
        ),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False, initial=True)
