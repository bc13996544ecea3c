"""Outbound notification backends: one per channel, named in ``settings.NOTIFY_BACKENDS``.

A backend is a class with ``send(notification) -> None`` that raises on failure: `DeliveryError`
to be tried again on a later tick, `PermanentDeliveryError` when trying again cannot help.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from core.privacy import redact
from notifications.models import Notification

# WeCom's group robot takes at most 2048 bytes of text content; DingTalk's takes more.
WEBHOOK_CONTENT_MAX_BYTES = 2000
_RESPONSE_MAX_BYTES = 64 * 1024


class DeliveryError(Exception):
    """Sending failed; the delivery is tried again on a later tick."""


class PermanentDeliveryError(DeliveryError):
    """Sending can never succeed (no address, no backend): the delivery fails at once."""


class Backend(Protocol):
    def send(self, notification: Notification) -> None: ...


def get_backend(channel: str) -> Backend:
    """Instantiate the backend configured for `channel`."""
    path = settings.NOTIFY_BACKENDS.get(channel)
    if not path:
        raise PermanentDeliveryError(f"No backend is configured for the channel {channel!r} (NOTIFY_BACKENDS).")
    backend: Backend = import_string(path)()
    return backend


def absolute_link(link: str) -> str:
    """Make a site path absolute with ``settings.SITE_URL``, so that it works from a mail or chat client."""
    base = getattr(settings, "SITE_URL", "")
    if link.startswith("/") and not link.startswith("//") and base:
        return base.rstrip("/") + link
    return link


def message_text(notification: Notification) -> str:
    """Title, body and link, one per line; empty parts left out; numbers masked again on the way out."""
    parts = [redact(notification.title), redact(notification.body.strip()), absolute_link(notification.link)]
    return "\n".join(part for part in parts if part)


class EmailBackend:
    """Send through Django's mail framework (``EMAIL_BACKEND``) to the recipient's address."""

    def send(self, notification: Notification) -> None:
        email = (notification.recipient.email or "").strip()
        if not email:
            raise PermanentDeliveryError("The recipient has no e-mail address.")
        subject = " ".join(redact(notification.title).split())  # a header: no line breaks
        body = "\n\n".join(
            part for part in (redact(notification.body.strip()), absolute_link(notification.link)) if part
        )
        send_mail(subject, body or subject, None, [email], fail_silently=False)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn the POST into a GET and report success."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebhookBackend:
    """POST to a WeCom (企业微信) or DingTalk (钉钉) group robot in their shared text format.

    The URL holds the robot's key, so it never appears in an error message or a log.
    """

    def __init__(self, url: str | None = None, timeout: float | None = None) -> None:
        self.url = settings.NOTIFY_WEBHOOK_URL if url is None else url
        self.timeout = getattr(settings, "NOTIFY_WEBHOOK_TIMEOUT", 5) if timeout is None else timeout

    def payload(self, notification: Notification) -> dict[str, Any]:
        content = message_text(notification).encode("utf-8")[:WEBHOOK_CONTENT_MAX_BYTES]
        return {"msgtype": "text", "text": {"content": content.decode("utf-8", errors="ignore")}}

    def send(self, notification: Notification) -> None:
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise DeliveryError("NOTIFY_WEBHOOK_URL is not set to an http(s) URL.")
        request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
            self.url,
            data=json.dumps(self.payload(notification), ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
                raw = response.read(_RESPONSE_MAX_BYTES)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise DeliveryError(f"The webhook answered HTTP {exc.code}.") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else (str(exc) or type(exc).__name__)
            raise DeliveryError(f"The webhook could not be reached: {reason}.") from None
        if not 200 <= status < 300:
            raise DeliveryError(f"The webhook answered HTTP {status}.")
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except ValueError:
            return  # a 2xx answer that is not JSON: nothing says it failed
        if isinstance(answer, dict) and str(answer.get("errcode", 0)) != "0":
            errmsg = str(answer.get("errmsg", ""))[:150]
            raise DeliveryError(f"The webhook refused the message: errcode {answer.get('errcode')} {errmsg}".strip())
