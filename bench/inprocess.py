"""The workloads measured inside one process (no HTTP): figures, search, duplicate suggestions, export, and
enterprise × policy matching.

    python -m bench.inprocess figures|search|suggest|token|enterprise_match
    python -m bench.inprocess export --rows N --which ours|baseline
    python -m bench.inprocess monthly_pack
    python -m bench.inprocess supervision_signals

Each command prints one JSON object. The database is the one the environment configures (as for
manage.py). `export` and `monthly_pack` run alone in their process so that their peak memory is their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from functools import partial, reduce
from operator import or_
from typing import Any

SEARCH_PHRASES = ["路灯不亮", "占道经营", "下水道", "噪音扰民", "电梯", "消防通道"]
DESCRIPTIONS = [
    "锦绣花园3号楼前面的路灯不亮好几天了，晚上出门很不安全，希望尽快修好。",
    "人民路上有很多商户占道经营，人行道都被堵住了，行人只能走机动车道。",
    "我们小区楼下的烧烤店油烟很大，晚上噪音扰民，一直到凌晨才停。",
    "幸福家园下水道堵塞，污水都漫到路面上了，味道很大，请尽快疏通。",
]
MONTH = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 11, 1)  # the generated data's end (bench.generate.ANCHOR)
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # bench.generate.ANCHOR


def timed(call: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any]:
    """p50 and p99 in milliseconds over `repeat` calls (after one untimed call), and the last result."""
    result = call()
    times = []
    for _i in range(repeat):
        began = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return {"p50_ms": round(statistics.median(times), 2), "p99_ms": round(p99, 2)}, result


# --- dashboard rates ---------------------------------------------------------------------------------------

HAND_SQL = """
WITH m AS (
    SELECT id, status, satisfaction, accepted_at, declined_at, respond_by, deadline_last_day, completed_on,
        all_communities, rated_satisfied, rated_basically, rated_dissatisfied
    FROM matters_matter WHERE reported_at >= %(lo)s AND reported_at < %(hi)s AND status <> 'merged'
), pairs AS (
    SELECT mu.unit_id, m.* FROM m JOIN matters_matter_units mu ON mu.matter_id = m.id
    UNION
    SELECT u.id, m.* FROM m JOIN org_unit u ON u.kind = 'community' WHERE m.all_communities
)
SELECT p.unit_id,
    COUNT(*),
    SUM(CASE WHEN accepted_at <= respond_by OR declined_at <= respond_by THEN 1 ELSE 0 END),
    SUM(CASE WHEN respond_by <= %(now)s OR accepted_at <= respond_by OR declined_at <= respond_by THEN 1 ELSE 0 END),
    SUM(CASE WHEN status NOT IN ('reported', 'declined') THEN 1 ELSE 0 END),
    SUM(CASE WHEN status IN ('completed', 'verified', 'closed') THEN 1 ELSE 0 END),
    SUM(CASE WHEN status IN ('completed', 'verified', 'closed') AND satisfaction <> '' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status IN ('completed', 'verified', 'closed') AND satisfaction IN ('satisfied', 'basically')
             THEN 1 ELSE 0 END),
    COALESCE(SUM(CASE WHEN status IN ('completed', 'verified', 'closed')
             THEN rated_satisfied + rated_basically + rated_dissatisfied ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN status IN ('completed', 'verified', 'closed')
             THEN rated_satisfied + rated_basically ELSE 0 END), 0),
    SUM(CASE WHEN status IN ('reported', 'accepted', 'assigned', 'in_progress')
             AND deadline_last_day < %(today)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN status IN ('completed', 'verified', 'closed') AND deadline_last_day IS NOT NULL
             AND completed_on IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN status IN ('completed', 'verified', 'closed') AND completed_on <= deadline_last_day
             THEN 1 ELSE 0 END)
