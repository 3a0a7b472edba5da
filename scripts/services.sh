#!/usr/bin/env bash
# Starts (or stops) the private PostgreSQL and Redis servers the test suite runs against.
# They listen on loopback only, on their own ports (54329 and 63799, or free ones the kernel picks
# when another program, or another checkout's test run, holds those), with their data under
# var/test-services.
#   scripts/services.sh start   -> prints DATABASE_URL=... and REDIS_URL=... lines
#   scripts/services.sh stop
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${GAZETTE_SERVICES_DIR:-$ROOT/var/test-services}
PG_PORT=${GAZETTE_PG_PORT:-54329}
REDIS_PORT=${GAZETTE_REDIS_PORT:-63799}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] || PG_BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")

as_pg() {
  # initdb and pg_ctl refuse to run as root: run them as the postgres user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" -eq 0 ] && [ -z "${GAZETTE_SERVICES_DIR:-}" ]; then
  # As root the servers run as the postgres user, who must be able to reach the data directory.
  # A checkout below a private folder (mktemp -d makes it 0700) is out of its reach: the data
  # then goes to a folder of its own, named after the checkout so start and stop agree.
  mkdir -p "$DIR"
  if ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
    DIR=/var/tmp/gazette-test-services-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)
  fi
fi

fail() {
  echo "services.sh: $1" >&2
  [ -f "$2" ] && tail -20 "$2" >&2
  exit 1
}

free_port() {
  # "$1" when nothing listens there, else a free port the kernel picks.
  python3 -c 'import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}

# The ports this checkout's servers were started on (start writes them; stop reads them).
# shellcheck disable=SC1091
[ -f "$DIR/ports" ] && . "$DIR/ports"

redis_running() {
  [ -f "$DIR/redis.pid" ] && kill -0 "$(cat "$DIR/redis.pid")" 2>/dev/null
}

start() {
  mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; chmod 755 "$DIR"; fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
    PG_PORT=$(free_port "${GAZETTE_PG_PORT:-54329}")
    if [ ! -f "$DIR/pg/PG_VERSION" ]; then
      as_pg "$PG_BIN/initdb" -D "$DIR/pg" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || fail "initdb failed in $DIR/pg" "$DIR/initdb.log"
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR -c fsync=off -c full_page_writes=off" start >/dev/null \
      || fail "PostgreSQL did not start" "$DIR/pg.log"
  fi
  if ! redis_running; then
    REDIS_PORT=$(free_port "${GAZETTE_REDIS_PORT:-63799}")
    rm -f "$DIR/redis.pid"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir "$DIR" --logfile "$DIR/redis.log" --pidfile "$DIR/redis.pid"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis_running || fail "Redis did not start" "$DIR/redis.log"
  fi
  printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$PG_PORT" "$REDIS_PORT" >"$DIR/ports"
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/gazette"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true
  if redis_running; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
