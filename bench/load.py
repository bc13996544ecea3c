"""Load from a separate process: wrk over loopback, bounded in time, with its latency percentiles parsed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from typing import Any

from bench.peer.harness import Spec

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _lua(text: str) -> str:
    # Long brackets take any bytes but their own closing sequence, which no path, header or body here holds.
    return f"[==[{text}]==]"


def script(specs: Sequence[Spec]) -> str:
    """A wrk script sending the specs in turn (each connection's thread keeps its own counter)."""
    lines = ["local reqs = {}", "init = function(args)"]
    for spec in specs:
        headers = ", ".join(f"[ {_lua(k)} ] = {_lua(v)}" for k, v in spec.headers.items())
        body = _lua(spec.body) if spec.body else "nil"
        lines.append(f"  table.insert(reqs, wrk.format({_lua(spec.method)}, {_lua(spec.path)}, {{{headers}}}, {body}))")
    lines += [
        "end",
        "local i = 0",
        "request = function()",
        "  i = i % #reqs + 1",
        "  return reqs[i]",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"wrk printed an unexpected latency {value!r}")
    return round(float(match.group(1)) * _UNITS[match.group(2)], 2)


def parse(output: str) -> dict[str, Any]:
    """p50/p99 latency (ms), requests per second, requests, and failures (non-2xx/3xx and socket errors)."""
    percent = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.MULTILINE))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if rate is None or total is None or "50" not in percent:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    failures = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        failures += sum(int(n) for n in sockets.groups())
    return {
        "p50_ms": _ms(percent["50"]),
        "p99_ms": _ms(percent.get("99") or percent["50"]),
        "per_s": round(float(rate.group(1)), 1),
        "requests": int(total.group(1)),
        "failures": failures,
    }


def wrk(base_url: str, specs: Sequence[Spec], *, seconds: float, connections: int = 2, warmup: float = 1.0) -> dict:
    """Run wrk against `base_url` sending `specs` round-robin: a warm-up, then the measured run."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk (make system-deps does it)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script(specs))
    common = [binary, "-t1", f"-c{connections}", "--timeout", "30s", "-s", handle.name]
    if warmup:
        subprocess.run([*common, f"-d{max(1, round(warmup))}s", base_url], capture_output=True, check=True)
    done = subprocess.run(
        [*common, f"-d{max(1, round(seconds))}s", "--latency", base_url], capture_output=True, text=True, check=True
    )
    if done.stderr.strip():  # a script error: wrk would go on sending GET / and measure that
        raise RuntimeError(f"wrk: {done.stderr.strip()}")
    return parse(done.stdout)
