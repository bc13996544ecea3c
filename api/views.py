from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import (
    CampaignSerializer,
    PersonSerializer,
    PhaseSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UnitSerializer,
)
from campaigns.models import Campaign, Phase
from core.exceptions import LoginRefused
from core.services import login_check
from org.models import Person, Unit
from org.selectors import people_list


class TokenView(APIView):
    """Exchange a username and password for an API token (the login lockout applies)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = login_check(
                request=request._request,
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
        except LoginRefused as exc:
            return Response({"non_field_errors": [exc.message]}, status=400)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


@extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("parent", int)])
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        qs = Unit.objects.order_by("order", "id")
        kind = self.request.query_params.get("kind")
        parent = self.request.query_params.get("parent")
        if kind:
            qs = qs.filter(kind=kind)
        if parent and parent.isdigit():
            qs = qs.filter(parent_id=int(parent))
        return qs


@extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("q", str)])
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        unit = self.request.query_params.get("unit", "")
        return people_list(
            q=self.request.query_params.get("q", "")[:60], unit_id=int(unit) if unit.isdigit() else None
        ).order_by("id")


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    queryset = Campaign.objects.prefetch_related("phases", "duty_rules").order_by("-starts_on", "id")


class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    queryset = Phase.objects.order_by("campaign", "order")
