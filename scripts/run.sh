#!/usr/bin/env bash
# Serves the site like production on loopback: granian (WSGI) for the web, WhiteNoise for static
# files, granian's static mount for uploaded media, and the background worker beside it.
# Everything started here stops when this script stops (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${WEB_WORKERS:-2}
PY=.venv/bin/python

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null || true' INT TERM EXIT

$PY manage.py db_worker --queue-name "*" --interval 1 &
if $PY manage.py help run_scheduler >/dev/null 2>&1; then
  $PY manage.py run_scheduler &
fi

echo
echo "Gazette is running on http://$HOST:$PORT/"
echo "  Admin:  http://$HOST:$PORT/admin/"
echo "  Login:  editor / $(cat var/demo-editor-password)"
echo "Press Ctrl-C to stop."
echo

.venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" --workers "$WORKERS" \
  --blocking-threads 4 --no-ws --log-level warning \
  --static-path-route /media --static-path-mount "$(pwd)/media" \
  gazette.wsgi:application &
wait