FROM pairs p JOIN org_unit u ON u.id = p.unit_id
WHERE u.kind IN ('department', 'community', 'enterprise')
GROUP BY p.unit_id
"""


def figures() -> dict[str, Any]:
    from django.db import connection

    from matters.figures import Rates, _rates, period_matters, rates_by_unit
    from matters.selectors import month_bounds

    last = (MONTH.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)

    def ours() -> dict[int, Rates]:
        return {unit.pk: r for unit, r in rates_by_unit(period_matters(MONTH, last), today=TODAY, now=NOW)}

    def hand() -> dict[int, Rates]:
        # As the ORM stores them (on SQLite: UTC text), so that the month's bounds compare alike.
        lo, hi, now = (connection.ops.adapt_datetimefield_value(t) for t in (*month_bounds(MONTH), NOW))
        params: dict[str, Any] = {"lo": lo, "hi": hi, "now": now, "today": TODAY}
        keys = ["reported", "responded", "response_due", "taken_on", "finished", "rated", "satisfied"]
        keys += ["public_ratings", "public_satisfied", "overdue_open"]
        keys += ["due_finished", "on_time"]
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, params)
            return {row[0]: _rates(dict(zip(keys, row[1:], strict=True))) for row in cursor.fetchall()}

    mine, mine_result = timed(ours, 5)
    base, base_result = timed(hand, 5)
    return {
        "dashboard_rates": {
            **mine,
            "units": len(mine_result),
            "same_figures": mine_result == base_result,
            "baseline": base,
        }
    }


# --- search and duplicate suggestions ----------------------------------------------------------------------


def _like_q(text: str) -> Any:
    """The naive search: every term as a substring of the code or the text (a scan of every row)."""
    from django.db.models import Q

    q = Q()
    for term in text.split():
        q &= (
            Q(code__icontains=term)
            | Q(problem__contains=term)
            | Q(task__contains=term)
            | Q(location__contains=term)
            | Q(effect__contains=term)
        )
    return q


def search() -> dict[str, Any]:
    from matters.search import search_q
    from matters.selectors import MatterFilter
    from portal.selectors import list_page, public_list

    def page(q: Any, phrase: str) -> Callable[[], tuple[int, list[int]]]:
        def run() -> tuple[int, list[int]]:
            p = list_page(public_list("problems", MatterFilter()).filter(q), MatterFilter(q=phrase), 1)
            return p.paginator.count, [m.pk for m in p.object_list]

        return run

    ours, base, same, found = [], [], True, {}
    for phrase in SEARCH_PHRASES:
        mine, result = timed(page(search_q(phrase), phrase), 4)
        scan, scanned = timed(page(_like_q(phrase), phrase), 1)
        ours.append(mine)
        base.append(scan)
        same = same and result == scanned
        found[phrase] = result[0]
    return {
        "search": {
            **_merge(ours),
            "matches": found,
            "same_results_as_scan": same,
            "baseline": _merge(base),
        }
    }


def suggest() -> dict[str, Any]:
    from django.db.models import Q

    from matters.selectors import matters_public
    from matters.workflow import OPEN
    from portal.similar import MAX_CANDIDATES, QUERY_TOKENS, THRESHOLD, score, similar_matters, tokens

    def scan(text: str) -> list[int]:
        """The suggestion before the index: candidates by LIKE over the telling words, scored the same way."""
        query = tokens(text)
        telling = sorted(query, key=lambda w: (-len(w), w))[:QUERY_TOKENS]
        candidates = (
            matters_public()
            .filter(status__in=OPEN)
            .filter(reduce(or_, (Q(problem__icontains=w) for w in telling)))
            .only("id", "problem")
            .order_by("-reported_at", "-id")[:MAX_CANDIDATES]
        )
        scored = sorted(((score(query, tokens(m.problem)), m.pk) for m in candidates), reverse=True)
        return [pk for s, pk in scored if s >= THRESHOLD][:5]

    tokens("预热分词词典")  # jieba loads its dictionary once per process; not part of a suggestion
    ours, base, found = [], [], []
    for text in DESCRIPTIONS:
        mine, result = timed(partial(lambda t: [m.pk for m in similar_matters(t)], text), 4)
        plain, _r = timed(partial(scan, text), 1)
        ours.append(mine)
        base.append(plain)
        found.append(len(result))
    return {"duplicate_suggest": {**_merge(ours), "suggested": found, "baseline": _merge(base)}}


def _merge(samples: list[dict[str, float]]) -> dict[str, float]:
    """Across several inputs: the median of their p50s and the largest p99."""
    return {
        "p50_ms": round(statistics.median(s["p50_ms"] for s in samples), 2),
        "p99_ms": round(max(s["p99_ms"] for s in samples), 2),
    }


# --- export ------------------------------------------------------------------------------------------------


def export(rows: int, which: str) -> dict[str, Any]:
    from openpyxl import Workbook

    from matters.exchange import exporter
    from matters.models import Matter
    from matters.workflow import FINISHED

    # The effect list of the newest `rows` finished matters: cut by id so that every run exports the same rows.
    ids = Matter.objects.filter(status__in=FINISHED).order_by("-id").values_list("pk", flat=True)
    floor = list(ids[rows - 1 : rows]) or [0]
    spec = exporter.ListSpec(list_kind="effects")
    original = spec.matters
    spec.matters = lambda: original().filter(pk__gte=floor[0])  # type: ignore[method-assign]
    out = io.BytesIO() if rows <= 1000 else open(os.devnull, "wb")  # noqa: SIM115
    began = time.perf_counter()
    if which == "ours":
        exporter.export(spec, "xlsx", out)  # type: ignore[arg-type]
        written = rows
    else:
        data = list(exporter.list_rows(spec))  # the rows in memory first: only the writing is timed
        began = time.perf_counter()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="list")
        sheet.append([spec.title()])
        sheet.append(spec.columns)
        for row in data:
            sheet.append(row)
        workbook.save(out)
        written = len(data)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"s": round(seconds, 2), "mb": round(peak, 1), "rows": written}


# --- the monthly pack ----------------------------------------------------------------------------------------

PACK_MONTH = dt.date(2026, 10, 1)  # the last whole month of the generated data


def monthly_pack() -> dict[str, Any]:
    """The committee's pack of one month: its data (figures, charts, lists, overdue, returned, duties), then the
    .docx and the PDF with the charts drawn; time and the process's peak memory."""
    from django.utils import translation

    from campaigns.selectors import campaign_current
    from oversight.pack import pack_files
    from oversight.pack_data import month_end, pack_data

    began = time.perf_counter()
    with translation.override("zh-hans"):
        data = pack_data(PACK_MONTH, campaign_current(on=month_end(PACK_MONTH)), today=TODAY)
        counted = time.perf_counter()
        files = pack_files(data)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "s": round(seconds, 2),
        "data_s": round(counted - began, 2),
        "mb": round(peak, 1),
        "matters": data["figures"]["reported"],
        "list_rows": sum(part["total"] for part in data["lists"]),
        "kb": {fmt: round(len(content) / 1024) for fmt, content in files.items()},
    }


