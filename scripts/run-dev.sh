#!/usr/bin/env bash
# `make run`: the development server and one job worker side by side. The worker runs the jobs the pages start
# (big exports and imports, a unit's duty reports) and the schedules (tick every 5 minutes, duty reminders on
# Fridays, the nightly clean-ups and audit check). Ctrl-C stops both; so does either one ending.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
WEB= WORKER=
stop() {
  trap - INT TERM EXIT
  # The worker finishes its current task on SIGINT; the server gets SIGTERM, because a background command of a
  # script starts with SIGINT ignored (a terminal's Ctrl-C reaches both, and only the worker would act on it).
  [ -n "$WORKER" ] && kill -INT "$WORKER" 2>/dev/null || true
  [ -n "$WEB" ] && kill -TERM "$WEB" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
"$PY" manage.py run_huey &
WORKER=$!
"$PY" manage.py runserver "127.0.0.1:$PORT" &
WEB=$!
wait -n "$WORKER" "$WEB"
