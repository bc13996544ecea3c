"""A problem clue (问题线索) from the public, and following it by its tracking code. No login needed.

What is sent goes to the conduct supervision team only; nothing of it is shown back (neither the text nor the name
or phone): the sender gets a tracking code, once, whose page shows only the clue's status and, once concluded, the
category of the conclusion.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import DomainError
from oversight.models.clues import ClueConclusion, ClueSource, ClueStatus
from oversight.selectors.clues import clue_tracked
from oversight.services.clues import clue_create
from portal.forms_clue import ClueForm, ClueTrackForm, tracking_ok
from portal.forms_raise import normalise_tracking_code
from portal.throttle import client_key, throttle_hit

HOUR = dt.timedelta(hours=1)
TRACK_LIMIT = 60  # look-ups per client per hour, as for a problem's tracking code
SESSION_CLUE = "portal_clue"

STATUS_EXPLAINED = {
    ClueStatus.REGISTERED: _("Your clue has been received and registered by the conduct supervision team."),
    ClueStatus.DISPOSED: _("The conduct supervision team is handling your clue."),
    ClueStatus.CONCLUDED: _("The handling of your clue is concluded."),
}
CONCLUSION_EXPLAINED = {
    ClueConclusion.FOUNDED: _("What you reported was found to be true."),
    ClueConclusion.PARTLY: _("What you reported was found to be partly true."),
    ClueConclusion.UNFOUNDED: _("What you reported could not be confirmed."),
}


@require_http_methods(["GET", "POST"])
def clue_report(request: HttpRequest) -> HttpResponse:
    """The form to send a clue; the sender's name and phone are optional and stay with the supervision team."""
    if request.method != "POST":
        return render(request, "portal/clue.html", {"form": ClueForm()})
    form = ClueForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, status=400)
    data = form.cleaned_data
    if not (data["text"] or "").strip():
        form.add_error("text", _("Say what the clue is about: the text is required."))
        return _refused(request, form, status=400)
    if not throttle_hit(f"clue:{client_key(request)}", limit=settings.PORTAL_SUBMIT_LIMIT, window=HOUR):
        form.add_error(
            None,
            _(
                "You have sent many clues from this connection in the last hour. Nothing was saved: please try again in an hour."
            ),
        )
        return _refused(request, form, status=429)
    try:
        clue = clue_create(
            actor=None,
            source=ClueSource.PUBLIC,
            text=data["text"],
            concerned=data["concerned"],
            reporter_name=data["name"],
            reporter_phone=data["phone"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _refused(request, form, status=400)
    except ValidationError as exc:  # the model's own checks, should a rule differ from the form's
        form.add_error(None, exc.messages)
        return _refused(request, form, status=400)
    request.session[SESSION_CLUE] = clue.tracking_code
    return redirect("portal:clue_done")


def _refused(request: HttpRequest, form: ClueForm, *, status: int) -> HttpResponse:
    """The form again with its messages; the name and phone typed are not sent back (a shared computer, a proxy)."""
    typed = bool(form.data.get("name") or form.data.get("phone"))
    data = request.POST.copy()
    for name in ("name", "phone"):
        data[name] = ""
    form.data = data
    return render(request, "portal/clue.html", {"form": form, "contact_cleared": typed}, status=status)


@require_GET
def clue_done(request: HttpRequest) -> HttpResponse:
    """After sending: the tracking code, shown this once."""
    code = request.session.pop(SESSION_CLUE, None)
    if not isinstance(code, str) or not code:
        return redirect("portal:clue")
    return render(request, "portal/clue_done.html", {"tracking_code": code})


@require_GET
def clue_track_form(request: HttpRequest) -> HttpResponse:
    """Ask for a clue's tracking code; a valid one leads to its page."""
    form = ClueTrackForm(request.GET if "code" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            return redirect("portal:clue_track", tracking_code=form.cleaned_data["code"])
        return render(request, "portal/clue_track.html", {"form": form}, status=400)
    return render(request, "portal/clue_track.html", {"form": form})


@require_GET
def clue_track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The status of a clue for whoever holds its tracking code, and once concluded the category; nothing else."""
    code = normalise_tracking_code(tracking_code[:40])
    if code != tracking_code and tracking_ok(code):
        return redirect("portal:clue_track", tracking_code=code)
    form = ClueTrackForm(initial={"code": tracking_code[:40]})
    if not throttle_hit(f"cluetrack:{client_key(request)}", limit=TRACK_LIMIT, window=HOUR):
        message = gettext("Too many look-ups from this connection in the last hour. Please try again later.")
        return render(request, "portal/clue_track.html", {"form": form, "message": message}, status=429)
    tracked = clue_tracked(code) if tracking_ok(code) else None
    if tracked is None:
        message = gettext("No clue has the tracking code “%(code)s”. Check the code and try again.") % {
            "code": code[:12]
        }
        context = {"form": form, "message": message, "not_found": True}
        return render(request, "portal/clue_track.html", context, status=404)
    context = {
        "form": form,
        "tracked": tracked,
        "explained": STATUS_EXPLAINED.get(ClueStatus(tracked["status"]), ""),
        "conclusion_explained": CONCLUSION_EXPLAINED.get(tracked["conclusion"], "") if tracked["conclusion"] else "",
        "steps": [
            (value, label, i <= list(ClueStatus.values).index(tracked["status"]))
            for i, (value, label) in enumerate(ClueStatus.choices)
        ],
    }
    return render(request, "portal/clue_track.html", context)