def optimize() -> dict[str, Any]:
    """Merge the search index after a bulk load (see matters.search.optimize)."""
    from matters import search

    began = time.perf_counter()
    search.optimize()
    return {"s": round(time.perf_counter() - began, 1)}


def token() -> dict[str, Any]:
    """An API token for the benchmark's coordinator account (made once)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from core.roles import Role

    user, _created = get_user_model().objects.get_or_create(username="bench-api")
    user.groups.add(Group.objects.get(name=Role.COORDINATOR))
    key, _created = Token.objects.get_or_create(user=user)
    return {"token": key.key}


# --- enterprise × policy matching ------------------------------------------------------------------------


def enterprise_facts_and_policies(enterprises: int, policies: int, seed: int = 1) -> tuple[list[Any], dict[int, Any]]:
    """Generated profiles and policies (1–4 conditions each over every field and operator), reproducible."""
    import random
    from decimal import Decimal

    from enterprises.conditions import Facts

    rng = random.Random(seed)
    industries = ["copper", "solid_waste", "circular", "equipment", "materials", "trade"]
    sizes, stages, tags = (
        ["large", "medium", "small", "micro"],
        ["", "signed", "building", "producing"],
        ["a", "b", "c"],
    )
    facts = [
        Facts(i + 1, rng.choice(industries), rng.choice(sizes), rng.randint(0, 1000),
              Decimal(rng.randint(0, 50_000)), rng.choice(stages), frozenset(rng.sample(tags, rng.randint(0, 3))))
        for i in range(enterprises)
    ]  # fmt: skip

    def condition() -> dict[str, Any]:
        field = rng.choice(["industry", "size", "stage", "employees", "registered_capital", "tags"])
        if field in ("employees", "registered_capital"):
            return {
                "field": field,
                "op": rng.choice(["gte", "lte"]),
                "value": rng.randint(0, 1000 if field == "employees" else 50_000),
            }
        if field == "tags":
            return {"field": field, "op": "has", "value": rng.choice(tags)}
        values = {"industry": industries, "size": sizes, "stage": stages}[field]
        return {"field": field, "op": "in", "value": sorted(rng.sample(values, rng.randint(1, 3)))}

    return facts, {p + 1: [condition() for _c in range(rng.randint(1, 4))] for p in range(policies)}


def enterprise_match() -> dict[str, Any]:
    """1,000 enterprises × 200 policies: ours (by condition, bit sets) against the brute-force loop over pairs."""
    from enterprises.matching import brute_force, match

    smoke = os.environ.get("BENCH_SMOKE") == "1"
    facts, policies = enterprise_facts_and_policies(200 if smoke else 1000, 50 if smoke else 200)
    mine, mine_result = timed(lambda: match(facts, policies), 1 if smoke else 5)
    base, base_result = timed(lambda: brute_force(facts, policies), 1 if smoke else 3)
    return {
        "enterprise_match": {
            **mine,
            "pairs": len(facts) * len(policies),
            "same_matches": mine_result == base_result,
            "baseline": base,
        }
    }


# --- supervision signals ----------------------------------------------------------------------------------

NOTE_CLAUSES = [
    "走访长宇社区老旧小区", "听取居民对加装电梯的意见", "查看楼道照明改造现场", "与物业公司商定整改时限",
    "召开三方联动会议", "了解困难家庭生活情况", "宣讲惠企政策", "了解企业用工和融资需求", "排查小区安全隐患",
    "协调解决停车难问题", "督促施工单位按期完工", "回访群众满意度", "登记群众反映的突出问题", "组织志愿者清理垃圾",
    "走访独居老人", "检查消防通道是否畅通", "核实低保家庭收入情况", "协调供水公司维修管网", "调解邻里纠纷",
    "了解学生入学困难", "开展防诈骗宣传", "督办路灯维修进度", "收集居民对绿化的建议", "查看雨污分流工程",
    "走访个体工商户", "了解就业困难人员需求", "推进垃圾分类", "协调修复破损人行道", "整治占道经营", "摸排危房",
]  # fmt: skip


def note_corpus(size: int, seed: int = 1) -> list[str]:
    """Visit notes of four clauses each, reproducible; one in five copies an earlier note with a few characters
    changed (what the copied-note signal is for)."""
    import random

    rng = random.Random(seed)
    notes: list[str] = []
    for _i in range(size):
        if notes and rng.random() < 0.2:
            chars = list(rng.choice(notes))
            for _c in range(rng.randint(1, 3)):
                chars[rng.randrange(len(chars))] = rng.choice("的了和在对与将已")
            notes.append("".join(chars))
        else:
            notes.append("，".join(rng.sample(NOTE_CLAUSES, 4)) + f"，记录问题{rng.randint(1, 9)}条。")
    return notes


def photo_hashes(size: int, seed: int = 1) -> list[dict[str, Any]]:
    """Perceptual hashes of visit photos, reproducible, one visit each; one in ten re-saves an earlier one (a few
    bits flipped), as the photo-reused signal meets them."""
    import random

    rng = random.Random(seed)
    values: list[int] = []
    for _i in range(size):
        if values and rng.random() < 0.1:
            value = rng.choice(values)
            for _b in range(rng.randint(0, 4)):
                value ^= 1 << rng.randrange(64)
        else:
            value = rng.getrandbits(64)
        values.append(value)
    return [{"pk": i, "owner": i, "sha256": "", "phash": f"{v:016x}"} for i, v in enumerate(values)]


def photo_matches_brute(photos: list[dict[str, Any]], k: int) -> dict[int, tuple[int, int]]:
    """The photo matching of oversight.signals.visits.photo_matches, every earlier photo compared."""
    out: dict[int, tuple[int, int]] = {}
    for i, photo in enumerate(photos):
        bits = int(photo["phash"], 16)
        best: tuple[int, int] | None = None
        for other in photos[:i]:
            distance = (bits ^ int(other["phash"], 16)).bit_count()
            if distance <= k and other["owner"] != photo["owner"] and (best is None or distance < best[1]):
                best = (other["pk"], distance)
        if best is not None:
            out[photo["pk"]] = best
    return out


def supervision_signals() -> dict[str, Any]:
    """The formalism detectors over the visits of one month of the database; and the copied-note comparison (MinHash
    banding) on a generated corpus of notes against comparing all pairs (the brute-force baseline)."""
    from fieldwork.models import Visit
    from oversight.signals import VISIT_KINDS, Window, detect, text

    smoke = os.environ.get("BENCH_SMOKE") == "1"
    last = (MONTH.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    window = Window(start=MONTH, end=last, today=TODAY)
    began = time.perf_counter()
    found = detect(window, kinds=VISIT_KINDS)
    detect_s = time.perf_counter() - began
    kinds: dict[str, int] = {}
    for item in found:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    items = [(i, text.shingles(note)) for i, note in enumerate(note_corpus(600 if smoke else 3000))]
    mine, mine_result = timed(lambda: text.similar_pairs(items, 0.6), 1 if smoke else 3)
    base, base_result = timed(lambda: text.similar_pairs_brute(items, 0.6), 1)
    from oversight.signals.visits import photo_matches

    photos = photo_hashes(1000 if smoke else 4000)
    photo_mine, photo_found = timed(lambda: photo_matches(photos, 6), 1 if smoke else 3)
    photo_base, photo_all = timed(lambda: photo_matches_brute(photos, 6), 1)
    fast = {tuple(sorted((a, b))) for a, b, _s in mine_result}
    slow = {(a, b) for a, b, _s in base_result}
    return {
        "supervision_signals": {
            **mine,
            "notes": len(items),
            "pairs": len(slow),
            "recall": round(len(fast & slow) / len(slow), 4) if slow else 1.0,
            "same_pairs": fast == slow,
            "detect_s": round(detect_s, 2),
            "visits": Visit.objects.filter(date__gte=window.start, date__lte=window.end).count(),
            "found": kinds,
            "photos": {
                **photo_mine,
                "count": len(photos),
                "reused": len(photo_all),
                "same_matches": photo_found == photo_all,
                "baseline": photo_base,
            },
            "baseline": base,
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "command",
        choices=[
            "figures",
            "search",
            "suggest",
            "export",
            "token",
            "optimize",
            "enterprise_match",
            "monthly_pack",
            "supervision_signals",
        ],
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--which", choices=["ours", "baseline"], default="ours")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")
    import django

    django.setup()
    if args.command == "export":
        result = export(args.rows, args.which)
    else:
        commands = {
            "figures": figures,
            "search": search,
            "suggest": suggest,
            "token": token,
            "optimize": optimize,
            "enterprise_match": enterprise_match,
            "monthly_pack": monthly_pack,
            "supervision_signals": supervision_signals,
        }
        result = commands[args.command]()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
