from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import cap_permission
from api.serializers import (
    CampaignSerializer,
    PersonSerializer,
    PhaseSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UnitSerializer,
)
from api.serializers_matters import DetailErrorSerializer
from api.views_matters import ERRORS, NO_PAGE
from campaigns.models import Campaign, Phase
from core.exceptions import LoginRefused
from core.roles import Cap
from core.services import login_check
from org.models import Person, Unit, UnitKind
from org.selectors import people_list


class TokenView(APIView):
    """Exchange a username and password for an API token (the login lockout applies)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Refused login."),
            415: ERRORS[415],
        },
    )
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


def read_only_responses(serializer: type[Any]) -> Any:
    """Document what a read-only collection answers: its rows or one row, and the errors any caller may meet."""
    errors = {401: ERRORS[401], 403: ERRORS[403]}
    not_found = OpenApiResponse(DetailErrorSerializer, description="No such record.")
    return extend_schema_view(
        list=extend_schema(responses={200: serializer, **errors, 404: NO_PAGE}),
        retrieve=extend_schema(responses={200: serializer, **errors, 404: not_found}),
    )


@read_only_responses(UnitSerializer)
@extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("parent", int)])
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    permission_classes = [cap_permission(Cap.ORG_VIEW)]

    def get_queryset(self) -> QuerySet[Unit]:
        qs = Unit.objects.order_by("order", "id")
        kind = self.request.query_params.get("kind")
        parent = self.request.query_params.get("parent")
        if kind:
            # An unknown kind matches nothing; it never reaches the database (PostgreSQL refuses a NUL in it).
            qs = qs.filter(kind=kind) if kind in UnitKind.values else qs.none()
        if parent and parent.isdecimal() and len(parent) < 12:
            qs = qs.filter(parent_id=int(parent))
        return qs


@read_only_responses(PersonSerializer)
@extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("q", str)])
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    permission_classes = [cap_permission(Cap.ORG_VIEW)]

    def get_queryset(self) -> QuerySet[Person]:
        unit = self.request.query_params.get("unit", "")
        return people_list(
            q=self.request.query_params.get("q", "")[:60],
            unit_id=int(unit) if unit.isdecimal() and len(unit) < 12 else None,
        ).order_by("id")


@read_only_responses(CampaignSerializer)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [cap_permission(Cap.CAMPAIGN_VIEW)]
    queryset = Campaign.objects.prefetch_related("phases", "duty_rules").order_by("-starts_on", "id")


@read_only_responses(PhaseSerializer)
class PhaseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PhaseSerializer
    permission_classes = [cap_permission(Cap.CAMPAIGN_VIEW)]
    queryset = Phase.objects.order_by("campaign", "order")


@csrf_exempt  # a 404 whatever the method: never the CSRF middleware's HTML 403
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under the API: the API's JSON 404, never the site's HTML page."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
