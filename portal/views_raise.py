"""Raise a problem, follow it by its tracking code, see similar open matters while typing. No login needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from matters.models import REPORTER_FIELDS, Matter
from matters.selectors import awaits_review, matters_public
from matters.workflow import Action, Status
from portal.forms_raise import TRACKING_PATTERN, RaiseForm, TrackForm, new_form_token, normalise_tracking_code
from portal.selectors import RATEABLE_STATUSES, with_support
from portal.services.intake import problem_already_submitted, problem_submit
from portal.similar import similar_matters
from portal.throttle import client_key, throttle_hit

HOUR = dt.timedelta(hours=1)
TRACK_LIMIT = 60  # tracking-code lookups per client per hour: enough for a family, too few to guess codes
SIMILAR_LIMIT = 300  # suggestion requests per client per hour (one per pause in typing)
SIMILAR_MIN_CHARS = 4
SESSION_RAISED = "portal_raised"

# What each status means, in the words of the person who reported the problem.
STATUS_EXPLAINED = {
    Status.REPORTED: _("We have received your problem. The coordination team will look at it soon."),
    Status.ACCEPTED: _("The coordination team has taken up your problem and is deciding who will handle it."),
    Status.ASSIGNED: _("Your problem has been handed to the responsible units, with a deadline."),
    Status.IN_PROGRESS: _("The responsible units are working on your problem."),
    Status.COMPLETED: _("The work is reported as done and is being checked."),
    Status.VERIFIED: _("The work has been checked and confirmed."),
    Status.CLOSED: _("Your problem has been solved and the matter is closed."),
    Status.DECLINED: _("Your problem could not be taken up. The reason is given below."),
    Status.MERGED: _("Someone reported the same problem before you: it is followed together with that report."),
}

# Model fields that matter_create checks again, and the form fields they came from.
_FORM_FIELD = {
    "problem": "description",
    "location": "place",
    "category": "category",
    "latitude": "latitude",
    "longitude": "longitude",
    "reporter_name": "name",
    "reporter_phone": "phone",
}


@require_http_methods(["GET", "POST"])
def raise_problem(request: HttpRequest) -> HttpResponse:
    """The form to raise a problem; a repeat of the same form (double click, reload) gives the same matter."""
    if request.method != "POST":
        return _raise_page(request, RaiseForm())
    form = RaiseForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.has_error("token"):
            renewed = request.POST.copy()
            renewed["token"] = new_form_token()
            form.data = renewed
        return _raise_page(request, form, status=400)
    data = form.cleaned_data
    matter = problem_already_submitted(data["token"])
    if matter is None:
        allowed = throttle_hit(f"raise:{client_key(request)}", limit=settings.PORTAL_SUBMIT_LIMIT, window=HOUR)
        if not allowed:
            form.add_error(
                None,
                _(
                    "You have sent many problems from this connection in the last hour. "
                    "Nothing was saved: please try again in an hour."
                ),
            )
            return _raise_page(request, form, status=429)
        try:
            matter, _created = problem_submit(
                token=data["token"],
                problem=data["description"],
                category=data["category"],
                location=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                reporter_name=data["name"],
                reporter_phone=data["phone"],
                reporter_no_sms=bool(data.get("no_sms")),
                is_public=data["is_public"],
                photo=data["photo"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(_FORM_FIELD.get(field or ""), errors)
            return _raise_page(request, form, status=400)
    request.session[SESSION_RAISED] = matter.tracking_code
    return redirect("portal:raise_done")


def _raise_page(request: HttpRequest, form: RaiseForm, *, status: int = 200) -> HttpResponse:
    # A browser cannot send a file again by itself: say so when other fields need correcting.
    photo_again = bool(form.is_bound and form.errors and request.FILES.get("photo") and not form.has_error("photo"))
    return render(request, "portal/raise.html", {"form": form, "photo_again": photo_again}, status=status)


@require_GET
def raise_done(request: HttpRequest) -> HttpResponse:
    """After sending: the tracking code, shown once more for as long as this browser session lasts."""
    code = request.session.get(SESSION_RAISED)
    matter = (
        Matter.objects.filter(tracking_code=code).only("id", "code", "tracking_code", "is_public", "status").first()
        if isinstance(code, str) and code
        else None
    )
    if matter is None:
        return redirect("portal:raise")
    context = {
        "matter": matter,
        "is_listed": matters_public().filter(pk=matter.pk).exists(),
        "awaits_review": awaits_review(matter),
    }
    return render(request, "portal/raise_done.html", context)


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """The suggestions fragment: open public matters like the description being typed."""
    text = request.GET.get("description", "")[:2000]
    if len(text.strip()) < SIMILAR_MIN_CHARS:
        return render(request, "portal/_similar.html", {"matters": []})
    if not throttle_hit(f"similar:{client_key(request)}", limit=SIMILAR_LIMIT, window=HOUR):
        # htmx leaves the region as it was on an error answer; the form itself still works.
        return render(request, "portal/_similar.html", {"matters": []}, status=429)
    return render(request, "portal/_similar.html", {"matters": with_support(similar_matters(text, limit=5))})


@require_GET
def track_form(request: HttpRequest) -> HttpResponse:
    """Ask for a tracking code; a valid one leads to its page."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            return redirect("portal:track", tracking_code=form.cleaned_data["code"])
        return render(request, "portal/track_form.html", {"form": form}, status=400)
    return render(request, "portal/track_form.html", {"form": form})


