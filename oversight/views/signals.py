"""The supervision workbench (作风监督 · 预警): the counts and the list of signals, a signal's evidence side by side,
and its actions (looked at, dismiss with a reason, turn into a clue, refresh all). Only the supervision team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_cap
from core.exceptions import DomainError
from oversight.capabilities import OversightCap
from oversight.models.signals import Signal, SignalKind, SignalStatus
from oversight.selectors import signals as selectors
from oversight.services import signals as services
from oversight.signals import UNAVAILABLE

C = OversightCap


def _signal(pk: int) -> Signal:
    signal = selectors.signal_get(pk)
    if signal is None:
        raise Http404
    return signal


@require_cap(C.SIGNALS)
def signal_list(request: HttpRequest) -> HttpResponse:
    f = selectors.SignalFilter.from_params(request.GET)
    page = Paginator(selectors.signals_list(f), 30).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "f": f,
        "summary": selectors.signals_summary(),
        "kinds": SignalKind.choices,
        "statuses": SignalStatus.choices,
        "unavailable": [(SignalKind(k).label, _(why)) for k, why in UNAVAILABLE.items()],
        **selectors.signal_filter_choices(),
    }
    return render(request, "oversight/signals/list.html", context)


@require_cap(C.SIGNALS)
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(pk)
    context = {"signal": signal, "sides": selectors.signal_sides(signal), "reason": "", "clue_text": ""}
    return render(request, "oversight/signals/detail.html", context)


@require_POST
@require_cap(C.SIGNALS)
def signal_seen(request: HttpRequest, pk: int) -> HttpResponse:
    services.signal_mark_seen(actor=request.user, signal=_signal(pk))
    messages.success(request, _("Marked as looked at."))
    return redirect("oversight:signal_detail", pk=pk)


def _refused(request: HttpRequest, signal: Signal, exc: DomainError | ValidationError, **kept: str) -> HttpResponse:
    error = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
    context = {"signal": signal, "sides": selectors.signal_sides(signal), "error": error, **kept}
    return render(request, "oversight/signals/detail.html", context, status=400)


@require_POST
@require_cap(C.SIGNALS)
def signal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(pk)
    reason = request.POST.get("reason", "")
    try:
        services.signal_dismiss(actor=request.user, signal=signal, reason=reason)
    except (DomainError, ValidationError) as exc:
        return _refused(request, signal, exc, reason=reason[: services.REASON_MAX + 1], clue_text="")
    messages.success(request, _("Signal dismissed."))
    return redirect("oversight:signal_detail", pk=pk)


@require_POST
@require_cap(C.SIGNALS)
def signal_clue(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _signal(pk)
    text = request.POST.get("text", "")
    try:
        clue = services.signal_to_clue(actor=request.user, signal=signal, text=text)
    except (DomainError, ValidationError) as exc:
        return _refused(request, signal, exc, reason="", clue_text=text[:6000])
    messages.success(request, _("Clue %(code)s registered from this signal.") % {"code": clue.code})
    return redirect("oversight:signal_detail", pk=pk)


@require_POST
@require_cap(C.SIGNALS)
def signal_refresh(request: HttpRequest) -> HttpResponse:
    job = services.signals_refresh_start(actor=request.user)
    return redirect("core:job", pk=job.pk)  # type: ignore[attr-defined]


@require_cap(C.SIGNALS)
def signal_photo(request: HttpRequest, pk: int, n: int) -> FileResponse:
    """The n-th photo a signal compares (a visit photo or a report's): only through the signal, never public."""
    photos = selectors.signal_photos(_signal(pk))
    if n >= len(photos):
        raise Http404
    photo = photos[n]
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
