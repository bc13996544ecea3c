"""Turn domain errors into answers: 409 for state conflicts, 403 for refusals, 400 for the rest."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError, NotAllowed, StateConflict


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, StateConflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DomainError):
        return Response({exc.field or "detail": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
