"""Reads of matters: filters shared by the back office, the three lists, exports and the API."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.sorting import Sort, sorted_by
from matters.kinds import kind_specs
from matters.models import Attachment, Matter
from matters.search import search_q
from matters.workflow import FINISHED, UNFINISHED, Status
from org.models import Unit, UnitKind


@dataclass
class MatterFilter:
    """The back office's filters; every field optional. Parsed leniently from query parameters."""

    status: list[str] = field(default_factory=list)
    kind: str = ""
    unit: int | None = None
    community: int | None = None
    lead: int | None = None
    month: dt.date | None = None  # any day of the month: matters reported that month (a list: its own month_q)
    overdue: bool = False
    needs_lead: bool = False
    q: str = ""
    public_only: bool = False
    category: str = ""  # a category code (the Open311 service code)
    redo: bool = False  # flagged for redo by public ratings

    @classmethod
    def from_params(cls, params: dict[str, str] | object) -> MatterFilter:
        raw_get = params.get  # type: ignore[union-attr]
        getlist = getattr(params, "getlist", None)

        def get(name: str) -> str:
            # NUL cannot be stored or compared in PostgreSQL text; no filter value needs it.
            return str(raw_get(name) or "").replace("\x00", "")

        def _int(name: str) -> int | None:
            raw = (get(name) or "").strip()
            return int(raw) if raw.isdecimal() and len(raw) < 12 else None

        statuses = getlist("status") if getlist else [get("status") or ""]
        statuses = [s for part in statuses for s in (part or "").split(",") if s in Status.values]
        kind = get("kind") or ""
        return cls(
            status=statuses,
            kind=kind if kind in kind_specs() else "",
            unit=_int("unit"),
            community=_int("community"),
            lead=_int("lead"),
            month=parse_month(get("month") or ""),
            overdue=(get("overdue") or "") in {"1", "true", "on", "yes"},
            needs_lead=(get("needs_lead") or "") in {"1", "true", "on", "yes"},
            q=(get("q") or get("search") or "").strip()[:100],
            category=category if re.fullmatch(r"[-a-zA-Z0-9_]{1,40}", category := get("category").strip()) else "",
            redo=(get("redo") or "") in {"1", "true", "on", "yes"},
        )


