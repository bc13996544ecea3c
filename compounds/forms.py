"""The compounds app's forms: a linkage meeting, a decision's matter, an owners' vote, an assessment, a talk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compounds.models import CompoundProfile, LinkageMeeting, ScoringMethod, TalkPlace, VoteSubject
from core.forms import StyledForm, StyledModelForm
from org.models import Person, Unit, UnitKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_LINES = forms.Textarea(attrs={"rows": 2})


class MeetingForm(StyledModelForm):
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One a line.")
    )

    class Meta:
        model = LinkageMeeting
        fields = [
            "held_on",
            "place",
            "party_attendees",
            "committee_attendees",
            "property_attendees",
            "topics_organisation",
            "topics_affairs",
            "topics_disputes",
            "topics_services",
        ]
        widgets = {
            "held_on": _DATE,
            "party_attendees": _LINES,
            "committee_attendees": _LINES,
            "property_attendees": _LINES,
            "topics_organisation": _LINES,
            "topics_affairs": _LINES,
            "topics_disputes": _LINES,
            "topics_services": _LINES,
        }
        help_texts = {
            "party_attendees": _("One name a line."),
            "committee_attendees": _("One name a line."),
            "property_attendees": _("One name a line."),
        }

    def clean_decisions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class DecisionMatterForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"), queryset=Unit.objects.exclude(kind=UnitKind.WORK_TEAM)
    )
    leads = forms.ModelMultipleChoiceField(label=_("Leads"), queryset=Person.objects.all(), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=_DATE)
    task = forms.CharField(label=_("Task"), required=False, widget=_LINES)


class VoteForm(StyledForm):
    subject = forms.ChoiceField(label=_("Subject"), choices=VoteSubject.choices)
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    voting_area = forms.DecimalField(label=_("Area of the owners who voted (m²)"), min_value=0, decimal_places=2)
    voting_owners = forms.IntegerField(label=_("Owners who voted"), min_value=0)
    agreeing_area = forms.DecimalField(label=_("Area of the owners who agreed (m²)"), min_value=0, decimal_places=2)
    agreeing_owners = forms.IntegerField(label=_("Owners who agreed"), min_value=0)
    passed = forms.BooleanField(label=_("Passed"), required=False)


class AssessmentForm(StyledForm):
    """A field per manual item of the checklist (item_<pk>) and its photo; derived items are computed."""

    period = forms.RegexField(label=_("Period"), regex=r"^\d{4}Q[1-4]$", help_text=_("A quarter, e.g. 2022Q2."))

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.method == ScoringMethod.DERIVED:
                continue
            top = 1 if item.method == ScoringMethod.YES_NO else item.top
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{item.name} (0–{top})", help_text=item.get_method_display()
            )
            self.fields[f"photo_{item.pk}"] = forms.ImageField(label=_("Photo (evidence)"), required=False)
        from core.forms import style_widgets

        style_widgets(self)

    def scores(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"item_{i.pk}") for i in self.items if i.method != ScoringMethod.DERIVED}

    def photos(self) -> dict[int, Any]:
        return {
            i.pk: self.cleaned_data.get(f"photo_{i.pk}") for i in self.items if self.cleaned_data.get(f"photo_{i.pk}")
        }


class PolicyTalkForm(forms.Form):
    """The policy talk's own fields on a visit of kind policy_talk (fieldwork's visit extension)."""

    place = forms.ChoiceField(label=_("Place"), choices=TalkPlace.choices)
    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=CompoundProfile.objects.select_related("compound"), required=False
    )
    place_detail = forms.CharField(label=_("Building, workshop or enterprise"), max_length=120, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=60)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    audience = forms.IntegerField(label=_("Audience"), min_value=0)

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        from core.forms import style_widgets

        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("place") == TalkPlace.COMPOUND and not data.get("compound"):
            self.add_error("compound", _("Choose the compound."))
        return data


class ProfileForm(StyledModelForm):
    class Meta:
        from compounds.models import CompoundProfile as _Profile

        model = _Profile
        fields = [
            "address",
            "buildings",
            "households",
            "exclusive_area",
            "owners",
            "has_property_company",
            "property_company",
            "property_company_contact",
            "property_company_phone",
            "party_contact_name",
            "party_contact_phone",
        ]


class CommitteeMemberForm(StyledModelForm):
    class Meta:
        from compounds.models import CommitteeMember

        model = CommitteeMember
        fields = ["name", "role", "phone", "term_starts", "term_ends"]
        widgets = {"term_starts": _DATE, "term_ends": _DATE}


class RatingsForm(StyledForm):
    """The residents' ratings of the property company collected on a day (a survey): how many gave each score."""

    rated_on = forms.DateField(label=_("Rated on"), widget=_DATE)
    score_5 = forms.IntegerField(label=_("Residents rating 5 (very good)"), min_value=0, initial=0)
    score_4 = forms.IntegerField(label=_("Residents rating 4"), min_value=0, initial=0)
    score_3 = forms.IntegerField(label=_("Residents rating 3"), min_value=0, initial=0)
    score_2 = forms.IntegerField(label=_("Residents rating 2"), min_value=0, initial=0)
    score_1 = forms.IntegerField(label=_("Residents rating 1 (very poor)"), min_value=0, initial=0)

    def counts(self) -> dict[int, int]:
        return {score: self.cleaned_data[f"score_{score}"] for score in range(1, 6)}


class ChecklistForm(StyledModelForm):
    class Meta:
        from compounds.models import Checklist

        model = Checklist
        fields = ["name", "campaign"]


class ChecklistItemForm(StyledModelForm):
    class Meta:
        from compounds.models import ChecklistItem

        model = ChecklistItem
        fields = ["order", "name", "weight", "method", "top", "source"]


class TitleForm(StyledForm):
    from compounds.models import Title as _Title

    title = forms.ChoiceField(label=_("Title"), choices=_Title.choices)
    awarded_on = forms.DateField(label=_("Awarded on"), widget=_DATE)
