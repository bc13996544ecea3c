"""Endorse an open matter, rate a finished one with a phone code, print the on-site QR poster. No login."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.documents import DocumentError
from core.exceptions import DomainError
from core.privacy import client_digest
from matters.models import Matter
from portal import poster
from portal.forms_engage import CodeRequestForm, RateForm
from portal.models import Endorsement, Rating
from portal.selectors import RATEABLE_STATUSES, public_matter
from portal.services.codes import SmsUnavailable, Throttled, phone_code_send
from portal.services.engage import RATE_PURPOSE, AlreadyEndorsed, endorsement_add, rating_submit
from portal.throttle import client_key, throttle_hit

CLIENT_COOKIE = "mq_client"
CLIENT_COOKIE_AGE = 365 * 24 * 3600
_CLIENT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
RECENT_COMMENTS = 10
POSTER_CACHE_SECONDS = 3600


def _matter_or_404(code: str) -> Matter:
    matter = public_matter(code[:20])
    if matter is None:
        raise Http404
    return matter


def _throttled(request: HttpRequest, action: str) -> bool:
    """True when this client did `action` too often this hour (PORTAL_ACTION_LIMIT)."""
    key = f"portal-{action}:{client_key(request)}"
    return not throttle_hit(key, limit=settings.PORTAL_ACTION_LIMIT, window=dt.timedelta(hours=1))


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- endorse -------------------------------------------------------------------------------------------


def _client_token(request: HttpRequest) -> tuple[str, bool]:
    """This browser's long-lived random token, and whether it is new (to be set as a cookie)."""
    token = request.COOKIES.get(CLIENT_COOKIE, "")
    if _CLIENT_TOKEN.match(token):
        return token, False
    return secrets.token_urlsafe(32), True


def client_has_endorsed(request: HttpRequest, matter: Matter) -> bool:
    """Whether this browser endorsed `matter` already (for the `endorsed` flag of _endorse_button.html)."""
    token = request.COOKIES.get(CLIENT_COOKIE, "")
    if not _CLIENT_TOKEN.match(token):
        return False
    return Endorsement.objects.filter(matter=matter, client_digest=client_digest(token)).exists()


@require_POST
def endorse(request: HttpRequest, code: str) -> HttpResponse:
    """附议: +1 on an open public problem, once per browser; htmx gets the refreshed button, a form post a redirect."""
    matter = _matter_or_404(code)
    token, new = _client_token(request)
    status, message, endorsed = 200, "", False
    if _throttled(request, "endorse"):
        status, message = 429, _("Too many requests from your connection. Try again in an hour.")
    else:
        try:
            matter = endorsement_add(matter=matter, client=token)
            message, endorsed = _("Thank you: your endorsement was counted."), True
        except DomainError as exc:
            status, message = 400, exc.message
            endorsed = isinstance(exc, AlreadyEndorsed)
    if _is_htmx(request):
        context = {"matter": matter, "endorsed": endorsed, "endorse_message": message, "endorse_error": status != 200}
        response = render(request, "portal/_endorse_button.html", context, status=status)
    elif status == 200:
        messages.success(request, message)
        response = redirect("portal:matter", code=matter.code)
    else:
        response = _refusal(request, matter, message, status)
    if new:
        response.set_cookie(CLIENT_COOKIE, token, max_age=CLIENT_COOKIE_AGE, httponly=True, samesite="Lax")
    return response


def _refusal(request: HttpRequest, matter: Matter, message: str, status: int) -> HttpResponse:
    """A plain page saying why, with the way back to the matter."""
    return render(request, "portal/rate.html", {"matter": matter, "refusal": message}, status=status)


# --- rate ----------------------------------------------------------------------------------------------


def _tallies(matter: Matter) -> dict[str, Any]:
    return {
        "comments": list(
            Rating.objects.filter(matter=matter)
            .exclude(comment="")
            .only("value", "comment", "created_at")
            .order_by("-created_at")[:RECENT_COMMENTS]
        ),
    }


def _rate_page(
    request: HttpRequest,
    matter: Matter,
    *,
    code_form: CodeRequestForm | None = None,
    rate_form: RateForm | None = None,
    code_sent: bool = False,
    status: int = 200,
) -> HttpResponse:
    code_form = code_form or CodeRequestForm(prefix="ask")
    rate_form = rate_form or RateForm(prefix="rate")
    code_form.tie_errors()
    rate_form.tie_errors()
    context = {
        "matter": matter,
        "can_rate": True,
        "code_form": code_form,
        "rate_form": rate_form,
        "code_sent": code_sent,
        "code_minutes": settings.SMS_CODE_MINUTES,
        **_tallies(matter),
    }
    return render(request, "portal/rate.html", context, status=status)


