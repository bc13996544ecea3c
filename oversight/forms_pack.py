"""The pack page's form: which month (the current one or an ended one)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matters.selectors import parse_month
from oversight.pack_data import month_label, months_allowed
from oversight.services.pack import month_refused


class PackForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month of the pack"), max_length=7, widget=forms.Select())

    def __init__(self, *args: object, today: dt.date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today or timezone.localdate()
        choices = [(f"{m:%Y-%m}", month_label(m)) for m in months_allowed(self.today)]
        self.fields["month"].widget.choices = choices  # type: ignore[attr-defined]
        self.fields["month"].widget.attrs["class"] = "form-select"

    def clean_month(self) -> dt.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Choose a month as YYYY-MM."))
        refused = month_refused(month, self.today)
        if refused:
            raise forms.ValidationError(refused)
        return month
