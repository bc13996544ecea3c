"""The supervision signals over REST (SIGNALS only, the supervision team): list and read, dismiss with a reason, turn
into a problem clue. Writes go through the services, so a refusal says the same as on the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer
from core.roles import user_can
from oversight.capabilities import OversightCap
from oversight.models.signals import Signal, SignalKind, SignalStatus
from oversight.selectors import signals as selectors
from oversight.services import signals as services


class SignalAccess(BasePermission):
    """Every method needs SIGNALS."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and user_can(request.user, OversightCap.SIGNALS))


class SignalSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True, default=None, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)
    clue = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = [
            "id", "kind", "status", "day", "summary", "person", "person_name", "unit", "unit_name", "evidence",
            "found_at", "refreshed_at", "handled_at", "dismiss_reason", "clue",
        ]  # fmt: skip

    def get_clue(self, signal: Signal) -> str | None:
        clue = getattr(signal, "clue", None)
        return clue.code if clue is not None else None


class SignalDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=services.REASON_MAX + 1, trim_whitespace=False)


class SignalClueSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=6000)


class ClueMadeSerializer(serializers.Serializer):
    clue = serializers.CharField(help_text="The number of the clue registered.")
    signal = SignalSerializer()


_one = {401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
_written = {**_one, 400: ERRORS[400], 415: ERRORS[415]}
_conflict = OpenApiResponse(DetailErrorSerializer, description="The signal is dismissed or a clue already.")
_filters = [
    OpenApiParameter("kind", str, enum=SignalKind.values, required=False),
    OpenApiParameter("status", str, enum=SignalStatus.values, required=False),
    OpenApiParameter("unit", int, required=False),
    OpenApiParameter("person", int, required=False),
]


@extend_schema_view(
    list=extend_schema(
        parameters=_filters,
        responses={200: SignalSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE},
    ),
    retrieve=extend_schema(responses={200: SignalSerializer, **_one}),
    dismiss=extend_schema(
        request=SignalDismissSerializer, responses={200: SignalSerializer, **_written, 409: _conflict}
    ),
    clue=extend_schema(request=SignalClueSerializer, responses={201: ClueMadeSerializer, **_written, 409: _conflict}),
)
class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SignalSerializer
    permission_classes = [SignalAccess]

    def get_queryset(self) -> Any:
        f = selectors.SignalFilter.from_params(self.request.query_params) if self.action == "list" else None
        return selectors.signals_list(f).select_related("clue")

    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        given = SignalDismissSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        done = services.signal_dismiss(actor=request.user, signal=signal, reason=given.validated_data["reason"])
        return Response(SignalSerializer(selectors.signal_get(done.pk)).data)

    @action(detail=True, methods=["post"])
    def clue(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        given = SignalClueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        made = services.signal_to_clue(actor=request.user, signal=signal, text=given.validated_data.get("text", ""))
        data = {"clue": made.code, "signal": SignalSerializer(selectors.signal_get(signal.pk)).data}
        return Response(data, status=status.HTTP_201_CREATED)
