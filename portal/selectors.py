"""Reads for the public pages: only public matters, never the reporter's details."""

from __future__ import annotations

from typing import Any, cast

from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Count, Prefetch, QuerySet

from core.paging import IdPaginator
from matters.figures import Rates
from matters.models import REPORTER_FIELDS, Attachment, Category, Matter, ProgressReport
from matters.selectors import (
    MatterFilter,
    evidence_public,
    list_queryset,
    matters_public,
)
from matters.workflow import FINISHED, OPEN, Action, Status
from org.models import Unit, UnitKind
from portal.models import Endorsement, EndorsementKind, FrontFigures

# Residents endorse matters still open (matters.workflow.OPEN) and rate finished ones.
RATEABLE_STATUSES = FINISHED
# How long the busiest public reads are kept per server process (see headline, filter_choices, matter pages).
CACHE_SECONDS = 60

# Columns a public row needs; none of the reporter's details is ever loaded.
_PUBLIC_FIELDS = (
    "id",
    "code",
    "kind",
    "category__name",
    "category__code",
    "problem",
    "task",
    "location",
    "status",
    "deadline",
    "deadline_precision",
    "progress",
    "effect",
    "all_communities",
    "reported_at",
    "completed_at",
    "endorsement_count",
    "rated_satisfied",
    "rated_basically",
    "rated_dissatisfied",
)


def public_list(list_kind: str, f: MatterFilter) -> QuerySet[Matter]:
    """The rows of a public list, newest first."""
    qs = list_queryset(list_kind, f, matters_public())
    return (
        qs.select_related("category")
        .only(*_PUBLIC_FIELDS)
        .prefetch_related(Prefetch("units", queryset=Unit.objects.only("id", "name", "short_name")), "leads")
        .order_by("-reported_at", "-id")
    )


PAGE_SIZE = 20
SEARCH_COUNT_LIMIT = 1000
COUNT_SECONDS = 30  # a public list's "N matters" may lag new matters by this much


def list_page(qs: QuerySet[Matter], f: MatterFilter, number: Any) -> Page:
    """One page of a public list; its count is reused for COUNT_SECONDS. A search lists the newest
    matches first and counts up to SEARCH_COUNT_LIMIT."""
    if f.q:
        return IdPaginator(qs.order_by("-id"), PAGE_SIZE, count_limit=SEARCH_COUNT_LIMIT).get_page(number)
    return IdPaginator(qs, PAGE_SIZE, count_seconds=COUNT_SECONDS).get_page(number)


def public_matter(code: str) -> Matter | None:
    found = (
        matters_public()
        .filter(code=code)
        .select_related("category", "campaign")
        .defer(*REPORTER_FIELDS, "remarks", "idempotency_key", "import_key")
        .order_by()[:1]
    )
    return next(iter(found), None)


def matter_page_parts(matter: Matter) -> dict[str, Any]:
    """What a public matter page shows besides the matter row: its timeline, leads, units and photos.

    Kept for a minute per version of the matter (every service that adds a step or a report saves the
    matter, which moves `updated_at`), so a busy page costs one query.
    """
    key = f"portal:matter:{matter.pk}:{matter.updated_at.timestamp()}"

    def build() -> dict[str, Any]:
        return {
            "timeline": public_timeline(matter),
            "leads": list(matter.leads.all()),
            "units": list(matter.units.all()),
            "evidence": list(public_evidence(matter)),
        }

    return cast(dict[str, Any], cache.get_or_set(key, build, CACHE_SECONDS))


def merged_target(code: str) -> Matter | None:
    """For a public matter merged into another: the one it was merged into, if that one is public."""
    merged = Matter.objects.filter(code=code, is_public=True, status=Status.MERGED).only("merged_into_id").first()
    if merged is None or merged.merged_into_id is None:
        return None
    return matters_public().filter(pk=merged.merged_into_id).only("code").first()


def public_evidence(matter: Matter) -> QuerySet[Attachment]:
    """The photos of the work on a matter's public page: the files the public may fetch (evidence_public)."""
    return evidence_public().filter(matter=matter).order_by("id")


