"""The circulars area's forms: a new draft (kind and period), editing a draft, a declared day of the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import StyledForm, picker
from core.models import CalendarDayKind
from org.models import Unit
from oversight.models.circulars import CircularKind

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DraftForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CircularKind.choices)
    start = forms.DateField(label=_("From"), widget=_DATE)
    end = forms.DateField(label=_("To"), widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class EditForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200, required=False)
    lead = forms.CharField(label=_("Lead paragraph"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    issuer = forms.CharField(label=_("Issued by (signature)"), max_length=100, required=False)
    units = UnitsField(
        label=_("Units concerned"),
        queryset=Unit.objects.order_by("order", "name"),
        required=False,
        widget=picker(),
        help_text=_("They are told when the circular is issued."),
    )


class CalendarDayForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=_DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False, help_text=_("e.g. 国庆节, 国庆节调休上班"))
