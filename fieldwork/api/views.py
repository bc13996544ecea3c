"""Field work over REST: visits (list, read, log one's own, idempotent) and a person's weekly duties."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.idempotency import IdempotencyKeyError, idempotency_key
from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer, idempotent_create
from core.roles import user_can
from fieldwork.api.serializers import (
    SERVICE_FIELD_NAMES,
    DutyWeekSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)
from fieldwork.capabilities import FieldworkCap
from fieldwork.duties import (
    Week,
    current_week,
    duty_week,
    parse_week,
    rows_met,
    rows_state,
    week_bounds,
    week_label,
    week_title,
)
from fieldwork.extensions import extensions_clean
from fieldwork.models import Visit
from fieldwork.selectors import person_of, visit_get_for_user, visits_visible_to
from fieldwork.services import visit_create, visits_listed, visits_viewed
from org.models import Person

WEEK_PARAMETER = OpenApiParameter(
    "week", str, pattern=r"^\d{4}-W\d{2}$", description="An ISO week, YYYY-Www (e.g. 2022-W26)."
)


def _no_person() -> str:
    return _("Your account is not linked to a person of the organisation.")


def _week(request: Request, *, default: Week | None) -> Week | None:
    raw = (request.query_params.get("week") or "").strip()
    if not raw:
        return default
    try:
        return parse_week(raw)
    except ValueError as exc:
        raise exceptions.ValidationError({"week": [str(exc)]}) from None


def _person_id(request: Request) -> int | None:
    raw = (request.query_params.get("person") or "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 12:
        raise exceptions.ValidationError({"person": [_("Give the id of a person.")]})
    return int(raw)


def import_key_for(user: Any, key: str) -> str:
    """The visit's import key for an Idempotency-Key: per account, so that keys of two accounts never meet."""
    return "api:" + hashlib.sha256(f"{user.pk}\0{key}".encode()).hexdigest()[:40]


@extend_schema_view(
    list=extend_schema(
        summary="List visits",
        description="The caller's own visits; every visit for the coordination, assessment and supervision teams. "
        "Newest first.",
        parameters=[OpenApiParameter("person", int, description="Visits of this person."), WEEK_PARAMETER],
        responses={200: VisitSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE},
    ),
    retrieve=extend_schema(
        summary="Read a visit",
        responses={
            200: VisitSerializer,
            401: ERRORS[401],
            403: ERRORS[403],
            404: OpenApiResponse(DetailErrorSerializer, description="No such visit, or not visible."),
        },
    ),
)
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visits as the caller may see them; a visit is logged through fieldwork.services.visit_create."""

    serializer_class = VisitSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [cap_permission(FieldworkCap.VISIT_LOG)()]

    def get_queryset(self) -> QuerySet[Visit]:
        qs = visits_visible_to(self.request.user).prefetch_related("matters")
        if self.action == "list":
            person = _person_id(self.request)
            if person is not None:
                qs = qs.filter(person_id=person)
            week = _week(self.request, default=None)
            if week is not None:
                monday, sunday = week_bounds(*week)
                qs = qs.filter(date__gte=monday, date__lte=sunday)
        return qs.order_by("-date", "-start_time", "-id")

    def get_object(self) -> Visit:
        pk = str(self.kwargs["pk"])
        if not pk.isdecimal() or len(pk) > 18:
            raise Http404
        return visit_get_for_user(self.request.user, int(pk))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Households' details of visits the caller did not make have just been sent: one event names them all.
        shown = [row["id"] for row in (response.data.get("results") or [])] if isinstance(response.data, dict) else []
        visits = Visit.objects.filter(pk__in=shown).order_by("-date", "-start_time", "-id")
        visits_listed(actor=request.user, shown=[(visit, ["place_detail", "notes"]) for visit in visits])
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        visit = self.get_object()
        visits_viewed(actor=request.user, visits=[visit], photos=visit.photos.exists())
        return Response(self._detail(visit))

    @extend_schema(
        summary="Log a visit",
        description="Log one of the caller's own visits, through the same service as the visit form. Give the hours, "
        "or the start and end times. With an Idempotency-Key header a repeat creates nothing and answers 200 with "
        "the visit the first request created.",
        request=VisitCreateSerializer,
        **idempotent_create("visit", VisitSerializer),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            key = idempotency_key(request)
        except IdempotencyKeyError as exc:
            return Response({IDEMPOTENCY_HEADER: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        person = person_of(request.user)
        if person is None:
            return Response({"person": [_no_person()]}, status=status.HTTP_400_BAD_REQUEST)
        import_key = import_key_for(request.user, key) if key else ""
        if import_key:
            existing = Visit.objects.filter(import_key=import_key).first()
            if existing is not None:
                return Response(self._detail(existing), status=status.HTTP_200_OK)
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.service_arguments()
        try:
            arguments["extensions"] = extensions_clean(
                arguments.pop("extensions", None) or {}, person=person, visit_kind=arguments["kind"]
            )
            visit = visit_create(actor=request.user, person=person, import_key=import_key, **arguments)
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors = {SERVICE_FIELD_NAMES.get(name, name): messages for name, messages in exc.message_dict.items()}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(self._detail(visit), status=status.HTTP_201_CREATED)

    def _detail(self, visit: Visit) -> dict[str, Any]:
        return VisitSerializer(
            visit_get_for_user(self.request.user, visit.pk), context=self.get_serializer_context()
        ).data


class DutyViewSet(viewsets.ViewSet):
    """A person's weekly duties: the caller's own, or anyone's for the coordination and assessment teams."""

    def get_permissions(self) -> list[BasePermission]:
        return [cap_permission(FieldworkCap.VISIT_LOG)()]

    @extend_schema(
        summary="Weekly duties",
        description="One row per weekly rule that applies to the person (by their duty category, from the running "
        "campaign's rules): the value reached in the ISO week, the threshold and whether it is met. Another person "
        "than the caller needs the duty grid (coordination, assessment, supervision teams).",
        parameters=[
            WEEK_PARAMETER,
            OpenApiParameter("person", int, description="Default: the caller's own person."),
        ],
        responses={
            200: DutyWeekSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
            404: OpenApiResponse(DetailErrorSerializer, description="No such person."),
        },
    )
    def list(self, request: Request) -> Response:
        week = _week(request, default=current_week())
        assert week is not None  # a default is given
        wanted = _person_id(request)
        own = person_of(request.user)
        if wanted is None or (own is not None and wanted == own.pk):
            if own is None:
                raise exceptions.ValidationError({"person": [_no_person() + " " + _("Give ?person=ID.")]})
            person = own
        else:
            if not user_can(request.user, FieldworkCap.DUTY_GRID):
                raise exceptions.PermissionDenied(_("Only the coordination and assessment teams see others' duties."))
            found = Person.objects.filter(pk=wanted).first()
            if found is None:
                raise Http404
            person = found
        rows = duty_week(person, *week)
        monday, sunday = week_bounds(*week)
        data = {
            "person": person,
            "week": week_label(*week),
            "starts_on": monday,
            "ends_on": sunday,
            "met": rows_met(rows),
            "state": rows_state(rows),
            "title": week_title(*week),
            "rules": rows,
        }
        return Response(DutyWeekSerializer(data).data)
