# ruff: noqa: E402 (django.setup() must run before the models are imported)
"""Prepare the peer's database: create it, migrate, add a staff user and queues, fill N tickets in bulk.

Run with the peer venv: ``PEER_DATABASE_URL=... python -m hdpeer.fill --rows N --seed S`` (cwd: the project).
The tickets are a function of (rows, seed) alone, so two runs with the same arguments hold the same data.
"""

import argparse
import os
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdpeer.settings")

import django

django.setup()  # before the imports below, which need the apps loaded

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from helpdesk.models import FollowUp, Queue, Ticket
from psycopg import sql

STAFF_USERNAME = "bench"
STAFF_PASSWORD = "bench-peer-pass"  # noqa: S105 (a throwaway bench account)
STAMP_TABLE = "bench_peer_fill"
CHUNK = 5000
START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR = timedelta(days=365)

# Five queues stand for five communities, the nearest analogue of Minqing's community filter.
QUEUES = [
    ("dongcheng", "东城社区"),
    ("xicheng", "西城社区"),
    ("nanyuan", "南苑社区"),
    ("beihu", "北湖社区"),
    ("qiaoxi", "桥西社区"),
]
AGENTS = ["agent1", "agent2", "agent3", "agent4"]
# Open, Reopened, Resolved, Closed, Duplicate: weights like a year-old service desk.
STATUSES = [1, 2, 3, 4, 5]
STATUS_WEIGHTS = [35, 5, 20, 35, 5]
PLACES = ["楼道", "电梯", "小区大门", "停车场", "健身器材", "垃圾分类点", "路灯", "下水道", "绿化带", "自行车棚"]
PROBLEMS = [
    "损坏无人维修",
    "夜间噪音扰民",
    "长期堆放杂物",
    "漏水严重",
    "照明不足",
    "占道经营",
    "异味明显",
    "存在安全隐患",
]
DETAILS = [
    "已经持续一周多，老人和孩子出行很不方便。",
    "多次向物业反映，至今没有答复。",
    "附近居民意见很大，希望社区尽快协调处理。",
    "雨天情况更加严重，担心发生意外。",
    "请相关部门上门查看，并告知处理时限。",
]
RESOLUTIONS = ["已联系物业完成维修，居民表示满意。", "已转交城管部门处理，现场已恢复正常。", "经核实已整改到位。"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", action="store_true", help="print the number of tickets and stop")
    args = parser.parse_args()
    if args.count:
        print(Ticket.objects.count())
        return
    if args.rows is None or args.rows < 0:
        parser.error("--rows N (N >= 0) is required")
    started = time.monotonic()
    ensure_database()
    if reusable(args.rows, args.seed):
        print(f"fill: reusing {args.rows} tickets (seed {args.seed})")
        return
    reset_database()
    call_command("migrate", verbosity=0, interactive=False)
    staff, agents, queues = create_people_and_queues()
    fill(args.rows, args.seed, staff, agents, queues)
    print(f"fill: {args.rows} tickets (seed {args.seed}) in {time.monotonic() - started:.1f} s")


def _pg_admin() -> psycopg.Connection[Any]:
    db = _database()
    return psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def ensure_database() -> None:
    """Create the database when it does not exist (PostgreSQL; SQLite creates its file itself)."""
    name = str(_database()["NAME"])
    if _is_sqlite():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    with _pg_admin() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reset_database() -> None:
    """Start from an empty database: remove the SQLite file, or drop and recreate the PostgreSQL database."""
    connection.close()
    name = str(_database()["NAME"])
    if _is_sqlite():
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    with _pg_admin() as admin:
        ident = sql.Identifier(name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(ident))


def reusable(rows: int, seed: int) -> bool:
    """Tell whether the database holds this fill; if so, remove the tickets added since (by peer_create)."""
    if STAMP_TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seed, row_count, last_ticket_id FROM {STAMP_TABLE}")
        stamp = cursor.fetchone()
    if stamp is None or (stamp[0], stamp[1]) != (seed, rows):
        return False
    last_id = stamp[2]
    if Ticket.objects.filter(id__lte=last_id).count() != rows:
        return False
    Ticket.objects.filter(id__gt=last_id).delete()
    return True


def create_people_and_queues() -> tuple[Any, list[Any], list[Queue]]:
    user_model = get_user_model()
    staff = user_model.objects.create_user(
        STAFF_USERNAME, "bench@example.cn", STAFF_PASSWORD, is_staff=True, first_name="基准"
    )
    agents = [
        user_model.objects.create_user(name, f"{name}@example.cn", None, is_staff=True, first_name=f"坐席{i}")
        for i, name in enumerate(AGENTS, 1)
    ]
    queues = [
        Queue.objects.create(title=title, slug=slug, allow_public_submission=True, email_address=f"{slug}@example.cn")
        for slug, title in QUEUES
    ]
    return staff, agents, queues


def fill(rows: int, seed: int, staff: Any, agents: list[Any], queues: list[Queue]) -> None:
    """Insert `rows` tickets and their follow-ups, chunk by chunk, then record the fill."""
    rng = random.Random(seed)
    queue_ids = [q.id for q in queues]
    agent_ids = [a.id for a in agents]
    step = YEAR / max(rows, 1)
    followup_id = 0
    for first in range(1, rows + 1, CHUNK):
        tickets: list[tuple[Any, ...]] = []
        followups: list[tuple[Any, ...]] = []
        for ticket_id in range(first, min(first + CHUNK, rows + 1)):
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            created = START + step * (ticket_id - 1) + timedelta(seconds=rng.randrange(600))
            assigned = rng.choice(agent_ids) if rng.random() < (0.3 if status == 1 else 0.8) else None
            place, problem = rng.choice(PLACES), rng.choice(PROBLEMS)
            building = rng.randrange(1, 40)
            title = f"{building}号楼{place}{problem}"
            description = (
                f"居民反映：{building}号楼{rng.randrange(1, 7)}单元附近{place}{problem}，{rng.choice(DETAILS)}"
            )
            closed = status in (3, 4, 5)
            modified = created + timedelta(hours=rng.randrange(1, 24 * 20))
            tickets.append(
                (
                    ticket_id,
                    title,
                    rng.choice(queue_ids),
                    created,
                    modified,
                    f"resident{rng.randrange(100000)}@example.cn",
                    assigned,
                    status,
                    description,
                    rng.choice(RESOLUTIONS) if closed else None,
                    rng.choice([1, 2, 3, 3, 3, 4, 5]),
                    created + timedelta(days=rng.randrange(3, 30)) if rng.random() < 0.3 else None,
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                )
            )
            for n in range(rng.choices([0, 1, 2], [50, 35, 15])[0]):
                followup_id += 1
                followups.append(
                    (
                        followup_id,
                        ticket_id,
                        created + timedelta(hours=(n + 1) * rng.randrange(1, 72)),
                        "工作人员回复" if n == 0 else "状态变更",
                        f"已收到，正在协调处理。{rng.choice(DETAILS)}",
                        True,
                        assigned or staff.id,
                        status if n == 1 else None,
                    )
                )
        with transaction.atomic():
            insert(
                Ticket,
                [
                    "id", "title", "queue_id", "created", "modified", "submitter_email", "assigned_to_id",
                    "status", "description", "resolution", "priority", "due_date", "secret_key",
                ],
                tickets,
            )  # fmt: skip
            insert(
                FollowUp,
                ["id", "ticket_id", "date", "title", "comment", "public", "user_id", "new_status"],
                followups,
            )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Ticket, FollowUp]):
            cursor.execute(statement)
        cursor.execute(f"CREATE TABLE {STAMP_TABLE} (seed integer, row_count integer, last_ticket_id bigint)")
        cursor.execute(f"INSERT INTO {STAMP_TABLE} VALUES (%s, %s, %s)", [seed, rows, rows])
        # The planner's statistics, as a database in service would have them.
        cursor.execute("ANALYZE")


def insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows of `columns` into the model's table; its other columns get their defaults."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [f for name, f in fields.items() if name not in columns]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    # Values that the driver cannot take as they are (datetimes on SQLite, durations, JSON) go through the field.
    convert = [
        (i, fields[name])
        for i, name in enumerate(columns)
        if isinstance(fields[name], models.DateTimeField | models.DurationField | models.JSONField)
    ]

    def prepared() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            values = list(row)
            for i, field in convert:
                if values[i] is not None:
                    values[i] = field.get_db_prep_save(values[i], connection)
            yield (*values, *defaults)

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[c].column) for c in [*columns, *(f.attname for f in rest)])
    with connection.cursor() as cursor:
        if _is_sqlite():
            marks = ", ".join(["%s"] * (len(columns) + len(rest)))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(prepared()))
        else:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared():
                    copy.write_row(row)


if __name__ == "__main__":
    main()
