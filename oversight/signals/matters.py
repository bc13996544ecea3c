"""Signals on the matters: overdue without progress, returned repeatedly, closed with a 不满意 majority, progress
photos that repeat earlier ones, effects copied from the task text.

The ratings are counted on the matter (Matter.rated_*, kept by the portal's rating service): oversight never reads
the portal (it is above oversight in the layers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matters.deadlines import add_working_days, holidays
from matters.models import Attachment, DeadlineEvent, Matter, Transition
from matters.selectors import overdue_q
from matters.workflow import Action, Status
from oversight.models.signals import SignalKind
from oversight.signals import text
from oversight.signals.base import Found, Thresholds, Window, matter_ref
from oversight.signals.visits import photo_matches

K = SignalKind


def _owners(matter_ids: set[int]) -> dict[int, tuple[int | None, int | None]]:
    """matter id → (its first lead, its first responsible unit), by id: who a signal on it concerns."""
    out: dict[int, tuple[int | None, int | None]] = dict.fromkeys(matter_ids, (None, None))
    leads = Matter.leads.through.objects.filter(matter_id__in=matter_ids).order_by("matter_id", "person_id")
    for matter_id, person_id in leads.values_list("matter_id", "person_id"):
        if out[matter_id][0] is None:
            out[matter_id] = (person_id, out[matter_id][1])
    units = Matter.units.through.objects.filter(matter_id__in=matter_ids).order_by("matter_id", "unit_id")
    for matter_id, unit_id in units.values_list("matter_id", "unit_id"):
        if out[matter_id][1] is None:
            out[matter_id] = (out[matter_id][0], unit_id)
    return out


def overdue_stale(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Overdue matters with no step or progress for N working days, with the chases and circulars already sent."""
    off = holidays()
    rows = list(
        Matter.objects.filter(overdue_q(window.today))
        .annotate(last_step=Max("transitions__at"))
        .values("pk", "code", "deadline_last_day", "last_step", "assigned_at")
        .order_by("deadline_last_day", "pk")
    )
    stale = []
    for row in rows:
        last = row["last_step"] or row["assigned_at"]
        since = timezone.localdate(last) if last is not None else row["deadline_last_day"]
        quiet_from = max(since, row["deadline_last_day"])  # quiet for N working days, counted from the deadline on
        if add_working_days(quiet_from, limits.overdue_stale_working_days, off=off) < window.today:
            stale.append((row, since))
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in (
        DeadlineEvent.objects.filter(matter_id__in=[r["pk"] for r, _s in stale])
        .values("matter_id", "kind", "due_on", "at")
        .order_by("at", "pk")
    ):
        events[event["matter_id"]].append(
            {
                "kind": event["kind"],
                "due_on": event["due_on"].isoformat(),
                "on": timezone.localdate(event["at"]).isoformat(),
            }
        )
    owners = _owners({r["pk"] for r, _s in stale})
    for row, since in stale:
        overdue_days = (window.today - row["deadline_last_day"]).days
        yield Found(
            kind=K.OVERDUE_STALE,
            keys=(f"matter:{row['pk']}", f"due:{row['deadline_last_day']:%Y-%m-%d}"),
            day=max(since, row["deadline_last_day"]),
            summary=_("%(code)s is %(days)d days overdue and has not moved since %(since)s")
            % {"code": row["code"], "days": overdue_days, "since": f"{since:%Y-%m-%d}"},
            evidence={
                "records": [matter_ref(row["pk"], row["code"])],
                "compared": {
                    "deadline": row["deadline_last_day"].isoformat(),
                    "last_step": since.isoformat(),
                    "days_overdue": overdue_days,
                },
                "chases": events.get(row["pk"], []),
                "threshold": limits.overdue_stale_working_days,
            },
            person_id=owners[row["pk"]][0],
            unit_id=owners[row["pk"]][1],
        )


