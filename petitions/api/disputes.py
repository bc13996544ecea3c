"""Dispute screening over REST: /api/v1/disputes/ (list, create) and /api/v1/disputes/{id}/escalate/.

The parties are in an answer only for those who may see them (the community's cadres and handlers, the person
responsible, the coordination and supervision teams); each such answer is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_list_view, audit_view
from core.rest.fields import record_ids
from core.rest.params import query_param
from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS
from org.models import Person, Unit
from petitions import disputes as service
from petitions.capabilities import PetitionCap
from petitions.models import Colour, Dispute, FocusArea, Risk

PARTIES_NOTE = (
    "Visible only to the community's cadres and handlers, the person responsible, the coordination team and the "
    "conduct supervision team (each read is audited); null for everyone else."
)


class PartySerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)


class DisputeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    community = serializers.IntegerField(help_text="A community's unit id.")
    kind = serializers.CharField(
        help_text="A focus area's or dispute type's code (wages, neighbours, family, labour …)."
    )
    summary = serializers.CharField(max_length=4000, allow_null=True, help_text="Private. " + PARTIES_NOTE)
    place = serializers.CharField(max_length=200)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False)
    colour = serializers.ChoiceField(choices=Colour.choices, required=False)
    measures = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    responsible = serializers.IntegerField(required=False, allow_null=True, help_text="A person's id.")
    raised_on = serializers.DateField(required=False)
    status = serializers.CharField(read_only=True)
    matter = serializers.IntegerField(read_only=True, allow_null=True)
    case = serializers.IntegerField(read_only=True, allow_null=True)
    parties = PartySerializer(many=True, required=False, allow_null=True, help_text=PARTIES_NOTE)


class EscalateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    to = serializers.ChoiceField(choices=["matter", "petition"])
    owners = record_ids(required=False, help_text="For a petition case.")


def _data(dispute: Dispute, personal: bool) -> dict[str, Any]:
    parties = list(dispute.parties.all())
    return {
        "id": dispute.pk,
        "community": dispute.community_id,
        "kind": dispute.kind.code,
        "summary": dispute.summary if personal else service.anonymised(dispute.summary, parties),
        "place": dispute.place,
        "risk": dispute.risk,
        "colour": dispute.colour,
        "measures": dispute.measures,
        "responsible": dispute.responsible_id,
        "raised_on": dispute.raised_on.isoformat(),
        "status": dispute.status,
        "matter": dispute.matter_id,
        "case": dispute.case_id,
        "parties": [{"name": p.name, "phone": p.phone, "id_number": p.id_number} for p in parties]
        if personal
        else None,
    }


@extend_schema_view(
    list=extend_schema(
        summary="List disputes",
        parameters=[OpenApiParameter("status", str, enum=["open", "resolved", "matter", "petition"])],
        responses={200: DisputeSerializer(many=True), **ERRORS},
    ),
    create=extend_schema(
        summary="Record a dispute", request=DisputeSerializer, responses={201: DisputeSerializer, **ERRORS}
    ),
)
class DisputeViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = DisputeSerializer

    def get_permissions(self) -> list[BasePermission]:
        cap = PetitionCap.DISPUTES if self.action == "list" else PetitionCap.DISPUTES_WORK
        return [cap_permission(cap)()]

    def get_queryset(self) -> QuerySet[Dispute]:
        qs = service.disputes_visible_to(self.request.user).prefetch_related("parties")
        wanted = query_param(self.request.query_params, "status")
        return qs.filter(status=wanted) if wanted else qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page if page is not None else self.get_queryset())
        personal = {d.pk for d in rows if service.can_see_parties(request.user, d)}
        audit_list_view(
            actor=request.user, action="petitions.list_parties", model=Dispute, ids=sorted(personal), fields=["parties"]
        )
        data = [_data(d, d.pk in personal) for d in rows]
        return self.get_paginated_response(data) if page is not None else Response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = DisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        community = Unit.objects.filter(pk=values.pop("community")).first()
        kind = FocusArea.objects.filter(code=values.pop("kind"), active=True).first()
        if community is None or kind is None:
            return Response(
                {"community" if community is None else "kind": ["Not found."]}, status=status.HTTP_400_BAD_REQUEST
            )
        responsible_id = values.pop("responsible", None)
        responsible = Person.objects.filter(pk=responsible_id).first() if responsible_id else None
        parties = [dict(p) for p in values.pop("parties", None) or []]
        dispute = service.dispute_create(
            actor=request.user, community=community, kind=kind, responsible=responsible, parties=parties, **values
        )
        audit_view(actor=request.user, action="petitions.view_parties", target=dispute, fields=["parties"])
        return Response(_data(dispute, True), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Escalate a dispute to a matter or a petition case",
        request=EscalateSerializer,
        responses={200: DisputeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="escalate")
    def escalate(self, request: Request, pk: str) -> Response:
        if not str(pk).isdecimal() or len(str(pk)) > 18:
            raise Http404
        dispute = service.disputes_visible_to(request.user).filter(pk=int(pk)).first()
        if dispute is None:
            raise Http404
        if not service.can_act(request.user, dispute):
            raise PermissionDenied
        body = EscalateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        owners = list(Person.objects.filter(pk__in=body.validated_data.get("owners") or []))
        done = service.dispute_escalate(
            actor=request.user, dispute=dispute, to=body.validated_data["to"], owners=owners
        )
        return Response(_data(done, service.can_see_parties(request.user, done)))
