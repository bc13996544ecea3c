"""Drive the django-helpdesk peer of the benchmark suite: its venv, its data, its server, its two requests.

Standard library only: the peer runs in its own venv (var/bench/peer-venv), reached through subprocess.
See bench/peer/README.md for what is compared and why.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

PEER_DIR = Path(__file__).resolve().parent
ROOT = PEER_DIR.parents[1]
PROJECT = PEER_DIR / "project"
STAFF_USERNAME = "bench"  # made by hdpeer.fill
STAFF_PASSWORD = "bench-peer-pass"  # noqa: S105 (a throwaway bench account)
PAGE_SIZE = 20
OPEN = 1  # helpdesk's Ticket.OPEN_STATUS


@dataclass(frozen=True)
class Spec:
    """One HTTP request for the load generator (wrk)."""

    method: str  # "GET" or "POST"
    path: str  # path + query
    headers: dict[str, str]  # incl. Cookie with the session / csrftoken
    body: str = ""  # urlencoded body for POST


@dataclass
class Server:
    """A running peer: `base_url`, the gunicorn master's pid, and `pids` of its workers (read afresh)."""

    base_url: str
    master_pid: int
    workers: int
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def pids(self) -> list[int]:
        """Return the pids of the gunicorn workers now alive (children of the master)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == self.master_pid:
                children.append(int(stat.parent.name))
        return sorted(children)


def ensure_env(root: Path = ROOT) -> Path:
    """Create the peer venv under root/var/bench/peer-venv with the pinned requirements; return its python."""
    venv = root / "var" / "bench" / "peer-venv"
    python = venv / "bin" / "python"
    requirements = root / "bench" / "peer" / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = venv / ".requirements.sha256"
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    log = _log_dir(root) / "pip.log"
    with log.open("w") as out:
        _run([sys.executable, "-m", "venv", "--clear", str(venv)], out)
        _run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(requirements)], out)
    stamp.write_text(digest + "\n")
    return python


def prepare(database_url: str, rows: int, seed: int = 1) -> None:
    """Migrate the peer database and fill `rows` tickets for `seed`, unless it holds them already."""
    python = ensure_env(ROOT)
    subprocess.run(
        [str(python), "-m", "hdpeer.fill", "--rows", str(rows), "--seed", str(seed)],
        cwd=PROJECT,
        env=_env(database_url),
        check=True,
    )


def ticket_count(database_url: str) -> int:
    """Return the number of tickets in the peer database."""
    python = ensure_env(ROOT)
    out = subprocess.run(
        [str(python), "-m", "hdpeer.fill", "--count"],
        cwd=PROJECT,
        env=_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


@contextlib.contextmanager
def serve(database_url: str, port: int, workers: int = 2) -> Iterator[Server]:
    """Run the peer under gunicorn (sync workers) on 127.0.0.1:port until the block ends."""
    python = ensure_env(ROOT)
    log = _log_dir(ROOT) / f"peer-gunicorn-{port}.log"
    command = [
        str(python), "-m", "gunicorn",
        "--chdir", str(PROJECT),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", "120",  # a slow list under load is a result to measure, not a worker to kill
        "--log-level", "warning",
        "--error-logfile", "-",
        "hdpeer.wsgi:application",
    ]  # fmt: skip
    # Gunicorn's and Django's messages (a 4xx under load logs one each) go to the log, not to the bench's terminal.
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=_env(database_url), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process.pid, workers, log, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


def list_spec(base_url: str, *, queue: int = 1, status: int = OPEN, page: int = 1) -> Spec:
    """Log in as the staff user and return the datatables request for one 20-row page of queue × status."""
    opener, jar = _opener()
    login = f"{base_url}/helpdesk/login/"
    with opener.open(login, timeout=30) as response:
        response.read()
    form = {
        "username": STAFF_USERNAME,
        "password": STAFF_PASSWORD,
        "csrfmiddlewaretoken": _cookie(jar, "csrftoken"),
        "next": "/helpdesk/tickets/",
    }
    try:
        with opener.open(login, urllib.parse.urlencode(form).encode(), timeout=30) as response:
            response.read()  # 200: the form again, so the login was refused
    except urllib.error.HTTPError as error:  # 302: logged in (cookies are kept before errors are raised)
        if error.code != 302:
            raise
    if not _cookie(jar, "sessionid"):
        raise RuntimeError("peer: the staff login failed (no session cookie)")
    # The query the ticket list page encodes for its datatable, as helpdesk.query.query_to_base64 does.
    query = {
        "filtering": {"queue__id__in": [queue], "status__in": [status]},
        "filtering_null": {},
        "sorting": "created",
        "sortreverse": True,
        "search_string": "",
    }
    encoded = base64.b64encode(json.dumps(query).encode()).decode("ascii")
    # What the page's DataTables sends (its `order` is empty, so the query's sorting applies),
    # less the per-column parameters that the view ignores.
    params = {"draw": str(page), "start": str((page - 1) * PAGE_SIZE), "length": str(PAGE_SIZE), "search[value]": ""}
    spec = Spec(
        "GET",
        f"/helpdesk/datatables_ticket_list/{encoded}?{urllib.parse.urlencode(params)}",
        {
            "Cookie": _cookie_header(jar),
            "Accept": "application/json, text/javascript, */*; q=0.01",
            "X-Requested-With": "XMLHttpRequest",
        },
    )
    status_code, _ = fetch(base_url, spec)
    if status_code != 200:
        raise RuntimeError(f"peer: the list request answered {status_code}")
    return spec


def create_spec(base_url: str, *, queue: int = 1) -> Spec:
    """Return the public submit form's POST, with the csrftoken cookie and the matching form field."""
    opener, jar = _opener()
    with opener.open(f"{base_url}/helpdesk/tickets/submit/", timeout=30) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match or not _cookie(jar, "csrftoken"):
        raise RuntimeError("peer: the submit form carries no CSRF token")
    form = {
        "csrfmiddlewaretoken": match.group(1),
        "queue": str(queue),
        "title": "3号楼楼道灯不亮",
        "body": "居民反映：3号楼2单元楼道灯已经坏了一周，晚上上下楼很不方便，请尽快维修。",
        "priority": "3",
        "due_date": "",
        "submitter_email": "resident@example.cn",
    }
    return Spec(
        "POST",
        "/helpdesk/tickets/submit/",
        {"Cookie": _cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"},
        urllib.parse.urlencode(form),
    )


def fetch(base_url: str, spec: Spec) -> tuple[int, bytes]:
    """Send one spec without following redirects; return the status and the body."""
    request = urllib.request.Request(  # noqa: S310 (our own server on loopback)
        base_url + spec.path, spec.body.encode() or None, spec.headers, method=spec.method
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
        return error.code, error.read()


def wrk_lua(spec: Spec) -> str:
    """Return a wrk script that sends this spec (run wrk with the base URL)."""
    lines = [f"wrk.method = {_lua(spec.method)}", f"wrk.path = {_lua(spec.path)}", f"wrk.body = {_lua(spec.body)}"]
    lines += [f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in spec.headers.items()]
    return "\n".join(lines) + "\n"


def _lua(text: str) -> str:
    if not text.isascii():
        raise ValueError("wrk script strings must be ASCII (URL-encode the rest)")
    return json.dumps(text)  # an ASCII JSON string is a valid Lua string


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect), jar


def _cookie(jar: http.cookiejar.CookieJar, name: str) -> str:
    return next((c.value or "" for c in jar if c.name == name), "")


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV"}}
    return env | {"PEER_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "hdpeer.settings"}


def _log_dir(root: Path) -> Path:
    path = root / "var" / "bench" / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run(command: list[str], out: TextIO) -> None:
    if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode:
        raise RuntimeError(f"peer: {' '.join(command[:4])} failed; see var/bench/logs/pip.log")


def _wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"peer: gunicorn exited ({server.process.returncode}); see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/helpdesk/login/", timeout=5) as response:  # noqa: S310
                if response.status == 200 and len(server.pids) >= server.workers:
                    return
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"peer: the login page answered {error.code}; see {server.log}") from None
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"peer: gunicorn did not answer within {timeout:.0f} s; see {server.log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):  # a worker left behind by a master that died first
        os.killpg(process.pid, signal.SIGKILL)
