"""What dispute screening adds to the visit form (point "fieldwork.visit"): "a dispute was found on this visit"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.types import Actor
from fieldwork.extensions import VisitExtension
from org.models import Person, Unit, UnitKind
from petitions.disputes import dispute_create
from petitions.models import FocusArea, Risk


class FoundDisputeForm(forms.Form):
    found = forms.BooleanField(label=gettext_lazy("A dispute was found on this visit"), required=False)
    community = forms.ModelChoiceField(label=gettext_lazy("Community"), queryset=Unit.objects.none(), required=False)
    kind = forms.ModelChoiceField(label=gettext_lazy("Type"), queryset=FocusArea.objects.none(), required=False)
    summary = forms.CharField(label=gettext_lazy("What the dispute is"), max_length=4000, required=False)
    risk = forms.ChoiceField(label=gettext_lazy("Risk"), choices=Risk.choices, initial=Risk.MEDIUM, required=False)
    party_name = forms.CharField(label=gettext_lazy("A party's name"), max_length=50, required=False)
    party_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Unit.objects.filter(kind=UnitKind.COMMUNITY)  # type: ignore[attr-defined]
        self.fields["kind"].queryset = FocusArea.objects.filter(active=True)  # type: ignore[attr-defined]
        if person is not None and person.unit.kind == UnitKind.COMMUNITY:
            self.fields["community"].initial = person.unit_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("found"):
            for name in ("community", "kind", "summary"):
                if not data.get(name):
                    self.add_error(name, _("Say this of the dispute found."))
        return data


def found_dispute_save(visit: Any, data: dict[str, Any], actor: Actor) -> None:
    if not data.get("found"):
        return
    party = {"name": data.get("party_name") or "", "phone": data.get("party_phone") or ""}
    dispute_create(
        actor=actor,
        community=data["community"],
        kind=data["kind"],
        summary=data["summary"],
        place=visit.place_detail or visit.place_label,
        risk=data.get("risk") or Risk.MEDIUM,
        raised_on=visit.date,
        parties=[party] if party["name"] else [],
        visit=visit,
    )


FOUND_DISPUTE = VisitExtension(
    key="petitions.dispute",
    label=gettext_lazy("Dispute found (矛盾纠纷)"),
    form=FoundDisputeForm,
    save=found_dispute_save,
)
