"""Security headers on every response, and a log filter that keeps personal numbers out of log lines."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What the browser may load and run: only our own files. No inline script or style, no eval, no framing.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Powerful browser features the site does not use are switched off; the portal's "use my location" keeps one.
# (Visit photos come through a file input, which needs no camera permission.)
DEFAULT_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), display-capture=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)


class SecurityHeadersMiddleware:
    """Add the Content Security Policy and the Permissions Policy to every response, static files included.

    Django's SecurityMiddleware already sets X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy
    and (over HTTPS) Strict-Transport-Security; XFrameOptionsMiddleware sets X-Frame-Options.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.csp:
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class MaskNumbersFilter(logging.Filter):
    """Mask phone, ID and card numbers in every log line (defence in depth: the code logs none on purpose).

    The labels are plain ASCII and untranslated: a log line may be written before translations are ready.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from core.privacy import mask_numbers

        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, not ours
            return True
        masked = mask_numbers(message, phone_label="[phone]", id_label="[id]", card_label="[card]")
        if masked != message:
            record.msg, record.args = masked, None
        return True
