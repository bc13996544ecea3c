"""The petition line over REST: cases (list, create, read, update), their dispositions, home visits and closing.

The steps of the case's matter stay on /api/v1/matters/{id}/transitions/. The petitioners' data are in a case's
answer only for the roles petitions.access allows, and each answer that carries them is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_list_view, audit_view
from core.rest.params import query_param
from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS, DetailErrorSerializer
from core.uploads import clean_uploads
from petitions import services
from petitions.access import can_see_personal, can_work, case_get_for_user
from petitions.api.serializers import (
    CaseSerializer,
    CloseSerializer,
    DispositionSerializer,
    HomeVisitSerializer,
    case_data,
)
from petitions.capabilities import PetitionCap
from petitions.forms import CaseForm
from petitions.models import FocusArea, PetitionCase
from petitions.ownership import home_visit_log
from petitions.selectors import cases_filtered

_FIELDS = ["owner", "focus", "risk", "status"]
FILTERS = [
    OpenApiParameter("owner", int, description="Cases this leader (a person id) owns."),
    OpenApiParameter("focus", str, description="A focus area's code."),
    OpenApiParameter("risk", str, enum=["high", "medium", "low"]),
    OpenApiParameter("status", str, description="open, closed, or a matter status."),
]
_WRITE_ACTIONS = {"create": PetitionCap.EDIT, "update": PetitionCap.EDIT, "partial_update": PetitionCap.EDIT}


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The API's case fields as the CaseForm takes them (the focus by its code)."""
    data = dict(values)
    if "focus" in data:
        focus = FocusArea.objects.filter(code=str(data["focus"]), disputes_only=False).first()
        data["focus"] = focus.pk if focus is not None else ""
    for name in ("received_on", "first_petition_on"):
        if name in data and hasattr(data[name], "isoformat"):
            data[name] = data[name].isoformat()
    return data


def _errors(exc: DjangoValidationError) -> dict[str, Any]:
    if not hasattr(exc, "error_dict"):
        return {"detail": exc.messages}
    return {name.removeprefix("kind_data."): messages for name, messages in exc.message_dict.items()}


