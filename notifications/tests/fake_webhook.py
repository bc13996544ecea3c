"""A local stand-in for a WeCom / DingTalk group robot: records what it is sent, answers as told.

Use it as a context manager; POST to its `url`; read `requests` (each with `.json`); change the
answer for the following requests with `answer(status, body, delay=…)`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Answer:
    status: int = 200
    body: Any = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    delay: float = 0.0  # seconds to wait before answering (to test time-outs)
    headers: dict[str, str] = field(default_factory=dict)


class FakeWebhook:
    """An HTTP server on 127.0.0.1, on a free port, in a background thread."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._answer = Answer()
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with fake._lock:
                    fake.requests.append(Received(self.path, dict(self.headers.items()), body))
                    answer = fake._answer
                if answer.delay:
                    time.sleep(answer.delay)
                raw = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode("utf-8")
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out test)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/cgi-bin/webhook/send?key=test-robot-key"

    def answer(
        self, status: int = 200, body: Any = None, *, delay: float = 0.0, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the following requests with this status and JSON (or raw bytes) body."""
        with self._lock:
            self._answer = Answer(
                status=status,
                body={"errcode": 0, "errmsg": "ok"} if body is None else body,
                delay=delay,
                headers=headers or {},
            )

    def start(self) -> FakeWebhook:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeWebhook:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