def public_timeline(matter: Matter) -> list[dict[str, Any]]:
    """Status changes and progress reports, oldest first: no actor names, no internal reasons."""
    entries: list[dict[str, Any]] = []
    # Progress reports appear as themselves (with their text and photos), not as a transition too.
    for t in matter.transitions.exclude(action=Action.PROGRESS).only("action", "to_status", "at", "matter_id"):
        entries.append(
            {
                "at": t.at,
                "type": "transition",
                "action": t.get_action_display(),
                "status": t.to_status,
                "status_label": t.get_to_status_display(),
            }
        )
    # The reports' photos are listed once, on their own (public_evidence), never with the report.
    for r in ProgressReport.objects.filter(matter=matter).only("at", "text", "percent", "matter_id"):
        entries.append({"at": r.at, "type": "report", "text": r.text, "percent": r.percent})
    return sorted(entries, key=lambda e: (e["at"], e["type"] != "transition"))


def headline(campaign: Any) -> dict[str, Any] | None:
    """The front page's figures (counts of the three lists, the rates over public matters, headline 群众满意率) and
    when they were counted; None while the first count is still to come.

    Never counted in a request: a job counts them every minute (portal.services.figures); this reads the cache, else
    the row the job wrote, and when there is none yet asks for a count.
    """
    from portal.services.figures import CACHE_SECONDS as FIGURES_SECONDS
    from portal.services.figures import figures_key

    campaign_id = getattr(campaign, "pk", None)
    kept = cache.get(figures_key(campaign_id))
    if kept is None:
        row = FrontFigures.objects.filter(campaign=campaign).only("figures", "computed_at").first()
        if row is None:
            _ask_for_figures()
            return None
        kept = {"figures": row.figures, "computed_at": row.computed_at}
        cache.set(figures_key(campaign_id), kept, FIGURES_SECONDS)
    figures = kept["figures"]
    return {"counts": figures["counts"], "rates": Rates(**figures["rates"]), "computed_at": kept["computed_at"]}


def _ask_for_figures() -> None:
    """Queue one count of the front page's figures (at most one a minute, however many requests ask)."""
    if cache.add("portal:front-figures:asked", 1, 60):
        from portal.tasks import front_figures_now

        front_figures_now()


def recent_effects(limit: int = 4) -> list[Matter]:
    return list(
        matters_public()
        .filter(status__in=FINISHED)
        .exclude(effect="")
        .select_related("category")
        .only(*_PUBLIC_FIELDS)
        .order_by("-completed_at", "-id")[:limit]
    )


def most_endorsed(limit: int = 4) -> list[Matter]:
    return list(
        matters_public()
        .filter(status__in=OPEN, endorsement_count__gt=0)
        .select_related("category")
        .only(*_PUBLIC_FIELDS)
        .order_by("-endorsement_count", "-reported_at")[:limit]
    )


def filter_choices() -> dict[str, Any]:
    """The public filters' communities, units and categories (a new unit shows within a minute)."""
    return cast(dict[str, Any], cache.get_or_set("portal:filter-choices", _filter_choices, CACHE_SECONDS))


def _filter_choices() -> dict[str, Any]:
    return {
        "communities": list(Unit.objects.filter(kind=UnitKind.COMMUNITY).order_by("order", "name").only("id", "name")),
        "units": list(
            Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNITY])
            .order_by("kind", "order", "name")
            .only("id", "name")
        ),
        "categories": list(Category.objects.all()),
    }


def with_support(matters: list[Matter]) -> list[Matter]:
    """Set `support_count` (anonymous support, 匿名支持) on each matter, in one query; the verified endorsements are
    the matter's own `endorsement_count`."""
    counts = dict(
        Endorsement.objects.filter(matter__in=[m.pk for m in matters], kind=EndorsementKind.ANONYMOUS)
        .values_list("matter")
        .annotate(n=Count("pk"))
        .values_list("matter", "n")
    )
    for matter in matters:
        matter.support_count = counts.get(matter.pk, 0)  # type: ignore[attr-defined]
    return matters