def _rateable_or_refuse(request: HttpRequest, matter: Matter) -> HttpResponse | None:
    if matter.status in RATEABLE_STATUSES:
        return None
    return _refusal(
        request, matter, _("This matter cannot be rated yet: residents rate matters once the work is completed."), 400
    )


@require_GET
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """民生实事群众评: the tallies, recent comments and the two steps (code by SMS, then the rating)."""
    matter = _matter_or_404(code)
    return _rateable_or_refuse(request, matter) or _rate_page(request, matter)


@require_POST
def rate_code(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: send a code to the phone typed in; the page comes back with step 2 ready."""
    matter = _matter_or_404(code)
    refused = _rateable_or_refuse(request, matter)
    if refused is not None:
        return refused
    form = CodeRequestForm(request.POST, prefix="ask")
    if _throttled(request, "code"):
        form.add_error(None, _("Too many requests from your connection. Try again in an hour."))
        return _rate_page(request, matter, code_form=form, status=429)
    if not form.is_valid():
        return _rate_page(request, matter, code_form=form, status=400)
    phone = form.cleaned_data["phone"]
    try:
        phone_code_send(phone=phone, purpose=RATE_PURPOSE, matter=matter)
    except Throttled as exc:
        form.add_error("phone", exc.message)
        return _rate_page(request, matter, code_form=form, status=429)
    except SmsUnavailable as exc:
        form.add_error(None, exc.message)
        return _rate_page(request, matter, code_form=form, status=503)
    # The phone comes back only in the form of the person who typed it, to go on with step 2.
    rate_form = RateForm(prefix="rate", initial={"phone": phone})
    return _rate_page(request, matter, code_form=CodeRequestForm(prefix="ask"), rate_form=rate_form, code_sent=True)


@require_POST
def rate_submit(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the code, the rating and an optional comment."""
    matter = _matter_or_404(code)
    refused = _rateable_or_refuse(request, matter)
    if refused is not None:
        return refused
    form = RateForm(request.POST, prefix="rate")
    if _throttled(request, "rate"):
        form.add_error(None, _("Too many requests from your connection. Try again in an hour."))
        return _rate_page(request, matter, rate_form=form, status=429)
    if not form.is_valid():
        return _rate_page(request, matter, rate_form=form, status=400)
    data = form.cleaned_data
    try:
        rating_submit(
            matter=matter, phone=data["phone"], code=data["code"], value=data["value"], comment=data["comment"]
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _rate_page(request, matter, rate_form=form, status=400)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _rate_page(request, matter, rate_form=form, status=400)
    messages.success(request, _("Thank you: your rating was recorded."))
    return redirect("portal:rate", code=matter.code)


def rate_dispatch(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows the rating page, POST submits a rating (one URL, `portal:rate`)."""
    if request.method == "POST":
        return rate_submit(request, code)
    return rate(request, code)


# --- poster --------------------------------------------------------------------------------------------


def _rating_url(request: HttpRequest, matter: Matter) -> str:
    path = reverse("portal:rate", kwargs={"code": matter.code})
    base = getattr(settings, "SITE_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _poster(request: HttpRequest, code: str, file_format: str) -> HttpResponse:
    matter = _matter_or_404(code)
    if matter.status not in RATEABLE_STATUSES:  # the poster goes up where finished work can be judged
        raise Http404
    url = _rating_url(request, matter)
    language = get_language() or settings.LANGUAGE_CODE
    stamp = matter.updated_at.timestamp() if matter.updated_at else 0
    key = "portal-poster:" + hashlib.sha256(f"{file_format}|{matter.pk}|{stamp}|{language}|{url}".encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        unit_names = [u.name for u in matter.units.all()]
        if matter.all_communities:
            unit_names.append(_("all communities"))
        text = poster.PosterText.for_matter(matter, url=url, unit_names=unit_names)
        try:
            content = poster.poster_pdf(text) if file_format == "pdf" else poster.poster_png(text)
        except DocumentError as exc:
            return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, content, POSTER_CACHE_SECONDS)
    content_type = "application/pdf" if file_format == "pdf" else "image/png"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="poster-{matter.code}.{file_format}"'
    response["X-Content-Type-Options"] = "nosniff"
    if matter.updated_at:
        response["Last-Modified"] = http_date(matter.updated_at.timestamp())
    patch_cache_control(response, public=True, max_age=POSTER_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
def poster_png(request: HttpRequest, code: str) -> HttpResponse:
    return _poster(request, code, "png")


@require_GET
def poster_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _poster(request, code, "pdf")
