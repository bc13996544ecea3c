"""包保 in practice: the 五个一 recorded on a case, its home visits (field-work visits of kind `petitioner`, linked
through fieldwork's visit extension point), the visit plan and an owner's own cases, and chasing visits overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from core.types import Actor
from fieldwork.extensions import VisitExtension
from fieldwork.models import PlaceKind, Visit, VisitKind
from notifications.services import notify
from org.models import Person
from petitions.models import FiveOnes, HomeVisit, PetitionCase
from petitions.selectors import OPEN_CASE_STATUSES

# --- the 五个一 -------------------------------------------------------------------------------------------------


def five_ones_save(
    *, actor: Actor, case: PetitionCase, leader: Person, team: str, plan: str, minutes: str, measures: str
) -> FiveOnes:
    """Record (or update) the case's 五个一; the one leader is one of the case's owners."""
    if not case.owners.filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("The one owning leader is one of the case's owners.")})
    with transaction.atomic():
        row = FiveOnes.objects.filter(case=case).first() or FiveOnes(case=case)
        row.leader, row.team, row.plan = leader, team.strip(), plan.strip()
        row.minutes, row.measures = minutes.strip(), measures.strip()
        row.updated_by = actor if actor is not None and actor.is_authenticated else None  # type: ignore[assignment]
        row.full_clean()
        row.save()
        fields = ["leader", "team", "plan", "minutes", "measures"]
        audit_record(actor=actor, action="petitions.five_ones", target=case, after={"fields": fields})
    return row


# --- home visits: the extension at "fieldwork.visit" ---------------------------------------------------------------


def cases_worked_by(person: Person | None) -> QuerySet[PetitionCase]:
    """The open cases this person owns or whose handling unit is theirs: those they visit."""
    if person is None:
        return PetitionCase.objects.none()
    mine = Q(owners=person) | Q(handling_units=person.unit_id)
    ids = PetitionCase.objects.filter(mine, matter__status__in=OPEN_CASE_STATUSES).values("pk")
    return PetitionCase.objects.filter(pk__in=ids).select_related("matter")


class HomeVisitForm(forms.Form):
    case = forms.ModelChoiceField(
        label=gettext_lazy("Petition case visited"), queryset=PetitionCase.objects.none(), required=False
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        field = self.fields["case"]
        field.queryset = cases_worked_by(person)  # type: ignore[attr-defined]
        field.label_from_instance = lambda case: case.case_number  # type: ignore[attr-defined]


def home_visit_link(visit: Visit, data: dict[str, Any], actor: Actor) -> None:
    """Inside visit_create: link the visit to the case (one the visit's person owns or handles)."""
    case = data.get("case")
    if case is None:
        return
    if not cases_worked_by(visit.person).filter(pk=case.pk).exists():
        raise ValidationError({"case": _("Home visits are logged on the cases one owns or handles.")})
    HomeVisit.objects.create(case=case, visit=visit)


HOME_VISIT = VisitExtension(
    key="petitions.case",
    label=gettext_lazy("Petition case"),
    visit_kinds=frozenset({VisitKind.PETITIONER}),
    form=HomeVisitForm,
    save=home_visit_link,
    panel_template="petitions/_visit_panel.html",
)


def home_visit_log(
    *,
    actor: Actor,
    case: PetitionCase,
    person: Person,
    date: dt.date,
    hours: Decimal,
    notes: str = "",
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> Visit:
    """Log a home visit from the case page: a field-work visit of kind `petitioner`, counted in the duties."""
    from fieldwork.services import visit_create

    return visit_create(
        actor=actor,
        person=person,
        date=date,
        kind=VisitKind.PETITIONER,
        place_kind=PlaceKind.HOUSEHOLD,
        place_detail=_("Home of the petitioner of %(case)s") % {"case": case.case_number},
        hours=hours,
        notes=notes,
        late_reason=late_reason,
        extensions={HOME_VISIT.key: {"case": case}},
        now=now,
    )


# --- the visit plan --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitPlan:
    last: dt.date | None
    next_due: dt.date
    made: int
    due: int  # visits the plan asked for so far

    def overdue(self, today: dt.date) -> bool:
        return today > self.next_due


def visit_plan(
    case: PetitionCase, today: dt.date, *, last: dt.date | None = None, made: int | None = None
) -> VisitPlan:
    if made is None:
        made = case.home_visits.count()
        last = case.home_visits.aggregate(last=Max("visit__date"))["last"]
    every = dt.timedelta(days=case.visit_every_days)
    next_due = (last or case.visits_from) + every
    due = max(0, (today - case.visits_from).days // case.visit_every_days)
    return VisitPlan(last, next_due, made, due)


def plans_for(cases: list[PetitionCase], today: dt.date) -> dict[int, VisitPlan]:
    """The visit plans of these cases in two queries."""
    from django.db.models import Count

    stats = {
        row["case"]: row
        for row in HomeVisit.objects.filter(case__in=cases)
        .values("case")
        .annotate(n=Count("id"), last=Max("visit__date"))
    }
    return {
        case.pk: visit_plan(
            case, today, last=stats.get(case.pk, {}).get("last"), made=stats.get(case.pk, {}).get("n", 0)
        )
        for case in cases
    }


def owned_cases(person: Person | None) -> QuerySet[PetitionCase]:
    if person is None:
        return PetitionCase.objects.none()
    return (
        PetitionCase.objects.filter(owners=person)
        .select_related("matter", "focus")
        .prefetch_related("dispositions")
        .order_by("received_on")
    )


def visits_overdue(person: Person | None, today: dt.date) -> list[PetitionCase]:
    cases = list(owned_cases(person).filter(matter__status__in=OPEN_CASE_STATUSES))
    plans = plans_for(cases, today)
    return [case for case in cases if plans[case.pk].overdue(today)]


def visits_chase(*, now: dt.datetime | None = None) -> int:
    """Tell the owners of each open case whose home visit is overdue, once per due date; return how many cases."""
    from petitions.limits import case_users

    today = timezone.localdate(now or timezone.now())
    cases = list(PetitionCase.objects.filter(matter__status__in=OPEN_CASE_STATUSES).select_related("matter"))
    chased = 0
    for case in cases:
        plan = plans_for([case], today)[case.pk]
        if not plan.overdue(today) or case.visit_chased_for == plan.next_due:
            continue
        with transaction.atomic():
            case.visit_chased_for = plan.next_due
            case.save(update_fields=["visit_chased_for"])
            values = {"case": case.case_number, "due": plan.next_due.isoformat()}
            title = _("Home visit overdue: %(case)s was due a visit by %(due)s") % values
            owner_ids = set(case.owners.values_list("pk", flat=True))
            owners = [u for u in case_users(case) if getattr(getattr(u, "person", None), "pk", None) in owner_ids]
            notify(recipients=owners, title=title, body=title, link=f"/petitions/{case.pk}/", subject=case)
            audit_record(actor=None, action="petitions.visit_chase", target=case, after={"due_on": values["due"]})
        chased += 1
    return chased
