"""The case's forms: its data (also the kind's detail form for every channel), its petitioners, its steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadField
from org.models import Person, PersonCategory, Unit
from petitions.models import CloseWay, DocumentKind, FocusArea, PetitionCase, RefusalGround, Term


def leaders() -> Any:
    """The people who may own a case: the leaders (班子成员) of the organisation."""
    return Person.objects.filter(category=PersonCategory.LEADER).exclude(name="").order_by("id")


class CaseForm(forms.ModelForm):  # type: ignore[type-arg]
    """The case's own data; the kind's detail form (matters.kinds), so the matters API checks the same rules."""

    class Meta:
        model = PetitionCase
        fields = [
            "summary",
            "publishable",
            "focus",
            "received_on",
            "first_petition_on",
            "petition_count",
            "level",
            "channel",
            "risk",
            "owners",
            "handling_units",
            "visit_every_days",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "first_petition_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus"].queryset = FocusArea.objects.filter(active=True, disputes_only=False)  # type: ignore[attr-defined]
        self.fields["owners"].queryset = leaders()  # type: ignore[attr-defined]
        self.fields["owners"].error_messages["required"] = _("A case always has at least one owning leader.")
        self.fields["handling_units"].queryset = Unit.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, received = data.get("first_petition_on"), data.get("received_on")
        if first and received and first > received:
            self.add_error("first_petition_on", _("The first petition cannot come after this one was received."))
        return data


class PetitionerForm(forms.Form):
    name = forms.CharField(label=_("Petitioner's name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class DispositionForm(forms.Form):
    term = forms.ChoiceField(label=_("Term"), choices=Term.choices)
    done = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = UploadField(label=_("Evidence (photos, PDF)"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    upload = UploadField(label=_("Files"), required=True)


class CloseForm(forms.Form):
    way = forms.ChoiceField(label=_("Way"), choices=CloseWay.choices)
    basis = forms.CharField(
        label=_("Basis (statement recorded, or the legal basis and the concluded review)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = UploadField(label=_("Signed acceptance or decisions (PDF, photos)"), required=False)


class PetitionAgainForm(forms.Form):
    on = forms.DateField(label=_("Petitioned again on"), widget=forms.DateInput(attrs={"type": "date"}))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=366)
    reason = forms.CharField(
        label=_("Reason, as told to the petitioner"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


REVIEW_STEPS = [
    ("review_asked", _("Review requested (申请复查)")),
    ("review_answered", _("Review answered (复查意见)")),
    ("reexam_asked", _("Re-examination requested (申请复核)")),
    ("reexam_answered", _("Re-examination answered (复核意见)")),
]


class ReviewForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=REVIEW_STEPS)
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=RefusalGround.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    notice = UploadField(label=_("The notice served (不予受理告知书)"), required=False)


class FiveOnesForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("The one owning leader"), queryset=Person.objects.none())
    team = forms.CharField(label=_("Working team"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(label=_("Plan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=_("Meeting minutes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measures = forms.CharField(label=_("Stability measures"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: PetitionCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = case.owners.all()  # type: ignore[attr-defined]


class HomeVisitLogForm(forms.Form):
    """A home visit from the case page, on a phone: the day, the hours, a note; never a photo."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.1"), max_value=24, decimal_places=1)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LedgerForm(forms.Form):
    file = forms.FileField(label=_("Backlog ledger (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)