@extend_schema_view(
    list=extend_schema(
        summary="List petition cases", parameters=FILTERS, responses={200: CaseSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="Read a petition case", responses={200: CaseSerializer, **ERRORS}),
    create=extend_schema(
        summary="Register a petition case", request=CaseSerializer, responses={201: CaseSerializer, **ERRORS}
    ),
    update=extend_schema(
        summary="Change a case's data", request=CaseSerializer, responses={200: CaseSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Change some of a case's data", request=CaseSerializer, responses={200: CaseSerializer, **ERRORS}
    ),
)
class PetitionCaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer

    def get_permissions(self) -> list[BasePermission]:
        cap = _WRITE_ACTIONS.get(self.action or "", PetitionCap.VIEW)
        if (self.action in ("dispositions", "visits") and self.request.method == "POST") or self.action == "close":
            cap = PetitionCap.WORK
        return [cap_permission(cap)()]

    def get_queryset(self) -> QuerySet[PetitionCase]:
        return cases_filtered(self.request.user, {k: query_param(self.request.query_params, k) for k in _FIELDS})

    def get_object(self) -> PetitionCase:
        pk = str(self.kwargs["pk"])
        if not pk.isdecimal() or len(pk) > 18:
            raise Http404
        return case_get_for_user(self.request.user, int(pk))

    def _working(self) -> PetitionCase:
        case = self.get_object()
        if not can_work(self.request.user, case):
            raise PermissionDenied
        return case

    def _shown(self, case: PetitionCase) -> dict[str, Any]:
        personal = can_see_personal(self.request.user, case)
        if personal:
            audit_view(
                actor=self.request.user,
                action="petitions.view_petitioners",
                target=case,
                fields=["petitioners", "summary"],
                label=case.case_number,
            )
        return case_data(case, personal=personal)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset().prefetch_related("owners", "handling_units", "petitioners"))
        cases = list(page if page is not None else self.get_queryset())
        personal = {case.pk for case in cases if can_see_personal(request.user, case)}
        audit_list_view(
            actor=request.user,
            action="petitions.list_petitioners",
            model=PetitionCase,
            ids=sorted(personal),
            fields=["petitioners", "summary"],
        )
        rows = [case_data(case, personal=case.pk in personal) for case in cases]
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._shown(self.get_object()))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = CaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        petitioners = [dict(p) for p in values.pop("petitioners", None) or []]
        values.pop("summary", None)
        values["summary"] = request.data.get("summary") or ""
        try:
            case = services.case_create(actor=request.user, data=_form_data(values), petitioners=petitioners)
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(self._shown(case), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        current = model_to_dict(case, fields=CaseForm.Meta.fields)
        current["owners"] = [p.pk for p in current.get("owners", [])]
        current["handling_units"] = [u.pk for u in current.get("handling_units", [])]
        changes = {k: v for k, v in request.data.items() if k in CaseForm.Meta.fields or k == "focus"}
        form = CaseForm(data={**current, **_form_data(changes)}, instance=case)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            services.case_update(actor=request.user, case=case, form=form)
        except DjangoValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(self._shown(case_get_for_user(request.user, case.pk)))

    @extend_schema(
        summary="A case's dispositions (三到位一处理), or record one",
        request={"application/json": DispositionSerializer, "multipart/form-data": DispositionSerializer},
        responses={200: DispositionSerializer(many=True), 201: DispositionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="dispositions", pagination_class=None)
    def dispositions(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            case = self.get_object()
            personal = can_see_personal(request.user, case)
            petitioners = list(case.petitioners.all())
            rows = []
            for row in case.dispositions.prefetch_related("evidence"):
                shown = _disposition(row)
                if not personal:  # what was done may name the petitioner: as the others may see it
                    shown["done"] = services.anonymised(row.done, petitioners)
                rows.append(shown)
            return Response(rows)
        case = self._working()
        body = DispositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        evidence = clean_uploads(request.FILES.getlist("evidence")) if request.FILES else []
        row = services.disposition_add(
            actor=request.user,
            case=case,
            term=values["term"],
            done=values["done"],
            done_on=values["done_on"],
            evidence=evidence,
        )
        return Response(_disposition(row), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A case's home visits, or log one (a field-work visit of kind petitioner)",
        request=HomeVisitSerializer,
        responses={200: HomeVisitSerializer(many=True), 201: HomeVisitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="visits", pagination_class=None)
    def visits(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            case = self.get_object()
            return Response([_home_visit(h.visit) for h in case.home_visits.select_related("visit__person")])
        case = self._working()
        person = getattr(request.user, "person", None)
        if person is None:
            return Response({"person": ["Your account is not linked to a person."]}, status=status.HTTP_400_BAD_REQUEST)
        body = HomeVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        visit = home_visit_log(
            actor=request.user,
            case=case,
            person=person,
            date=values["date"],
            hours=values["hours"],
            notes=values.get("notes", ""),
        )
        return Response(_home_visit(visit), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a verified case: 息诉罢访 (accepted) or 终结 (terminated)",
        request={"application/json": CloseSerializer, "multipart/form-data": CloseSerializer},
        responses={
            200: CaseSerializer,
            **ERRORS,
            409: OpenApiResponse(DetailErrorSerializer, description="The case's matter is not verified yet."),
        },
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, pk: str) -> Response:
        case = self._working()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        evidence = clean_uploads(request.FILES.getlist("evidence")) if request.FILES else []
        services.case_close(actor=request.user, case=case, way=values["way"], basis=values["basis"], evidence=evidence)
        return Response(self._shown(case_get_for_user(request.user, case.pk)))


def _disposition(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "term": row.term,
        "done": row.done,
        "done_on": row.done_on.isoformat(),
        "evidence_count": row.evidence.count(),
    }


def _home_visit(visit: Any) -> dict[str, Any]:
    return {
        "visit": visit.pk,
        "date": visit.date.isoformat(),
        "hours": str(visit.hours),
        "person": visit.person.display_name,
    }
