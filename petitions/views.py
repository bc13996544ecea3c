"""The petition pages: the cases one sees, a new case, a case's page and the steps recorded on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_view
from core.access import require_cap
from core.forms import save_form
from core.roles import user_can
from core.types import Actor
from matters.access import allowed_actions
from petitions import services
from petitions.access import can_see_personal, can_work, case_get_for_user, is_owner
from petitions.capabilities import PetitionCap
from petitions.forms import (
    CaseForm,
    CloseForm,
    DispositionForm,
    DocumentForm,
    ExtendForm,
    FiveOnesForm,
    HomeVisitLogForm,
    PetitionAgainForm,
    PetitionerForm,
    RefuseForm,
    ReviewForm,
    leaders,
)
from petitions.limits import limit_extend, review_step
from petitions.models import CaseDocument, FocusArea, PetitionCase, Risk
from petitions.models import FiveOnes as FiveOnesRow
from petitions.ownership import five_ones_save, home_visit_log, owned_cases, plans_for, visit_plan
from petitions.selectors import cases_filtered

PERSONAL_FIELDS = ["name", "phone", "id_number", "address", "summary"]


def shown_personal(user: Actor, case: PetitionCase) -> bool:
    """Whether the petitioners go on this page for this user; if so, it is on record (fields, never values)."""
    if not can_see_personal(user, case):
        return False
    audit_view(
        actor=user, action="petitions.view_petitioners", target=case, fields=PERSONAL_FIELDS, label=case.case_number
    )
    return True


@require_cap(PetitionCap.VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_filtered(request.user, request.GET)
    return render(
        request,
        "petitions/case_list.html",
        {
            "cases": cases[:200],
            "focuses": FocusArea.objects.filter(disputes_only=False),
            "risks": Risk.choices,
            "params": request.GET,
            "can_edit": user_can(request.user, PetitionCap.EDIT),
        },
    )


@require_cap(PetitionCap.EDIT)
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    person = PetitionerForm(request.POST or None, prefix="p")
    if request.method == "POST" and person.is_valid():
        case = save_form(
            form,
            lambda d: services.case_create(
                actor=request.user,
                data={
                    **request.POST.dict(),
                    "owners": request.POST.getlist("owners"),
                    "handling_units": request.POST.getlist("handling_units"),
                },
                petitioners=[person.cleaned_data],
            ),
        )
        if case is not None:
            messages.success(request, _("Case %(number)s registered.") % {"number": case.case_number})
            return redirect("petitions:case_detail", pk=case.pk)
    context = {
        "form": form,
        "extra_form": person,
        "extra_legend": _("Petitioner (private)"),
        "title": _("New petition backlog case"),
        "back": "petitions:case_list",
    }
    return render(request, "core/form_page.html", context, status=400 if request.method == "POST" else 200)


def _context(request: HttpRequest, case: PetitionCase, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    personal = shown_personal(request.user, case)
    return {
        "today": today,
        "case": case,
        "matter": case.matter,
        "personal": personal,
        "petitioners": list(case.petitioners.all()) if personal else [],
        "petitioner_count": case.petitioners.count(),
        "owners": list(case.owners.all()),
        "units": list(case.handling_units.all()),
        "dispositions": _dispositions(case, personal),
        "documents": list(case.documents.filter(disposition__isnull=True)) if personal else [],
        "closings": list(case.closings.all()),
        "is_owner": is_owner(request.user, case),
        "can_work": can_work(request.user, case),
        "matter_actions": allowed_actions(request.user, case.matter),
        "days_open": (today - case.received_on).days,
        "disposition_form": forms.get("disposition_form") or DispositionForm(prefix="d"),
        "document_form": forms.get("document_form") or DocumentForm(prefix="f"),
        "close_form": forms.get("close_form") or CloseForm(prefix="c"),
        "again_form": forms.get("again_form") or PetitionAgainForm(prefix="a"),
        "five_ones": FiveOnesRow.objects.filter(case=case).select_related("leader").first(),
        "five_ones_form": forms.get("five_ones_form")
        or FiveOnesForm(prefix="o", case=case, initial=_five_initial(case)),
        "visit_form": forms.get("visit_form") or HomeVisitLogForm(prefix="v", initial={"date": today, "hours": "1"}),
        "plan": visit_plan(case, today),
        "home_visits": list(case.home_visits.select_related("visit__person")[:10]),
        "extend_form": forms.get("extend_form") or ExtendForm(prefix="x"),
        "review_form": forms.get("review_form") or ReviewForm(prefix="r"),
        "refuse_form": forms.get("refuse_form") or RefuseForm(prefix="n"),
        "limits": [
            (limit, limit.is_overdue(today), limit.days_left(today)) for limit in case.limits.select_related("rule")
        ],
        "can_extend": case.limits.filter(rule__code="handle", met_on__isnull=True, extended_days=0).exists(),
    }


def _dispositions(case: PetitionCase, personal: bool) -> list[Any]:
    """The case's dispositions; what was done is shown without the petitioners' details to those not allowed them."""
    rows = list(case.dispositions.prefetch_related("evidence"))
    if not personal:
        petitioners = list(case.petitioners.all())
        for row in rows:
            row.done = services.anonymised(row.done, petitioners)
    return rows


@require_cap(PetitionCap.VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(request.user, pk)
    return render(request, "petitions/case_detail.html", _context(request, case))


def _working_case(request: HttpRequest, pk: int) -> PetitionCase:
    case = case_get_for_user(request.user, pk)
    if not can_work(request.user, case):
        raise PermissionDenied
    return case


def _step(request: HttpRequest, pk: int, key: str, form: Any, save: Any, done: str) -> HttpResponse:
    case = _working_case(request, pk)
    with transaction.atomic():
        result = save_form(form, lambda d: save(case, d))
    if result is not None:
        messages.success(request, done)
        return redirect("petitions:case_detail", pk=case.pk)
    return render(request, "petitions/case_detail.html", _context(request, case, **{key: form}), status=400)


@require_POST
@require_cap(PetitionCap.WORK)
def disposition_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DispositionForm(request.POST, request.FILES, prefix="d")
    return _step(
        request,
        pk,
        "disposition_form",
        form,
        lambda case, d: services.disposition_add(
            actor=request.user, case=case, term=d["term"], done=d["done"], done_on=d["done_on"], evidence=d["evidence"]
        ),
        _("Disposition recorded."),
    )


@require_POST
@require_cap(PetitionCap.WORK)
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES, prefix="f")
    return _step(
        request,
        pk,
        "document_form",
        form,
        lambda case, d: services.documents_add(actor=request.user, case=case, kind=d["kind"], files=d["upload"]),
        _("Documents added."),
    )


@require_POST
@require_cap(PetitionCap.WORK)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = CloseForm(request.POST, request.FILES, prefix="c")
    return _step(
        request,
        pk,
        "close_form",
        form,
        lambda case, d: services.case_close(
            actor=request.user, case=case, way=d["way"], basis=d["basis"], evidence=d["evidence"]
        ),
        _("Case closed."),
    )


@require_POST
@require_cap(PetitionCap.WORK)
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    form = PetitionAgainForm(request.POST, prefix="a")
    return _step(
        request,
        pk,
        "again_form",
        form,
        lambda case, d: services.case_petitioned_again(actor=request.user, case=case, on=d["on"]),
        _("The new petition is counted and the case is reopened."),
    )


@require_cap(PetitionCap.PERSONAL)
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = CaseDocument.objects.select_related("case").filter(pk=pk).first()
    if document is None:
        raise Http404
    case = case_get_for_user(request.user, document.case_id)
    if not can_see_personal(request.user, case):
        raise PermissionDenied
    audit_view(
        actor=request.user, action="petitions.view_document", target=case, fields=["document"], label=case.case_number
    )
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{case.case_number}-{document.pk}"'
    return response


@require_POST
@require_cap(PetitionCap.WORK)
def limit_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST, prefix="x")
    return _step(
        request,
        pk,
        "extend_form",
        form,
        lambda case, d: limit_extend(actor=request.user, case=case, days=d["days"], reason=d["reason"]),
        _("The handling limit is extended."),
    )


@require_POST
@require_cap(PetitionCap.WORK)
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReviewForm(request.POST, prefix="r")
    return _step(
        request,
        pk,
        "review_form",
        form,
        lambda case, d: review_step(actor=request.user, case=case, step=d["step"], on=d["on"]) or case,
        _("Review step recorded."),
    )


@require_POST
@require_cap(PetitionCap.EDIT)
def case_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    form = RefuseForm(request.POST, request.FILES, prefix="n")
    return _step(
        request,
        pk,
        "refuse_form",
        form,
        lambda case, d: services.case_refuse(
            actor=request.user, case=case, ground=d["ground"], reason=d["reason"], notice=d["notice"]
        ),
        _("The petition is refused and the notice recorded."),
    )


def _five_initial(case: PetitionCase) -> dict[str, Any]:
    row = FiveOnesRow.objects.filter(case=case).first()
    if row is None:
        return {"leader": case.owners.first()}
    return {"leader": row.leader, "team": row.team, "plan": row.plan, "minutes": row.minutes, "measures": row.measures}


@require_POST
@require_cap(PetitionCap.WORK)
def five_ones(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(request.user, pk)
    form = FiveOnesForm(request.POST, prefix="o", case=case)
    return _step(
        request,
        pk,
        "five_ones_form",
        form,
        lambda case, d: five_ones_save(actor=request.user, case=case, **d),
        _("The five ones are recorded."),
    )


@require_POST
@require_cap(PetitionCap.WORK)
def home_visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = HomeVisitLogForm(request.POST, prefix="v")
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return _step(
        request,
        pk,
        "visit_form",
        form,
        lambda case, d: home_visit_log(actor=request.user, case=case, person=person, **d),
        _("Home visit logged."),
    )


@require_cap(PetitionCap.MINE)
def my_cases(request: HttpRequest) -> HttpResponse:
    """An owning leader's cases: days open, the last home visit, the next due, the dispositions so far."""
    today = timezone.localdate()
    cases = list(owned_cases(getattr(request.user, "person", None)))
    plans = plans_for(cases, today)
    rows = [
        {
            "case": c,
            "days_open": (today - c.received_on).days,
            "plan": plans[c.pk],
            "overdue": plans[c.pk].overdue(today),
            "terms": sorted({d.get_term_display() for d in c.dispositions.all()}),
        }
        for c in cases
    ]
    return render(request, "petitions/my_cases.html", {"rows": rows, "today": today})


