"""The clues area's forms: a clue registered by staff, the people and units it names, the disposal, the reply to an
inquiry, the conclusion and an accountability measure. The services check everything again."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PeopleField, StyledForm, picker, searchable
from core.uploads import UploadField
from core.validators import phone_validator, plain_text_validator
from org.models import Person, Unit
from oversight.models.clues import ClueConclusion, ClueDisposal
from oversight.services.clues import TEXT_MAX, measure_kinds

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> Any:
    return Person.objects.select_related("unit").order_by("unit__order", "pk")


def _units() -> Any:
    return Unit.objects.order_by("order", "pk")


class _Named(StyledForm):
    concerned = forms.CharField(
        label=_("Persons or units concerned"), max_length=500, required=False, validators=[plain_text_validator]
    )
    persons = PeopleField(label=_("Persons named"), queryset=_people(), required=False, widget=picker())
    units = forms.ModelMultipleChoiceField(label=_("Units named"), queryset=_units(), required=False, widget=picker())


class ClueForm(_Named):
    """A clue registered by the supervision team (a letter, a visit, a call)."""

    text = forms.CharField(
        label=_("What is reported"),
        required=False,  # the service's message says what is missing, the same on every face
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    received_on = forms.DateField(label=_("Received on"), required=False, widget=_DATE, help_text=_("Empty: today."))
    reporter_name = forms.CharField(
        label=_("Reporter's name (optional)"), max_length=60, required=False, validators=[plain_text_validator]
    )
    reporter_phone = forms.CharField(
        label=_("Reporter's phone (optional)"), max_length=20, required=False, validators=[phone_validator]
    )

    field_order = ["text", "concerned", "persons", "units", "received_on", "reporter_name", "reporter_phone"]

    def clean_reporter_phone(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["reporter_phone"])


class LinkForm(_Named):
    """The people and units a clue names."""


class DisposeForm(StyledForm):
    disposal = forms.ChoiceField(label=_("Way of disposal"), choices=ClueDisposal.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("Disposed on"), widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class ReplyForm(StyledForm):
    replied_on = forms.DateField(label=_("Reply received on"), widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("replied_on", timezone.localdate())


class ConcludeForm(StyledForm):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=ClueConclusion.choices, widget=forms.RadioSelect, required=False
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = UploadField(label=_("Evidence files (optional)"))
    on = forms.DateField(label=_("Concluded on"), widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class MeasureForm(StyledForm):
    """One measure, for a person or for an organisation (one of the two)."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=_people(), required=False)
    unit = forms.ModelChoiceField(label=_("Organisation"), queryset=_units(), required=False)
    kind = forms.ChoiceField(label=_("Measure"))
    decided_on = forms.DateField(label=_("Decided on"), widget=_DATE)
    decider = forms.CharField(label=_("Decided by"), max_length=100, validators=[plain_text_validator])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        searchable(self.fields["person"])
        people = [(key, f"{label}") for key, label in measure_kinds("person")]
        units = [(key, f"{label}") for key, label in measure_kinds("unit")]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (str(_("For a person")), people),
            (str(_("For an organisation")), units),
        ]
        self.initial.setdefault("decided_on", timezone.localdate())
