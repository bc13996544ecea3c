"""Endorse an open matter (with a phone code, or anonymously), rate a finished one with a phone code, print the
on-site QR poster. No login."""

from __future__ import annotations

import datetime as dt
import hashlib
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.documents import DocumentError
from core.exceptions import DomainError
from matters.models import Matter
from matters.workflow import OPEN
from portal import poster
from portal.forms_engage import CodeRequestForm, EndorseCodeRequestForm, EndorseForm, RateForm
from portal.models import Rating
from portal.selectors import RATEABLE_STATUSES, public_matter, with_support
from portal.services.codes import SmsUnavailable, Throttled, phone_code_send
from portal.services.engage import (
    ENDORSE_PURPOSE,
    RATE_PURPOSE,
    endorsement_submit,
    endorsement_support,
    rating_submit,
)
from portal.throttle import client_key, throttle_hit

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


def _endorse_block(
    request: HttpRequest,
    matter: Matter,
    *,
    message: str = "",
    error: bool = False,
    supported: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The endorse block of portal/_endorse_button.html, refreshed in place by htmx."""
    context = {
        "matter": with_support([matter])[0],
        "supported": supported,
        "endorse_message": message,
        "endorse_error": error,
    }
    return render(request, "portal/_endorse_button.html", context, status=status)


@require_POST
def endorse(request: HttpRequest, code: str) -> HttpResponse:
    """匿名支持: a "+1" without a phone, counted apart and limited per connection and day; htmx gets the refreshed
    block, a form post a redirect. A verified endorsement goes through `endorse_phone`."""
    matter = _matter_or_404(code)
    status, message = 200, ""
    if _throttled(request, "endorse"):
        status, message = 429, _("Too many requests from your connection. Try again in an hour.")
    else:
        try:
            endorsement_support(matter=matter, client=client_key(request))
            message = _("Thank you: your anonymous support was counted.")
        except DomainError as exc:
            status, message = 400, exc.message
    if _is_htmx(request):
        return _endorse_block(
            request, matter, message=message, error=status != 200, supported=status == 200, status=status
        )
    if status == 200:
        messages.success(request, message)
        return redirect("portal:matter", code=matter.code)
    return _refusal(request, matter, message, status)


def _endorsable_or_refuse(request: HttpRequest, matter: Matter) -> HttpResponse | None:
    if matter.status in OPEN:
        return None
    return _refusal(request, matter, _("Only open problems can be endorsed; this one is finished or not public."), 400)


def _endorse_page(
    request: HttpRequest,
    matter: Matter,
    *,
    code_form: EndorseCodeRequestForm | None = None,
    endorse_form: EndorseForm | None = None,
    code_sent: bool = False,
    status: int = 200,
) -> HttpResponse:
    code_form = code_form or EndorseCodeRequestForm(prefix="ask")
    endorse_form = endorse_form or EndorseForm(prefix="endorse")
    code_form.tie_errors()
    endorse_form.tie_errors()
    context = {
        "matter": with_support([matter])[0],
        "code_form": code_form,
        "endorse_form": endorse_form,
        "code_sent": code_sent,
        "code_minutes": settings.SMS_CODE_MINUTES,
    }
    return render(request, "portal/endorse.html", context, status=status)


@require_http_methods(["GET", "POST"])
def endorse_phone(request: HttpRequest, code: str) -> HttpResponse:
    """附议 with a phone: GET shows the two steps (code by SMS, then the endorsement); POST endorses with the code."""
    matter = _matter_or_404(code)
    refused = _endorsable_or_refuse(request, matter)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _endorse_page(request, matter)
    form = EndorseForm(request.POST, prefix="endorse")
    if _throttled(request, "endorse"):
        form.add_error(None, _("Too many requests from your connection. Try again in an hour."))
        return _endorse_page(request, matter, endorse_form=form, status=429)
    if not form.is_valid():
        return _endorse_page(request, matter, endorse_form=form, status=400)
    try:
        endorsement_submit(matter=matter, phone=form.cleaned_data["phone"], code=form.cleaned_data["code"])
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _endorse_page(request, matter, endorse_form=form, status=400)
    messages.success(request, _("Thank you: your endorsement was counted."))
    return redirect("portal:matter", code=matter.code)


@require_POST
def endorse_code(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of endorsing with a phone: send a code to the phone typed in; the page comes back with step 2 ready."""
    matter = _matter_or_404(code)
    refused = _endorsable_or_refuse(request, matter)
    if refused is not None:
        return refused
    form = EndorseCodeRequestForm(request.POST, prefix="ask")
    if _throttled(request, "code"):
        form.add_error(None, _("Too many requests from your connection. Try again in an hour."))
        return _endorse_page(request, matter, code_form=form, status=429)
    if not form.is_valid():
        return _endorse_page(request, matter, code_form=form, status=400)
    phone = form.cleaned_data["phone"]
    try:
        phone_code_send(phone=phone, purpose=ENDORSE_PURPOSE, matter=matter)
    except Throttled as exc:
        form.add_error("phone", exc.message)
        return _endorse_page(request, matter, code_form=form, status=429)
    except SmsUnavailable as exc:
        form.add_error(None, exc.message)
        return _endorse_page(request, matter, code_form=form, status=503)
    # The phone comes back only in the form of the person who typed it, to go on with step 2.
    endorse_form = EndorseForm(prefix="endorse", initial={"phone": phone})
    return _endorse_page(request, matter, endorse_form=endorse_form, code_sent=True)


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


def rate_code(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: send a code to the phone typed in; the page comes back with step 2 ready. Opened again by GET (a tab
    restored, the address bookmarked), it leads back to the rating form."""
    if request.method != "POST":
        return redirect("portal:rate", code=code)
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
