"""The enterprise line over REST: enterprises (contacts only for roles that may see them), their matches,
policies (the coordination team edits, staff read), and deliveries. Writes go through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.params import query_param
from core.rest.schema import ERRORS, NO_PAGE
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


def _documented(serializer: Any, *, deletes: bool = False, only: tuple[str, ...] = ()) -> Any:
    """The answers of a collection's operations, errors included (core/rest/schema.py)."""
    seen = {401: ERRORS[401], 403: ERRORS[403]}
    one = {**seen, 404: ERRORS[404]}
    written = {**one, 400: ERRORS[400], 415: ERRORS[415]}
    views = {
        "list": extend_schema(responses={200: serializer(many=True), **seen, 404: NO_PAGE}),
        "retrieve": extend_schema(responses={200: serializer, **one}),
        "create": extend_schema(responses={201: serializer, **written}),
        "update": extend_schema(responses={200: serializer, **written}),
        "partial_update": extend_schema(responses={200: serializer, **written}),
        "matches": extend_schema(responses={200: MatchSerializer(many=True), **one}),
    }
    if only:
        views = {name: view for name, view in views.items() if name in only}
    if deletes:
        views["destroy"] = extend_schema(
            responses={204: OpenApiResponse(description="Deleted."), **one, 400: ERRORS[400], 415: ERRORS[415]}
        )
    return extend_schema_view(**views)


def _number(value: str, *, most: int = 10**9) -> int | None:
    """A query parameter's whole number, or None for anything else (odd digits, signs, a number too large)."""
    return int(value) if value.isascii() and value.isdecimal() and int(value) <= most else None


FILTERS = [
    OpenApiParameter("industry", str, description="An industry's code."),
    OpenApiParameter("size", str),
    OpenApiParameter("tag", str, description="A tag's code."),
    OpenApiParameter("contact_leader", int, description="A person's id."),
    OpenApiParameter("not_visited_days", int, description="Not visited in this many days."),
]


@_documented(EnterpriseSerializer)
class EnterpriseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = EnterpriseSerializer
    permission_classes = [_caps(EnterpriseCap.VIEW, EnterpriseCap.EDIT)]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        days = _number(query_param(params, "not_visited_days"), most=36_500)
        leader = _number(query_param(params, "contact_leader"))
        return selectors.profiles(
            industry=query_param(params, "industry"),
            size=query_param(params, "size"),
            tag=query_param(params, "tag"),
            contact_leader=leader,
            not_visited_since=timezone.localdate() - dt.timedelta(days=days) if days is not None else None,
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

    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Request, pk: str | None = None) -> Response:
        profile = self.get_object()
        return Response(MatchSerializer(selectors.matches_of(enterprise=profile), many=True).data)


@_documented(PolicySerializer, deletes=True)
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

    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Request, pk: str | None = None) -> Response:
        return Response(MatchSerializer(selectors.matches_of(policy=self.get_object()), many=True).data)


@_documented(DeliverySerializer, only=("list", "create"))
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
