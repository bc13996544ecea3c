#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on a loopback port, run the given command with
# DATABASE_URL pointing at it, then stop the cluster and remove it whatever happened.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/initdb" ] || { echo "with-postgres: PostgreSQL 15 server binaries not found in $PGBIN (apt-get install postgresql-15)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/minqing-pg.XXXXXX)
PORT=${PGPORT_TEST:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
as_pg() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$DIR"; runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DIR/data" --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -w -l "$DIR/log" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$PORT"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/minqing"
"$@"
