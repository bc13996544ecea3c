"""Fill a database with a province's worth of synthetic matters for the benchmarks.

    BENCH_MATTERS=100000 .venv/bin/python -m bench.generate [--seed 1]

The database is the one Django is configured for (DATABASE_URL or SQLITE_PATH). It must be migrated and
hold the demo organisation (`manage.py load_demo --without-matters`); the generator adds a province's
units and people and `BENCH_MATTERS` matters (default 1,000,000) over the year before 2026-11-01, each
with its transitions, units, lead, progress reports, ratings, endorsements and five visits on average.

The same seed writes the same rows. Rows are written in bulk (executemany on SQLite, COPY on PostgreSQL),
bypassing the services: this is test data, not accepted input, and the audit chain is left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

ANCHOR = dt.datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = dt.timedelta(days=365)
CHUNK = 20_000
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # matters.services.TRACKING_ALPHABET

# Status by age: older matters are further along the loop.
_STATUS_OLD = [("closed", 55), ("verified", 12), ("completed", 10), ("in_progress", 8), ("assigned", 4),
               ("accepted", 2), ("reported", 1), ("declined", 5), ("merged", 3)]  # fmt: skip
_STATUS_NEW = [("reported", 15), ("accepted", 12), ("assigned", 18), ("in_progress", 25), ("completed", 12),
               ("verified", 5), ("closed", 5), ("declined", 5), ("merged", 3)]  # fmt: skip
_PATH = ["reported", "accepted", "assigned", "in_progress", "completed", "verified", "closed"]
_ACTION = {"accepted": "accept", "assigned": "assign", "in_progress": "start", "completed": "complete",
           "verified": "verify", "closed": "close", "declined": "decline", "merged": "merge"}  # fmt: skip
_PROGRESS = {"reported": 0, "accepted": 0, "assigned": 0, "in_progress": 50, "completed": 100, "verified": 100,
             "closed": 100, "declined": 0, "merged": 0}  # fmt: skip
FINISHED = {"completed", "verified", "closed"}


def tracking_code(pk: int) -> str:
    """A unique 8-character code for a generated matter: a bijection of its id over the alphabet's range."""
    x = (pk * 2_654_435_761) % (31**8)
    chars = []
    for _i in range(8):
        x, r = divmod(x, 31)
        chars.append(_ALPHABET[r])
    return "".join(chars)


class Writer:
    """Bulk rows into one table: executemany on SQLite (values adapted to Django's storage), COPY on PostgreSQL."""

    def __init__(self, table: str, columns: Sequence[str], model: Any = None) -> None:
        from django.db import connection

        self.table, self.columns = table, list(columns)
        self.vendor = connection.vendor
        self.count = 0
        self.constants: list[Any] = []
        concrete = list(model._meta.concrete_fields) if model else []
        for field in concrete:
            # A column the generator does not name takes the field's default (a blank text field: empty), so a field added later with a default
            # does not break the benchmark; one without a default (and not nullable) is a clear error up front.
            if field.column in self.columns or field.primary_key:
                continue
            if field.has_default() or (field.blank and field.empty_strings_allowed and not field.null):
                self.columns.append(field.column)
                self.constants.append(field if field.has_default() and callable(field.default) else field.get_default())
            elif not field.null:
                raise ValueError(f"{table}.{field.column} is required and has no default: the generator must fill it")
        fields = {f.column: f.get_internal_type() for f in concrete}
        self.kinds = [fields.get(c, "") for c in self.columns]

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        from django.db import connection, transaction

        if self.constants:
            given = rows
            rows = (tuple(row) + tuple(_default(c) for c in self.constants) for row in given)
        batch: list[Sequence[Any]] = []
        with transaction.atomic():
            if self.vendor == "postgresql":
                raw = connection.connection.cursor()  # type: ignore[union-attr]
                cols = ", ".join(f'"{c}"' for c in self.columns)
                with raw.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.count += 1
                return self.count
            convert = _sqlite_converters(self.kinds)
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                self.table, ", ".join(f'"{c}"' for c in self.columns), ", ".join("?" * len(self.columns))
            )
            raw = connection.connection.cursor()  # type: ignore[union-attr]
            for row in rows:
                batch.append([f(v) for f, v in zip(convert, row, strict=True)] if convert else row)
                if len(batch) >= CHUNK:
                    raw.executemany(sql, batch)
                    self.count += len(batch)
                    batch = []
            raw.executemany(sql, batch)
            self.count += len(batch)
        return self.count


