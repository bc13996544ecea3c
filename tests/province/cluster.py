"""The province on one machine, for the tests: `scripts/province.sh` started as a user starts it, and driven over
loopback HTTP (the proxy, or one app server directly), PostgreSQL (to count what was written) and the processes'
pid files (to kill an app server or a worker)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-pass-2026"
START_TIMEOUT = 240  # seconds: initdb, migrate, the demo data and four servers on a busy 2-core machine
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class ProvinceError(RuntimeError):
    pass


def free_base_port() -> int:
    """A base port whose next dozen ports are free on loopback."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 60000:
            continue
        ports = range(base, base + 12)
        try:
            for port in ports:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise ProvinceError("no dozen free loopback ports found")


@dataclass
class Province:
    port: int
    directory: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app_url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.port + number}"

    def pid(self, name: str) -> int:
        return int((self.directory / "run" / f"{name}.pid").read_text().strip())

    def log(self, name: str) -> str:
        path = self.directory / "log" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def manage(self, *args: str, code: str | None = None) -> str:
        """Run a manage.py command with the province's settings; `code` runs `shell -c` and returns its output."""
        command = [str(ROOT / ".venv/bin/python"), "manage.py", *args]
        if code is not None:
            command += ["shell", "-c", code]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise ProvinceError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            return connection.execute(query, params).fetchall()  # type: ignore[arg-type]

    def kill_app(self, number: int) -> None:
        """Kill an app server the hard way: its gunicorn master and every worker of it, mid-request."""
        master = self.pid(f"app{number}")
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        for pid in [master, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def kill_worker(self, number: int) -> None:
        os.kill(self.pid(f"worker{number}"), signal.SIGKILL)

    def stop(self) -> None:
        """Stop it as Ctrl-C does (the script stops every process and removes its directories)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        (self.directory.parent / f"{self.directory.name}.out").unlink(missing_ok=True)


def start(**extra_env: str) -> Province:
    """Start scripts/province.sh in its own directories and wait until it says it is ready.

    PROVINCE_ATTACH=DIR:PORT uses a province already running there instead (while writing a test)."""
    attach = os.environ.get("PROVINCE_ATTACH", "")
    if attach:
        where, _colon, base = attach.rpartition(":")
        running = Province(port=int(base), directory=Path(where), process=subprocess.Popen(["true"]))
        running.env = _settings(dict(os.environ), Path(where), int(base))
        return running
    port = free_base_port()
    directory = Path(tempfile.mkdtemp(prefix="minqing-province-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_"))},
        "PROVINCE_PORT": str(port),
        "PROVINCE_DIR": str(directory),
        "PROVINCE_PG_DIR": str(directory) + "-pg",
        "PROVINCE_THROWAWAY": "1",
        "PROVINCE_KEEP_GOING": "1",
        **extra_env,
    }
    log = (directory.parent / f"{directory.name}.out").open("wb")
    process = subprocess.Popen(
        [str(ROOT / "scripts/province.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    province = Province(port=port, directory=directory, process=process)
    deadline = time.monotonic() + START_TIMEOUT
    while not (directory / "run" / "ready").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            province.stop()
            output = Path(log.name).read_text(errors="replace")
            raise ProvinceError(f"scripts/province.sh did not become ready:\n{output}")
        time.sleep(0.5)
    province.env = _settings(env, directory, port)
    return province


def _settings(env: dict[str, str], directory: Path, port: int) -> dict[str, str]:
    """The environment of a manage.py command run against the province (as scripts/province.sh sets it)."""
    return {
        **{k: v for k, v in env.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_"))},
        "DEBUG": "0",
        "MINQING_DEV_SETTINGS": "",
        "SECRET_KEY": (directory / "secret").read_text().strip(),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port + 10}/minqing",
        "REDIS_URL": f"redis://127.0.0.1:{port + 11}/0",
        "MINQING_VAR_DIR": str(directory / "var"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUST_X_FORWARDED_FOR": "1",
        "SECURE_COOKIES": "0",
    }


# --- HTTP as a user does it ---------------------------------------------------------------------------------------


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    if not found:
        raise ProvinceError("no CSRF token in the page")
    return found.group(1)


def signed_in(base: str, username: str, *, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    page = session.get(f"{base}/login/", timeout=30)
    answer = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_of(page.text)},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise ProvinceError(f"{username} could not sign in: {answer.status_code}")
    return session


def api_token(base: str, username: str) -> str:
    answer = requests.post(f"{base}/api/v1/auth/token/", data={"username": username, "password": PASSWORD}, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["token"])


def served_by(response: requests.Response) -> str:
    return response.headers.get("X-Served-By", "")


def with_retries(send: Callable[[], requests.Response], *, attempts: int = 8) -> requests.Response:
    """Send until the answer is not a gateway error or a broken connection (the client's part of exactly once)."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            response = send()
        except requests.RequestException as exc:
            last = exc
        else:
            if response.status_code not in (502, 503, 504):
                return response
            last = ProvinceError(f"gateway answered {response.status_code}")
        time.sleep(0.2 * (attempt + 1))
    raise ProvinceError(f"no answer after {attempts} attempts: {last}")


def new_key() -> str:
    return uuid.uuid4().hex


def as_json(response: requests.Response) -> Any:
    try:
        return response.json()
    except json.JSONDecodeError as exc:
        raise ProvinceError(f"not JSON ({response.status_code}): {response.text[:200]}") from exc
