"""Reads of the circulars area: who sees which circular, the drafts generated from the records of a period (one
generator per kind), a circular's canonical content and its hash, the audit's content check, and the assessment's
indicator `circulars.received`.

Each generator returns a `Draft` whose table rows are the records themselves (the figures equal the records: a test
plants them and counts). The founded-clues kind reads the clues area's conclusion and measures through
`clue_measures`, which tolerates their absence (the clues area adds them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.roles import user_can
from oversight.capabilities import OversightCap
from oversight.models.circulars import CRITICAL_KINDS, Circular, CircularKind, CircularStatus

ISSUE_ACTION = "oversight.circular_issue"
CONTENT_FORMAT = 1
GOOD_MIN_COMPLETED = 3  # a good example has at least this many matters completed in the period
GOOD_MIN_RATE = 90.0  # … and an on-time rate (and a public satisfaction rate, where shown) of at least this
GOOD_TOP = 10


@dataclass
class Draft:
    """What a generator makes of a period's records: the circular's text, its table and whom it concerns."""

    title: str
    lead: str
    body: str
    conclusion: str
    headers: list[str]
    rows: list[list[str]]
    unit_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


# --- access -------------------------------------------------------------------------------------------------------


def _own_q(user: Any) -> Q:
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None:
        return Q(pk__in=[])
    return Q(unit_links__unit_id=person.unit_id) | Q(person_links__person_id=person.pk)


def circulars_for(user: Any) -> QuerySet[Circular]:
    """The circulars `user` may read: every one for those who draft and issue them (CIRCULARS); every issued one for
    the assessment team (they count as deductions); the issued ones that concern one's unit or name oneself for
    everyone else."""
    qs = Circular.objects.all()
    if user_can(user, OversightCap.CIRCULARS):
        return qs
    if user_can(user, OversightCap.ASSESSMENT_MANAGE):
        return qs.filter(status=CircularStatus.ISSUED)
    own = Circular.objects.filter(_own_q(user), status=CircularStatus.ISSUED).values("pk")
    return qs.filter(pk__in=own)


def circular_get_for_user(user: Any, pk: Any) -> Circular | None:
    """One circular `user` may read, or None: a missing one and another unit's answer alike."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    return circulars_for(user).filter(pk=key).first()


def circulars_received(user: Any) -> QuerySet[Circular]:
    """The issued circulars that concern the user's unit or name the user, newest first."""
    own = Circular.objects.filter(_own_q(user), status=CircularStatus.ISSUED).values("pk")
    return Circular.objects.filter(pk__in=own).order_by("-issued_at", "-pk")


def circulars_list(*, status: str = "") -> QuerySet[Circular]:
    qs = Circular.objects.order_by("-created_at", "-pk")
    return qs.filter(status=status) if status in CircularStatus.values else qs


def units_named(circular: Circular) -> list[Any]:
    return [link.unit for link in circular.unit_links.select_related("unit").order_by("unit__order", "unit__name")]


def persons_named(circular: Circular) -> list[Any]:
    return [link.person for link in circular.person_links.select_related("person", "person__unit").order_by("pk")]


# --- the period's words --------------------------------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return _("%(y)d-%(m)d-%(d)d") % {"y": day.year, "m": day.month, "d": day.day}