@require_cap(PetitionCap.BOARD)
def board(request: HttpRequest) -> HttpResponse:
    """The backlog board: filters, the campaign's progress per leader as a chart, and the downloads."""
    from petitions import board as boards

    today = timezone.localdate()
    rows = boards.board_rows(request.user, request.GET, today)
    title = _("Petition backlog board, %(date)s") % {"date": today.isoformat()}
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "docx"):
        content = boards.board_xlsx(rows, title) if fmt == "xlsx" else boards.board_docx(rows, title)
        types = {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        response = HttpResponse(content, content_type=types[fmt])
        response["Content-Disposition"] = f'attachment; filename="petition-board-{today.isoformat()}.{fmt}"'
        return response
    result = boards.progress(rows)
    context = {
        "rows": rows,
        "progress": result,
        "chart": boards.chart_data(result),
        "goal": boards.GOAL,
        "focuses": FocusArea.objects.filter(disputes_only=False),
        "risks": Risk.choices,
        "owners": leaders(),
        "params": request.GET,
        "query": request.GET.urlencode(),
        "today": today,
    }
    return render(request, "petitions/board.html", context)


@require_cap(PetitionCap.EDIT)
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload the park's backlog ledger: a dry run with per-row errors, or the import, all rows or none."""
    from petitions.forms import LedgerForm
    from petitions.importer import import_ledger

    form = LedgerForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["report"] = import_ledger(
            name=upload.name, data=upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    return render(request, "petitions/ledger_import.html", context)
