"""The organisation over REST: units and people, read-only; references to them for other apps' answers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from core.rest.permissions import cap_permission
from core.rest.schema import read_only_responses
from org.capabilities import OrgCap
from org.models import Person, Unit, UnitKind
from org.selectors import people_list


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_label", "parent", "duties", "order"]


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.SerializerMethodField(help_text=_("Username of the linked login account, if any."))
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "name_incomplete", "display_name", "title", "unit", "category", "username"]

    def get_username(self, person: Person) -> str | None:
        return person.user.get_username() if person.user is not None else None


@read_only_responses(UnitSerializer)
@extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("parent", int)])
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    permission_classes = [cap_permission(OrgCap.VIEW)]

    def get_queryset(self) -> QuerySet[Unit]:
        qs = Unit.objects.order_by("order", "id")
        kind = self.request.query_params.get("kind")
        parent = self.request.query_params.get("parent")
        if kind:
            # An unknown kind matches nothing; it never reaches the database (PostgreSQL refuses a NUL in it).
            qs = qs.filter(kind=kind) if kind in UnitKind.values else qs.none()
        if parent and parent.isdecimal() and len(parent) < 12:
            qs = qs.filter(parent_id=int(parent))
        return qs


@read_only_responses(PersonSerializer)
@extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("q", str)])
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    permission_classes = [cap_permission(OrgCap.VIEW)]

    def get_queryset(self) -> QuerySet[Person]:
        unit = self.request.query_params.get("unit", "")
        return people_list(
            q=self.request.query_params.get("q", "")[:60],
            unit_id=int(unit) if unit.isdecimal() and len(unit) < 12 else None,
        ).order_by("id")
