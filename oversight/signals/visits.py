"""Formalism in the visit records: copied notes, reused photos, late entries, overlong days, overlaps, regularity.

Each detector reads the visits dated in the window with a few queries and compares them in memory, never all
pairs against all: notes by MinHash banding (oversight.signals.text), photos by their content hash and by the
blocks of their perceptual hash (core.imagehash.HashIndex).
A missing photo is never a signal. Places too far apart are not detected: neither visits nor units nor contact points
carry coordinates, and the issue forbids inventing them (see docs/oversight.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.imagehash import PHASH_BITS, HashIndex
from fieldwork.models import Visit, VisitPhoto
from matters.deadlines import holidays, is_working_day
from org.models import Person
from oversight.models.signals import SignalKind
from oversight.signals import text
from oversight.signals.base import Found, Thresholds, Window, visit_ref

K = SignalKind


def _visits(window: Window) -> Any:
    return Visit.objects.filter(date__gte=window.start, date__lte=window.end)


def _names(person_ids: set[int]) -> dict[int, str]:
    return {p.pk: p.display_name for p in Person.objects.filter(pk__in=person_ids)}


def _label(row: dict[str, Any], names: dict[int, str]) -> str:
    return f"{names.get(row['person_id'], '')} {row['date']:%Y-%m-%d}"


def notes_copied(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Visits whose notes nearly repeat an earlier visit's (same person or another): the later one, its best match."""
    rows = {
        r["pk"]: r
        for r in _visits(window)
        .exclude(notes="")
        .values("pk", "person_id", "date", "notes", "start_time")
        .order_by("date", F("start_time").asc(nulls_first=True), "pk")
    }
    order = {pk: i for i, pk in enumerate(rows)}
    # Identical notes are grouped first (a note pasted a thousand times is one text, not a million pairs); the
    # distinct texts are compared by MinHash banding; each visit then takes the earliest earlier visit of its own
    # text, else of the most similar text seen before it.
    text_of: dict[int, str] = {}
    distinct: dict[str, frozenset[str]] = {}
    for pk, row in rows.items():
        norm = text.normalise(row["notes"])
        if len(norm) >= limits.note_min_chars:
            text_of[pk] = norm
            if norm not in distinct:
                distinct[norm] = text.shingles(row["notes"])
    neighbours: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for a, b, score in text.similar_pairs(list(distinct.items()), limits.note_similarity):
        neighbours[str(a)].append((score, str(b)))
        neighbours[str(b)].append((score, str(a)))
    first_seen: dict[str, int] = {}
    best: dict[int, tuple[float, int]] = {}
    for pk, norm in text_of.items():  # in the visits' order
        if norm in first_seen:
            best[pk] = (1.0, first_seen[norm])
        else:
            seen = [(score, first_seen[other]) for score, other in neighbours.get(norm, ()) if other in first_seen]
            if seen:
                best[pk] = max(seen, key=lambda item: (item[0], -order[item[1]]))
            first_seen[norm] = pk
    names = _names({rows[pk]["person_id"] for pk in best} | {rows[e]["person_id"] for _s, e in best.values()})
    for later, (score, earlier) in sorted(best.items(), key=lambda item: order[item[0]]):
        one, two = rows[earlier], rows[later]
        same = one["person_id"] == two["person_id"]
        yield Found(
            kind=K.NOTE_COPIED,
            keys=(f"visit:{earlier}", f"visit:{later}"),
            day=two["date"],
            summary=(
                _("%(person)s's notes of %(later)s repeat those of %(earlier)s (%(percent)d%% alike)")
                if same
                else _("%(person)s's notes of %(later)s repeat %(other)s's of %(earlier)s (%(percent)d%% alike)")
            )
            % {
                "person": names.get(two["person_id"], ""),
                "other": names.get(one["person_id"], ""),
                "later": f"{two['date']:%Y-%m-%d}",
                "earlier": f"{one['date']:%Y-%m-%d}",
                "percent": round(score * 100),
            },
            evidence={
                "records": [visit_ref(earlier, _label(one, names)), visit_ref(later, _label(two, names))],
                "compared": {"measure": "jaccard_char_trigrams", "similarity": round(score, 3), "same_person": same},
                "threshold": limits.note_similarity,
            },
            person_id=two["person_id"],
        )


def _degenerate(value: str) -> bool:
    """A flat image's hash (almost no bits, or almost all): every flat image has it, so it proves no reuse."""
    ones = int(value, 16).bit_count()
    return ones < 8 or ones > PHASH_BITS - 8


