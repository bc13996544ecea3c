#!/usr/bin/env bash
# Start a throwaway Redis server on a free loopback port in a temporary directory, run the given command with
# REDIS_URL pointing at it (Django's cache and the job queue then use it), then stop the server and remove the
# directory whatever happened. Nothing is saved to disk.
set -euo pipefail
command -v redis-server >/dev/null || { echo "with-redis: redis-server not found (apt-get install redis-server)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/minqing-redis.XXXXXX)
PORT=${REDIS_PORT_TEST:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cleanup() {
  if [ -f "$DIR/redis.pid" ]; then
    pid=$(cat "$DIR/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT
redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save "" --appendonly no --protected-mode yes \
  --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/log" >/dev/null
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.05
done
redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG || { echo "with-redis: the server did not start:" >&2; cat "$DIR/log" >&2; exit 1; }
echo "with-redis: Redis on 127.0.0.1:$PORT"
export REDIS_URL="redis://127.0.0.1:$PORT/0"
"$@"
