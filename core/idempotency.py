"""The Idempotency-Key header of the REST API and Open311: read the same way, with one limit and one message.

A client sends the same key with a retried request; the face that reads it answers with what the first request
made instead of making it again. The limit is that of the field the API keeps a key in as it came
(`Matter.idempotency_key`), so any key a face accepts can be stored.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 100


class IdempotencyKeyError(ValueError):
    """The header cannot be a key; the message is translated and names the header."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def idempotency_key(request: Any) -> str:
    """The request's key, without surrounding spaces; "" when it sends none. Refuses a key that is too long."""
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > KEY_MAX_LENGTH:
        raise IdempotencyKeyError(
            _("The Idempotency-Key header may have at most %(max)d characters.") % {"max": KEY_MAX_LENGTH}
        )
    return key