def photo_matches(photos: list[dict[str, Any]], k: int) -> dict[int, tuple[int, int]]:
    """For each photo the closest earlier photo of another owner (visit or report; ties: the earliest) that is the
    same: sha256 equal, or phash at most k bits apart. Photo id → (earlier photo id, distance); `photos` are in the
    order of their owners."""
    position = {p["pk"]: i for i, p in enumerate(photos)}
    by_sha: dict[str, list[dict[str, Any]]] = defaultdict(list)
    index = HashIndex()
    out: dict[int, tuple[int, int]] = {}
    for photo in photos:
        found: tuple[int, int] | None = None
        for other in by_sha.get(photo["sha256"], []) if photo["sha256"] else []:
            if other["owner"] != photo["owner"]:
                found = (other["pk"], 0)
                break
        comparable = bool(photo["phash"]) and not _degenerate(photo["phash"])
        if found is None and comparable:
            for distance, near in index.near(photo["phash"], k):
                other = cast(dict[str, Any], near)
                if other["owner"] != photo["owner"] and (
                    found is None or (distance, position[other["pk"]]) < (found[1], position[found[0]])
                ):
                    found = (other["pk"], distance)
        if found is not None:
            out[photo["pk"]] = found
        if photo["sha256"]:
            by_sha[photo["sha256"]].append(photo)
        if comparable:
            index.add(photo["phash"], photo)
    return out


