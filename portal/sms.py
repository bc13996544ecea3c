"""Text messages to residents' phones through a pluggable backend (SMS_BACKEND, a dotted path).

A backend is a class with ``send(phone, text) -> None`` that raises `SmsError` when the message cannot be sent.
`ConsoleBackend` (development) writes the message to the log and standard output; `LocmemBackend` (tests) keeps
it in `outbox`. A production backend for the operator's SMS gateway is a class of the same shape.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("minqing.sms")

outbox: list[tuple[str, str]] = []


class SmsError(Exception):
    """The message could not be sent."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        masked = phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
        log.info("SMS to %s: %s", masked, text)
        # Development only: the code to type in, on the standard output (which a server's log keeps, so masked).
        print(f"[SMS to {masked}] {text}", file=sys.stdout, flush=True)


class LocmemBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
