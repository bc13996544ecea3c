"""Compounds over REST, read-only: compounds, linkage meetings, compound scores (assessments with their items).

The private fields (contacts, committee, attendees, owners' votes) are answered only to the coordination and
supervision teams and to the staff of the compound's own community; everyone else gets them as null.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from audit.services import audit_view
from compounds.capabilities import CompoundCap
from compounds.models import Assessment, CommitteeMember, CompoundProfile, ItemScore, LinkageMeeting, OwnersVote
from compounds.models.meetings import SIDES
from compounds.models.profile import PRIVATE_FIELDS
from compounds.selectors import can_see_private
from core.rest.permissions import cap_permission
from core.rest.schema import read_only_responses

PRIVATE_NOTE = (
    "Private: null unless the caller is of the coordination or supervision team or of the compound's community."
)


class _PrivateMixin(serializers.ModelSerializer):
    private_fields: tuple[str, ...] = ()

    def _profile(self, instance: Any) -> CompoundProfile:
        raise NotImplementedError

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in self.private_fields:
            if name in fields:
                fields[name].help_text = PRIVATE_NOTE
                fields[name].allow_null = True
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        cache = self.context.setdefault("_private", {})
        profile = self._profile(instance)
        if profile.pk not in cache:
            cache[profile.pk] = request is not None and can_see_private(request.user, profile)
            if cache[profile.pk] and request is not None:
                audit_view(
                    actor=request.user,
                    action="compounds.api.view_private",
                    target=instance,
                    fields=list(self.private_fields),
                )
        if not cache[profile.pk]:
            for name in self.private_fields:
                data[name] = None
        return data


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["name", "role", "phone", "term_starts", "term_ends"]


class CompoundSerializer(_PrivateMixin):
    name = serializers.CharField(source="compound.name", read_only=True)
    community = serializers.CharField(source="compound.parent.name", read_only=True)
    committee = CommitteeSerializer(many=True, read_only=True)
    private_fields = (*PRIVATE_FIELDS, "committee")

    class Meta:
        model = CompoundProfile
        fields = [
            "id",
            "compound",
            "name",
            "community",
            "address",
            "buildings",
            "households",
            "exclusive_area",
            "owners",
            "has_property_company",
            "property_company",
            *PRIVATE_FIELDS,
            "committee",
        ]

    def _profile(self, instance: Any) -> CompoundProfile:
        return instance


class VoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = OwnersVote
        fields = [
            "subject",
            "held_on",
            "total_area",
            "total_owners",
            "voting_area",
            "voting_owners",
            "agreeing_area",
            "agreeing_owners",
            "passed",
        ]


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    matter = serializers.CharField(source="matter.code", allow_null=True, default=None)
    matter_status = serializers.CharField(source="matter.status", allow_null=True, default=None)


class MeetingSerializer(_PrivateMixin):
    decisions = DecisionSerializer(many=True, read_only=True)
    missing_sides = serializers.ListField(child=serializers.CharField(), read_only=True)
    votes = serializers.SerializerMethodField(help_text=PRIVATE_NOTE)
    private_fields = (*(field for field, _label in SIDES), "votes")

    class Meta:
        model = LinkageMeeting
        fields = [
            "id",
            "compound",
            "held_on",
            "place",
            *(field for field, _label in SIDES),
            "missing_sides",
            "topics_organisation",
            "topics_affairs",
            "topics_disputes",
            "topics_services",
            "decisions",
            "votes",
        ]

    def get_votes(self, meeting: LinkageMeeting) -> list[dict[str, Any]]:
        found = OwnersVote.objects.filter(decision__meeting=meeting)
        return [{"decision": v.decision_id, **VoteSerializer(v).data} for v in found]

    def _profile(self, instance: Any) -> CompoundProfile:
        return instance.compound


class ItemScoreSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.name")
    weight = serializers.DecimalField(source="item.weight", max_digits=6, decimal_places=2)
    method = serializers.CharField(source="item.method")

    class Meta:
        model = ItemScore
        fields = ["item", "weight", "method", "value", "points"]


class AssessmentSerializer(serializers.ModelSerializer):
    compound_name = serializers.CharField(source="compound.compound.name", read_only=True)
    scores = ItemScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "checklist",
            "compound",
            "compound_name",
            "period",
            "period_starts",
            "period_ends",
            "scored_on",
            "total",
            "scores",
        ]


@read_only_responses(CompoundSerializer)
class CompoundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CompoundSerializer
    permission_classes = [cap_permission(CompoundCap.VIEW)]
    queryset = CompoundProfile.objects.select_related("compound__parent").prefetch_related("committee").order_by("id")


@read_only_responses(MeetingSerializer)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    permission_classes = [cap_permission(CompoundCap.VIEW)]
    queryset = (
        LinkageMeeting.objects.select_related("compound__compound")
        .prefetch_related("decisions__matter")
        .order_by("-held_on", "-id")
    )


@read_only_responses(AssessmentSerializer)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [cap_permission(CompoundCap.VIEW)]
    queryset = (
        Assessment.objects.select_related("compound__compound")
        .prefetch_related("scores__item")
        .order_by("-period_starts", "-total", "id")
    )
