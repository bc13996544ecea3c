"""The assessment area's forms: a scheme with its items (one row per registered indicator, and manual rows),
opening an assessment, a manual score, an appeal, an appeal's decision, a confirmation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.indicators import registered
from oversight.models.assessment import ItemKind, PeriodKind, Scheme, SchemeItem, SubjectKind

MANUAL_ROWS = 3
HEAD = ("name", "subject", "period_kind", "excellent_from", "good_from", "fair_from", "appeal_days")
_NUMBER = {"max_digits": 7, "decimal_places": 2, "required": False}


def _number(label: Any, **attrs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_value=Decimal(1000), **_NUMBER)  # type: ignore[arg-type]


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    subject = forms.ChoiceField(label=_("Subjects"), choices=SubjectKind.choices)
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    excellent_from = forms.DecimalField(label=_("Excellent from"), max_digits=5, decimal_places=2, initial=90)
    good_from = forms.DecimalField(label=_("Good from"), max_digits=5, decimal_places=2, initial=80)
    fair_from = forms.DecimalField(label=_("Fair from"), max_digits=5, decimal_places=2, initial=60)
    appeal_days = forms.IntegerField(label=_("Appeal days"), min_value=0, max_value=60, initial=5)

    def __init__(self, *args: Any, scheme: Scheme | None = None, **kwargs: Any) -> None:
        self.indicators = list(registered().values())
        existing: dict[str, SchemeItem] = {}
        manual: list[SchemeItem] = []
        if scheme is not None:
            for item in scheme.items.order_by("order", "pk"):
                if item.kind == ItemKind.MANUAL:
                    manual.append(item)
                else:
                    existing[item.indicator] = item
            kwargs.setdefault("initial", {}).update(
                {
                    f: getattr(scheme, f)
                    for f in (
                        "name",
                        "subject",
                        "period_kind",
                        "excellent_from",
                        "good_from",
                        "fair_from",
                        "appeal_days",
                    )
                }
            )
        super().__init__(*args, **kwargs)
        for index, indicator in enumerate(self.indicators):
            found = existing.get(indicator.key)
            if indicator.kind == "deduction":
                self.fields[f"p{index}"] = _number(_("Points per occurrence"))
                self.fields[f"c{index}"] = _number(_("Cap"))
                self.initial.update({f"p{index}": found.points, f"c{index}": found.cap} if found else {})
            else:
                self.fields[f"w{index}"] = _number(_("Weight"))
                self.initial.update({f"w{index}": found.weight} if found else {})
                if indicator.kind == "count":
                    self.fields[f"t{index}"] = _number(_("Target value"))
                    self.initial.update({f"t{index}": found.target} if found else {})
        for row in range(max(MANUAL_ROWS, len(manual))):
            self.fields[f"ml{row}"] = forms.CharField(label=_("Manual item"), max_length=120, required=False)
            self.fields[f"mw{row}"] = _number(_("Weight (the highest score)"))
            self.fields[f"mm{row}"] = _number(_("Lowest score"))
            if row < len(manual):
                self.initial.update({f"ml{row}": manual[row].label, f"mw{row}": manual[row].weight,
                                     f"mm{row}": manual[row].min_score})  # fmt: skip
        from core.forms import style_widgets

        style_widgets(self)

    def head_fields(self) -> list[Any]:
        return [self[name] for name in HEAD]

    def indicator_rows(self) -> list[dict[str, Any]]:
        rows = []
        for index, indicator in enumerate(self.indicators):
            rows.append({
                "indicator": indicator,
                "kind": ItemKind(indicator.kind).label,
                "subjects": "、".join(str(SubjectKind(s).label) for s in indicator.subjects),
                "fields": [self[name] for name in (f"w{index}", f"t{index}", f"p{index}", f"c{index}")
                           if name in self.fields],
            })  # fmt: skip
        return rows

    def manual_rows(self) -> list[list[Any]]:
        count = len([n for n in self.fields if n.startswith("ml")])
        return [[self[f"ml{r}"], self[f"mw{r}"], self[f"mm{r}"]] for r in range(count)]

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the services take it: the scheme's fields and its list of items."""
        data = self.cleaned_data
        items: list[dict[str, Any]] = []
        for index, indicator in enumerate(self.indicators):
            if indicator.kind == "deduction":
                if data.get(f"p{index}") or data.get(f"c{index}"):
                    items.append({"indicator": indicator.key, "points": data.get(f"p{index}"),
                                  "cap": data.get(f"c{index}")})  # fmt: skip
            elif data.get(f"w{index}"):
                items.append({"indicator": indicator.key, "weight": data[f"w{index}"],
                              "target": data.get(f"t{index}")})  # fmt: skip
        for row in range(len([n for n in self.fields if n.startswith("ml")])):
            if data.get(f"ml{row}") or data.get(f"mw{row}"):
                items.append({"indicator": "", "label": data.get(f"ml{row}") or "", "weight": data.get(f"mw{row}"),
                              "min_score": data.get(f"mm{row}")})  # fmt: skip
        keys = ("name", "subject", "period_kind", "excellent_from", "good_from", "fair_from", "appeal_days")
        return {**{k: data.get(k) for k in keys}, "items": items}


class OpenForm(StyledForm):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.order_by("name"))
    period = forms.CharField(
        label=_("Period"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Any month of the period (YYYY-MM)."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        from oversight.selectors.assessment import parse_period

        data = super().clean() or {}
        scheme = data.get("scheme")
        if scheme is not None and "period" in data:
            start = parse_period(scheme.period_kind, data["period"])
            if start is None:
                self.add_error("period", _("Write the period as a month: YYYY-MM."))
            else:
                data["period"] = start
        return data


class ManualScoreForm(StyledForm):
    item = forms.TypedChoiceField(label=_("Manual item"), coerce=int)
    subject = forms.TypedChoiceField(label=_("Unit or person"), coerce=int)
    score = forms.DecimalField(label=_("Score"), max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[tuple[int, str]], subjects: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items  # type: ignore[attr-defined]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(StyledForm):
    item = forms.IntegerField(widget=forms.HiddenInput)
    model = forms.CharField(max_length=80, widget=forms.HiddenInput)
    record = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the appeal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Appeal decision"),
        choices=[("sustain", _("Sustain")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