def returned_repeatedly(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Matters sent back for redo (after completion or verification) again and again."""
    rows = list(
        Transition.objects.filter(action=Action.RETURN, at__date__lte=window.end)
        .values("matter_id", "matter__code")
        .annotate(times=Count("pk"), last=Max("at"))
        .filter(times__gte=limits.returned_times)
        .order_by("matter_id")
    )
    owners = _owners({r["matter_id"] for r in rows})
    for row in rows:
        yield Found(
            kind=K.RETURNED,
            keys=(f"matter:{row['matter_id']}",),
            day=timezone.localdate(row["last"]),
            summary=_("%(code)s was returned for redo %(times)d times")
            % {"code": row["matter__code"], "times": row["times"]},
            evidence={
                "records": [matter_ref(row["matter_id"], row["matter__code"])],
                "compared": {"returns": row["times"]},
                "threshold": limits.returned_times,
            },
            person_id=owners[row["matter_id"]][0],
            unit_id=owners[row["matter_id"]][1],
        )


def closed_unsatisfied(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Closed matters most of whose public ratings are 不满意 (counted from a few ratings up)."""
    rows = list(
        Matter.objects.filter(status=Status.CLOSED, closed_at__date__lte=window.end)
        .annotate(total=F("rated_satisfied") + F("rated_basically") + F("rated_dissatisfied"))
        .filter(total__gte=limits.unsatisfied_min_ratings)
        .filter(rated_dissatisfied__gt=F("rated_satisfied") + F("rated_basically"))
        .values("pk", "code", "closed_at", "rated_satisfied", "rated_basically", "rated_dissatisfied")
        .order_by("pk")
    )
    owners = _owners({r["pk"] for r in rows})
    for row in rows:
        total = row["rated_satisfied"] + row["rated_basically"] + row["rated_dissatisfied"]
        yield Found(
            kind=K.UNSATISFIED,
            keys=(f"matter:{row['pk']}",),
            day=timezone.localdate(row["closed_at"]),
            summary=_("%(code)s was closed, but %(bad)d of its %(total)d ratings are 不满意")
            % {"code": row["code"], "bad": row["rated_dissatisfied"], "total": total},
            evidence={
                "records": [matter_ref(row["pk"], row["code"])],
                "compared": {
                    "satisfied": row["rated_satisfied"],
                    "basically": row["rated_basically"],
                    "dissatisfied": row["rated_dissatisfied"],
                },
                "threshold": limits.unsatisfied_min_ratings,
            },
            person_id=owners[row["pk"]][0],
            unit_id=owners[row["pk"]][1],
        )


def report_photos_reused(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Progress reports whose photos repeat a photo of an earlier report (of the same matter or another)."""
    photos: list[dict[str, Any]] = [
        dict(row)
        for row in Attachment.objects.filter(
            report__isnull=False, content_type__startswith="image/", report__at__date__lte=window.end
        )
        .exclude(sha256="", phash="")
        .values("pk", "report_id", "matter_id", "matter__code", "sha256", "phash", "report__at")
        .order_by("report__at", "report_id", "pk")
    ]
    for photo in photos:
        photo["owner"] = photo["report_id"]
    rows = {p["pk"]: p for p in photos}
    matches = {
        pk: found
        for pk, found in photo_matches(photos, limits.photo_hamming).items()
        if timezone.localdate(rows[pk]["report__at"]) >= window.start
    }
    owners = _owners({rows[pk]["matter_id"] for pk in matches})
    for pk, (earlier, distance) in matches.items():
        one, two = rows[earlier], rows[pk]
        yield Found(
            kind=K.REPORT_PHOTO_REUSED,
            keys=(f"attachment:{earlier}", f"attachment:{pk}"),
            day=timezone.localdate(two["report__at"]),
            summary=_("A photo of a progress report of %(code)s repeats one of an earlier report of %(other)s")
            % {"code": two["matter__code"], "other": one["matter__code"]},
            evidence={
                "records": [
                    matter_ref(one["matter_id"], one["matter__code"]),
                    matter_ref(two["matter_id"], two["matter__code"]),
                ],
                "compared": {"measure": "sha256_or_dhash", "attachments": [earlier, pk], "distance": distance},
                "threshold": limits.photo_hamming,
            },
            person_id=owners[two["matter_id"]][0],
            unit_id=owners[two["matter_id"]][1],
        )


def effects_copied(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Matters whose effect (what was achieved) repeats their task text (what was to be done)."""
    rows = (
        Matter.objects.filter(completed_at__date__lte=window.end)
        .exclude(Q(effect="") | Q(task=""))
        .values("pk", "code", "task", "effect", "completed_at")
        .order_by("pk")
    )
    found = []
    for row in rows:
        if len(text.normalise(row["effect"])) < limits.effect_min_chars:
            continue
        score = text.jaccard(text.shingles(row["task"]), text.shingles(row["effect"]))
        if score >= limits.effect_similarity:
            found.append((row, score))
    owners = _owners({r["pk"] for r, _s in found})
    for row, score in found:
        yield Found(
            kind=K.EFFECT_COPIED,
            keys=(f"matter:{row['pk']}",),
            day=timezone.localdate(row["completed_at"]),
            summary=_("The effect of %(code)s repeats its task text (%(percent)d%% alike)")
            % {"code": row["code"], "percent": round(score * 100)},
            evidence={
                "records": [matter_ref(row["pk"], row["code"])],
                "compared": {"measure": "jaccard_char_trigrams", "similarity": round(score, 3)},
                "threshold": limits.effect_similarity,
            },
            person_id=owners[row["pk"]][0],
            unit_id=owners[row["pk"]][1],
        )
