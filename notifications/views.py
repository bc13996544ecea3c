"""The in-app inbox: a user's own notifications, unread first; marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_cap
from core.capabilities import CoreCap
from notifications.models import Notification

PAGE_SIZE = 20


def _own(request: HttpRequest) -> QuerySet[Notification]:
    """Only the logged-in user's notifications: anyone else's is "not found"."""
    return Notification.objects.filter(recipient_id=request.user.pk)


def _safe_local(url: str, request: HttpRequest) -> bool:
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


@require_cap(CoreCap.WORKBENCH)
def inbox(request: HttpRequest) -> HttpResponse:
    own = _own(request)
    rows = (
        own.select_related("subject_type")
        .annotate(
            is_unread=Case(When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("-is_unread", "-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = own.filter(read_at__isnull=True).count()
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@require_POST
@require_cap(CoreCap.WORKBENCH)
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read; with `open`, go on to what it links to."""
    note = get_object_or_404(_own(request), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.POST.get("open") and _safe_local(note.link, request):
        return redirect(note.link)
    next_url = request.POST.get("next", "")
    if _safe_local(next_url, request):
        return redirect(next_url)
    return redirect("notifications:inbox")


@require_POST
@require_cap(CoreCap.WORKBENCH)
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = _own(request).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")
