"""Circulars over REST (`/api/v1/circulars/`): list and read for their readers (every circular for those who draft
and issue them, the issued ones for the assessment team, the issued ones concerning one's unit or naming oneself for
everyone else); generate a draft, edit a draft and issue it for CIRCULARS. Writes go through the services, so a
refusal says the same as on the pages; an issued circular refuses every change (409)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.fields import record_id, record_ids
from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer
from core.roles import user_can
from org.models import Unit
from oversight.capabilities import OversightCap
from oversight.models.circulars import Circular, CircularKind
from oversight.models.reviews import Decision
from oversight.selectors import circulars as selectors
from oversight.services import circulars as services


class CircularAccess(BasePermission):
    """Reading needs ASSESSMENT_VIEW (then scoped by circulars_for); writing needs CIRCULARS."""

    def has_permission(self, request: Request, view: Any) -> bool:
        cap = OversightCap.ASSESSMENT_VIEW if request.method in SAFE_METHODS else OversightCap.CIRCULARS
        return bool(request.user and request.user.is_authenticated and user_can(request.user, cap))


class CircularSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="〔year〕第N期; empty for a draft.")
    units = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()

    class Meta:
        model = Circular
        fields = [
            "id", "number", "kind", "status", "period_start", "period_end", "title", "lead", "body", "conclusion",
            "table", "issuer", "units", "persons", "issued_on", "issued_at", "content_hash", "decision", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_units(self, circular: Circular) -> list[dict[str, Any]]:
        return [{"id": u.pk, "name": u.name} for u in selectors.units_named(circular)]

    def get_persons(self, circular: Circular) -> list[dict[str, Any]]:
        return [{"id": p.pk, "name": p.display_name} for p in selectors.persons_named(circular)]


class CircularDraftSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CircularKind.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    decision = record_id(required=False, allow_null=True, help_text="A review decision of kind circular.")
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate_decision(self, value: int | None) -> Decision | None:
        if value is None:
            return None
        decision = Decision.objects.filter(pk=value).first()
        if decision is None:
            raise serializers.ValidationError("No such decision.")
        return decision


class CircularEditSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lead = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    body = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    conclusion = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=100)
    units = record_ids(required=False, max_length=500, help_text="The units concerned (replaces them).")

    def validate_units(self, value: list[int]) -> list[Unit]:
        units = list(Unit.objects.filter(pk__in=value).order_by("order", "name"))
        if len(units) != len(set(value)):
            raise serializers.ValidationError("No such unit.")
        return units


_one = {401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
_written = {**_one, 400: ERRORS[400], 415: ERRORS[415]}
_issued = OpenApiResponse(DetailErrorSerializer, description="The circular is issued: it cannot be changed.")


@extend_schema_view(
    list=extend_schema(
        responses={200: CircularSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE}
    ),
    retrieve=extend_schema(responses={200: CircularSerializer, **_one}),
    create=extend_schema(
        request=CircularDraftSerializer,
        responses={201: CircularSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 415: ERRORS[415]},
    ),
    partial_update=extend_schema(
        request=CircularEditSerializer, responses={200: CircularSerializer, **_written, 409: _issued}
    ),
    issue=extend_schema(request=None, responses={200: CircularSerializer, **_written, 409: _issued}),
)
class CircularViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CircularSerializer
    permission_classes = [CircularAccess]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.circulars_for(self.request.user).order_by("-created_at", "-pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = CircularDraftSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        circular = services.circular_draft(actor=request.user, **given.validated_data)
        return Response(CircularSerializer(circular).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        circular = self.get_object()
        given = CircularEditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        saved = services.circular_update(
            actor=request.user,
            circular=circular,
            title=data.get("title", circular.title),
            lead=data.get("lead", circular.lead),
            body=data.get("body", circular.body),
            conclusion=data.get("conclusion", circular.conclusion),
            issuer=data.get("issuer"),
            units=data.get("units"),
        )
        return Response(CircularSerializer(saved).data)

    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        circular = self.get_object()
        issued = services.circular_issue(actor=request.user, circular=circular)
        return Response(CircularSerializer(issued).data)