def period_label(start: dt.date, end: dt.date) -> str:
    """A whole month as 2031年6月, else from-to dates."""
    nxt = dt.date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    if start.day == 1 and end == nxt - dt.timedelta(days=1) and (start.year, start.month) == (end.year, end.month):
        return _("%(y)d-%(m)d") % {"y": start.year, "m": start.month}
    return _("%(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


# --- overdue units -------------------------------------------------------------------------------------------------


def _overdue_at_end(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Matters whose deadline ran out before the period's last day and that were not completed by then."""
    from matters.models import Matter
    from matters.workflow import UNFINISHED

    done_late = Q(completed_on__gt=end)
    still_open = Q(status__in=UNFINISHED, completed_on__isnull=True)
    return Matter.objects.filter(deadline_last_day__lt=end).filter(done_late | still_open).exclude(status="merged")


def draft_overdue(start: dt.date, end: dt.date) -> Draft:
    from org.models import Unit, UnitKind

    matters = list(_overdue_at_end(start, end).order_by("deadline_last_day", "code").prefetch_related("units"))
    communities = list(Unit.objects.filter(kind=UnitKind.COMMUNITY).order_by("order", "name"))
    by_unit: dict[int, list[Any]] = defaultdict(list)
    units: dict[int, Any] = {}
    for matter in matters:
        named = list(matter.units.all()) + (communities if matter.all_communities else [])
        for unit in {u.pk: u for u in named}.values():
            units[unit.pk] = unit
            by_unit[unit.pk].append(matter)
    order = sorted(by_unit, key=lambda pk: (-len(by_unit[pk]), units[pk].order, units[pk].name))
    rows: list[list[str]] = []
    paragraphs: list[str] = []
    for i, pk in enumerate(order, start=1):
        items = by_unit[pk]
        longest = max((end - m.deadline_last_day).days for m in items)
        codes = "、".join(m.code for m in items)
        rows.append([str(i), units[pk].name, str(len(items)), codes, str(longest)])
        paragraphs.append(
            _("%(unit)s: %(n)d overdue (%(codes)s), the longest %(days)d days past its deadline.")
            % {"unit": units[pk].name, "n": len(items), "codes": codes, "days": longest}
        )
    label = period_label(start, end)
    lead = _(
        "As of %(date)s, %(n)d matters had passed their deadlines without being completed, in the care of %(units)d "
        "responsible units. The situation is circulated as follows."
    ) % {"date": _date(end), "n": len(matters), "units": len(order)}
    return Draft(
        title=_("Circular on the units with overdue matters, %(period)s") % {"period": label},
        lead=lead,
        body="\n".join(paragraphs) or _("No matter was overdue."),
        conclusion=_(
            "The units above are to complete these matters or report their progress within five working days; the "
            "conduct supervision team follows them up."
        ),
        headers=[_("No."), _("Responsible unit"), _("Overdue matters"), _("Matters"), _("Longest overdue (days)")],
        rows=rows,
        unit_ids=order,
    )


# --- duty shortfalls -----------------------------------------------------------------------------------------------


def _weeks_ended_in(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    from fieldwork.duties import week_bounds, week_ended, week_tuple, weeks_between

    today = timezone.localdate()
    weeks = weeks_between(week_tuple(start), week_tuple(end))
    return [w for w in weeks if week_bounds(*w)[0] >= start and week_bounds(*w)[1] <= end and week_ended(*w, today)]


def draft_duties(start: dt.date, end: dt.date) -> Draft:
    from fieldwork.duties import CATEGORY_ROLES, duty_grid, rows_met
    from org.models import Person

    weeks = _weeks_ended_in(start, end)
    people = list(
        Person.objects.filter(category__in=list(CATEGORY_ROLES)).select_related("unit").order_by("unit__order", "pk")
    )
    grid = duty_grid(people, weeks) if weeks and people else {}
    short: list[tuple[Any, int, int, list[str]]] = []
    for person in people:
        counted = [(w, grid[(person.pk, w)]) for w in weeks if grid.get((person.pk, w))]
        missed = [(w, rows) for w, rows in counted if not rows_met(rows)]
        if missed:
            labels = sorted({row.label for _w, rows in missed for row in rows if not row.met})
            short.append((person, len(missed), len(counted), labels))
    short.sort(key=lambda s: (-s[1], s[0].unit.order, s[0].unit.name, s[0].pk))
    rows = [
        [str(i), person.unit.name, person.display_name, str(missed), str(total), "、".join(labels)]
        for i, (person, missed, total, labels) in enumerate(short, start=1)
    ]
    label = period_label(start, end)
    unit_ids = list(dict.fromkeys(person.unit_id for person, *_rest in short))
    return Draft(
        title=_("Circular on the weekly duties not met, %(period)s") % {"period": label},
        lead=_(
            "In the %(weeks)d weeks of %(period)s, %(n)d cadres fell short of their weekly duties in at least one "
            "week. The situation is circulated as follows."
        )
        % {"weeks": len(weeks), "period": label, "n": len(short)},
        body="\n".join(
            _("%(unit)s %(name)s: short in %(missed)d of %(total)d weeks (%(duties)s).")
            % {"unit": p.unit.name, "name": p.display_name, "missed": m, "total": t, "duties": "、".join(d)}
            for p, m, t, d in short
        )
        or _("Every cadre met the weekly duties."),
        conclusion=_(
            "The units concerned are to remind the cadres named and see that the weekly duties are met from the next "
            "week on."
        ),
        headers=[_("No."), _("Unit"), _("Name"), _("Weeks short"), _("Weeks"), _("Duties not met")],
        rows=rows,
        unit_ids=unit_ids,
        person_ids=[person.pk for person, *_rest in short],
    )


# --- founded clues and their measures ----------------------------------------------------------------------------

FOUNDED = ("founded", "partly")


def _measure_model() -> Any:
    try:
        model = apps.get_model("oversight", "Measure")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if {"clue", "kind", "person", "unit", "decided_on"} <= names else None


def clue_measures(start: dt.date, end: dt.date) -> list[Any] | None:
    """The measures decided in the period on founded or partly founded clues, oldest first; None while the clues
    area has no conclusions and measures (its fields are read by name, defensively)."""
    from oversight.models.clues import Clue

    measure = _measure_model()
    clue_fields = {f.name for f in Clue._meta.get_fields()}
    if measure is None or "conclusion" not in clue_fields:
        return None
    return list(
        measure.objects.filter(
            decided_on__gte=start,
            decided_on__lte=end,
            clue__status="concluded",
            clue__conclusion__in=FOUNDED,
        )
        .select_related("clue", "person", "person__unit", "unit")
        .order_by("decided_on", "pk")
    )


def _display(record: Any, name: str) -> str:
    method = getattr(record, f"get_{name}_display", None)
    return str(method()) if callable(method) else str(getattr(record, name, "") or "")


def draft_clues(start: dt.date, end: dt.date) -> Draft:
    measures = clue_measures(start, end)
    if measures is None:
        raise DomainError(_("Founded clues and their measures are not recorded yet: no circular of this kind."))
    rows: list[list[str]] = []
    unit_ids: list[int] = []
    person_ids: list[int] = []
    for i, m in enumerate(measures, start=1):
        person = m.person if m.person_id else None
        unit = m.unit if m.unit_id else (person.unit if person is not None else None)
        who = person.display_name if person is not None else (unit.name if unit is not None else "—")
        rows.append(
            [str(i), unit.name if unit is not None else "—", who, _display(m.clue, "conclusion"), _display(m, "kind"),
             _date(m.decided_on)]
        )  # fmt: skip
        if unit is not None and unit.pk not in unit_ids:
            unit_ids.append(unit.pk)
        if person is not None and person.pk not in person_ids:
            person_ids.append(person.pk)
    label = period_label(start, end)
    return Draft(
        title=_("Circular on the problem clues investigated and the accountability measures, %(period)s")
        % {"period": label},
        lead=_(
            "In %(period)s, the conduct supervision team decided %(n)d accountability measures on problem clues "
            "found true. The situation is circulated as follows."
        )
        % {"period": label, "n": len(rows)},
        body="\n".join(f"{r[0]}. {r[1]} {r[2]}: {r[3]}, {r[4]} ({r[5]})" for r in rows)
        or _("No measure was decided in the period."),
        conclusion=_(
            "Every unit is to draw lessons from these cases, check its own work style and correct perfunctoriness and "
            "formalism in earnest."
        ),
        headers=[_("No."), _("Unit"), _("Person or organisation"), _("Conclusion"), _("Measure"), _("Decided on")],
        rows=rows,
        unit_ids=unit_ids,
        person_ids=person_ids,
    )


# --- good examples -------------------------------------------------------------------------------------------------


def draft_good(start: dt.date, end: dt.date) -> Draft:
    from matters.figures import period_matters, rates_by_unit

    chosen = []
    for unit, r in rates_by_unit(period_matters(start, end), today=end + dt.timedelta(days=1)):
        if r.completed < GOOD_MIN_COMPLETED or r.on_time is None or r.on_time < GOOD_MIN_RATE:
            continue
        if r.public_satisfaction is not None and r.public_satisfaction < GOOD_MIN_RATE:
            continue
        chosen.append((unit, r))
    chosen.sort(key=lambda c: (-(c[1].on_time or 0), -(c[1].public_satisfaction or 0), -c[1].completed, c[0].name))
    chosen = chosen[:GOOD_TOP]
    rows = [
        [str(i), unit.name, str(r.completed), _rate(r.on_time), _rate(r.public_satisfaction)]
        for i, (unit, r) in enumerate(chosen, start=1)
    ]
    label = period_label(start, end)
    return Draft(
        title=_("Circular commending the good examples, %(period)s") % {"period": label},
        lead=_(
            "In %(period)s, %(n)d units completed the residents' matters on time and to their satisfaction. They are "
            "commended as good examples."
        )
        % {"period": label, "n": len(rows)},
        body="\n".join(
            _("%(unit)s: %(n)d matters completed, %(on_time)s on time, public satisfaction %(satisfied)s.")
            % {"unit": r[1], "n": int(r[2]), "on_time": r[3], "satisfied": r[4]}
            for r in rows
        )
        or _("No unit met the mark in the period."),
        conclusion=_("Every unit is to learn from these examples and serve the residents as well."),
        headers=[_("No."), _("Unit"), _("Matters completed"), _("On time"), _("Public satisfaction")],
        rows=rows,
        unit_ids=[unit.pk for unit, _r in chosen],
    )


GENERATORS = {
    CircularKind.OVERDUE: draft_overdue,
    CircularKind.DUTIES: draft_duties,
    CircularKind.CLUES: draft_clues,
    CircularKind.GOOD: draft_good,
}


def draft_for(kind: str, start: dt.date, end: dt.date) -> Draft:
    if kind not in GENERATORS:
        raise DomainError(_("Choose the kind of circular."), field="kind")
    return GENERATORS[CircularKind(kind)](start, end)


# --- the content kept, its hash, the audit's check ---------------------------------------------------------------


def content(circular: Circular) -> dict[str, Any]:
    """What an issued circular says and whom it names: what its hash is taken of."""
    return {
        "format": CONTENT_FORMAT,
        "kind": circular.kind,
        "number": circular.number,
        "period": [circular.period_start.isoformat(), circular.period_end.isoformat()],
        "title": circular.title,
        "lead": circular.lead,
        "body": circular.body,
        "conclusion": circular.conclusion,
        "table": circular.table,
        "issuer": circular.issuer,
        "issued_on": circular.issued_on.isoformat() if circular.issued_on else "",
        "units": sorted(circular.unit_links.values_list("unit_id", flat=True)),
        "persons": sorted(circular.person_links.values_list("person_id", flat=True)),
    }


def content_hash(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def circulars_audit_problems() -> list[Any]:
    """Every issued circular whose content no longer matches the hash the audit chain recorded when it was issued;
    every issued circular without its event; every one the chain recorded that is gone or no longer issued."""
    from audit.content import ContentProblem
    from audit.models import AuditEvent

    recorded = {
        e.target_id: e for e in AuditEvent.objects.filter(action=ISSUE_ACTION, target_type="oversight.circular")
    }
    problems: list[Any] = []
    seen: set[str] = set()
    for circular in Circular.objects.filter(status=CircularStatus.ISSUED).order_by("pk"):
        key = str(circular.pk)
        seen.add(key)
        event = recorded.get(key)
        if event is None:
            problems.append(ContentProblem(None, f"circular {circular.number} has no issue event"))
            continue
        expected = (event.after or {}).get("content_hash")
        if content_hash(content(circular)) != expected or circular.content_hash != expected:
            problems.append(ContentProblem(event.seq, f"circular {circular.number}: content changed"))
    for key, event in recorded.items():
        if key not in seen:
            problems.append(ContentProblem(event.seq, f"issued circular #{key} removed or no longer issued"))
    return problems


# --- the assessment's indicator -----------------------------------------------------------------------------------


def received_indicator(*, subject: str, start: dt.date, end: dt.date, ids: list[int] | None = None) -> dict[int, Any]:
    """`circulars.received`: the critical circulars (not good examples) issued in the period that name the unit (or
    the person); each occurrence is a record, the circular."""
    from core.indicators import Figure, RecordRef

    issued = Q(
        circular__status=CircularStatus.ISSUED,
        circular__issued_on__gte=start,
        circular__issued_on__lte=end,
        circular__kind__in=list(CRITICAL_KINDS),
    )
    if subject == "unit":
        from oversight.models.circulars import CircularUnit

        links = CircularUnit.objects.filter(issued)
        key = "unit_id"
    else:
        from oversight.models.circulars import CircularPerson

        links = CircularPerson.objects.filter(issued)
        key = "person_id"
    if ids is not None:
        links = links.filter(**{f"{key}__in": ids})
    found: dict[int, list[Any]] = defaultdict(list)
    for link in links.select_related("circular").order_by(key, "circular__issued_on", "circular_id"):
        c = link.circular
        found[getattr(link, key)].append(RecordRef("oversight.circular", c.pk, str(c), c.get_absolute_url()))
    return {pk: Figure(value=len(refs), records=tuple(refs)) for pk, refs in found.items()}
