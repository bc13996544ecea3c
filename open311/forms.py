"""Parse and check what Open311 clients send: the search parameters of GET requests and the fields of a POST."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from core.validators import phone_validator, plain_text_validator
from matters.models import Category, problem_length
from open311.selectors import CLOSED, OPEN, RequestSearch
from open311.services import SubmittedRequest

# C0 control characters other than tab, line feed and carriage return, and lone surrogates (which a JSON body
# may carry): neither can be stored everywhere nor written in XML.
_FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SIX_PLACES = Decimal("0.000001")
MAX_IDS = 1000


def check_characters(value: str) -> None:
    if _FORBIDDEN_CHARACTERS.search(value):
        raise ValidationError(_("Control characters are not accepted."), code="control")


class TextField(forms.CharField):
    """A text parameter that refuses control characters (and, like every CharField, NUL bytes)."""

    default_validators = [check_characters]


def _split(raw: str) -> list[str]:
    """'a, b,,a' → ['a', 'b']: the spec's comma-delimited lists, in order, without blanks or repeats."""
    return list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))


def _coordinate(raw: str, limit: int) -> Decimal:
    message = _("Enter a number between -%(limit)s and %(limit)s.") % {"limit": limit}
    try:
        value = Decimal(raw)
        # copy_abs is exact: abs() would round in the context and overflow on exponents such as 1e999999999.
        if not value.is_finite() or value.copy_abs() > limit:
            raise ValidationError(message, code="invalid")
        return value.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
    except DecimalException:
        raise ValidationError(message, code="invalid") from None


def _moment(raw: str, *, end: bool) -> dt.datetime:
    """A W3C/ISO 8601 date-time; a bare date means the start (or, for an end, the end) of that day; naive is local."""
    message = _("Enter a date and time such as 2026-11-25T09:30:00+08:00.")
    try:
        day = parse_date(raw)
        if day is not None:
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            parsed = parse_datetime(raw)
            if parsed is None:
                raise ValueError(raw)
            moment = parsed
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Far-off years cannot be compared with the database nor shifted by 90 days: refuse them here.
        if not 1900 <= moment.astimezone(dt.UTC).year <= 9000:
            raise ValueError(raw)
    except (ValueError, OverflowError):
        raise ValidationError(message, code="invalid") from None
    return moment


class RequestSearchForm(forms.Form):
    service_request_id = TextField(required=False, max_length=50_000)
    service_code = TextField(required=False, max_length=5_000)
    start_date = TextField(required=False, max_length=40)
    end_date = TextField(required=False, max_length=40)
    status = TextField(required=False, max_length=100)

    def clean_service_request_id(self) -> list[str]:
        ids = _split(self.cleaned_data["service_request_id"])
        if len(ids) > MAX_IDS:
            raise ValidationError(_("Ask for at most %(count)s requests at a time.") % {"count": MAX_IDS})
        return ids

    def clean_service_code(self) -> list[str]:
        codes = _split(self.cleaned_data["service_code"])
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(_("Unknown service code: %(codes)s.") % {"codes": ", ".join(unknown)[:200]})
        return codes

    def clean_start_date(self) -> dt.datetime | None:
        raw = self.cleaned_data["start_date"]
        return _moment(raw, end=False) if raw else None

    def clean_end_date(self) -> dt.datetime | None:
        raw = self.cleaned_data["end_date"]
        return _moment(raw, end=True) if raw else None

    def clean_status(self) -> list[str]:
        statuses = _split(self.cleaned_data["status"].lower())
        if any(status not in (OPEN, CLOSED) for status in statuses):
            raise ValidationError(_("The status must be “open” or “closed”."))
        return statuses

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start is not None and end is not None and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data

    def search(self) -> RequestSearch:
        data = self.cleaned_data
        return RequestSearch(
            ids=data["service_request_id"],
            service_codes=data["service_code"],
            start=data["start_date"],
            end=data["end_date"],
            statuses=data["status"],
        )


class ServiceRequestForm(forms.Form):
    """The fields of the spec's POST Service Request; `attribute[…]` is not used (no service has metadata)."""

    service_code = TextField(max_length=40)
    lat = TextField(required=False, max_length=40)
    long = TextField(required=False, max_length=40)
    address_string = TextField(required=False, max_length=200)
    address_id = TextField(required=False, max_length=100)
    description = TextField(validators=[plain_text_validator, problem_length])
    email = forms.EmailField(required=False, max_length=254, validators=[check_characters])
    first_name = TextField(required=False, max_length=30)
    last_name = TextField(required=False, max_length=30)
    phone = TextField(required=False, max_length=20, validators=[phone_validator])
    device_id = TextField(required=False, max_length=100)
    account_id = TextField(required=False, max_length=100)
    media_url = forms.URLField(required=False, max_length=500, assume_scheme="https", validators=[check_characters])

    def clean_service_code(self) -> Category:
        code = self.cleaned_data["service_code"]
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise ValidationError(_("Unknown service code: %(codes)s.") % {"codes": code})
        return category

    def clean_lat(self) -> Decimal | None:
        raw = self.cleaned_data["lat"]
        return _coordinate(raw, 90) if raw else None

    def clean_long(self) -> Decimal | None:
        raw = self.cleaned_data["long"]
        return _coordinate(raw, 180) if raw else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = {name for name in ("lat", "long", "address_string", "address_id") if self._raw(name)}
        if ("lat" in given) != ("long" in given):
            self.add_error(None, _("Give both lat and long, or neither."))
        elif not given:
            self.add_error(None, _("Give a location: lat and long, address_string or address_id."))
        return data

    def _raw(self, name: str) -> bool:
        value = self.data.get(name)
        return isinstance(value, str) and bool(value.strip())

    def submitted(self) -> SubmittedRequest:
        data = self.cleaned_data
        return SubmittedRequest(
            category=data["service_code"],
            description=data["description"],
            address=data["address_string"],
            address_id=data["address_id"],
            latitude=data["lat"],
            longitude=data["long"],
            reporter_name=full_name(data["first_name"], data["last_name"]),
            reporter_phone=data["phone"],
            email=data["email"],
            device_id=data["device_id"],
            account_id=data["account_id"],
            media_url=data["media_url"],
        )


_CJK = re.compile(r"[\u3400-\u9fff]")


def full_name(first: str, last: str) -> str:
    """First and last name; a Chinese name is written family name first and without a space (王 + 小明 → 王小明)."""
    if first and last and _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