@require_GET
def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """What became of a reported problem, for whoever holds its tracking code; never the reporter's details."""
    code = normalise_tracking_code(tracking_code[:40])
    if code != tracking_code and TRACKING_PATTERN.match(code):
        return redirect("portal:track", tracking_code=code)
    form = TrackForm(initial={"code": tracking_code[:40]})
    if not throttle_hit(f"track:{client_key(request)}", limit=TRACK_LIMIT, window=HOUR):
        message = gettext("Too many look-ups from this connection in the last hour. Please try again later.")
        return render(request, "portal/track_form.html", {"form": form, "message": message}, status=429)
    matter = _tracked_matter(code) if TRACKING_PATTERN.match(code) else None
    if matter is None:
        message = gettext("No problem has the tracking code “%(code)s”. Check the code and try again.") % {
            "code": code[:12]
        }
        return render(
            request, "portal/track_form.html", {"form": form, "message": message, "not_found": True}, status=404
        )
    today = timezone.localdate()
    listed = matters_public().filter(pk=matter.pk).exists()
    context: dict[str, Any] = {
        "matter": matter,
        "explained": STATUS_EXPLAINED.get(Status(matter.status), ""),
        "steps": _steps(matter),
        "units": list(matter.units.only("id", "name")),
        "overdue": matter.is_overdue(today),
        "is_listed": listed,
        "awaits_review": awaits_review(matter),
        # Completed: the reporter is offered the rating here too (a public matter only: ratings are public figures).
        "rateable": matter.status in RATEABLE_STATUSES and listed,
        "merged_into": _public_target(matter),
    }
    return render(request, "portal/track.html", context)


def _tracked_matter(code: str) -> Matter | None:
    return (
        Matter.objects.filter(tracking_code=code)
        .select_related("category")
        .defer(*REPORTER_FIELDS, "remarks", "idempotency_key", "import_key")
        .first()
    )


def _steps(matter: Matter) -> list[dict[str, Any]]:
    """The status changes, oldest first: what happened and when; no actor, no internal reason except a refusal's."""
    steps = []
    for t in matter.transitions.only("action", "to_status", "at", "reason", "data", "matter_id").order_by("at", "id"):
        step: dict[str, Any] = {"at": t.at, "status": t.get_to_status_display(), "action": t.action}
        if not t.action:
            step["label"] = _("Problem received")
        else:
            step["label"] = t.get_action_display()
        if t.action == Action.PROGRESS and isinstance(t.data, dict) and isinstance(t.data.get("percent"), int):
            step["percent"] = t.data["percent"]
        if t.action == Action.DECLINE:
            step["reason"] = t.reason  # addressed to the reporter
        steps.append(step)
    return steps


def _public_target(matter: Matter) -> Matter | None:
    if matter.status != Status.MERGED or matter.merged_into_id is None:
        return None
    return matters_public().filter(pk=matter.merged_into_id).only("id", "code").first()
