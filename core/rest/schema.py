"""What every API answer documents alike: the error bodies, the 404 of a page past the last, read-only collections."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


ERRORS: dict[int, Any] = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input; the keys name the fields."),
    401: OpenApiResponse(DetailErrorSerializer, description="No credentials, or a token or session that is not valid."),
    403: OpenApiResponse(DetailErrorSerializer, description="The caller may not do this."),
    404: OpenApiResponse(DetailErrorSerializer, description="No such record, or not visible to the caller."),
    415: OpenApiResponse(DetailErrorSerializer, description="The body's media type is not one of the documented ones."),
}
# A list answers 404 for a page beyond the last (or a page that is not a number).
NO_PAGE = OpenApiResponse(DetailErrorSerializer, description="No such page.")


def read_only_responses(serializer: type[Any]) -> Any:
    """Document what a read-only collection answers: its rows or one row, and the errors any caller may meet."""
    errors = {401: ERRORS[401], 403: ERRORS[403]}
    not_found = OpenApiResponse(DetailErrorSerializer, description="No such record.")
    return extend_schema_view(
        list=extend_schema(responses={200: serializer, **errors, 404: NO_PAGE}),
        retrieve=extend_schema(responses={200: serializer, **errors, 404: not_found}),
    )
