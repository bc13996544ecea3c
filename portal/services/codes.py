"""One-time codes sent by SMS to prove a phone: issue (throttled per phone), verify (a few tries), spend once.

A code is never stored in clear: only an HMAC keyed with SECRET_KEY and bound to the phone digest, the purpose and
the matter, so a code sent for one matter or phone cannot be used for another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.privacy import phone_digest
from matters.models import Matter
from portal.models import PhoneCode
from portal.sms import SmsError, send_sms
from portal.throttle import throttle_hit

CODE_DIGITS = 6
MAX_ATTEMPTS = 5  # wrong tries before a code is spent
CODES_PER_PHONE_PER_HOUR = 5
CODE_GAP = dt.timedelta(seconds=60)  # between two codes to the same phone


class Throttled(DomainError):
    """Too many requests from one client or to one phone; answered with HTTP 429."""


class CodeRefused(DomainError):
    """The code is wrong, expired, spent or tried too often."""


class SmsUnavailable(DomainError):
    """The text message could not be sent."""


def code_digest(*, code: str, phone_key: str, purpose: str, matter_id: int | None) -> str:
    message = f"code:{purpose}:{matter_id or ''}:{phone_key}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def phone_code_send(*, phone: str, purpose: str, matter: Matter | None, now: dt.datetime | None = None) -> PhoneCode:
    """Send a fresh code to `phone` for `purpose` (and `matter`); refuse a second one within a minute or past 5 an hour."""
    now = now or timezone.now()
    phone_key = phone_digest(phone)
    last = PhoneCode.objects.filter(phone_digest=phone_key).order_by("-created_at").values_list("created_at", flat=True)
    latest = last.first()
    if latest is not None and now - latest < CODE_GAP:
        wait = max(1, math.ceil((CODE_GAP - (now - latest)).total_seconds()))
        raise Throttled(
            _("A code was just sent to this phone. Wait %(seconds)s seconds before asking for another.")
            % {"seconds": wait},
            field="phone",
        )
    if not throttle_hit(f"code-phone:{phone_key[:32]}", limit=CODES_PER_PHONE_PER_HOUR, window=dt.timedelta(hours=1)):
        raise Throttled(_("Too many codes were sent to this phone. Try again in an hour."), field="phone")
    code = new_code()
    minutes = settings.SMS_CODE_MINUTES
    matter_id = matter.pk if matter is not None else None
    with transaction.atomic():
        record = PhoneCode.objects.create(
            phone_digest=phone_key,
            purpose=purpose,
            matter=matter,
            code_digest=code_digest(code=code, phone_key=phone_key, purpose=purpose, matter_id=matter_id),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
    # Sent after the record is committed: a code that reaches a phone can always be checked.
    text = _("【Minqing】Your verification code is %(code)s. It is valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    try:
        send_sms(phone, text)
    except SmsError:
        PhoneCode.objects.filter(pk=record.pk).update(used_at=now)  # never delivered: never valid
        raise SmsUnavailable(_("The text message could not be sent. Try again in a few minutes.")) from None
    return record


def phone_code_check(
    *, phone_key: str, purpose: str, matter: Matter | None, code: str, now: dt.datetime
) -> tuple[PhoneCode | None, str]:
    """Check `code` against the latest unused code of this phone, purpose and matter, under a row lock.

    Returns (the code, "") when it matches; (the code, message) when it is wrong, for the caller to count the try
    where it will be committed even though the action is refused; (None, message) when there is no live code.
    """
    live = (
        PhoneCode.objects.select_for_update()
        .filter(phone_digest=phone_key, purpose=purpose, matter=matter, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if live is None:
        return None, _("No code was sent to this phone for this matter, or it was already used. Ask for a new code.")
    if live.expires_at <= now:
        return None, _("This code has expired. Ask for a new code.")
    if live.attempts >= MAX_ATTEMPTS:
        return None, _("Too many wrong tries with this code. Ask for a new code.")
    wanted = code_digest(code=code, phone_key=phone_key, purpose=purpose, matter_id=matter.pk if matter else None)
    if not hmac.compare_digest(live.code_digest, wanted):
        left = MAX_ATTEMPTS - live.attempts - 1
        if left <= 0:
            return live, _("The code is wrong, and it was tried too often. Ask for a new code.")
        return live, _("The code is wrong. %(left)s tries left.") % {"left": left}
    return live, ""
