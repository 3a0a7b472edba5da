#!/usr/bin/env bash
# Serves the site like production on loopback: granian (WSGI, scripts/serve.sh) for the web,
# WhiteNoise for static files, granian's static mount for uploaded media, and the background
# worker and the scheduler beside it. granian starts a web worker that dies again; this script
# starts the worker or the scheduler again when it exits (a crash, a kill, a database error),
# after 1 s, then 2, 4 ... up to 30 s while it keeps failing; after a minute of running the
# wait is back to 1 s. Everything started here stops when this script stops (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VENV=${VENV:-.venv}
PY=$VENV/bin/python
export HOST PORT VENV

listening() {
  # Something accepts connections on $HOST:$PORT (bash's /dev/tcp: no tool needed).
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

if listening; then
  # granian shares a port with another granian (SO_REUSEPORT): readers would reach either.
  echo "Port $PORT on $HOST is in use (another make run?). Stop it, or choose another: make run PORT=8001" >&2
  exit 1
fi

stop_all() {
  trap - INT TERM EXIT
  trap '' INT TERM # this script stays to see everything it started stop
  kill -TERM 0 2>/dev/null || true
  for _ in $(seq 50); do
    [ -z "$(jobs -pr)" ] && return
    sleep 0.1
  done
  # granian never finishes a graceful shutdown asked for while its workers are still loading:
  # whatever is left of this process group after five seconds is killed.
  pkill -KILL -g "$(ps -o pgid= $$ | tr -d ' ')" -f "granian|db_worker|run_scheduler" 2>/dev/null || true
}
trap stop_all INT TERM EXIT

supervise() {
  # supervise NAME COMMAND...: runs COMMAND, and again each time it exits.
  local name=$1 delay=1 started status
  shift
  while true; do
    started=$SECONDS
    "$@" &
    wait $! && status=0 || status=$?
    if ((SECONDS - started >= 60)); then delay=1; fi
    echo "$name exited (status $status); restarting in $delay s" >&2
    sleep "$delay"
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

supervise "background worker" "$PY" manage.py db_worker --queue-name "*" --interval 1 &
supervise "scheduler" "$PY" manage.py run_scheduler &

MEDIA_DIR=${GAZETTE_MEDIA_ROOT:-$(pwd)/media}
mkdir -p "$MEDIA_DIR"
MEDIA_DIR=$MEDIA_DIR scripts/serve.sh &
WEB=$!

# The address is printed once the site answers, so that following it never finds nothing there.
for _ in $(seq 600); do
  listening && break
  if ! kill -0 "$WEB" 2>/dev/null; then
    echo "The web server did not start; its messages are above." >&2
    exit 1
  fi
  sleep 0.1
done
listening || { echo "The web server did not answer on $HOST:$PORT within a minute." >&2; exit 1; }

echo
echo "Gazette is running on http://$HOST:$PORT/"
echo "  Admin:  http://$HOST:$PORT/admin/"
echo "  Login:  editor / $(cat var/demo-editor-password)"
echo "Press Ctrl-C to stop."
echo
wait "$WEB" && status=0 || status=$?
echo "The web server stopped (status $status); stopping the rest." >&2
exit "$status"
