"""Keep personal data out of public text: mask phone and ID numbers that people type into descriptions."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.utils.translation import gettext as _

# Mainland mobile numbers (11 digits from 1[3-9]), landlines with area code, 18-character ID numbers.
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
# A dwelling's door: "2单元501室", "501室", "3号房", "12户"; the building ("3栋") and the compound stay visible.
_DOOR = re.compile(
    r"(?:[0-9一二三四五六七八九十]+\s*单元\s*)?[0-9]+\s*(?:室|号房|户)|[0-9一二三四五六七八九十]+\s*单元"
)


def redact(text: str) -> str:
    """Mask ID numbers, phone numbers and door numbers in free text shown to the public."""
    if not text:
        return text
    text = _ID_NUMBER.sub(_("[ID number hidden]"), text)
    text = _MOBILE.sub(_("[phone hidden]"), text)
    text = _LANDLINE.sub(_("[phone hidden]"), text)
    return _DOOR.sub(_("[door number hidden]"), text)


def mask_numbers(text: str, *, phone_label: str | None = None, id_label: str | None = None) -> str:
    """Mask ID and phone numbers, not doors: the back office's text for roles without the right to see them."""
    if not text:
        return text
    id_label = _("[ID number hidden]") if id_label is None else id_label
    phone_label = _("[phone hidden]") if phone_label is None else phone_label
    text = _ID_NUMBER.sub(id_label, text)
    text = _MOBILE.sub(phone_label, text)
    return _LANDLINE.sub(phone_label, text)


def phone_digest(phone: str) -> str:
    """A keyed digest of a phone number: lets us enforce one rating per phone without storing the number."""
    digits = re.sub(r"\D", "", phone)[-11:]
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{digits}".encode(), hashlib.sha256).hexdigest()


def client_digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"client:{value}".encode(), hashlib.sha256).hexdigest()
