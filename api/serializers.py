from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.models import Campaign, DutyRule, Phase
from org.models import Person, Unit


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_label", "parent", "duties", "order"]


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.SerializerMethodField(help_text=_("Username of the linked login account, if any."))
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "name_incomplete", "display_name", "title", "unit", "category", "username"]

    def get_username(self, person: Person) -> str | None:
        return person.user.get_username() if person.user is not None else None


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