def _ident(v: Any) -> Any:
    return v


def _sqlite_dt(v: dt.datetime | None) -> str | None:
    return None if v is None else v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_str(v: Any) -> str | None:
    return None if v is None else str(v)


def _sqlite_bool(v: bool) -> int:
    return int(v)


_SQLITE: dict[str, Callable[[Any], Any]] = {"DateTimeField": _sqlite_dt, "DateField": _sqlite_str, "BooleanField": _sqlite_bool,
           "TimeField": _sqlite_str, "DecimalField": _sqlite_str}  # fmt: skip


def _sqlite_converters(kinds: Sequence[str]) -> list[Callable[[Any], Any]] | None:
    """How each column's Python values are stored by Django on SQLite (None: every value as it is)."""
    converters = [_SQLITE.get(k, _ident) for k in kinds]
    return None if all(c is _ident for c in converters) else converters


class Generator:
    def __init__(self, matters: int, seed: int) -> None:
        self.n = matters
        self.seed = seed
        self.rng = random.Random(seed)
        from bench import texts

        self.t = texts

    # --- organisation -------------------------------------------------------------------------------------
    def organisation(self) -> None:
        from django.db import transaction

        from matters.models import Category
        from org.models import Person, PersonCategory, Unit, UnitKind

        rng, t = self.rng, self.t
        ref = f"bench:{self.seed}:"
        with transaction.atomic():
            top = Unit.objects.create(
                name=f"全省民情工作专班（基准{self.seed}）", kind=UnitKind.PARTY_COMMITTEE, ref=ref + "top"
            )
            units: list[Unit] = []
            n_comm = max(30, min(400, self.n // 2500))
            for i in range(n_comm):
                name = f"{rng.choice(t.CITIES)}市{rng.choice(t.DISTRICTS)}街道{rng.choice(t.COMPOUND_WORDS)}社区{i + 1:03d}"
                units.append(Unit(name=name, kind=UnitKind.COMMUNITY, parent=top, order=i, ref=f"{ref}c{i}"))
            for i in range(150):
                name = f"{t.CITIES[i % len(t.CITIES)]}市{t.DEPARTMENTS[i % len(t.DEPARTMENTS)]}{i // len(t.DEPARTMENTS) or ''}"
                units.append(Unit(name=name, kind=UnitKind.DEPARTMENT, parent=top, order=i, ref=f"{ref}d{i}"))
            for i in range(100):
                name = f"{rng.choice(t.ENTERPRISE_WORDS)}{rng.choice(t.ENTERPRISE_KINDS)}{i + 1:03d}"
                units.append(Unit(name=name, kind=UnitKind.ENTERPRISE, parent=top, order=i, ref=f"{ref}e{i}"))
            Unit.objects.bulk_create(units)
            self.communities = list(Unit.objects.filter(ref__startswith=ref + "c").values_list("pk", flat=True))
            self.departments = list(Unit.objects.filter(ref__startswith=ref + "d").values_list("pk", flat=True))
            enterprises = list(Unit.objects.filter(ref__startswith=ref + "e").values_list("pk", flat=True))
            n_people = max(200, min(5000, self.n // 200))
            all_units = self.communities + self.departments + enterprises
            people = [
                Person(
                    name=rng.choice(t.SURNAMES) + "".join(rng.choice(t.GIVEN) for _j in range(rng.choice((1, 2)))),
                    unit_id=all_units[i % len(all_units)],
                    category=PersonCategory.LEADER if i % 10 == 0 else PersonCategory.CADRE,
                    title="干部",
                    ref=f"{ref}p{i}",
                )
                for i in range(n_people)
            ]
            Person.objects.bulk_create(people)
            self.people = list(Person.objects.filter(ref__startswith=ref + "p").values_list("pk", flat=True))
            self.categories: list[int | None] = [*Category.objects.values_list("pk", flat=True)] or [None]

    # --- matters and everything that hangs off them -------------------------------------------------------
    def _place(self) -> dict[str, str]:
        rng, t = self.rng, self.t
        road = rng.choice(t.ROAD_WORDS) + rng.choice(t.ROAD_KINDS)
        return {
            "r": road,
            "r2": rng.choice(t.ROAD_WORDS) + rng.choice(t.ROAD_KINDS),
            "c": rng.choice(t.COMPOUND_WORDS) + rng.choice(t.COMPOUND_KINDS),
            "p": rng.choice(t.CITIES) + rng.choice(t.DISTRICTS) + rng.choice(("广场", "公园", "片区", "市场")),
            "n": str(rng.randint(1, 88)),
            "city": rng.choice(t.CITIES) + "市" + rng.choice(t.DISTRICTS) + "区",
        }

    def matters(self) -> dict[str, int]:
        from django.db import connection

        from matters import search
        from matters.kinds import kind_specs
        from matters.models import Channel, Matter, ProgressReport, Transition, last_day
        from portal.models import Endorsement, Rating

        rng, t, n = self.rng, self.t, self.n
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM matters_matter")
            base = cursor.fetchone()[0]
        kinds, channels = list(kind_specs()), [c for c in Channel.values if c != "import"]
        start = ANCHOR - YEAR
        seq: dict[int, int] = {}
        m_cols = ["id", "code", "tracking_code", "kind", "category_id", "channel", "problem", "task", "location",
                  "latitude", "longitude", "reporter_name", "reporter_phone", "reporter_email",
                  "reporter_device_id", "reporter_account_id", "reporter_media_url", "is_public", "status", "deadline",
                  "deadline_precision", "budget_yuan", "progress", "effect", "satisfaction", "all_communities",
                  "remarks", "public_reply", "campaign_id", "merged_into_id", "created_by_id", "idempotency_key",
                  "import_key", "reported_at", "accepted_at", "assigned_at", "started_at", "completed_at",
                  "verified_at", "closed_at", "declined_at", "endorsement_count", "rated_satisfied",
                  "rated_basically", "rated_dissatisfied", "redo_flagged_at", "updated_at", "deadline_last_day",
                  "completed_on", "response_seconds", "respond_by"]  # fmt: skip
        writers = {
            "matter": Writer("matters_matter", m_cols, Matter),
            "unit": Writer("matters_matter_units", ["matter_id", "unit_id"]),
            "lead": Writer("matters_matter_leads", ["matter_id", "person_id"]),
            "transition": Writer(
                "matters_transition",
                ["matter_id", "action", "from_status", "to_status", "actor_id", "actor_name", "at", "reason", "data"],
                Transition,
            ),
            "report": Writer(
                "matters_progressreport", ["matter_id", "author_id", "at", "text", "percent"], ProgressReport
            ),
            "rating": Writer("portal_rating", ["matter_id", "phone_digest", "value", "comment", "created_at"], Rating),
            "endorsement": Writer(
                "portal_endorsement",
                ["matter_id", "kind", "phone_digest", "client_digest", "day", "created_at"],
                Endorsement,
            ),
            "search": Writer(search.TABLE, search.bulk_columns()),
        }
        side: dict[str, list[Sequence[Any]]] = {k: [] for k in writers if k != "matter"}
        search_docs: list[tuple[int, str]] = []

        matter_rows: list[Sequence[Any]] = []

        def flush() -> None:
            # One table at a time: PostgreSQL's COPY takes the connection for itself.
            writers["matter"].write(matter_rows)
            matter_rows.clear()
            for key, rows in side.items():
                if key == "search":
                    writers[key].write(search.copy_rows(search_docs))  # type: ignore[arg-type]
                    search_docs.clear()
                else:
                    writers[key].write(rows)
                rows.clear()

        from matters.deadlines import holidays, response_due
        from matters.models import Category

        off = holidays()  # the working-day calendar, read once for every matter generated
        categories = Category.objects.in_bulk([pk for pk in self.categories if pk is not None])
        for i in range(n):
            pk = base + i + 1
            reported = start + YEAR * (i / n) + dt.timedelta(seconds=rng.randint(0, 3000))
            year = reported.year
            seq[year] = seq.get(year, 0) + 1
            age_days = (ANCHOR - reported).days
            status = _pick(rng, _STATUS_OLD if age_days > 60 else _STATUS_NEW)
            if status == "merged" and i == 0:
                status = "declined"  # a merged matter points at the one before it
            place = self._place()
            problem = rng.choice(t.PROBLEMS).format(**place)
            if rng.random() < 0.3:
                problem = place["city"] + problem
            community = rng.choice(self.communities)
            department = rng.choice(self.departments)
            lead = rng.choice(self.people)
            stamps: dict[str, dt.datetime] = {}
            at = reported
            path = _PATH[: _PATH.index(status) + 1] if status in _PATH else ["reported", status]
            for step in path[1:]:
                at = at + dt.timedelta(hours=rng.randint(2, 30) if step in {"accepted", "declined", "merged"}
                                       else rng.randint(24, 24 * 20))  # fmt: skip
                stamps[step] = min(at, ANCHOR)
            taken = status not in {"reported", "accepted", "declined", "merged"}
            deadline = precision = None
            if taken:
                deadline = (reported + dt.timedelta(days=rng.randint(15, 90))).date()
                precision = "month" if rng.random() < 0.2 else "day"
                if precision == "month":
                    deadline = deadline.replace(day=1)
            finished = status in FINISHED
            rated = finished and rng.random() < 0.4
            counts = [0, 0, 0]
            satisfaction = ""
            if rated:
                for _k in range(rng.randint(1, 3)):
                    v = _pick(rng, [(0, 70), (1, 20), (2, 10)])
                    counts[v] += 1
                    side["rating"].append((pk, f"{pk:060d}{_k:04d}", ("satisfied", "basically", "dissatisfied")[v],
                                           rng.choice(t.COMMENTS), stamps.get("completed", reported)))  # fmt: skip
                satisfaction = ("satisfied", "basically", "dissatisfied")[counts.index(max(counts))]
            endorsements = rng.choice((0, 0, 0, 0, 0, 0, 0, 0, 1, 3)) if status != "merged" else 0
            for _k in range(min(endorsements, 1)):
                at = reported + dt.timedelta(hours=3)  # a verified endorsement (a phone's digest), as counted
                side["endorsement"].append((pk, "verified", f"{pk:060d}{_k:04d}", "", at.date(), at))
            task = (
                rng.choice(t.TASKS).format(d=_unit_label(department), t=f"{deadline:%Y年%m月}")
                if taken and deadline
                else ""
            )
            effect = rng.choice(t.EFFECTS) if finished else ""
            location = f"{place['city']}{place['r']}{place['n']}号"
            code = f"MQ-{year}-{seq[year]:04d}"
            category = rng.choice(self.categories)
            first = stamps.get("accepted") or stamps.get("declined")
            response = int((first - reported).total_seconds()) if first else None
            matter_rows.append((
                pk, code, tracking_code(pk), rng.choice(kinds), category, rng.choice(channels),
                problem, task, location, None, None, "", "", "", "", "", "", rng.random() < 0.9, status, deadline,
                precision or "day", Decimal(rng.randint(0, 500) * 1000) if taken and rng.random() < 0.3 else None,
                _PROGRESS[status], effect, satisfaction, rng.random() < 0.001, "", "", None,
                pk - 1 if status == "merged" else None, None, "", "", reported, stamps.get("accepted"), stamps.get("assigned"),
                stamps.get("in_progress"), stamps.get("completed"), stamps.get("verified"), stamps.get("closed"),
                stamps.get("declined"), endorsements, counts[0], counts[1], counts[2], None, max(stamps.values(), default=reported),
                last_day(deadline, precision or "day"), stamps["completed"].date() if "completed" in stamps else None,
                response, response_due(reported, categories.get(category) if category else None, off=off),
            ))  # fmt: skip
            side["unit"].append((pk, community))
            if taken and rng.random() < 0.6:
                side["unit"].append((pk, department))
            if taken:
                side["lead"].append((pk, lead))
            prev = ""
            for step in path:
                side["transition"].append((pk, _ACTION.get(step, ""), prev, step, None, "基准数据",
                                           stamps.get(step, reported), "", "{}"))  # fmt: skip
                prev = step
            if status in {"in_progress", *FINISHED}:
                for k in range(rng.randint(1, 2)):
                    side["report"].append((pk, None, stamps.get("in_progress", reported) + dt.timedelta(days=k + 1),
                                           rng.choice(t.PROGRESS), 30 + 30 * k))  # fmt: skip
            search_docs.append((pk, search.document((code, problem, task, location, effect))))
            if len(matter_rows) >= CHUNK:
                flush()
        flush()
        self._counters(seq)
        self._sequences()
        return {k: w.count for k, w in writers.items()}

    def _sequences(self) -> None:
        """Move PostgreSQL's id sequence past the ids written here (SQLite takes the next rowid itself)."""
        from django.core.management.color import no_style
        from django.db import connection

        from matters.models import Matter

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Matter]):
                cursor.execute(sql)

    def _counters(self, seq: dict[int, int]) -> None:
        from matters.models import CodeCounter

        for year, last in seq.items():
            counter, _created = CodeCounter.objects.get_or_create(year=year)
            counter.last = max(counter.last, last)
            counter.save(update_fields=["last"])

    def visits(self, per_matter: int = 5) -> int:
        from fieldwork.models import PlaceKind, Visit, VisitKind

        rng, t = self.rng, self.t
        total = self.n * per_matter
        start = (ANCHOR - YEAR).date()
        cols = ["person_id", "date", "start_time", "end_time", "hours", "kind", "place_kind", "unit_id",
                "contact_point_id", "place_detail", "participants", "notes", "entered_at", "created_by_id",
                "import_key"]  # fmt: skip
        writer = Writer("fieldwork_visit", cols, Visit)
        kinds = VisitKind.values

        def rows() -> Iterator[Sequence[Any]]:
            for i in range(total):
                day = start + dt.timedelta(days=int(365 * i / total))
                hour = rng.randint(8, 16)
                hours = rng.choice((1, 2, 2, 3, 4))
                kind = rng.choice(kinds)
                entered = dt.datetime(day.year, day.month, day.day, 20, tzinfo=ANCHOR.tzinfo)
                yield (
                    rng.choice(self.people), day, dt.time(hour), dt.time(min(hour + hours, 23)), Decimal(hours), kind,
                    PlaceKind.COMMUNITY, rng.choice(self.communities), None, "", rng.randint(0, 30),
                    rng.choice(t.VISIT_NOTES), entered, None, "",
                )  # fmt: skip

        return writer.write(rows())


def _default(constant: Any) -> Any:
    """A constant default as it is, a callable one (a field) called for each row, so unique defaults stay unique."""
    from django.db.models import Field

    return constant.get_default() if isinstance(constant, Field) else constant


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _unit_label(pk: int) -> str:
    return f"责任单位{pk}"


def generate(matters: int, seed: int = 1, *, out: Any = None) -> dict[str, int]:
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    began = time.monotonic()
    gen = Generator(matters, seed)
    gen.organisation()
    counts = gen.matters()
    out = sys.stderr if out is None else out
    out.write(f"  matters and their rows: {counts} in {time.monotonic() - began:.0f} s\n")
    counts["visits"] = gen.visits()
    out.write(f"  visits: {counts['visits']} ({time.monotonic() - began:.0f} s)\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.monotonic() - began)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matters", type=int, default=int(os.environ.get("BENCH_MATTERS", "1000000")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")
    import django

    django.setup()
    print(json.dumps(generate(args.matters, args.seed)))


if __name__ == "__main__":
    main()
