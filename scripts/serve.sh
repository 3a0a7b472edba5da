#!/usr/bin/env bash
# The web server: the one granian command line that make run (scripts/run.sh), deploy/Procfile,
# deploy/systemd/gazette-web.service, the benchmarks (bench/stack.py) and docs/deploy.md use.
#
#   HOST (127.0.0.1)  PORT (8000)  WEB_WORKERS (2)  WEB_THREADS (4, request threads per worker)
#   MEDIA_DIR         also serve uploaded files at /media/ from there (make run, benchmarks;
#                     in production nginx serves /media/)
#   WSGI_APP          gazette.wsgi:application
#   VENV              the virtualenv holding granian (default: .venv if it has one, else granian
#                     on the PATH)
# Any arguments are passed on to granian before the application.
#
# A worker that dies (killed, out of memory, a crash in a C extension) is started again after a
# second (--respawn-failed-workers; granian leaves them dead by default, and the site goes down
# with its last one).
set -euo pipefail
cd "$(dirname "$0")/.."

ARGS=(
  --interface wsgi --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
  --workers "${WEB_WORKERS:-2}" --blocking-threads "${WEB_THREADS:-4}" --no-ws
  --log-level "${GRANIAN_LOG_LEVEL:-warning}"
  --respawn-failed-workers --respawn-interval 1
)
if [ -n "${MEDIA_DIR:-}" ]; then
  ARGS+=(--static-path-route /media --static-path-mount "$MEDIA_DIR")
fi
if [ -n "${VENV:-}" ]; then
  GRANIAN=$VENV/bin/granian
elif [ -x .venv/bin/granian ]; then
  GRANIAN=.venv/bin/granian
else
  GRANIAN=granian
fi
exec "$GRANIAN" "${ARGS[@]}" "$@" "${WSGI_APP:-gazette.wsgi:application}"
