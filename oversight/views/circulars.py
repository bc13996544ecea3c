"""The circulars' pages: the list and a new draft (CIRCULARS), a circular's page and its .docx (its readers: the
teams, and the units it concerns once issued), editing and issuing a draft, the circulars one's unit received, and
the working-day calendar's declared days (CIRCULARS: the coordination team keeps it)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import workdays
from core.access import require_cap
from core.exceptions import DomainError
from core.forms import form_page
from core.models import CalendarDay
from core.roles import user_can
from matters import deadlines
from oversight import circular_doc
from oversight.capabilities import OversightCap
from oversight.forms_circulars import CalendarDayForm, DraftForm, EditForm
from oversight.models.circulars import Circular, CircularStatus
from oversight.models.reviews import Decision, DecisionKind
from oversight.selectors import circulars as selectors
from oversight.services import circulars as services

C = OversightCap


def _circular(request: HttpRequest, pk: int) -> Circular:
    circular = selectors.circular_get_for_user(request.user, pk)
    if circular is None:
        raise Http404
    return circular


def _back(circular: Circular) -> HttpResponse:
    return redirect("oversight:circular_detail", pk=circular.pk)


@require_cap(C.CIRCULARS)
def circular_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    context = {
        "circulars": selectors.circulars_list(status=status).prefetch_related("unit_links__unit"),
        "status": status if status in CircularStatus.values else "",
        "statuses": CircularStatus.choices,
    }
    return render(request, "oversight/circulars/list.html", context)


def _decision(raw: str | None) -> Decision | None:
    if not raw or not raw.isdecimal():
        return None
    return Decision.objects.filter(pk=int(raw), kind=DecisionKind.CIRCULAR).select_related("review").first()


@require_cap(C.CIRCULARS)
def circular_create(request: HttpRequest) -> HttpResponse:
    decision = _decision(request.GET.get("decision"))
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    initial: dict[str, Any] = {"kind": "overdue", "start": last_month_end.replace(day=1), "end": last_month_end}
    if decision is not None:
        month = decision.review.month
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        initial.update(start=month, end=nxt - dt.timedelta(days=1))
    title = _("New circular")
    if decision is not None:
        title = _("New circular ordered by the review of %(month)s") % {"month": decision.review.month_label}
    return form_page(
        request,
        form=DraftForm(request.POST or None, initial=initial),
        save=lambda data: services.circular_draft(actor=request.user, decision=decision, **data),
        success=_("Draft generated from the records. Check and edit it, then issue it."),
        then=_back,
        title=title,
        back="oversight:circular_list",
    )


@require_cap(C.ASSESSMENT_VIEW)
def circular_detail(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    context = {
        "circular": circular,
        "table": circular.table or {},
        "units": selectors.units_named(circular),
        "persons": selectors.persons_named(circular),
        "manage": user_can(request.user, C.CIRCULARS),
        "paragraphs": [line for line in circular.body.splitlines() if line.strip()],
    }
    return render(request, "oversight/circulars/detail.html", context)


@require_cap(C.CIRCULARS)
def circular_edit(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    if circular.is_issued:
        messages.error(request, _("This circular is issued: it cannot be changed."))
        return _back(circular)
    initial = {
        "title": circular.title,
        "lead": circular.lead,
        "body": circular.body,
        "conclusion": circular.conclusion,
        "issuer": circular.issuer,
        "units": selectors.units_named(circular),
    }
    return form_page(
        request,
        form=EditForm(request.POST or None, initial=initial),
        save=lambda data: services.circular_update(
            actor=request.user, circular=circular, **{**data, "units": list(data["units"])}
        ),
        success=_("Draft saved."),
        then=_back,
        title=_("Edit the draft circular"),
        back="oversight:circular_list",
    )


@require_cap(C.CIRCULARS)
@require_POST
def circular_issue(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    try:
        issued = services.circular_issue(actor=request.user, circular=circular)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Circular %(number)s issued; the units concerned are told.") % {"number": issued.number}
        )
    return _back(circular)


@require_cap(C.ASSESSMENT_VIEW)
def circular_docx(request: HttpRequest, pk: int) -> FileResponse:
    circular = _circular(request, pk)
    out = io.BytesIO()
    circular_doc.write(circular, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=circular_doc.filename(circular))


@require_cap(C.ASSESSMENT_VIEW)
def circulars_received(request: HttpRequest) -> HttpResponse:
    circulars = selectors.circulars_received(request.user).prefetch_related("unit_links__unit")
    return render(request, "oversight/circulars/received.html", {"circulars": circulars})


def _year(raw: str | None) -> int:
    today = timezone.localdate()
    if raw and raw.isdecimal() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today.year


@require_cap(C.CIRCULARS)
def calendar_days(request: HttpRequest) -> HttpResponse:
    """The declared days of a year, a form to declare one, a button to remove one, and the settings' defaults."""
    year = _year(request.GET.get("year") or request.POST.get("year"))
    form = CalendarDayForm(request.POST or None) if "remove" not in request.POST else CalendarDayForm()
    if request.method == "POST":
        done = _calendar_post(request, form)
        if done is not None:
            return redirect(f"{request.path}?year={done.year}")
    rows = CalendarDay.objects.filter(date__year=year).order_by("date")
    base = workdays.settings_calendar()
    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "rows": rows,
        "form": form,
        "settings_holidays": sorted(d for d in base.holidays if d.year == year),
        "settings_workdays": sorted(d for d in base.workdays if d.year == year),
        "official": year in workdays.OFFICIAL and not rows.exists(),
    }
    return render(request, "oversight/circulars/calendar.html", context)


def _calendar_post(request: HttpRequest, form: CalendarDayForm) -> dt.date | None:
    """Declare, remove or import; the day (or year) done, or None with the error on the form or in a message."""
    try:
        if "remove" in request.POST:
            day = dt.date.fromisoformat(str(request.POST["remove"]))
            deadlines.calendar_day_remove(actor=request.user, date=day)
            messages.success(request, _("%(date)s is no longer a declared day.") % {"date": day.isoformat()})
            return day
        if "official" in request.POST:
            year = _year(request.POST.get("official"))
            days = list(workdays.OFFICIAL.get(year, ()))
            if not days:
                raise DomainError(_("There is no official schedule of %(year)d here.") % {"year": year})
            count = deadlines.calendar_days_import(actor=request.user, days=days)
            messages.success(request, _("%(n)d declared days new or changed.") % {"n": count})
            return days[0].date
        if form.is_valid():
            data = form.cleaned_data
            deadlines.calendar_day_declare(actor=request.user, date=data["date"], kind=data["kind"], name=data["name"])
            messages.success(request, _("%(date)s declared.") % {"date": data["date"].isoformat()})
            return data["date"]
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
    except DomainError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
    return None
