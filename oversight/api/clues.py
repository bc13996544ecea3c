"""Problem clues over REST, for the supervision team only (CLUES): the list (numbers and states, no text), a clue
(its every read audited), registering one, disposing of it, the reply to an inquiry, concluding it and its
accountability measures. A clue that names the caller is "not found" for them. The reporter's details never leave
the clue's page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_view
from core.rest.fields import record_id, record_ids
from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer
from core.roles import user_can
from org.models import Person, Unit
from oversight.capabilities import OversightCap
from oversight.models.clues import Clue, ClueConclusion, ClueDisposal, ClueSource, Measure
from oversight.selectors import clues as selectors
from oversight.services import clues as services

SHOWN_FIELDS = ["text", "concerned", "persons", "units", "findings", "evidence"]


class ClueAccess(BasePermission):
    """Every method needs CLUES (the conduct supervision team)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and user_can(request.user, OversightCap.CLUES))


class MeasureSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Measure
        fields = ["id", "kind", "label", "person", "unit", "decided_on", "decider", "note"]

    def get_label(self, measure: Measure) -> str:
        return services.measure_label(measure.kind)


class ClueRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clue
        fields = ["id", "code", "source", "status", "received_at", "disposal", "due_on", "conclusion", "concluded_on"]


class ClueSerializer(serializers.ModelSerializer):
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id", "code", "source", "status", "text", "concerned", "persons", "units", "received_at", "signal",
            "disposal", "disposed_on", "replied_on", "due_on", "conclusion", "findings", "evidence", "concluded_on",
            "measures",
        ]  # fmt: skip


def _people(value: list[int]) -> list[Person]:
    people = list(Person.objects.filter(pk__in=value))
    if len(people) != len(set(value)):
        raise serializers.ValidationError("No such person.")
    return people


def _units(value: list[int]) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=value))
    if len(units) != len(set(value)):
        raise serializers.ValidationError("No such unit.")
    return units


class ClueCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=services.TEXT_MAX, trim_whitespace=False)
    concerned = serializers.CharField(required=False, allow_blank=True, max_length=500)
    persons = record_ids(required=False, max_length=50)
    units = record_ids(required=False, max_length=50)

    def validate_persons(self, value: list[int]) -> list[Person]:
        return _people(value)

    def validate_units(self, value: list[int]) -> list[Unit]:
        return _units(value)


class DisposeSerializer(serializers.Serializer):
    disposal = serializers.ChoiceField(choices=ClueDisposal.choices)
    on = serializers.DateField()


class ReplySerializer(serializers.Serializer):
    replied_on = serializers.DateField()


class ConcludeSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=ClueConclusion.choices)
    findings = serializers.CharField(allow_blank=True, max_length=services.FINDINGS_MAX)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    on = serializers.DateField()


class MeasureCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=24)
    person = record_id(required=False, allow_null=True)
    unit = record_id(required=False, allow_null=True)
    decided_on = serializers.DateField()
    decider = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_person(self, value: int | None) -> Person | None:
        return None if value is None else _people([value])[0]

    def validate_unit(self, value: int | None) -> Unit | None:
        return None if value is None else _units([value])[0]


_one = {401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
_written = {**_one, 400: ERRORS[400], 415: ERRORS[415]}
_conflict = OpenApiResponse(DetailErrorSerializer, description="The clue's status does not allow this step.")
_filters = [
    OpenApiParameter("status", str, description="registered, disposed or concluded"),
    OpenApiParameter("q", str, description="A number, words of the text or of those concerned"),
]


@extend_schema_view(
    list=extend_schema(
        parameters=_filters,
        responses={200: ClueRowSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE},
    ),
    retrieve=extend_schema(responses={200: ClueSerializer, **_one}),
    create=extend_schema(
        request=ClueCreateSerializer,
        responses={201: ClueSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 415: ERRORS[415]},
    ),
    dispose=extend_schema(request=DisposeSerializer, responses={200: ClueSerializer, **_written, 409: _conflict}),
    reply=extend_schema(request=ReplySerializer, responses={200: ClueSerializer, **_written, 409: _conflict}),
    conclude=extend_schema(request=ConcludeSerializer, responses={200: ClueSerializer, **_written, 409: _conflict}),
    measures=extend_schema(
        request=MeasureCreateSerializer, responses={201: MeasureSerializer, **_written, 409: _conflict}
    ),
)
class ClueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ClueSerializer
    permission_classes = [ClueAccess]

    def get_queryset(self) -> Any:
        return selectors.clues_search(self.request.user, self.request.query_params)

    def get_serializer_class(self) -> Any:
        return ClueRowSerializer if self.action == "list" else ClueSerializer

    def get_object(self) -> Clue:
        return selectors.clue_get_for_user(self.request.user, self.kwargs.get("pk"))

    def _shown(self, clue: Clue) -> Response:
        fresh = selectors.clue_get_for_user(self.request.user, clue.pk)
        audit_view(actor=self.request.user, action="clue.view", target=fresh, fields=SHOWN_FIELDS, label=fresh.code)
        return Response(ClueSerializer(fresh).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._shown(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ClueCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        clue = services.clue_create(actor=request.user, source=ClueSource.STAFF, **given.validated_data)
        response = self._shown(clue)
        response.status_code = status.HTTP_201_CREATED
        return response

    @action(detail=True, methods=["post"])
    def dispose(self, request: Request, pk: str | None = None) -> Response:
        clue = self.get_object()
        given = DisposeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._shown(services.clue_dispose(actor=request.user, clue=clue, **given.validated_data))

    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        clue = self.get_object()
        given = ReplySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._shown(services.clue_reply_record(actor=request.user, clue=clue, **given.validated_data))

    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: str | None = None) -> Response:
        clue = self.get_object()
        given = ConcludeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._shown(services.clue_conclude(actor=request.user, clue=clue, **given.validated_data))

    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: str | None = None) -> Response:
        clue = self.get_object()
        given = MeasureCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        measure = services.measure_add(actor=request.user, clue=clue, **given.validated_data)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)
