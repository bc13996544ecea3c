"""Serializers of matters: the list rows, the detail, creation and workflow actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.roles import Cap, user_can
from matters.access import actor_kinds
from matters.exchange.cells import format_deadline
from matters.models import (
    REPORTER_FIELDS,
    Category,
    Kind,
    Matter,
    Precision,
    ProgressReport,
    Satisfaction,
    Transition,
    problem_length,
)
from matters.workflow import TRANSITIONS, Action, Status, actions_from
from org.models import Person, Unit

# Matter fields that only holders of Cap.REPORTER_VIEW see, in a matter's detail (each time audited); for everyone
# else, and in lists, they are absent (matters.models.REPORTER_FIELDS).
# Free text where people type phone and ID numbers: masked for callers without Cap.REPORTER_VIEW.
TEXT_FIELDS = ("problem", "task", "location", "effect", "public_reply")


def _may_see_reporter(serializer: serializers.BaseSerializer[Any]) -> bool:
    request = serializer.context.get("request")
    return request is not None and user_can(request.user, Cap.REPORTER_VIEW)


def _mask_text(data: dict[str, Any], *names: str) -> None:
    from core.privacy import mask_numbers

    for name in names:
        if isinstance(data.get(name), str):
            data[name] = mask_numbers(data[name])


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TransitionRecordSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True, help_text=_("Username of the actor."))
    # The first record (the report itself) has no action and no previous status: both are then "".
    action = serializers.ChoiceField(choices=Action.choices, allow_blank=True, read_only=True)
    from_status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Transition
        fields = ["action", "from_status", "to_status", "actor", "at", "reason"]
        read_only_fields = fields


class ProgressReportRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["at", "percent", "text"]
        read_only_fields = fields


class MatterListItemSerializer(serializers.ModelSerializer):
    """One row of the matter list."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("Category code.")
    )
    deadline_text = serializers.SerializerMethodField(
        help_text=_("The deadline as the seed writes it: 2022.6 for a month, 2022.6.30 for a day.")
    )
    overdue = serializers.SerializerMethodField(help_text=_("The deadline has passed and the work is not done."))
    leads = PersonRefSerializer(many=True, read_only=True)
    units = UnitRefSerializer(many=True, read_only=True)

    class Meta:
        model = Matter
        fields = [
            "id",
            "code",
            "status",
            "status_label",
            "kind",
            "kind_label",
            "category",
            "channel",
            "problem",
            "task",
            "location",
            "deadline",
            "deadline_precision",
            "deadline_text",
            "progress",
            "overdue",
            "leads",
            "units",
            "all_communities",
            "reported_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _today(self) -> dt.date:
        today = self.context.get("today")
        if today is None:
            today = self.context["today"] = timezone.localdate()
        return today

    def get_deadline_text(self, matter: Matter) -> str | None:
        return format_deadline(matter.deadline, matter.deadline_precision) or None

    def get_overdue(self, matter: Matter) -> bool:
        return matter.is_overdue(self._today())

    def to_representation(self, instance: Matter) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not _may_see_reporter(self):
            for name in REPORTER_FIELDS:
                data.pop(name, None)
            _mask_text(data, *TEXT_FIELDS)
            for record in data.get("transitions") or []:
                _mask_text(record, "reason")
            for record in data.get("progress_reports") or []:
                _mask_text(record, "text")
        return data


class MatterDetailSerializer(MatterListItemSerializer):
    """A matter with its whole history and the actions the caller may take now."""

    category_name = serializers.CharField(source="category.name", read_only=True, default=None, allow_null=True)
    merged_into: serializers.SlugRelatedField[Matter] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("Code of the matter this one was merged into.")
    )
    # "" until the matter is closed with a rating (the model's blank choice).
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True, read_only=True)
    transitions = TransitionRecordSerializer(many=True, read_only=True)
    progress_reports = ProgressReportRecordSerializer(source="reports", many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("Workflow actions the caller may take on this matter now.")
    )
    # Declared writable so that the schema marks them optional: they are absent for callers without
    # the right to see the reporter. This serializer is only used for responses.
    reporter_name = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )
    reporter_phone = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )
    reporter_email = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )
    reporter_device_id = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )
    reporter_account_id = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )
    reporter_media_url = serializers.CharField(
        required=False, help_text=_("Only for callers allowed to see the reporter; absent otherwise.")
    )

    class Meta(MatterListItemSerializer.Meta):
        fields = [
            *MatterListItemSerializer.Meta.fields,
            *REPORTER_FIELDS,
            "category_name",
            "latitude",
            "longitude",
            "is_public",
            "budget_yuan",
            "effect",
            "satisfaction",
            "public_reply",
            "merged_into",
            "accepted_at",
            "assigned_at",
            "started_at",
            "completed_at",
            "verified_at",
            "closed_at",
            "declined_at",
            "transitions",
            "progress_reports",
            "allowed_actions",
        ]
        read_only_fields = [f for f in fields if f not in REPORTER_FIELDS]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_allowed_actions(self, matter: Matter) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        kinds = actor_kinds(request.user, matter)
        return [str(a) for a in actions_from(matter.status) if kinds & TRANSITIONS[a].actors]


class CodeRelatedField(serializers.SlugRelatedField[Any]):
    """A record named by its code; a code with a NUL names nothing (PostgreSQL cannot even look one up)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class MatterCreateSerializer(serializers.Serializer):
    """What a caller sends to report a matter; the channel is always "api"."""

    problem = serializers.CharField(validators=[problem_length], help_text=_("What the problem is."))
    kind = serializers.ChoiceField(choices=Kind.choices)
    category = CodeRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Category code (the Open311 service code)."),
    )
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )
    reporter_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(
        required=False, default=True, help_text=_("Whether the matter may appear on the public lists.")
    )


class MatterActionSerializer(serializers.Serializer):
    """One workflow action and its fields; fields that the action does not use are ignored."""

    action = serializers.ChoiceField(choices=Action.choices)
    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text=_("Refuse with 409 unless the matter is still in this status (optimistic concurrency)."),
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for decline and return; recorded with any action."),
    )
    into = serializers.IntegerField(
        required=False, min_value=1, help_text=_("merge: id of the matter this one duplicates.")
    )
    task = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text=_("assign: the task."))
    deadline = serializers.DateField(required=False, help_text=_("assign: the deadline, YYYY-MM-DD."))
    deadline_precision = serializers.ChoiceField(
        choices=Precision.choices,
        required=False,
        help_text=_("assign: day (the default) or month (the deadline runs to the end of its month)."),
    )
    leads = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False, help_text=_("assign: ids of the lead leaders.")
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False, help_text=_("assign: ids of the responsible units.")
    )
    all_communities = serializers.BooleanField(
        required=False, help_text=_("assign: all communities are responsible (各社区).")
    )
    budget_yuan = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("assign: the budget in yuan."),
    )
    percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False, help_text=_("progress: percent done, 0 to 100.")
    )
    text = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("progress: what was done.")
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("progress: evidence, JPEG, PNG or WebP images or PDFs (multipart requests only)."),
    )
    effect = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, help_text=_("complete: the effect achieved.")
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, help_text=_("close: the rating, if any.")
    )


# The fields each action passes to matters.services.matter_transition besides the reason.
ACTION_FIELDS: dict[Action, tuple[str, ...]] = {
    Action.MERGE: ("into",),
    Action.ASSIGN: ("task", "deadline", "deadline_precision", "leads", "units", "all_communities", "budget_yuan"),
    Action.PROGRESS: ("percent", "text", "files"),
    Action.COMPLETE: ("effect",),
    Action.CLOSE: ("satisfaction",),
}


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
