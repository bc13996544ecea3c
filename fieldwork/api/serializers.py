"""Serializers of field work: visits (read and create) and a person's weekly duties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from campaigns.models import DutyMetric
from fieldwork.models import PlaceKind, Visit, VisitKind
from fieldwork.selectors import visit_place_for
from org.api import PersonRefSerializer
from org.models import ContactPoint, Unit

TIME_FORMAT = "%H:%M"


# Other components have fields named "kind" too (units, matters): name this enum explicitly.
@extend_schema_field({"type": "string", "enum": list(VisitKind.values)}, component_name="VisitKindEnum")
class VisitKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=VisitKind.choices, **kwargs)


# The schema's "format: time" is RFC 3339's full time with seconds; visits keep hours and minutes only.
@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "09:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day written HH:MM, in both directions."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=TIME_FORMAT, input_formats=[TIME_FORMAT], **kwargs)


class VisitSerializer(serializers.ModelSerializer):
    """A visit as the caller may read it."""

    person = PersonRefSerializer(read_only=True)
    kind = VisitKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    start = HourMinuteField(source="start_time", read_only=True, allow_null=True)
    end = HourMinuteField(source="end_time", read_only=True, allow_null=True)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, read_only=True)
    place = serializers.SerializerMethodField(help_text=_("The place as the caller may read it."))
    matters: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("Codes of the matters raised on the visit.")
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "person",
            "date",
            "start",
            "end",
            "hours",
            "kind",
            "kind_label",
            "place_kind",
            "unit",
            "contact_point",
            "place",
            "place_detail",
            "participants",
            "notes",
            "late_reason",
            "matters",
            "entered_at",
        ]
        read_only_fields = fields

    def get_place(self, visit: Visit) -> str:
        request = self.context.get("request")
        return visit_place_for(request.user, visit) if request is not None else visit.place_label

    def to_representation(self, instance: Visit) -> dict[str, Any]:
        """Phone and ID numbers typed into the visit are masked unless the caller made it or may see phones."""
        from core.privacy import mask_numbers
        from fieldwork.selectors import may_see_numbers

        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not may_see_numbers(request.user, instance):
            for name in ("place", "place_detail", "notes", "late_reason"):
                if isinstance(data.get(name), str):
                    data[name] = mask_numbers(data[name])
        return data


class VisitCreateSerializer(serializers.Serializer):
    """What a caller sends to log one of their own visits: the hours, or the start and end times."""

    extensions = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text=_(
            "What the domain apps add to visits of this kind, by extension key (e.g. a petition case's home visit): "
            "{key: {field: value}}."
        ),
    )

    date = serializers.DateField(help_text=_("The day of the visit, YYYY-MM-DD; not in the future."))
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal(24),
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Hours spent, e.g. 2.5; or give start and end."),
    )
    start = HourMinuteField(required=False, allow_null=True, help_text=_("Start time, HH:MM."))
    end = HourMinuteField(required=False, allow_null=True, help_text=_("End time, HH:MM."))
    kind = VisitKindField()
    place_kind = serializers.ChoiceField(
        choices=PlaceKind.choices,
        help_text=_(
            "community, enterprise, compound: give unit; contact_point: give contact_point; "
            "household, other: give place_detail."
        ),
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, help_text=_("Id of the unit visited.")
    )
    contact_point = serializers.PrimaryKeyRelatedField(
        queryset=ContactPoint.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the contact point visited."),
    )
    place_detail = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    participants = serializers.IntegerField(min_value=0, required=False, default=1)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Reason for late entry (补录原因): needed when the visit is entered more than VISIT_LATE_DAYS (7) "
            "days after its date."
        ),
    )

    def service_arguments(self) -> dict[str, Any]:
        """The validated data under the names of fieldwork.services.visit_create."""
        data = dict(self.validated_data)
        data["start_time"] = data.pop("start", None)
        data["end_time"] = data.pop("end", None)
        return data


# The service names the times start_time / end_time; the API calls them start / end.
SERVICE_FIELD_NAMES = {"start_time": "start", "end_time": "end"}


class DutyRowSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=DutyMetric.choices, read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field, not Field.label
    value = serializers.DecimalField(max_digits=8, decimal_places=1, coerce_to_string=False, read_only=True)
    threshold = serializers.DecimalField(max_digits=8, decimal_places=1, coerce_to_string=False, read_only=True)
    met = serializers.BooleanField(read_only=True)
    state = serializers.ChoiceField(
        choices=["met", "in_progress", "short"],
        read_only=True,
        help_text=_("met; in_progress while the week has not ended; short once it has."),
    )
    missing = serializers.CharField(
        source="missing_text", read_only=True, help_text=_("What is still missing, in words; empty when met.")
    )


@extend_schema_serializer(many=False)  # answered by a list route, yet one object, not a list
class DutyWeekSerializer(serializers.Serializer):
    """A person's weekly duties in one ISO week."""

    person = PersonRefSerializer(read_only=True)
    week = serializers.CharField(read_only=True, help_text=_("The ISO week, YYYY-Www."))
    starts_on = serializers.DateField(read_only=True, help_text=_("Monday of the week."))
    ends_on = serializers.DateField(read_only=True, help_text=_("Sunday of the week."))
    met = serializers.BooleanField(read_only=True, help_text=_("Every rule is met (true when no rule applies)."))
    state = serializers.ChoiceField(
        choices=["met", "in_progress", "short"],
        read_only=True,
        help_text=_("met; in_progress while the week has not ended; short once it has."),
    )
    title = serializers.CharField(read_only=True, help_text=_("The week as people write it."))
    rules = DutyRowSerializer(many=True, read_only=True, help_text=_("One row per weekly rule that applies."))
