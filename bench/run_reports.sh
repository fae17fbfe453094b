#!/usr/bin/env bash
# Reports benchmark on the generated national data (see docs/reports.md):
#   1. once: a PostgreSQL database filled by `manage.py generate_scale_data` (GENERATE=1 does it here),
#   2. gunicorn (DEBUG off) serving it on a loopback port,
#   3. bench/reports.py: the JSON API over HTTP, the same roll-ups as plain SQL, a 100,000-row XLSX export.
#
# Usage: bench/run_reports.sh [extra arguments for bench/reports.py]
# Knobs: DB=lp_reports_scale PGHOST=127.0.0.1 PORT=8181 GENERATE=0 GUNICORN_WORKERS=2 GUNICORN_THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
DB=${DB:-lp_reports_scale}
PGHOST=${PGHOST:-127.0.0.1}
PORT=${PORT:-8181}
export DATABASE_URL="postgres://postgres@${PGHOST}:5432/${DB}"
export DEBUG=False SECRET_KEY=bench-reports-not-secret ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=False
export SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False CONN_MAX_AGE=60 LOG_LEVEL=WARNING AXES_FAILURE_LIMIT=1000
unset CELERY_BROKER_URL
WORK=$(mktemp -d -t reportsbench.XXXXXX)
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"

if [ "${GENERATE:-0}" = "1" ]; then
    psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS ${DB} WITH (FORCE);"
    psql -h "$PGHOST" -U postgres -d postgres -qc "CREATE DATABASE ${DB};"
    "$PY" manage.py migrate --noinput -v 0
    time nice -n 10 "$PY" manage.py generate_scale_data
fi
"$PY" manage.py collectstatic --noinput -v 0

GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then kill -TERM "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
"$ROOT/.venv/bin/gunicorn" lernplattform.wsgi:application --bind "127.0.0.1:${PORT}" \
    --workers "${GUNICORN_WORKERS:-2}" --worker-class gthread --threads "${GUNICORN_THREADS:-2}" --timeout 300 \
    --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log"; exit 1; }
    if curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/konto/anmelden/" 2>/dev/null; then break; fi
    sleep 0.5
done
mkdir -p "$ROOT/bench/results"
"$PY" "$ROOT/bench/reports.py" --base-url "http://127.0.0.1:${PORT}" \
    --json "$ROOT/bench/results/reports-$(date -u +%Y%m%dT%H%M%SZ).json" "$@"
if [ -s "$WORK/gunicorn.log" ]; then echo "== gunicorn log (tail)"; tail -n 20 "$WORK/gunicorn.log"; fi
