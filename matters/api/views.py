"""Matters over REST: list with the back office's filters, create (idempotent), detail, workflow actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_view
from core.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.idempotency import IdempotencyKeyError, idempotency_key
from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer, idempotent_create
from core.uploads import CleanFile, clean_uploads
from matters import figures
from matters.access import matter_get_for_user, matters_visible_to
from matters.api.serializers import (
    ACTION_FIELDS,
    MatterActionSerializer,
    MatterCreateSerializer,
    MatterDetailSerializer,
    MatterListItemSerializer,
)
from matters.capabilities import MatterCap
from matters.kinds import kind_specs
from matters.models import REPORTER_FIELDS, Channel, Matter
from matters.selectors import MatterFilter, matters_filter
from matters.services import matter_create, matter_transition
from matters.workflow import Action, Status

LIST_PARAMETERS = [
    OpenApiParameter(
        "status",
        str,
        many=True,
        enum=Status.values,
        description="Repeat the parameter or separate statuses by commas.",
    ),
    OpenApiParameter("kind", str, enum=list(kind_specs())),
    OpenApiParameter("unit", int, description="Matters this unit is responsible for."),
    OpenApiParameter("community", int, description="Matters this community is responsible for (also 各社区)."),
    OpenApiParameter("lead", int, description="Matters this person leads."),
    OpenApiParameter("month", str, description="Matters reported in this month, YYYY-MM."),
    OpenApiParameter("overdue", str, enum=["1"], description="Only matters past their deadline and not done."),
    OpenApiParameter("needs_lead", str, enum=["1"], description="Only assigned matters without a lead."),
    OpenApiParameter(
        "search", str, description="Words that must all appear in the code, problem, task, location or effect."
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List matters",
        description="Matters visible to the caller, newest first, with the back office's filters.",
        parameters=LIST_PARAMETERS,
        responses={200: MatterListItemSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE},
    ),
    retrieve=extend_schema(
        summary="Read a matter",
        description="A matter with its history and the actions the caller may take now. "
        "The reporter's details (name, phone, e-mail, device and account ids, media link) appear only for callers "
        "allowed to see them, and each time on the audit trail.",
        responses={200: MatterDetailSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Matters as the caller may see them; every write goes through matters.services."""

    def get_permissions(self) -> list[BasePermission]:
        caps = {"create": MatterCap.CREATE, "figures": MatterCap.FIGURES_VIEW}
        cap = caps.get(self.action or "", MatterCap.VIEW)
        return [cap_permission(cap)()]

    def get_serializer_class(self) -> type[Any]:
        return MatterListItemSerializer if self.action == "list" else MatterDetailSerializer

    def get_queryset(self) -> QuerySet[Matter]:
        qs = matters_visible_to(self.request.user)
        if self.action == "list":
            qs = matters_filter(qs, MatterFilter.from_params(self.request.query_params))
        return qs.select_related("category").prefetch_related("leads", "units").order_by("-reported_at", "-id")

    def get_object(self) -> Matter:
        pk = str(self.kwargs["pk"])
        if not pk.isdecimal() or len(pk) > 18:
            raise Http404
        return matter_get_for_user(self.request.user, int(pk))

    def _detail(self, pk: int) -> dict[str, Any]:
        matter = (
            Matter.objects.select_related("category", "merged_into")
            .prefetch_related("leads", "units", "transitions", "reports")
            .get(pk=pk)
        )
        return self._represent(matter)

    def _represent(self, matter: Matter) -> dict[str, Any]:
        data = MatterDetailSerializer(matter, context=self.get_serializer_context()).data
        shown = [name for name in REPORTER_FIELDS if data.get(name)]
        if shown:  # the reporter's details leave the server: who received them is on record
            audit_view(
                actor=self.request.user, action="matters.view_reporter", target=matter, fields=shown, label=matter.code
            )
        return data

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._detail(self.get_object().pk))

    @extend_schema(
        summary="Report a matter",
        description="Register a matter through the API (channel “api”). With an Idempotency-Key header a repeat "
        "creates nothing and answers 200 with the matter the first request created.",
        request=MatterCreateSerializer,
        **idempotent_create(
            "matter",
            MatterDetailSerializer,
            **{"409": OpenApiResponse(DetailErrorSerializer, description="The key was used by another account.")},
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            key = idempotency_key(request)
        except IdempotencyKeyError as exc:
            return Response({IDEMPOTENCY_HEADER: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        data = MatterCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matter, created = matter_create(
            actor=request.user, channel=Channel.API, idempotency_key=key, **data.validated_data
        )
        if not created and matter.created_by_id != request.user.pk:
            # Keys are unique across all channels and accounts: never hand out someone else's matter.
            message = _("This idempotency key was already used for another request; choose a new key.")
            return Response({"detail": message}, status=status.HTTP_409_CONFLICT)
        if not created:
            return Response(self._detail(matter.pk), status=status.HTTP_200_OK)
        return Response(self._new_detail(matter), status=status.HTTP_201_CREATED)

    def _new_detail(self, matter: Matter) -> dict[str, Any]:
        """The detail of a matter this request created, from the object in hand: it has no leads, units or
        reports yet, and its one transition is read back. Saves re-reading the matter and four queries."""
        from django.db.models import prefetch_related_objects

        cache = matter.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in ("leads", "units", "reports"):
            cache[name] = getattr(matter, name).none()
        prefetch_related_objects([matter], "transitions")
        return self._represent(matter)

    @extend_schema(
        summary="The figures of a period",
        description="群众满意率 (public ratings of the period's completed matters) and 回访满意率 (callbacks), each with "
        "its count and None below the minimum number of ratings; the response rate over matters whose response "
        "window has ended or that were answered, with those still pending; resolution and on-time rates; overall "
        "and per responsible unit. Period: ?month=YYYY-MM or ?from=&to= (ISO dates); default this month so far.",
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
        ],
        responses={200: OpenApiResponse(description="The figures"), **ERRORS},
    )
    @action(detail=False, methods=["get"], url_path="figures")
    def figures(self, request: Request) -> Response:
        start, end = figures.period_from(request.query_params)
        return Response(figures.report(start, end))

    @extend_schema(
        summary="Take a workflow action",
        description="Accept, decline, merge, assign, start, report progress, complete, verify, return or close a "
        "matter, through the same service as the back office. Only the fields of the chosen action are used. "
        "A refused action changes nothing: 409 when the matter's status does not allow it (or changed since "
        "expected_status), 403 when the caller may not take it, 400 for invalid or missing fields.",
        request={"application/json": MatterActionSerializer, "multipart/form-data": MatterActionSerializer},
        responses={
            200: MatterDetailSerializer,
            **ERRORS,
            409: OpenApiResponse(DetailErrorSerializer, description="The matter's status does not allow this."),
        },
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str) -> Response:
        matter = self.get_object()
        data = MatterActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        act = Action(values["action"])
        fields = {name: values[name] for name in ACTION_FIELDS.get(act, ()) if name in values}
        if "files" in fields:
            fields["files"] = _clean_files(fields["files"])
        matter_transition(
            matter=matter,
            action=act,
            actor=request.user,
            reason=values.get("reason", ""),
            expected_status=values.get("expected_status"),
            **fields,
        )
        return Response(self._detail(matter.pk))


def _clean_files(files: list[Any]) -> list[CleanFile]:
    """Check the uploads under the site's one rule (core.uploads); name the field in the error."""
    try:
        return clean_uploads(files)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
