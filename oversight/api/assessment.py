"""The assessments over REST, read-only (ASSESSMENT_VIEW): the list and one assessment, and its scores with each
subject's breakdown. The assessment team sees every assessment and every row; everyone else the scored assessments
and only their own rows (their person's, and their unit's as its handler or leader)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.schema import ERRORS, NO_PAGE
from core.roles import user_can
from oversight.capabilities import OversightCap
from oversight.models.assessment import Assessment
from oversight.selectors import assessment as selectors


class AssessmentAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user_can(user, OversightCap.ASSESSMENT_VIEW))


class SchemeAssessmentSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    subject = serializers.CharField(source="scheme.subject", read_only=True)
    period_kind = serializers.CharField(source="scheme.period_kind", read_only=True)
    period = serializers.CharField(source="period_label", read_only=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id", "scheme", "scheme_name", "subject", "period_kind", "period", "period_start", "period_end", "status",
            "computed_at", "appeal_until", "version",
        ]  # fmt: skip

    def get_version(self, assessment: Assessment) -> int | None:
        version = selectors.latest_version(assessment)
        return version.version if version is not None else None


class RecordSerializer(serializers.Serializer):
    model = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    hit = serializers.BooleanField()


class RemovedSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    reason = serializers.CharField()


class CellSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    title = serializers.CharField(help_text="The item's label.")
    kind = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    points = serializers.FloatField()
    records = RecordSerializer(many=True)
    removed = RemovedSerializer(many=True)


class RowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The unit's or the person's id.")
    name = serializers.CharField()
    total = serializers.FloatField()
    rank = serializers.IntegerField()
    grade = serializers.CharField()
    items = CellSerializer(many=True)


class ScoresSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    rows = RowSerializer(many=True)


def _rows(user: Any, assessment: Assessment) -> list[dict[str, Any]]:
    out = []
    items = {item["id"]: item for item in (assessment.result or {}).get("items", [])}
    for row in selectors.rows_for(user, assessment):
        cells = []
        for cell in row["cells"]:
            item = items.get(cell["item"], {})
            cells.append({
                "item": cell["item"], "title": item.get("label", ""), "kind": item.get("kind", ""),
                "value": cell.get("value"), "numerator": cell.get("numerator"), "denominator": cell.get("denominator"),
                "points": cell["points"],
                "records": [{"model": r[0], "id": r[1], "title": r[2], "url": r[3], "hit": r[4]}
                            for r in cell.get("records", [])],
                "removed": cell.get("removed", []),
            })  # fmt: skip
        out.append({"id": row["id"], "name": row["name"], "total": row["total"], "rank": row["rank"],
                    "grade": row["grade"], "items": cells})  # fmt: skip
    return out


_one = {401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}


@extend_schema_view(
    list=extend_schema(
        responses={200: SchemeAssessmentSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE}
    ),
    retrieve=extend_schema(responses={200: SchemeAssessmentSerializer, **_one}),
    scores=extend_schema(responses={200: ScoresSerializer, **_one}),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SchemeAssessmentSerializer
    permission_classes = [AssessmentAccess]

    def get_queryset(self) -> Any:
        return selectors.assessments_visible_to(self.request.user)

    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        version = selectors.latest_version(assessment)
        data = {
            "assessment": assessment.pk,
            "status": assessment.status,
            "version": version.version if version is not None else None,
            "rows": _rows(request.user, assessment),
        }
        return Response(ScoresSerializer(data).data)
