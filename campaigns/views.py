from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import selectors, services
from campaigns.capabilities import CampaignCap
from campaigns.forms import CampaignForm, DutyRuleForm, PhaseForm
from campaigns.models import Campaign, DutyRule, Phase
from campaigns.phases import phase_reports
from core.access import require_cap
from core.forms import form_page


@require_cap(CampaignCap.VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.select_related("organiser")
    return render(
        request, "campaigns/campaign_list.html", {"campaigns": campaigns, "current": selectors.campaign_current()}
    )


@require_cap(CampaignCap.VIEW)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    timeline = selectors.campaign_timeline(campaign)
    context = {
        "campaign": campaign,
        "timeline": timeline,
        "reports": [r for r in phase_reports(campaign, timeline) if r.rows or r.goals],
        "rules": campaign.duty_rules.all(),
        "today": selectors.today(),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_cap(CampaignCap.EDIT)
def campaign_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=CampaignForm(request.POST or None),
        save=lambda data: services.campaign_create(actor=request.user, **data),
        success=_("Campaign created. Add its phases and duty rules next."),
        then=lambda campaign: redirect("campaigns:detail", pk=campaign.pk),
        title=_("New campaign"),
        back="campaigns:list",
    )


@require_cap(CampaignCap.EDIT)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return _child_form(
        request,
        campaign,
        CampaignForm,
        campaign,
        lambda data: services.campaign_update(actor=request.user, campaign=campaign, data=data),
        _("Edit campaign"),
    )


def _child_form(
    request: HttpRequest,
    campaign: Campaign,
    form_class: type[forms.ModelForm],
    instance: models.Model | None,
    save: Callable[[dict[str, Any]], Any],
    title: str,
) -> HttpResponse:
    """A form for the campaign or one of its phases and rules; back to the campaign page when saved."""
    copy = instance._meta.model._default_manager.get(pk=instance.pk) if instance is not None else None
    return form_page(
        request,
        form=form_class(request.POST or None, instance=copy),
        save=save,
        success=_("Saved."),
        then=lambda _result: redirect("campaigns:detail", pk=campaign.pk),
        title=f"{campaign.name} · {title}",
    )


@require_cap(CampaignCap.EDIT)
def phase_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return _child_form(
        request,
        campaign,
        PhaseForm,
        None,
        lambda data: services.phase_create(actor=request.user, campaign=campaign, **data),
        _("New phase"),
    )


@require_cap(CampaignCap.EDIT)
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("campaign"), pk=pk)
    return _child_form(
        request,
        phase.campaign,
        PhaseForm,
        phase,
        lambda data: services.phase_update(actor=request.user, phase=phase, data=data),
        _("Edit phase"),
    )


@require_POST
@require_cap(CampaignCap.EDIT)
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase, pk=pk)
    services.phase_delete(actor=request.user, phase=phase)
    messages.success(request, _("Phase removed."))
    return redirect("campaigns:detail", pk=phase.campaign_id)


@require_cap(CampaignCap.EDIT)
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return _child_form(
        request,
        campaign,
        DutyRuleForm,
        None,
        lambda data: services.duty_rule_create(actor=request.user, campaign=campaign, **data),
        _("New duty rule"),
    )


@require_cap(CampaignCap.EDIT)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(DutyRule.objects.select_related("campaign"), pk=pk)
    return _child_form(
        request,
        rule.campaign,
        DutyRuleForm,
        rule,
        lambda data: services.duty_rule_update(actor=request.user, rule=rule, data=data),
        _("Edit duty rule"),
    )


@require_POST
@require_cap(CampaignCap.EDIT)
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(DutyRule, pk=pk)
    services.duty_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Duty rule removed."))
    return redirect("campaigns:detail", pk=rule.campaign_id)
