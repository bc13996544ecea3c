"""The back office's publishing page: choose an ended month, see what would be published, confirm; or publish a
correction of a month already published, with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.selectors import campaign_current
from core.access import require_cap
from core.forms import StyledForm, save_form
from matters.selectors import parse_month
from oversight.capabilities import OversightCap
from oversight.selectors.publication import (
    campaign_months,
    diff_display,
    latest_version,
    month_has_ended,
    publication_diff,
    snapshot_build,
    snapshot_sections,
)
from oversight.services.publication import REASON_MAX, publication_publish, publisher_unit


class PublishForm(StyledForm):
    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a month already published: what this version corrects (更正)."),
    )

    def clean_month(self) -> Any:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return month.replace(day=1)


@require_cap(OversightCap.PUBLISH)
def publish(request: HttpRequest) -> HttpResponse:
    """The campaign's months and what each has published; a preview of a month, and the publishing itself."""
    campaign = campaign_current()
    form = PublishForm(request.POST or None, initial={"month": request.GET.get("month", "")[:7]})
    if request.method == "POST" and campaign is not None:
        done = save_form(
            form,
            lambda data: publication_publish(
                actor=request.user, campaign=campaign, month=data["month"], reason=data["reason"]
            ),
        )
        if done is not None:
            messages.success(
                request,
                gettext("%(month)s published as version %(version)s.")
                % {"month": done.month_label, "version": done.version},
            )
            return redirect("portal:published_version", month=done.month_label, version=done.version)
    month = parse_month(request.POST.get("month", "") or request.GET.get("month", ""))
    return render(request, "oversight/publication/publish.html", _context(request, campaign, form, month))


def _context(request: HttpRequest, campaign: Any, form: PublishForm, month: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"campaign": campaign, "form": form, "months": [], "preview": None}
    if campaign is None:
        return context
    published = {}
    for p in campaign.publications.defer("snapshot").order_by("month", "version"):
        published[p.month] = p  # the latest version of each month last
    context["months"] = [
        {"month": m, "label": f"{m.year:04d}-{m.month:02d}", "ended": month_has_ended(m), "latest": published.get(m)}
        for m in campaign_months(campaign)
    ]
    if month is not None:
        month = month.replace(day=1)
        snapshot = snapshot_build(campaign=campaign, month=month, publisher_unit=publisher_unit(request.user))
        previous = latest_version(campaign, month)
        context["preview"] = {
            "month": month,
            "label": f"{month.year:04d}-{month.month:02d}",
            "ended": month_has_ended(month),
            "previous": previous,
            "snapshot": snapshot,
            "sections": snapshot_sections(snapshot),
            "diff": diff_display(publication_diff(previous, snapshot)) if previous is not None else None,
        }
    return context
