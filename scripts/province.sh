#!/usr/bin/env bash
# `make province`: on one machine, what a province runs on several. PostgreSQL 15, Redis, three gunicorn app
# servers on their own ports behind one HAProxy (deploy/haproxy.cfg), and two job workers, all with the same
# production settings (DEBUG off, one SECRET_KEY, one shared MEDIA_ROOT). Ctrl-C (or SIGTERM) stops everything.
#
# Ports, from PROVINCE_PORT (8100): the proxy on PORT, the app servers on PORT+1..PORT+3, PostgreSQL on PORT+10,
# Redis on PORT+11, all on 127.0.0.1. The state lives in PROVINCE_DIR (var/province: settings, media, logs, pids);
# PostgreSQL's cluster in PROVINCE_PG_DIR (default /var/tmp/minqing-province-<uid>-<port>: a directory the postgres
# user can enter, which a repository under a private home is not). The first start loads the demo data; later
# starts keep the data. PROVINCE_THROWAWAY=1 removes both directories when it stops (the province test does).
#
# While it runs, PROVINCE_DIR/run/ holds one pid file per process (app1..3 are gunicorn masters, worker1..2,
# proxy, redis) and `ready` once every server answers its health check through the proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PY:-$ROOT/.venv/bin/python}
PORT=${PROVINCE_PORT:-8100}
DIR=${PROVINCE_DIR:-$ROOT/var/province}
PGDIR=${PROVINCE_PG_DIR:-/var/tmp/minqing-province-$(id -u)-$PORT}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
APP_WORKERS=${PROVINCE_APP_WORKERS:-2}
APPS=3
WORKERS=2
say() { echo "province: $*"; }
die() { echo "province: $*" >&2; exit 1; }

