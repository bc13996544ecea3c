"""The problem clues' pages (the supervision team only): the list and search, registering a clue, its page (every
showing audited), the people and units it names, the disposal, the reply to an inquiry, the conclusion and the
accountability measures. A clue that names its reader is "not found" for them, like one that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_view
from core.access import require_cap
from core.forms import form_page, save_form
from oversight.capabilities import OversightCap
from oversight.forms_clues import ClueForm, ConcludeForm, DisposeForm, LinkForm, MeasureForm, ReplyForm
from oversight.models.clues import Clue, ClueDisposal, ClueFile, ClueSource, ClueStatus
from oversight.selectors import clues as selectors
from oversight.services import clues as services

C = OversightCap
SHOWN_FIELDS = ["text", "concerned", "persons", "units", "findings", "evidence", "files"]
REPORTER_FIELDS = ["reporter_name", "reporter_phone"]


def _back(clue: Clue) -> HttpResponse:
    return redirect("oversight:clue_detail", pk=clue.pk)


def _back_or_list(request: HttpRequest, clue: Clue) -> HttpResponse:
    """Back to the clue, or to the list when the reader has just named themselves in it (they no longer see it)."""
    if selectors.clues_visible_to(request.user).filter(pk=clue.pk).exists():
        return _back(clue)
    messages.info(request, _("You are named in %(code)s: it is now hidden from you.") % {"code": clue.code})
    return redirect("oversight:clue_list")


@require_cap(C.CLUES)
def clue_list(request: HttpRequest) -> HttpResponse:
    clues = selectors.clues_search(request.user, request.GET)
    context = {
        "clues": clues[: selectors.PAGE_ROWS],
        "count": clues.count(),
        "statuses": ClueStatus.choices,
        "params": request.GET,
        "limit": selectors.PAGE_ROWS,
    }
    return render(request, "oversight/clues/list.html", context)


def _received_at(day: dt.date | None) -> dt.datetime | None:
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@require_cap(C.CLUES)
def clue_create(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> Clue:
        return services.clue_create(
            actor=request.user,
            source=ClueSource.STAFF,
            text=data["text"],
            concerned=data["concerned"],
            persons=list(data["persons"]),
            units=list(data["units"]),
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            received_at=_received_at(data.get("received_on")),
        )

    return form_page(
        request,
        form=ClueForm(request.POST or None),
        save=save,
        success=_("Clue registered."),
        then=lambda clue: _back_or_list(request, clue),
        title=_("Register a problem clue"),
        back="oversight:clue_list",
    )


@require_cap(C.CLUES)
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get_for_user(request.user, pk)
    has_reporter = bool(clue.reporter_name or clue.reporter_phone)
    # Every showing of a clue is on record (which fields, never their values).
    audit_view(
        actor=request.user,
        action="clue.view",
        target=clue,
        fields=SHOWN_FIELDS + (REPORTER_FIELDS if has_reporter else []),
        label=clue.code,
    )
    measures = [
        {"measure": m, "label": services.measure_label(m.kind)}
        for m in clue.measures.select_related("person", "unit").order_by("decided_on", "pk")
    ]
    context = {
        "clue": clue,
        "persons": list(clue.persons.all()),
        "units": list(clue.units.all()),
        "measures": measures,
        "files": list(clue.files.order_by("uploaded_at", "pk")),
        "has_reporter": has_reporter,
        "awaits_reply": clue.status == ClueStatus.DISPOSED and clue.disposal == ClueDisposal.INQUIRY,
        "overdue": clue.status == ClueStatus.DISPOSED
        and clue.due_on is not None
        and clue.due_on < timezone.localdate(),
    }
    return render(request, "oversight/clues/detail.html", context)


@require_cap(C.CLUES)
def clue_link(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get_for_user(request.user, pk)
    initial = {"concerned": clue.concerned, "persons": list(clue.persons.all()), "units": list(clue.units.all())}
    return form_page(
        request,
        form=LinkForm(request.POST or None, initial=initial),
        save=lambda data: services.clue_link(
            actor=request.user,
            clue=clue,
            persons=data["persons"],
            units=data["units"],
            concerned=data["concerned"],
        ),
        success=_("The persons and units named are saved."),
        then=lambda saved: _back_or_list(request, saved),
        title=_("Persons and units named in %(code)s") % {"code": clue.code},
        back="oversight:clue_list",
    )


@require_cap(C.CLUES)
def clue_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get_for_user(request.user, pk)
    return form_page(
        request,
        form=DisposeForm(request.POST or None),
        save=lambda data: services.clue_dispose(actor=request.user, clue=clue, **data),
        success=_("The clue is disposed of; its limit runs."),
        then=_back,
        title=_("Dispose of %(code)s") % {"code": clue.code},
        back="oversight:clue_list",
    )


@require_cap(C.CLUES)
def clue_reply(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get_for_user(request.user, pk)
    return form_page(
        request,
        form=ReplyForm(request.POST or None),
        save=lambda data: services.clue_reply_record(actor=request.user, clue=clue, **data),
        success=_("The reply is recorded."),
        then=_back,
        title=_("The reply to the inquiry of %(code)s") % {"code": clue.code},
        back="oversight:clue_list",
    )


@require_cap(C.CLUES)
def clue_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """The conclusion with its findings and evidence files (a multipart form, so not core's form page)."""
    clue = selectors.clue_get_for_user(request.user, pk)
    form = ConcludeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = save_form(form, lambda data: _conclude(request, clue, data))
        if done is not None:
            messages.success(request, _("The clue is concluded."))
            return _back(done)
    title = _("Conclude %(code)s") % {"code": clue.code}
    return render(request, "oversight/clues/conclude.html", {"form": form, "title": title, "clue": clue})


def _conclude(request: HttpRequest, clue: Clue, data: dict[str, Any]) -> Clue:
    values = dict(data)
    files = values.pop("attachments", None) or []
    return services.clue_conclude(actor=request.user, clue=clue, files=files, **values)


@require_cap(C.CLUES)
def clue_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for those who may read its clue; the download is on record."""
    row = ClueFile.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    clue = selectors.clue_get_for_user(request.user, row.clue_id)
    audit_view(actor=request.user, action="clue.view_file", target=clue, fields=["files"], label=clue.code)
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = f'attachment; filename="{clue.code}-{row.pk}.{row.file.name.rsplit(".", 1)[-1]}"'
    return response


@require_cap(C.CLUES)
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_get_for_user(request.user, pk)
    return form_page(
        request,
        form=MeasureForm(request.POST or None),
        save=lambda data: services.measure_add(actor=request.user, clue=clue, **data),
        success=_("The measure is recorded."),
        then=lambda measure: _back(clue),
        title=_("An accountability measure of %(code)s") % {"code": clue.code},
        back="oversight:clue_list",
    )
