"""The published versions over REST: public and read-only (`/api/v1/published/`), with their content hashes.

The list gives each version's month, number, hash, time and reason; a record adds the snapshot, exactly as stored
(the public view of the month: redacted, no personal data). Nothing can be written here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer
from matters.selectors import parse_month
from oversight.models.publication import Publication


class PublicationSerializer(serializers.ModelSerializer):
    month = serializers.CharField(source="month_label", read_only=True, help_text="YYYY-MM")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    supersedes: serializers.PrimaryKeyRelatedField[Publication] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The version this one corrects; null for version 1."
    )

    class Meta:
        model = Publication
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "month",
            "version",
            "reason",
            "published_at",
            "publisher_unit",
            "content_hash",
            "supersedes",
        ]
        read_only_fields = fields


class PublicationDetailSerializer(PublicationSerializer):
    snapshot = serializers.JSONField(read_only=True)

    class Meta(PublicationSerializer.Meta):
        fields = [*PublicationSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("month", str, description="Only this month's versions (YYYY-MM).")],
        responses={200: PublicationSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE},
    ),
    retrieve=extend_schema(
        responses={
            200: PublicationDetailSerializer,
            401: ERRORS[401],
            403: ERRORS[403],
            404: OpenApiResponse(DetailErrorSerializer, description="No such version."),
        }
    ),
)
class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Every published version of the three lists, newest month first (filter: `?month=YYYY-MM`)."""

    permission_classes = [AllowAny]

    def get_serializer_class(self) -> Any:
        return PublicationDetailSerializer if self.action == "retrieve" else PublicationSerializer

    def get_queryset(self) -> Any:
        qs = Publication.objects.select_related("campaign").order_by("-month", "campaign_id", "-version")
        if self.action == "list":
            qs = qs.defer("snapshot")
            month = str(self.request.query_params.get("month", ""))[:20]
            parsed = parse_month(month) if month else None
            if month and parsed is None:
                return qs.none()
            if parsed is not None:
                qs = qs.filter(month=parsed.replace(day=1))
        return qs
