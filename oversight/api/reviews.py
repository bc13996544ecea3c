"""The monthly reviews over REST: list and read (REVIEW_VIEW); create and close (REVIEW_MANAGE). Writes go through
the services, so a refusal says the same as on the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import Campaign
from core.rest.fields import record_id, record_ids
from core.rest.schema import ERRORS, NO_PAGE, DetailErrorSerializer
from core.roles import user_can
from matters.selectors import parse_month
from org.models import Person
from oversight.capabilities import OversightCap
from oversight.models.reviews import Decision, Review
from oversight.selectors import reviews as selectors
from oversight.services import reviews as services


class ReviewAccess(BasePermission):
    """Reading needs REVIEW_VIEW; creating and closing need REVIEW_MANAGE."""

    def has_permission(self, request: Request, view: Any) -> bool:
        cap = OversightCap.REVIEW_VIEW if request.method in SAFE_METHODS else OversightCap.REVIEW_MANAGE
        return bool(request.user and request.user.is_authenticated and user_can(request.user, cap))


class ReviewDecisionSerializer(serializers.ModelSerializer):
    matter_code = serializers.CharField(source="matter.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Decision
        fields = ["order", "kind", "text", "matter", "matter_code", "effect"]


class ReviewSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    chair_name = serializers.CharField(source="chair.display_name", read_only=True, default=None, allow_null=True)
    decisions = ReviewDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id", "campaign", "month", "status", "held_on", "chair", "chair_name", "attendees", "agenda", "minutes",
            "prepared_at", "prepared", "decisions", "closed_at",
        ]  # fmt: skip

    def get_month(self, review: Review) -> str:
        return review.month_label


class ReviewCreateSerializer(serializers.Serializer):
    campaign = record_id()
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    agenda = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    chair = record_id(required=False, allow_null=True)
    attendees = record_ids(required=False, max_length=200)

    def validate_month(self, value: str) -> Any:
        month = parse_month(value)
        if month is None:
            raise serializers.ValidationError("Give the month as YYYY-MM.")
        return month

    def validate_campaign(self, value: int) -> Campaign:
        campaign = Campaign.objects.filter(pk=value).first()
        if campaign is None:
            raise serializers.ValidationError("No such campaign.")
        return campaign

    def validate_chair(self, value: int | None) -> Person | None:
        if value is None:
            return None
        person = Person.objects.filter(pk=value).first()
        if person is None:
            raise serializers.ValidationError("No such person.")
        return person

    def validate_attendees(self, value: list[int]) -> list[Person]:
        people = list(Person.objects.filter(pk__in=value))
        if len(people) != len(set(value)):
            raise serializers.ValidationError("No such person.")
        return people


class ReviewCloseSerializer(serializers.Serializer):
    minutes = serializers.CharField(required=False, allow_blank=True, max_length=100_000)


_one = {401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
_written = {**_one, 400: ERRORS[400], 415: ERRORS[415]}
_conflict = OpenApiResponse(DetailErrorSerializer, description="The review is not held (or already closed).")


@extend_schema_view(
    list=extend_schema(responses={200: ReviewSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: NO_PAGE}),
    retrieve=extend_schema(responses={200: ReviewSerializer, **_one}),
    create=extend_schema(
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 415: ERRORS[415]},
    ),
    close=extend_schema(request=ReviewCloseSerializer, responses={200: ReviewSerializer, **_written, 409: _conflict}),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewSerializer
    permission_classes = [ReviewAccess]

    def get_queryset(self) -> Any:
        return selectors.reviews_list().prefetch_related("attendees", "decisions__matter").order_by("-month", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReviewCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        review = services.review_create(actor=request.user, **given.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        given = ReviewCloseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        closed = services.review_close(actor=request.user, review=review, minutes=given.validated_data.get("minutes"))
        return Response(ReviewSerializer(selectors.review_get(closed.pk)).data)
