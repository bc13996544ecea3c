"""Keep an uploaded file in the session between a dry run and its confirmation; the client holds only a token."""

from __future__ import annotations

import base64
import secrets
import zlib
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.crypto import constant_time_compare


@dataclass(frozen=True)
class Stashed:
    name: str
    data: bytes
    extra: dict[str, Any]


def upload_stash(request: HttpRequest, key: str, *, name: str, data: bytes, **extra: Any) -> str:
    """Keep the checked file (and the choices made with it) under `key`; return the token the confirm form posts."""
    token = secrets.token_urlsafe(16)
    request.session[key] = {
        "token": token,
        "name": name[:200],
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
        "extra": extra,
    }
    return token


def upload_unstash(request: HttpRequest, key: str, token: str) -> Stashed | None:
    """The file kept under `key` if `token` is the one handed out with it; None if expired, replaced or damaged."""
    stored = request.session.get(key)
    if not stored or not token or not constant_time_compare(token, stored.get("token", "")):
        return None
    try:
        data = zlib.decompress(base64.b64decode(stored["data"]))
    except (ValueError, zlib.error, KeyError):
        request.session.pop(key, None)
        return None
    return Stashed(name=stored.get("name", ""), data=data, extra=dict(stored.get("extra") or {}))