def parse_month(raw: str) -> dt.date | None:
    """'2022-06' or '2022.6' → 2022-06-01; anything else → None."""
    raw = raw.strip().replace(".", "-").replace("/", "-")
    parts = raw.split("-")
    if len(parts) != 2 or not all(p.isdecimal() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(dt.datetime(nxt.year, nxt.month, 1))


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Deadline passed and work not done. A month deadline runs to the end of its month.

    `prefix` names the matter from another model (e.g. "matter__" from the units link table).
    """
    return Q(**{f"{prefix}status__in": UNFINISHED, f"{prefix}deadline_last_day__lt": today})


def unit_q(unit_id: int) -> Q:
    """Matters for which this unit is responsible, including "all communities" for a community.

    One id subquery (the unit's links, plus the few all-communities matters for a community), so that the
    database starts from the unit's matters (index lookups) instead of scanning every matter of a status.
    """
    ids = Matter.units.through.objects.filter(unit_id=unit_id).values("matter_id").order_by()
    if Unit.objects.filter(pk=unit_id, kind=UnitKind.COMMUNITY).exists():
        ids = ids.union(Matter.objects.filter(all_communities=True).values("pk").order_by(), all=True)
    return Q(pk__in=ids)


def matters_filter(qs: QuerySet[Matter], f: MatterFilter, *, today: dt.date | None = None) -> QuerySet[Matter]:
    today = today or timezone.localdate()
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        qs = qs.filter(unit_q(f.unit))
    if f.community:
        qs = qs.filter(unit_q(f.community))
    if f.lead:
        qs = qs.filter(pk__in=Matter.objects.filter(leads=f.lead).values("pk"))
    if f.month:
        start, end = month_bounds(f.month)
        qs = qs.filter(reported_at__gte=start, reported_at__lt=end)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.needs_lead:
        has_lead = Matter.leads.through.objects.filter(matter_id=OuterRef("pk"))
        qs = qs.filter(~Exists(has_lead), status__in=[*UNFINISHED, *FINISHED])
    if f.q:
        qs = qs.filter(search_q(f.q))
    if f.public_only:
        qs = qs.filter(is_public=True)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.redo:
        qs = qs.filter(redo_flagged_at__isnull=False)
    return qs


# The three lists (DESIGN.md): what was raised, what was assigned, what was achieved.
LIST_STATUSES: dict[str, frozenset[str]] = {
    "problems": frozenset(s for s in Status.values if s not in (Status.DECLINED, Status.MERGED)),
    "tasks": frozenset([Status.ASSIGNED, Status.IN_PROGRESS, *FINISHED]),
    "effects": frozenset(FINISHED),
}


def problems_month_q(month: dt.date) -> Q:
    """A month's problem list: the problems raised in it."""
    start, end = month_bounds(month)
    return Q(reported_at__gte=start, reported_at__lt=end)


def tasks_month_q(month: dt.date) -> Q:
    """A month's task list: every task in hand during it, i.e. assigned by the month's end (a task imported
    without its assignment time: reported by then) and not completed before the month began."""
    start, end = month_bounds(month)
    assigned = Q(assigned_at__lt=end) | Q(assigned_at__isnull=True, reported_at__lt=end)
    return assigned & (Q(completed_at__isnull=True) | Q(completed_at__gte=start))


def effects_month_q(month: dt.date) -> Q:
    """A month's effect list: what was completed in it."""
    start, end = month_bounds(month)
    return Q(completed_at__gte=start, completed_at__lt=end)


LIST_MONTH_Q = {"problems": problems_month_q, "tasks": tasks_month_q, "effects": effects_month_q}


def list_queryset(list_kind: str, f: MatterFilter, base: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    """The matters of a list under the filters, its month taken as the list means it (see LIST_MONTH_Q): the one
    selection behind the back office's lists, the portal's, the exports and `manage.py export_list`."""
    base = Matter.objects.all() if base is None else base
    qs = matters_filter(base.filter(status__in=LIST_STATUSES[list_kind]), replace(f, month=None))
    if f.month is not None:
        qs = qs.filter(LIST_MONTH_Q[list_kind](f.month))
    return qs


def list_matters(list_kind: str, f: MatterFilter) -> QuerySet[Matter]:
    """The rows of the problem, task or effect list, in the order the park numbers them."""
    return list_queryset(list_kind, f).prefetch_related("leads", "units").order_by("reported_at", "id")


def matter_rows_with_people(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    return qs.select_related("category").prefetch_related("leads", "units")


def overdue_first(qs: QuerySet[Matter], *, today: dt.date | None = None) -> QuerySet[Matter]:
    from django.db.models import Case, IntegerField, Value, When

    today = today or timezone.localdate()
    return qs.annotate(
        overdue_rank=Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("overdue_rank", "deadline", "-reported_at")


# The columns a back-office list of matters sorts by (core.sorting): `?sort=deadline`, `?sort=-reported`.
MATTER_SORTS: dict[str, tuple[str, ...]] = {
    "reported": ("reported_at",),
    "deadline": ("deadline_last_day",),
    "status": ("status_rank",),
    "unit": ("first_unit",),
    "code": ("code",),
    "completed": ("completed_at",),
}


def matters_sorted(qs: QuerySet[Matter], sort: Sort) -> QuerySet[Matter]:
    """Matters in the chosen column's order: status in the workflow's order, unit by the first unit's name."""
    from django.db.models import Case, IntegerField, Min, Value, When

    if sort.key == "status":
        ranks = [When(status=code, then=Value(rank)) for rank, code in enumerate(Status.values)]
        qs = qs.annotate(status_rank=Case(*ranks, default=Value(99), output_field=IntegerField()))
    elif sort.key == "unit":
        qs = qs.annotate(first_unit=Min("units__name"))
    return sorted_by(qs, sort, MATTER_SORTS)


# What the public sees: matters marked public, except those merged into another or declined, and (unless
# settings.PUBLIC_AFTER_ACCEPT is off) those nobody has read yet: a fresh report may carry insults or personal
# details, so it is published once the coordination team accepts it. Its reporter follows it by tracking code.
PUBLIC_HIDDEN = frozenset({Status.MERGED, Status.DECLINED})
UNREVIEWED = frozenset({Status.REPORTED})


def public_hidden() -> frozenset[str]:
    """The statuses no public page, file or API shows (read per call: a deployment's setting)."""
    if settings.PUBLIC_AFTER_ACCEPT:
        return PUBLIC_HIDDEN | UNREVIEWED
    return PUBLIC_HIDDEN


def awaits_review(matter: Matter) -> bool:
    """A matter its reporter wanted published that is kept off the public lists until it is accepted."""
    return bool(matter.is_public and matter.status in UNREVIEWED and settings.PUBLIC_AFTER_ACCEPT)


def matters_public() -> QuerySet[Matter]:
    """Matters anyone may see on the portal and through Open311 (never with the reporter's details)."""
    return Matter.objects.filter(is_public=True).exclude(status__in=public_hidden())


def evidence_public() -> QuerySet[Attachment]:
    """The files anyone may fetch: the photos the public page shows, and nothing else.

    Images the handlers attached to progress reports of a public matter (matters_public). A PDF on a progress
    report, the reporter's own photo (no report) and anything of a matter not public are for the back office only.
    The public page, Open311's media_url and the public file address all read this one selector.
    """
    return Attachment.objects.filter(
        report__isnull=False,
        content_type__startswith="image/",
        matter__is_public=True,
    ).exclude(matter__status__in=public_hidden())


# Three decimals of a degree: about 110 m of latitude, 95 m of longitude at 30° north.
PUBLIC_PRECISION = Decimal("0.001")


def public_location(matter: Matter) -> tuple[Decimal, Decimal] | None:
    """Where the public may see a matter: the work site as staff set it, or the reported place to about 100 m.

    The reporter's coordinates come from their own browser or app, to about 10 cm: precise enough to find their
    door. Open311 and any other public output take the location from here, never from the fields themselves.
    """
    if matter.site_latitude is not None and matter.site_longitude is not None:
        return matter.site_latitude, matter.site_longitude
    if matter.latitude is None or matter.longitude is None:
        return None
    return (
        Decimal(matter.latitude).quantize(PUBLIC_PRECISION, ROUND_HALF_EVEN),
        Decimal(matter.longitude).quantize(PUBLIC_PRECISION, ROUND_HALF_EVEN),
    )
