"""Forms of the three lists' pages: which list to show, and the table upload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core import uploads
from core.forms import StyledForm
from matters.exchange import exporter
from matters.kinds import kind_choices
from matters.selectors import parse_month
from org.models import Unit, UnitKind


class ListFilterForm(StyledForm):
    """The list page's query: ?list=tasks&month=2022-06&unit=ID&community=ID&public=1."""

    list = forms.ChoiceField(
        label=_("List"), choices=[(k, exporter.LIST_LABELS[k]) for k in exporter.LIST_KINDS], required=False
    )
    month = forms.CharField(
        label=_("Month"),
        help_text=_("Problems raised, tasks in hand, effects completed in this month."),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2022-06"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT),
        required=False,
        empty_label=_("All departments"),
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Unit.objects.filter(kind=UnitKind.COMMUNITY),
        required=False,
        empty_label=_("All communities"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=lambda: [("", _("Any kind")), *kind_choices()])
    public = forms.BooleanField(label=_("Public version (only matters marked public)"), required=False)

    def clean_month(self) -> dt.date | None:
        raw = self.cleaned_data.get("month") or ""
        if not raw:
            return None
        month = parse_month(raw)
        if month is None:
            raise ValidationError(_("Write the month like 2022-06."))
        return month

    def spec(self) -> exporter.ListSpec:
        """The list asked for; call after is_valid()."""
        data = self.cleaned_data
        return exporter.ListSpec(
            list_kind=data.get("list") or "tasks",
            kind=data.get("kind") or "",
            month=data.get("month"),
            unit=data.get("unit"),
            community=data.get("community"),
            public_only=bool(data.get("public")),
        )


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Table file"),
        help_text=_("An .xlsx, .docx or .csv file with the columns of attachment 2."),
        allow_empty_file=True,  # the reader says "The file is empty.", like the command
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx,.csv"}),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("The current campaign"),
    )
    create_missing = forms.BooleanField(
        label=_("Create missing people and units"),
        required=False,
        help_text=_(
            "Unknown leads become leaders of the root unit; unknown units become departments, "
            "or communities when the name ends in 社区."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        uploads.check_size(upload.name, upload.size)
        return upload
