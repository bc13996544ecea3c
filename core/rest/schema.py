"""What every API answer documents alike: the error bodies, the 404 of a page past the last, read-only collections."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from core.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.idempotency import KEY_MAX_LENGTH as IDEMPOTENCY_KEY_MAX


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


def idempotent_create(what: str, serializer: Any, **responses: Any) -> dict[str, Any]:
    """The schema parts of a create that an Idempotency-Key makes safe to repeat: the header, the answers."""
    header = OpenApiParameter(
        IDEMPOTENCY_HEADER,
        str,
        OpenApiParameter.HEADER,
        description=f"Up to {IDEMPOTENCY_KEY_MAX} characters; the same key answers with the same {what}.",
    )
    errors = {**{code: ERRORS[code] for code in (400, 401, 403, 415)}, **{int(c): a for c, a in responses.items()}}
    answers = {
        201: serializer,
        200: OpenApiResponse(serializer, description="A repeat of an earlier request: nothing new."),
        **dict(sorted(errors.items())),
    }
    return {"parameters": [header], "responses": answers}
