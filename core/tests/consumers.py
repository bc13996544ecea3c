"""Real huey consumers for the job tests: threads of this process on the configured store (the SQLite file of the
test run, or Redis under scripts/with-redis.sh), never huey's immediate mode."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from huey.consumer import Consumer

from core.jobs.queue import huey


@contextlib.contextmanager
def running_consumers(
    count: int = 1, *, workers: int = 1, periodic: bool = False, flush: bool = True
) -> Iterator[list[Consumer]]:
    """Start `count` consumers (as on `count` machines), each with `workers` worker threads; stop them after.

    `flush` first empties the store of what earlier tests queued (their jobs are gone with their data).
    """
    if flush:
        huey.flush()
    consumers = []
    try:
        for _ in range(count):
            consumer = huey.create_consumer(
                workers=workers,
                worker_type="thread",
                periodic=periodic,
                initial_delay=0.02,
                backoff=1.2,
                max_delay=0.2,
                check_worker_health=False,
            )
            consumer._set_signal_handlers = lambda: None  # type: ignore[method-assign]  # only a main thread may
            consumer.start()
            consumers.append(consumer)
        yield consumers
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
        huey.flush()


def wait_for(predicate: Callable[[], Any], *, timeout: float = 60, what: str = "the job") -> Any:
    """Poll until `predicate()` is truthy and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
