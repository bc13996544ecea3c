"""Campaigns over REST: campaigns with their phases and duty rules, and phases, read-only."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from campaigns.capabilities import CampaignCap
from campaigns.models import Campaign, DutyRule, Phase
from core.rest.permissions import cap_permission
from core.rest.schema import read_only_responses


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "campaign", "order", "name", "ends_on", "focus"]


class DutyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyRule
        fields = ["id", "role", "metric", "threshold", "period", "description"]


class CampaignSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    duty_rules = DutyRuleSerializer(many=True, read_only=True)
    current_phase = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "organiser", "starts_on", "ends_on", "goals", "phases", "duty_rules", "current_phase"]

    def get_current_phase(self, campaign: Campaign) -> int | None:
        from campaigns.selectors import phase_current

        state = phase_current(campaign)
        return state.phase.pk if state else None


@read_only_responses(CampaignSerializer)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [cap_permission(CampaignCap.VIEW)]
    queryset = Campaign.objects.prefetch_related("phases", "duty_rules").order_by("-starts_on", "id")


@read_only_responses(PhaseSerializer)
class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    permission_classes = [cap_permission(CampaignCap.VIEW)]
    queryset = Phase.objects.order_by("campaign", "order")
