"""`make bench`: every workload on SQLite and on PostgreSQL, each against its baseline, in one run.

    BENCH_MATTERS=100000 make bench            # or: .venv/bin/python -m bench.run

Environment: BENCH_MATTERS (1,000,000), BENCH_SEED (1), BENCH_SECONDS per HTTP measurement (8),
BENCH_PREPARE_ONLY=1 (generate the data for both databases and the peer, measure nothing),
BENCH_ENGINES ("sqlite,postgresql"), BENCH_EXPORT_ROWS (100,000), BENCH_SMOKE=1 (short runs, no targets:
the check `make test` runs). Data are generated once per size and seed and reused (var/bench/).
Writes bench/results/latest.json and latest.md and prints the table. Figures are ratios against
baselines measured in the same run: lower is better everywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import load
from bench.peer import harness
from bench.peer.harness import Server, Spec

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PY = ROOT / ".venv" / "bin" / "python"
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
SECRET = "bench-only-secret-key-not-for-production"  # noqa: S105 (the bench server only)

# name: (figure compared, target text, check on the entry), at 1,000,000 matters on 2 cores.
TARGETS: dict[str, tuple[str, str, Any]] = {
    "portal_task_list": ("p50_ms", "p50 ≤ 15 ms, p99 ≤ 50 ms, ≤ 2× baseline",
                         lambda e: e["p50_ms"] <= 15 and e["p99_ms"] <= 50 and e["ratio"] <= 2),
    "matter_detail": ("p50_ms", "p50 ≤ 15 ms, p99 ≤ 50 ms, ≤ 2× baseline",
                      lambda e: e["p50_ms"] <= 15 and e["p99_ms"] <= 50 and e["ratio"] <= 2),
    "api_create": ("per_s", "≥ 300/s on SQLite, more on PostgreSQL", None),
    "dashboard_rates": ("p50_ms", "≤ 200 ms, ≤ 1.5× hand-written SQL",
                        lambda e: e["p50_ms"] <= 200 and e["ratio"] <= 1.5),
    "search": ("p50_ms", "p50 ≤ 50 ms", lambda e: e["p50_ms"] <= 50),
    "duplicate_suggest": ("p50_ms", "p50 ≤ 100 ms", lambda e: e["p50_ms"] <= 100),
    "enterprise_match": ("p50_ms", "1,000 × 200 in < 1 s, same as brute force",
                         lambda e: e["p50_ms"] < 1000 and e["same_matches"]),
    "supervision_signals": ("p50_ms", "notes' near-duplicates: the all-pairs result (recall ≥ 0.99), faster",
                            lambda e: e["recall"] >= 0.99 and e["ratio"] < 1),
    "export_xlsx": ("s", "≤ 10 s, memory flat in the row count", None),
    "monthly_pack": ("s", "≤ 60 s, peak ≤ 500 MB", lambda e: e["s"] <= 60 and e["mb"] <= 500),
    "peer_list": ("p50_ms", "≥ 3× faster than django-helpdesk", lambda e: e["ratio"] <= 1 / 3),
    "peer_create": ("per_s", "≥ 3× faster than django-helpdesk", lambda e: e["ratio"] <= 1 / 3),
    "server_rss": ("mb", "≤ 300 MB", lambda e: e["mb"] <= 300),
}  # fmt: skip


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- databases ---------------------------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def cluster_dir() -> Path:
    """Where this checkout's benchmark cluster lives: outside the checkout, which the postgres user may not be able
    to enter (a clone in a home directory of mode 700, or in `mktemp -d`); one per checkout, kept between runs."""
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    return Path(os.environ.get("BENCH_PGDATA", Path(tempfile.gettempdir()) / f"{CLUSTER_PREFIX}{digest}"))


CLUSTER_PREFIX = "minqing-bench-pg-"
CHECKOUT_FILE = "minqing-checkout"  # in the cluster's directory: whose it is


def prune_orphan_clusters() -> None:
    """Remove the benchmark clusters of checkouts that are gone (a clone in `mktemp -d`, removed after its run)."""
    for data in Path(tempfile.gettempdir()).glob(f"{CLUSTER_PREFIX}*"):
        owner = data / CHECKOUT_FILE
        if data != cluster_dir() and owner.is_file() and not Path(owner.read_text().strip()).exists():
            subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           capture_output=True, check=False)  # fmt: skip
            shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A PostgreSQL 15 cluster kept in cluster_dir() (so generated data survive), started for this run."""
    if not (PGBIN / "initdb").exists():
        raise SystemExit(f"bench: PostgreSQL 15 server binaries not found in {PGBIN} (apt-get install postgresql-15)")
    prune_orphan_clusters()
    data = cluster_dir()
    if not (data / "PG_VERSION").exists():
        data.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(data, "postgres")
        subprocess.run(
            _as_postgres([str(PGBIN / "initdb"), "-D", str(data), "--auth=trust", "-E", "UTF8",
                          "--locale=C.UTF-8", "-U", "postgres"]),
            check=True, capture_output=True,
        )  # fmt: skip
    (data / CHECKOUT_FILE).write_text(str(ROOT))
    port = free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=50"
    subprocess.run(
        _as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o", options, "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), capture_output=True
        )


