"""Forms of the duty report download and the visit sheet upload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import uploads
from core.forms import StyledForm, searchable
from fieldwork import duty_report
from org.models import Person, Unit

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMAT_CHOICES = [("docx", _("Word (.docx)")), ("pdf", "PDF")]


class DutyReportForm(StyledForm):
    """Whose report, for which period, in which format: ?person=ID&start=YYYY-MM-DD&end=YYYY-MM-DD&format=docx."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), empty_label=None)
    start = forms.DateField(label=_("From"), widget=_DATE)
    end = forms.DateField(label=_("To"), widget=_DATE)
    format = forms.ChoiceField(label=_("File format"), choices=FORMAT_CHOICES, initial="docx")

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)  # narrows the type for mypy
        field.queryset = people
        searchable(field)
        if people.count() == 1:
            field.disabled = True  # one's own report: nothing to choose

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start is not None and end is not None:
            error = duty_report.period_error(start, end)
            if error:
                raise ValidationError(error)
        return data


class UnitReportsForm(StyledForm):
    """Everyone's duty report of one unit for a period, as a zip of .docx files (a background job)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("order", "name"), empty_label=None)
    start = forms.DateField(label=_("From"), widget=_DATE)
    end = forms.DateField(label=_("To"), widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start is not None and end is not None:
            error = duty_report.period_error(start, end)
            if error:
                raise ValidationError(error)
        unit: Unit | None = data.get("unit")
        if unit is not None and not Person.objects.filter(unit=unit).exists():
            self.add_error("unit", _("Nobody belongs to this unit: there is no report to write."))
        return data


class VisitImportForm(StyledForm):
    file = forms.FileField(
        label=_("Visit sheet"),
        help_text=_(
            "An .xlsx or .csv file with the columns 姓名, 日期, 时长 (or 开始时间 and 结束时间), 类型, 地点 and, "
            "if you like, 备注."
        ),
        allow_empty_file=True,  # the reader says "The file is empty.", like the command
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    year = forms.IntegerField(
        label=_("Year of dates written without one"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("For dates like 6月3日; default: this year."),
    )
    dry_run = forms.BooleanField(label=_("Only check the sheet (dry run): write nothing"), required=False, initial=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        uploads.check_size(upload.name, upload.size)
        return upload


_STATEMENT_AREA = forms.Textarea(attrs={"rows": 6})


class DutyStatementForm(StyledForm):
    """One's own 主要工作、存在问题、下步打算 for a report's period (the period rides along, hidden)."""

    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    main_work = forms.CharField(label=_("Main work"), widget=_STATEMENT_AREA, max_length=4000)
    problems = forms.CharField(
        label=pgettext_lazy("duty statement", "Problems"), widget=_STATEMENT_AREA, max_length=4000
    )
    next_steps = forms.CharField(label=_("Next steps"), widget=_STATEMENT_AREA, max_length=4000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start is not None and end is not None:
            error = duty_report.period_error(start, end)
            if error:
                raise ValidationError(error)
        return data
