"""Care over REST: households, pairings (read) and micro-wishes with their `claim` and `fulfil` actions.

A household's private fields (address, situation, needs, members with their names, ages and phones) are answered
only to the household's community handlers, its paired cadres and the coordination and supervision teams; the
others get 404, and every answer that shows them is on record. A wish's household is named (by its id) only to
those; everyone else who may claim reads the wish as the public wall does.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from care import services
from care.capabilities import CareCap
from care.models import ClaimerKind, Household, Member, Pairing, Wish
from care.selectors import households_visible_to, wall_text, wishes_on_wall
from core.rest.permissions import cap_permission
from core.rest.schema import ERRORS, DetailErrorSerializer, read_only_responses

PRIVATE = "Private: answered only to the household's community handlers, its paired cadres and the coordination and supervision teams; each answer is audited."


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name", "relation", "age", "phone"]


class HouseholdSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    categories: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    members = MemberSerializer(many=True, read_only=True, help_text=PRIVATE)
    address = serializers.CharField(read_only=True, help_text=PRIVATE)
    situation = serializers.CharField(read_only=True, help_text=PRIVATE)
    needs = serializers.CharField(read_only=True, help_text=PRIVATE)

    class Meta:
        model = Household
        fields = [
            "id",
            "code",
            "community",
            "compound",
            "categories",
            "address",
            "situation",
            "needs",
            "members",
            "last_reviewed_on",
        ]


class PairingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pairing
        fields = [
            "id",
            "cadre",
            "household",
            "started_on",
            "plan",
            "target_outcome",
            "review_on",
            "cadence_days",
            "outcome_met",
            "ended_on",
        ]


class WishSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    text = serializers.SerializerMethodField(
        help_text="As the public wall shows it: the household's names and numbers masked."
    )
    household = serializers.SerializerMethodField(help_text=PRIVATE)

    class Meta:
        model = Wish
        fields = [
            "id",
            "code",
            "matter",
            "community",
            "household",
            "text",
            "value",
            "wanted_by",
            "state",
            "claimer_kind",
            "claimer_name",
            "claimed_at",
            "claim_expires_at",
            "fulfilled_at",
        ]

    def get_text(self, wish: Wish) -> str:
        return wall_text(wish)

    def get_household(self, wish: Wish) -> int | None:
        visible: set[int] = self.context.get("visible_households", set())
        return wish.household_id if wish.household_id in visible else None


class ClaimSerializer(serializers.Serializer):
    claimer_kind = serializers.ChoiceField(choices=ClaimerKind.choices, default=ClaimerKind.CADRE)
    claimer_name = serializers.CharField(max_length=120, required=False, default="")


class FulfilSerializer(serializers.Serializer):
    household_confirmed = serializers.BooleanField(
        help_text="The household confirmed receipt; without it nothing is fulfilled."
    )


@read_only_responses(HouseholdSerializer)
class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    permission_classes = [cap_permission(CareCap.HOUSEHOLD_VIEW)]

    def get_queryset(self) -> Any:
        return households_visible_to(self.request.user).prefetch_related("categories", "members").order_by("id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        shown = list(Household.objects.filter(pk__in=[row["id"] for row in rows]))
        services.households_listed(actor=request.user, households=shown, fields=["address", "members"])
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        household = self.get_object()
        services.household_viewed(actor=request.user, household=household)
        return Response(self.get_serializer(household).data)


@read_only_responses(PairingSerializer)
class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PairingSerializer
    permission_classes = [cap_permission(CareCap.HOUSEHOLD_VIEW)]

    def get_queryset(self) -> Any:
        return Pairing.objects.filter(household__in=households_visible_to(self.request.user).values("pk")).order_by(
            "id"
        )


_ANSWERS = {
    200: WishSerializer,
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    404: ERRORS[404],
    415: ERRORS[415],
    409: OpenApiResponse(
        DetailErrorSerializer, description="The wish's state does not allow this (claimed first by someone else)."
    ),
}


@extend_schema_view(
    claim=extend_schema(
        request=ClaimSerializer, responses=_ANSWERS, summary="Claim an open wish: one claimer at a time"
    ),
    fulfil=extend_schema(
        request=FulfilSerializer, responses=_ANSWERS, summary="Fulfil a claimed wish on the household's confirmation"
    ),
)
@read_only_responses(WishSerializer)
class WishViewSet(viewsets.ReadOnlyModelViewSet):
    """Published wishes (as the wall shows them) and, for those who see the household, the ones awaiting review."""

    serializer_class = WishSerializer

    def get_permissions(self) -> list[Any]:
        cap = CareCap.WISH_REVIEW if self.action == "fulfil" else CareCap.WISH_CLAIM
        return [cap_permission(cap)()]

    def get_queryset(self) -> Any:
        visible = households_visible_to(self.request.user).values("pk")
        own = Wish.objects.filter(household__in=visible)
        return (
            (wishes_on_wall() | own)
            .distinct()
            .select_related("household")
            .prefetch_related("household__members")
            .order_by("-id")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        user = self.request.user
        context["visible_households"] = (
            set(households_visible_to(user).values_list("pk", flat=True)) if user.is_authenticated else set()
        )
        return context

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = services.wish_claim(actor=request.user, wish=self.get_object(), **data.validated_data)
        return Response(self.get_serializer(wish).data)

    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: str) -> Response:
        data = FulfilSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = services.wish_confirm(
            actor=request.user, wish=self.get_object(), household_confirmed=data.validated_data["household_confirmed"]
        )
        return Response(self.get_serializer(wish).data)