def app_env(db: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}}
    return (
        env | db | {"SECRET_KEY": SECRET, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_COOKIES": "0"}
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def generator_digest() -> str:
    """Eight hex digits naming the generator: data it made differently before are not reused."""
    return hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()[:8]


def prepared(engine: str, matters: int, seed: int, cluster: str | None) -> dict[str, str]:
    """The environment of a database holding `matters` generated matters; generated on first use."""
    name = f"bench_{matters}_s{seed}_{generator_digest()}"
    stamp = VAR / f"{engine}-{name}.json"
    if engine == "sqlite":
        path = VAR / f"{name}.sqlite3"
        db = {"SQLITE_PATH": str(path)}
    else:
        assert cluster is not None
        db = {"DATABASE_URL": f"{cluster}/{name}"}
    env = app_env(db)
    if stamp.exists() and (engine == "sqlite" or _pg_database_exists(cluster, name)):
        manage(env, "migrate", "--noinput")  # data made under older migrations are brought up to date
        inprocess(env, "optimize")
        return env
    say(f"{engine}: generating {matters:,} matters (seed {seed}); this is done once")
    if engine == "sqlite":
        for leftover in VAR.glob(f"{name}.sqlite3*"):
            leftover.unlink()
    else:
        psql = str(PGBIN / "psql")
        admin = f"{cluster}/postgres"
        subprocess.run([psql, admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
        subprocess.run([psql, admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    began = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--without-matters")
    done = subprocess.run(
        [str(PY), "-m", "bench.generate", "--matters", str(matters), "--seed", str(seed)],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: generating the {engine} data failed (exit {done.returncode}); its output is above")
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    inprocess(env, "optimize")
    counts["prepare_s"] = round(time.monotonic() - began)
    stamp.write_text(json.dumps(counts))
    say(f"{engine}: generated in {counts['prepare_s']} s: {counts}")
    return env


def _pg_database_exists(cluster: str | None, name: str) -> bool:
    """The cluster lives outside the checkout and may have been removed (a reboot empties /tmp) under its stamp."""
    done = subprocess.run(
        [str(PGBIN / "psql"), f"{cluster}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() == "1"


def inprocess(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(PY), "-m", "bench.inprocess", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- our server --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int = 2) -> Iterator[Server]:
    port = free_port()
    log = VAR / "logs" / f"minqing-gunicorn-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(PY), "-m", "gunicorn", "minqing.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "bench.settings"},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process.pid, workers, log, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"bench: our server did not start; see {log}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(server.base_url + "/lists/tasks/", timeout=30) as response,  # noqa: S310
            ):
                if response.status == 200 and len(server.pids) >= workers:
                    break
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def peak_rss_mb(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) among these processes, in MB."""
    peak = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return round(peak / 1024, 1)


def http_workloads(env: dict[str, str], seconds: float) -> dict[str, Any]:
    """The list, the matter page and creation through the API, each with its baseline; the workers' memory."""
    probe = inprocess(env, "token")
    paths = json.loads(
        subprocess.run(
            [str(PY), "-c", _PATHS_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    out: dict[str, Any] = {}
    with serve(env) as server:
        lists = [Spec("GET", p, {}) for p in paths["lists"]]
        pages = [Spec("GET", p, {}) for p in paths["matters"]]
        ours = load.wrk(server.base_url, lists, seconds=seconds)
        base = load.wrk(server.base_url, [Spec("GET", "/bench/baseline" + s.path, {}) for s in lists], seconds=seconds)
        out["portal_task_list"] = _pair(ours, base, "p50_ms", paths=len(lists))
        out["server_rss"] = {"mb": peak_rss_mb(server.pids)}
        ours = load.wrk(server.base_url, pages, seconds=seconds)
        base = load.wrk(server.base_url, [Spec("GET", "/bench/baseline" + s.path, {}) for s in pages], seconds=seconds)
        out["matter_detail"] = _pair(ours, base, "p50_ms", paths=len(pages))
        body = json.dumps(
            {
                "problem": "基准测试：锦绣花园3号楼前路灯不亮已经一周，晚上出行很不安全。",
                "kind": "livelihood",
                "location": "人民路8号",
            }
        )
        create = Spec("POST", "/api/v1/matters/", {"Authorization": f"Token {probe['token']}",
                                                    "Content-Type": "application/json"}, body)  # fmt: skip
        ours = load.wrk(server.base_url, [create], seconds=seconds, warmup=0)
        base = load.wrk(server.base_url, [Spec("POST", "/bench/baseline/create/", {}, body)], seconds=seconds, warmup=0)
        out["api_create"] = _pair(ours, base, "per_s")
        out["server_rss"]["mb"] = max(out["server_rss"]["mb"], peak_rss_mb(server.pids))
    return out


# Paths the HTTP workloads send: the task list of several communities × statuses, first and deepest pages;
# matter pages of public matters spread over the data.
_PATHS_SCRIPT = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")
django.setup()
from django.core.paginator import Paginator
from matters.models import Matter
from matters.selectors import MatterFilter
from org.models import Unit
from portal.selectors import public_list
communities = list(Unit.objects.filter(kind="community", ref__startswith="bench:").order_by("pk").values_list("pk", flat=True))
lists = []
for i, c in enumerate(communities[:: max(1, len(communities) // 6)][:6]):
    status = ["in_progress", "assigned"][i % 2]
    f = MatterFilter(community=c, status=[status])
    pages = Paginator(public_list("tasks", f), 20).num_pages
    lists += [f"/lists/tasks/?community={c}&status={status}", f"/lists/tasks/?community={c}&status={status}&page={pages}"]
total = Matter.objects.count()
codes = []
for k in range(20):
    m = Matter.objects.filter(is_public=True, status__in=["in_progress", "completed", "closed"], pk__gte=total * k // 20).order_by("pk").values_list("code", flat=True).first()
    if m:
        codes.append(f"/m/{m}/")
print(json.dumps({"lists": lists, "matters": codes}))
"""


def _pair(ours: dict[str, Any], base: dict[str, Any], key: str, **extra: Any) -> dict[str, Any]:
    """An entry: our figures, the baseline's, and the ratio of costs (rates inverted), lower is better."""
    if key == "per_s":
        ratio = base[key] / ours[key] if ours[key] else float("inf")
    else:
        ratio = ours[key] / base[key] if base[key] else float("inf")
    return {**ours, **extra, "baseline": base, "ratio": round(ratio, 2)}


# --- the peer ----------------------------------------------------------------------------------------------


def peer_url(engine: str, matters: int, seed: int, cluster: str | None) -> str:
    if engine == "sqlite":
        return f"sqlite:///{VAR / f'peer_{matters}_s{seed}.sqlite3'}"
    return f"{cluster}/peer_{matters}_s{seed}"


def peer_workloads(engine: str, matters: int, seed: int, cluster: str | None, seconds: float) -> dict[str, Any]:
    url = peer_url(engine, matters, seed, cluster)
    say(f"{engine}: django-helpdesk with {matters:,} tickets")
    harness.prepare(url, matters, seed)
    with harness.serve(url, free_port()) as server:
        listing = load.wrk(server.base_url, [harness.list_spec(server.base_url)], seconds=seconds)
        creating = load.wrk(server.base_url, [harness.create_spec(server.base_url)], seconds=seconds, warmup=0)
        rss = peak_rss_mb(server.pids)
    return {"list": listing, "create": creating, "rss_mb": rss}


# --- the run -----------------------------------------------------------------------------------------------


def run_engine(engine: str, matters: int, seed: int, seconds: float, export_rows: int, cluster: str | None) -> dict:
    env = prepared(engine, matters, seed, cluster)
    # The baseline create view writes to a table of its own.
    subprocess.run(
        [str(PY), "-c", "import os,django;os.environ.setdefault('DJANGO_SETTINGS_MODULE','minqing.settings');"
         "django.setup();from django.db import connection;from bench.baselines import TABLE_SQL;"
         "connection.cursor().execute(TABLE_SQL[connection.vendor])"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    out: dict[str, Any] = {}
    say(f"{engine}: figures, search, suggestions, enterprise matching, supervision signals")
    for command in ("figures", "search", "suggest", "enterprise_match", "supervision_signals"):
        out.update(_with_ratio(inprocess(env, command)))
    say(f"{engine}: export of {export_rows:,} rows")
    small = inprocess(env, "export", "--rows", str(max(1, export_rows // 10)), "--which", "ours")
    ours = inprocess(env, "export", "--rows", str(export_rows), "--which", "ours")
    base = inprocess(env, "export", "--rows", str(export_rows), "--which", "baseline")
    out["export_xlsx"] = {**ours, "mb_at_tenth_rows": small["mb"], "baseline": base,
                          "ratio": round(ours["s"] / base["s"], 2) if base["s"] else None}  # fmt: skip
    say(f"{engine}: the monthly pack of one month")
    out["monthly_pack"] = inprocess(env, "monthly_pack")
    say(f"{engine}: HTTP workloads ({seconds:.0f} s each)")
    out.update(http_workloads(env, seconds))
    peer = peer_workloads(engine, matters, seed, cluster, seconds)
    ours_list, ours_create = out["portal_task_list"], out["api_create"]
    out["peer_list"] = {**{k: ours_list[k] for k in ("p50_ms", "p99_ms", "per_s")}, "baseline": peer["list"],
                        "ratio": round(ours_list["p50_ms"] / peer["list"]["p50_ms"], 3)}  # fmt: skip
    out["peer_create"] = {**{k: ours_create[k] for k in ("p50_ms", "p99_ms", "per_s")}, "baseline": peer["create"],
                          "ratio": round(peer["create"]["per_s"] / ours_create["per_s"], 3)}  # fmt: skip
    out["server_rss"] |= {
        "baseline": {"mb": peer["rss_mb"]},
        "ratio": round(out["server_rss"]["mb"] / peer["rss_mb"], 2),
    }
    return out


def _with_ratio(entries: dict[str, Any]) -> dict[str, Any]:
    for entry in entries.values():
        entry["ratio"] = (
            round(entry["p50_ms"] / entry["baseline"]["p50_ms"], 2) if entry["baseline"]["p50_ms"] else None
        )
    return entries


def judge(results: dict[str, Any]) -> None:
    """Mark each entry with its target and whether it was met (only meaningful at full size)."""
    engines = results["engines"]
    for engine, entries in engines.items():
        for name, entry in entries.items():
            _figure, text, check = TARGETS[name]
            entry["target"] = text
            if name == "api_create":
                floor = 300 if engine == "sqlite" else max(300, engines.get("sqlite", {}).get(name, {}).get("per_s", 0))
                entry["met"] = entry["per_s"] >= floor
            elif name == "export_xlsx":
                entry["met"] = entry["s"] <= 10 and entry["mb"] <= entry["mb_at_tenth_rows"] * 1.25
            else:
                entry["met"] = bool(check(entry))


def table(results: dict[str, Any]) -> str:
    engines = list(results["engines"])
    head = "| workload | target | " + " | ".join(f"{e}: ours | baseline | ratio | met" for e in engines) + " |"
    rule = "|---|---|" + "---|---|---|---|" * len(engines)
    lines = [head, rule]
    for name, (figure, text, _check) in TARGETS.items():
        cells = [name, text]
        for engine in engines:
            entry = results["engines"][engine].get(name)
            if entry is None:
                cells += ["—"] * 4
                continue
            unit = {"p50_ms": " ms", "per_s": "/s", "s": " s", "mb": " MB"}[figure]
            ours = f"{entry[figure]}{unit}" + (f" (p99 {entry['p99_ms']} ms)" if figure == "p50_ms" else "")
            base = entry.get("baseline", {}).get(figure)
            met = {True: "yes", False: "**no**", None: "—"}[entry.get("met")]
            cells += [ours, f"{base}{unit}" if base is not None else "—", str(entry.get("ratio", "—")), met]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    matters = int(os.environ.get("BENCH_MATTERS", "1000000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    smoke = os.environ.get("BENCH_SMOKE") == "1"
    seconds = float(os.environ.get("BENCH_SECONDS", "1" if smoke else "8"))
    export_rows = int(os.environ.get("BENCH_EXPORT_ROWS", str(min(100_000, matters // 2))))
    engines = [e for e in os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",") if e]
    VAR.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    manage(app_env({}), "collectstatic", "--noinput")
    results: dict[str, Any] = {
        "matters": matters,
        "seed": seed,
        "smoke": smoke,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "engines": {},
    }
    if os.environ.get("BENCH_PREPARE_ONLY") == "1":  # make the data now, measure later (on a quiet machine)
        for engine in engines:
            with postgres_cluster() if engine == "postgresql" else contextlib.nullcontext() as cluster:
                prepared(engine, matters, seed, cluster)
                harness.prepare(peer_url(engine, matters, seed, cluster), matters, seed)
        return
    for engine in engines:
        with postgres_cluster() if engine == "postgresql" else contextlib.nullcontext() as cluster:
            results["engines"][engine] = run_engine(engine, matters, seed, seconds, export_rows, cluster)
    if not smoke:
        judge(results)
    results["seconds"] = round(time.monotonic() - began)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "smoke" if smoke else "latest"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    text = f"# Benchmarks: {matters:,} matters, {results['machine']['cpus']} CPUs, {results['seconds']} s\n\n{table(results)}\n"
    (RESULTS / f"{name}.md").write_text(text)
    print(text)
    missing = [f"{engine}/{name}" for engine in engines for name in TARGETS if name not in results["engines"][engine]]
    if missing:
        print("bench: workloads that did not run: " + ", ".join(missing), file=sys.stderr)
        raise SystemExit(1)
    failures = [
        f"{engine}/{name}: {figures['failures']} failed requests"
        for engine, entries in results["engines"].items()
        for name, entry in entries.items()
        for figures in (entry, entry.get("baseline", {}))
        if figures.get("failures")
    ]
    if failures:
        print("bench: requests failed: " + "; ".join(failures), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
