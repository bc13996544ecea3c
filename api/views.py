"""The API's own endpoints: tokens for a username and password, and the JSON 404 of every other path."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import login_check
from api.serializers import TokenRequestSerializer, TokenSerializer
from core.exceptions import LoginRefused
from core.rest.schema import ERRORS


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


@csrf_exempt  # a 404 whatever the method: never the CSRF middleware's HTML 403
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under the API: the API's JSON 404, never the site's HTML page."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