def photos_reused(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Visits showing a photo of an earlier visit again (the same file, or a re-saved or resized copy)."""
    photos: list[dict[str, Any]] = [
        dict(row)
        for row in VisitPhoto.objects.filter(visit__date__gte=window.start, visit__date__lte=window.end)
        .exclude(sha256="", phash="")
        .values("pk", "visit_id", "sha256", "phash", "visit__date", "visit__person_id", "visit__start_time")
        .order_by("visit__date", F("visit__start_time").asc(nulls_first=True), "visit_id", "pk")
    ]
    for photo in photos:
        photo["owner"] = photo["visit_id"]
    matches = photo_matches(photos, limits.photo_hamming)
    rows = {p["pk"]: p for p in photos}
    pairs: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for pk, (earlier, distance) in matches.items():
        pairs[(rows[earlier]["visit_id"], rows[pk]["visit_id"])].append(
            {
                "photos": [earlier, pk],
                "distance": distance,
                "same_file": distance == 0 and rows[earlier]["sha256"] == rows[pk]["sha256"],
            }
        )
    names = _names({p["visit__person_id"] for p in photos})
    for (first, second), compared in pairs.items():
        one = next(p for p in photos if p["visit_id"] == first)
        two = next(p for p in photos if p["visit_id"] == second)
        label_one = f"{names.get(one['visit__person_id'], '')} {one['visit__date']:%Y-%m-%d}"
        label_two = f"{names.get(two['visit__person_id'], '')} {two['visit__date']:%Y-%m-%d}"
        yield Found(
            kind=K.PHOTO_REUSED,
            keys=(f"visit:{first}", f"visit:{second}"),
            day=two["visit__date"],
            summary=_("A photo of the visit of %(later)s was already shown for the visit of %(earlier)s")
            % {"later": label_two, "earlier": label_one},
            evidence={
                "records": [visit_ref(first, label_one), visit_ref(second, label_two)],
                "compared": {"measure": "sha256_or_dhash", "pairs": compared},
                "threshold": limits.photo_hamming,
            },
            person_id=two["visit__person_id"],
        )


def late_entries(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Visits entered more than the allowed days after their date, with the reason given (补录原因)."""
    rows = _visits(window).values("pk", "person_id", "date", "entered_at", "late_reason").order_by("date", "pk")
    late = []
    for row in rows:
        days = (timezone.localdate(row["entered_at"]) - row["date"]).days
        if days > limits.late_after:
            late.append((row, days))
    names = _names({row["person_id"] for row, _days in late})
    for row, days in late:
        yield Found(
            kind=K.LATE_ENTRY,
            keys=(f"visit:{row['pk']}",),
            day=row["date"],
            summary=_("%(person)s's visit of %(date)s was entered %(days)d days later")
            % {"person": names.get(row["person_id"], ""), "date": f"{row['date']:%Y-%m-%d}", "days": days},
            evidence={
                "records": [visit_ref(row["pk"], _label(row, names))],
                "compared": {"days_late": days, "entered_at": timezone.localtime(row["entered_at"]).isoformat()},
                "late_reason": row["late_reason"],
                "threshold": limits.late_after,
            },
            person_id=row["person_id"],
        )


def long_days(window: Window, limits: Thresholds) -> Iterator[Found]:
    """A person's days with more hours of visits than anyone works (16 by default)."""
    limit = Decimal(str(limits.long_day_hours))
    days = list(
        _visits(window)
        .values("person_id", "date")
        .annotate(total=Sum("hours"))
        .filter(total__gt=limit)
        .order_by("date", "person_id")
    )
    if not days:
        return
    wanted = {(d["person_id"], d["date"]) for d in days}
    visits: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for row in (
        _visits(window)
        .filter(person_id__in={p for p, _d in wanted}, date__in={d for _p, d in wanted})
        .values("pk", "person_id", "date")
        .order_by(F("start_time").asc(nulls_first=True), "pk")
    ):
        if (row["person_id"], row["date"]) in wanted:
            visits[(row["person_id"], row["date"])].append(row["pk"])
    names = _names({p for p, _d in wanted})
    for day in days:
        hours = f"{Decimal(str(day['total'])):.1f}"  # SQLite and PostgreSQL sum decimals to different forms
        ids = visits[(day["person_id"], day["date"])]
        label = f"{names.get(day['person_id'], '')} {day['date']:%Y-%m-%d}"
        yield Found(
            kind=K.LONG_DAY,
            keys=(f"person:{day['person_id']}", f"day:{day['date']:%Y-%m-%d}"),
            day=day["date"],
            summary=_("%(person)s logged %(hours)s hours of visits on %(date)s")
            % {
                "person": names.get(day["person_id"], ""),
                "hours": hours,
                "date": f"{day['date']:%Y-%m-%d}",
            },
            evidence={
                "records": [visit_ref(pk, label) for pk in ids],
                "compared": {"hours": hours},
                "threshold": limits.long_day_hours,
            },
            person_id=day["person_id"],
        )


def overlaps(window: Window, limits: Thresholds) -> Iterator[Found]:
    """Two visits of one person whose times overlap (the form refuses them; imports and old data may hold them)."""
    by_day: dict[tuple[int, dt.date], list[dict[str, Any]]] = defaultdict(list)
    for row in (
        _visits(window)
        .filter(start_time__isnull=False, end_time__isnull=False)
        .values("pk", "person_id", "date", "start_time", "end_time")
        .order_by("person_id", "date", "start_time", "pk")
    ):
        by_day[(row["person_id"], row["date"])].append(row)
    found = []
    for rows in by_day.values():
        latest: dict[str, Any] | None = None
        for row in rows:
            if latest is not None and row["start_time"] < latest["end_time"]:
                found.append((latest, row))
            if latest is None or row["end_time"] > latest["end_time"]:
                latest = row
    names = _names({one["person_id"] for one, _two in found})
    for one, two in found:
        label = f"{names.get(one['person_id'], '')} {one['date']:%Y-%m-%d}"
        span = "{:%H:%M}–{:%H:%M}"
        yield Found(
            kind=K.OVERLAP,
            keys=(f"visit:{one['pk']}", f"visit:{two['pk']}"),
            day=one["date"],
            summary=_("%(person)s's visits of %(date)s overlap: %(first)s and %(second)s")
            % {
                "person": names.get(one["person_id"], ""),
                "date": f"{one['date']:%Y-%m-%d}",
                "first": span.format(one["start_time"], one["end_time"]),
                "second": span.format(two["start_time"], two["end_time"]),
            },
            evidence={
                "records": [visit_ref(one["pk"], label), visit_ref(two["pk"], label)],
                "compared": {
                    "first": span.format(one["start_time"], one["end_time"]),
                    "second": span.format(two["start_time"], two["end_time"]),
                },
            },
            person_id=one["person_id"],
        )


def regularity(window: Window, limits: Thresholds) -> Iterator[Found]:
    """The same start and end on every working day for weeks running: a log copied forward rather than lived."""
    need = limits.regular_weeks * 5
    off = holidays()
    days: dict[tuple[int, dt.time, dt.time], dict[dt.date, int]] = defaultdict(dict)
    for row in (
        _visits(window)
        .filter(start_time__isnull=False, end_time__isnull=False)
        .values("pk", "person_id", "date", "start_time", "end_time")
        .order_by("date", "pk")
    ):
        days[(row["person_id"], row["start_time"], row["end_time"])].setdefault(row["date"], row["pk"])
    streaks = []
    for (person_id, start, end), seen in days.items():
        if len(seen) < need:
            continue
        run: list[dt.date] = []
        day = min(seen)
        last = max(seen)
        while day <= last:
            if is_working_day(day, off=off):
                if day in seen:
                    run.append(day)
                else:
                    if len(run) >= need:
                        streaks.append((person_id, start, end, run, seen))
                    run = []
            day += dt.timedelta(days=1)
        if len(run) >= need:
            streaks.append((person_id, start, end, run, seen))
    names = _names({s[0] for s in streaks})
    for person_id, start, end, run, seen in streaks:
        hours = f"{start:%H:%M}–{end:%H:%M}"
        yield Found(
            kind=K.REGULAR,
            keys=(f"person:{person_id}", f"from:{run[0]:%Y-%m-%d}", f"hours:{hours}"),
            day=run[-1],
            summary=_("%(person)s logged %(hours)s on each of %(days)d working days running (%(first)s to %(last)s)")
            % {
                "person": names.get(person_id, ""),
                "hours": hours,
                "days": len(run),
                "first": f"{run[0]:%Y-%m-%d}",
                "last": f"{run[-1]:%Y-%m-%d}",
            },
            evidence={
                "records": [visit_ref(seen[d], f"{names.get(person_id, '')} {d:%Y-%m-%d}") for d in run[:10]],
                "compared": {
                    "hours": hours,
                    "working_days": len(run),
                    "first": run[0].isoformat(),
                    "last": run[-1].isoformat(),
                },
                "threshold": limits.regular_weeks,
            },
            person_id=person_id,
        )
