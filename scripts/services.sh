#!/usr/bin/env bash
# Starts (or stops) the private PostgreSQL and Redis servers the test suite runs against.
# They listen on loopback only, on their own ports, with their data under var/test-services.
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

start() {
  mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; chmod 755 "$DIR"; fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
    if [ ! -f "$DIR/pg/PG_VERSION" ]; then
      as_pg "$PG_BIN/initdb" -D "$DIR/pg" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || fail "initdb failed in $DIR/pg" "$DIR/initdb.log"
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR -c fsync=off -c full_page_writes=off" start >/dev/null \
      || fail "PostgreSQL did not start" "$DIR/pg.log"
  fi
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir "$DIR" --logfile "$DIR/redis.log" --pidfile "$DIR/redis.pid"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/gazette"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
