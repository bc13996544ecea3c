"""GET /api/v1/figures/?from=&to=: the dashboard's headline figures and every chart of a period, in the caller's
scope (the park, or a handler's or cadre's unit), computed by oversight.charts like the page and the pack."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS
from oversight import charts
from oversight.capabilities import OversightCap
from oversight.selectors.dashboard import period_from

PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period (ISO date), with `to`."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period (ISO date), at most 400 days on."),
    OpenApiParameter("period", str, enum=["month", "quarter", "campaign", "custom"], description="Instead of dates."),
    OpenApiParameter("month", str, description="With period=month: YYYY-MM."),
    OpenApiParameter("quarter", str, description="With period=quarter: YYYY-Qn."),
]


class FiguresViewSet(viewsets.ViewSet):
    """The dashboard's figures: `scope` (null: the whole park, else the unit), the period, `headline` (label, value,
    unit, note; a rate not shown is null) and `charts` (key, title, kind, labels, series of name and values, unit)."""

    permission_classes = [cap_permission(OversightCap.DASHBOARD)]

    @extend_schema(
        summary="The dashboard's figures of a period, in the caller's scope",
        parameters=PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Headline figures and charts"), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        scope = charts.scope_for(request.user)
        period = period_from(request.query_params)  # a ValidationError is a 400 with its message
        return Response(
            {
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "period": period.kind,
                "scope": None if scope is None else {"unit_id": scope.pk, "unit": scope.name},
                "headline": charts.headline(period.start, period.end, scope),
                "charts": [charts.spec_plain(spec) for spec in charts.charts(period.start, period.end, scope)],
            }
        )
