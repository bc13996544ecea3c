"""The enterprise line over REST: enterprises (contacts only for roles that may see them), their matches,
policies (the coordination team edits, staff read), and deliveries. Writes go through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.roles import Capability, user_can
from enterprises import selectors, services
from enterprises.capabilities import EnterpriseCap
from enterprises.models import Delivery, EnterpriseContact, EnterpriseProfile, Match, Policy


def _caps(read: Capability, write: Capability) -> type[BasePermission]:
    class ReadWrite(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            cap = read if request.method in SAFE_METHODS else write
            return bool(request.user and request.user.is_authenticated and user_can(request.user, cap))

    ReadWrite.__name__ = f"Read_{read.name}_Write_{write.name}"
    return ReadWrite


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseContact
        fields = ["name", "position", "phone"]


class EnterpriseSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="unit.name", read_only=True)
    industry_code = serializers.CharField(source="industry.code", read_only=True)
    tag_codes = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField(help_text="Only for roles that may see contacts (each view audited).")

    class Meta:
        model = EnterpriseProfile
        fields = [
            "id", "unit", "name", "credit_code", "industry", "industry_code", "size", "employees",
            "registered_capital", "address", "stage", "contact_leader", "tags", "tag_codes", "fewer_visits", "contacts",
        ]  # fmt: skip

    def get_tag_codes(self, profile: EnterpriseProfile) -> list[str]:
        return sorted(tag.code for tag in profile.tags.all())

    def get_contacts(self, profile: EnterpriseProfile) -> list[dict[str, str]] | None:
        request = self.context.get("request")
        if request is None or not user_can(request.user, EnterpriseCap.VIEW_CONTACTS) or not self.context.get("one"):
            return None
        contacts = services.contacts_viewed(actor=request.user, profile=profile)
        return list(ContactSerializer(contacts, many=True).data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


class MatchSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.unit.name", read_only=True)
    delivered = serializers.BooleanField(read_only=True)

    class Meta:
        model = Match
        fields = [
            "policy",
            "policy_title",
            "enterprise",
            "enterprise_name",
            "qualified",
            "reasons",
            "unmet",
            "delivered",
        ]


class PolicySerializer(serializers.ModelSerializer):
    no_application = serializers.BooleanField(read_only=True, help_text="免申即享")

    class Meta:
        model = Policy
        fields = [
            "id", "title", "issuer", "doc_number", "year", "summary", "valid_from", "valid_to", "benefit_kind",
            "benefit_amount", "benefit_text", "conditions", "eligibility_text", "route", "apply_by",
            "scope_complete", "standard_complete", "data_complete", "no_application", "payout_days",
        ]  # fmt: skip


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id", "policy", "enterprise", "person", "delivered_on", "way", "outcome", "amount", "reason", "payout_due",
        ]  # fmt: skip
        read_only_fields = ["payout_due"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # the service checks the rest (expired policies, reasons, amounts)


FILTERS = [
    OpenApiParameter("industry", str, description="An industry's code."),
    OpenApiParameter("size", str),
    OpenApiParameter("tag", str, description="A tag's code."),
    OpenApiParameter("contact_leader", int, description="A person's id."),
    OpenApiParameter("not_visited_days", int, description="Not visited in this many days."),
]


class EnterpriseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = EnterpriseSerializer
    permission_classes = [_caps(EnterpriseCap.VIEW, EnterpriseCap.EDIT)]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        days = params.get("not_visited_days", "")
        leader = params.get("contact_leader", "")
        return selectors.profiles(
            industry=params.get("industry", ""),
            size=params.get("size", ""),
            tag=params.get("tag", ""),
            contact_leader=int(leader) if leader.isdigit() else None,
            not_visited_since=timezone.localdate() - dt.timedelta(days=int(days)) if days.isdigit() else None,
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "one": self.action in ("retrieve", "partial_update")}

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        tags = data.pop("tags", [])
        serializer.instance = services.profile_create(actor=self.request.user, tags=tags, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        services.profile_update(actor=self.request.user, profile=serializer.instance, data=data, tags=tags)

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: str | None = None) -> Response:
        profile = self.get_object()
        return Response(MatchSerializer(selectors.matches_of(enterprise=profile), many=True).data)


class PolicyViewSet(viewsets.ModelViewSet):
    serializer_class = PolicySerializer
    permission_classes = [_caps(EnterpriseCap.VIEW, EnterpriseCap.POLICY_EDIT)]
    queryset = Policy.objects.order_by("-year", "title")
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.policy_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        services.policy_update(
            actor=self.request.user, policy=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Policy) -> None:
        services.policy_delete(actor=self.request.user, policy=instance)

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: str | None = None) -> Response:
        return Response(MatchSerializer(selectors.matches_of(policy=self.get_object()), many=True).data)


class DeliveryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = DeliverySerializer
    permission_classes = [_caps(EnterpriseCap.VIEW, EnterpriseCap.DELIVER)]

    def get_queryset(self) -> Any:
        return selectors.deliveries().order_by("-delivered_on", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = services.delivery_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_201_CREATED)
