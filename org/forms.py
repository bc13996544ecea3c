from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledModelForm, searchable
from org.models import ContactPoint, Person, TeamMembership, Unit, UnitKind


class UnitForm(StyledModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "duties", "order"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(_("A unit cannot sit under itself or one of its own sub-units."))
            node = node.parent
        return parent


class PersonForm(StyledModelForm):
    class Meta:
        model = Person
        fields = ["name", "name_incomplete", "title", "unit", "category", "phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and not data.get("name_incomplete"):
            self.add_error("name", _("Enter the name, or mark it incomplete if the source lost it."))
        return data


class TeamMemberForm(StyledModelForm):
    class Meta:
        model = TeamMembership
        fields = ["person", "position", "order"]

    def __init__(self, *args: Any, team: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.select_related("unit").exclude(
            memberships__team=team
        )
        searchable(self.fields["person"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.team.kind != UnitKind.WORK_TEAM:
            raise forms.ValidationError(_("Members can only be added to a work team."))
        return data


class ContactPointForm(StyledModelForm):
    class Meta:
        model = ContactPoint
        fields = ["leader", "kind", "unit", "place", "since"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            kind__in=[UnitKind.COMMUNITY, UnitKind.ENTERPRISE]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, unit, place = data.get("kind"), data.get("unit"), data.get("place")
        if not unit and not place:
            raise forms.ValidationError(_("Choose a community or enterprise, or name the party-building point."))
        if unit is not None and kind in (UnitKind.COMMUNITY, UnitKind.ENTERPRISE) and unit.kind != kind:
            self.add_error("unit", _("This unit is not of the kind chosen."))
        return data