[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 server binaries not found in $PGBIN (make system-deps, or apt-get install postgresql-15)"
command -v redis-server >/dev/null || die "redis-server not found (make system-deps, or apt-get install redis-server)"
command -v haproxy >/dev/null || die "haproxy not found (make system-deps, or apt-get install haproxy)"
[ -x "$PY" ] || die "no virtual environment at $PY (make install)"

mkdir -p "$DIR/run" "$DIR/log" "$DIR/var" "$DIR/redis"
rm -f "$DIR/run/ready"
PG_PORT=$((PORT + 10))
REDIS_PORT=$((PORT + 11))
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PIDS=()
stop() {
  trap - INT TERM EXIT
  say "stopping"
  rm -f "$DIR/run/ready"
  for name in proxy app1 app2 app3; do
    [ -f "$DIR/run/$name.pid" ] && kill -TERM "$(cat "$DIR/run/$name.pid")" 2>/dev/null || true
  done
  for name in worker1 worker2; do  # a worker finishes its current task on SIGINT
    [ -f "$DIR/run/$name.pid" ] && kill -INT "$(cat "$DIR/run/$name.pid")" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  [ -f "$DIR/run/redis.pid" ] && kill "$(cat "$DIR/run/redis.pid")" 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -f "$DIR"/run/*.pid
  if [ "${PROVINCE_THROWAWAY:-}" = 1 ]; then rm -rf "$PGDIR" "$DIR"; fi
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

# --- PostgreSQL ---------------------------------------------------------------------------------------------------
if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
  mkdir -p "$PGDIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
fi
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
  -o "-p $PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='minqing'" \
  | grep -q 1 || "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres minqing
say "PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PGDIR)"

# --- Redis (the queue is kept on disk: a restart loses no job) ----------------------------------------------------
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --appendonly yes --protected-mode yes \
  --daemonize yes --pidfile "$DIR/run/redis.pid" --logfile "$DIR/log/redis.log" >/dev/null
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || die "Redis did not start (see $DIR/log/redis.log)"
say "Redis on 127.0.0.1:$REDIS_PORT"

# --- the settings every process shares ----------------------------------------------------------------------------
[ -f "$DIR/secret" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DIR/secret"
chmod 600 "$DIR/secret"
export SECRET_KEY
SECRET_KEY=$(cat "$DIR/secret")
export DEBUG=0
export MINQING_DEV_SETTINGS=""  # never a development checkout's var/dev-settings.env
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/minqing"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export MINQING_VAR_DIR="$DIR/var"  # media (uploads, job results) and collected static files: one for all servers
export ALLOWED_HOSTS="127.0.0.1,localhost"
export TRUST_X_FORWARDED_FOR=1  # the proxy overwrites X-Forwarded-For with the client's address
# Plain HTTP on loopback here; a real province terminates TLS at the proxy and keeps the cookies Secure (the default).
export SECURE_COOKIES=${SECURE_COOKIES:-0}
export HUEY_WORKERS=${HUEY_WORKERS:-2}
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}

"$PY" manage.py migrate --noinput >"$DIR/log/setup.log" 2>&1 || die "migrate failed (see $DIR/log/setup.log)"
if [ ! -f "$DIR/var/.demo-loaded" ]; then
  say "loading the demo data (first start)"
  "$PY" manage.py load_demo --shift-to-today >>"$DIR/log/setup.log" 2>&1 || die "load_demo failed (see $DIR/log/setup.log)"
  touch "$DIR/var/.demo-loaded"
fi
"$PY" manage.py collectstatic --noinput >>"$DIR/log/setup.log" 2>&1 || die "collectstatic failed (see $DIR/log/setup.log)"

# --- three app servers, two workers, the proxy --------------------------------------------------------------------
for i in $(seq $APPS); do
  "$ROOT/.venv/bin/gunicorn" minqing.wsgi:application --bind "127.0.0.1:$((PORT + i))" --workers "$APP_WORKERS" \
    --pid "$DIR/run/app$i.pid" --access-logfile "$DIR/log/app$i.access.log" --error-logfile "$DIR/log/app$i.log" \
    --graceful-timeout 10 &
  PIDS+=($!)
done
for i in $(seq $WORKERS); do
  "$PY" manage.py run_huey >"$DIR/log/worker$i.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$DIR/run/worker$i.pid"
done
export MINQING_PROXY_BIND="127.0.0.1:$PORT" MINQING_APP1="127.0.0.1:$((PORT + 1))"
export MINQING_APP2="127.0.0.1:$((PORT + 2))" MINQING_APP3="127.0.0.1:$((PORT + 3))"
haproxy -f deploy/haproxy.cfg -db >"$DIR/log/proxy.log" 2>&1 &
PIDS+=($!)
echo $! > "$DIR/run/proxy.pid"

healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/healthz")" = 200 ]; }
for _ in $(seq 600); do
  all=1
  for port in "$PORT" $((PORT + 1)) $((PORT + 2)) $((PORT + 3)); do healthy "$port" || { all=0; break; }; done
  [ $all = 1 ] && break
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process ended while starting (see $DIR/log)"; done
  sleep 0.1
done
[ $all = 1 ] || die "the servers did not become healthy in 60 s (see $DIR/log)"
touch "$DIR/run/ready"
say "ready: http://127.0.0.1:$PORT/ (app servers on $((PORT + 1))-$((PORT + 3)), $WORKERS job workers; logs in $DIR/log)"
say "demo accounts: cadre handler leader coordinator assessor supervisor sysadmin secadmin auditor (password: ${MINQING_DEMO_PASSWORD:-demo-pass-2026})"

# Run until stopped, or until the proxy or a worker ends on its own (an app server may be killed and restarted by
# the operator or the test without stopping the rest).
while :; do
  for name in proxy worker1 worker2; do
    pid=$(cat "$DIR/run/$name.pid" 2>/dev/null || echo "")
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && [ "${PROVINCE_KEEP_GOING:-}" != 1 ]; then
      say "$name ended; stopping the rest"
      exit 1
    fi
  done
  sleep 1
done
