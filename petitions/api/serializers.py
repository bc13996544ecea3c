"""The petition API's shapes: a case as each caller may see it (the personal fields only for the roles allowed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.rest.fields import count, record_ids
from petitions.models import CloseWay, PetitionCase, Term
from petitions.ownership import visit_plan

PERSONAL_NOTE = (
    "Visible only to the case's owning leaders, the handlers of its handling units, the coordination team and the "
    "conduct supervision team (each read is audited); null for everyone else."
)


class PetitionerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LimitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    due_on = serializers.DateField()
    extended_days = serializers.IntegerField()
    met_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class CaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A case as the API shows it; written through petitions.services (the same rules as the case form)."""

    id = serializers.IntegerField(read_only=True)
    case_number = serializers.CharField(read_only=True)
    matter = serializers.IntegerField(
        read_only=True, help_text="The matter's id: its steps go through /api/v1/matters/{id}/transitions/."
    )
    status = serializers.CharField(read_only=True)
    focus = serializers.CharField(
        help_text="A focus area's code (wages, property, owners, medical, allowance, land, other)."
    )
    risk = serializers.ChoiceField(choices=["high", "medium", "low"])
    level = serializers.ChoiceField(choices=["park", "district", "city", "province", "nation"])
    channel = serializers.ChoiceField(choices=["letter", "visit", "online", "phone"])
    received_on = serializers.DateField()
    first_petition_on = serializers.DateField()
    petition_count = count(min_value=1)
    owners = record_ids(help_text="Ids of the owning leaders (one or more).")
    handling_units = record_ids(required=False)
    visit_every_days = count(min_value=1, required=False)
    publishable = serializers.BooleanField(required=False)
    reopened = serializers.IntegerField(read_only=True)
    last_home_visit = serializers.DateField(read_only=True, allow_null=True)
    next_home_visit_due = serializers.DateField(read_only=True)
    limits = LimitSerializer(many=True, read_only=True)
    summary = serializers.CharField(allow_null=True, help_text="The summary as told (private). " + PERSONAL_NOTE)
    petitioners = PetitionerSerializer(many=True, allow_null=True, help_text=PERSONAL_NOTE)


class DispositionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    term = serializers.ChoiceField(choices=Term.choices)
    done = serializers.CharField(max_length=4000)
    done_on = serializers.DateField()
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, write_only=True, help_text="Photos or PDFs (multipart)."
    )
    evidence_count = serializers.IntegerField(read_only=True)


class HomeVisitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    visit = serializers.IntegerField(read_only=True, help_text="The field-work visit logged (/api/v1/visits/{id}/).")
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("24"))
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, write_only=True)
    person = serializers.CharField(read_only=True)


class CloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    way = serializers.ChoiceField(choices=CloseWay.choices)
    basis = serializers.CharField(max_length=4000, help_text="The petitioner's recorded statement, or the legal basis.")
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="The signed acceptance or the decisions (multipart)."
    )


def case_data(case: PetitionCase, *, personal: bool) -> dict[str, Any]:
    today = timezone.localdate()
    plan = visit_plan(case, today)
    return {
        "id": case.pk,
        "case_number": case.case_number,
        "matter": case.matter_id,  # type: ignore[attr-defined]
        "status": case.matter.status,
        "focus": case.focus.code,
        "risk": case.risk,
        "level": case.level,
        "channel": case.channel,
        "received_on": case.received_on.isoformat(),
        "first_petition_on": case.first_petition_on.isoformat(),
        "petition_count": case.petition_count,
        "owners": sorted(p.pk for p in case.owners.all()),
        "handling_units": sorted(u.pk for u in case.handling_units.all()),
        "visit_every_days": case.visit_every_days,
        "publishable": case.publishable,
        "reopened": case.reopened,
        "last_home_visit": plan.last.isoformat() if plan.last else None,
        "next_home_visit_due": plan.next_due.isoformat(),
        "limits": [
            {
                "code": lim.rule.code,
                "name": str(lim.rule.get_code_display()),
                "starts_on": lim.starts_on.isoformat(),
                "due_on": lim.due_on.isoformat(),
                "extended_days": lim.extended_days,
                "met_on": lim.met_on.isoformat() if lim.met_on else None,
                "overdue": lim.is_overdue(today),
            }
            for lim in case.limits.select_related("rule")
        ],
        "summary": case.summary if personal else None,
        "petitioners": [
            {"name": p.name, "phone": p.phone, "id_number": p.id_number, "address": p.address}
            for p in case.petitioners.all()
        ]
        if personal
        else None,
    }
