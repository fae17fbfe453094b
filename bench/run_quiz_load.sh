#!/usr/bin/env bash
# Quiz load benchmark, end to end on this machine (loopback only):
#   1. a fresh PostgreSQL database, migrated,
#   2. N learners enrolled in a bench course with a 20-question quiz (manage.py quiz_bench_seed),
#   3. gunicorn (DEBUG off, like production) serving it,
#   4. bench/quiz_load.py driving logins, attempt starts, saves at a fixed arrival rate and submits,
#   5. everything stopped again; the JSON report lands in bench/results/.
#
# Usage: bench/run_quiz_load.sh [extra arguments for bench/quiz_load.py]
# Knobs (environment): LEARNERS=200 INTERVAL=10 DURATION=120 QUESTIONS=20 PORT=<free>
#   GUNICORN_WORKERS=3 GUNICORN_THREADS=4 GUNICORN_CLASS=gthread PGHOST=127.0.0.1 PGPORT=5432 KEEP_DB=0
#   BENCH_DB=lp_quiz_bench (dropped and created: give each run its own) REDIS_DB=6 VENV=.venv
#   BROKER=redis://127.0.0.1:6379/$REDIS_DB (or BROKER=eager)
#   SERVER_NICE=0: e.g. -10 gives gunicorn and the worker priority over other work on a shared machine
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PY="$VENV/bin/python"

LEARNERS=${LEARNERS:-200}
INTERVAL=${INTERVAL:-10}
DURATION=${DURATION:-120}
QUESTIONS=${QUESTIONS:-20}
# A free loopback port unless one is given (others may run servers on this machine).
PORT=${PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_DB=${REDIS_DB:-6}
# Two cores: a few processes (the GIL binds each to one core) with threads to overlap database waits.
GUNICORN_WORKERS=${GUNICORN_WORKERS:-3}
GUNICORN_THREADS=${GUNICORN_THREADS:-4}
GUNICORN_CLASS=${GUNICORN_CLASS:-gthread}
PASSWORD="Bench-Passwort-2026"
DB=${BENCH_DB:-lp_quiz_bench}

case "$PGHOST" in 127.0.0.1|localhost|::1) ;; *) echo "PGHOST must be loopback" >&2; exit 2 ;; esac
case "$DB" in lp_*bench*) ;; *) echo "BENCH_DB must look like lp_..._bench (it is dropped)" >&2; exit 2 ;; esac
if [ "$LEARNERS" -gt 2000 ] || [ "$DURATION" -gt 900 ]; then echo "Refusing: too many learners or too long" >&2; exit 2; fi

export DATABASE_URL="postgres://postgres@${PGHOST}:${PGPORT}/${DB}"
export DEBUG=False
export SECRET_KEY="bench-only-not-secret-$(date +%s)-quiz-load-benchmark-key"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=False
export CONN_MAX_AGE=60
export LOG_LEVEL=WARNING
export AXES_FAILURE_LIMIT=1000
# As in production: tasks (the progress report after a submit) go through Redis to a Celery worker
# on the same two cores, so their CPU competes with the web server. BROKER=eager runs them inside
# the request instead (its cost then shows up in the submit latency).
BROKER=${BROKER:-redis://127.0.0.1:6379/${REDIS_DB}}
if [ "$BROKER" = "eager" ]; then unset CELERY_BROKER_URL; else export CELERY_BROKER_URL="$BROKER"; fi
WORK=$(mktemp -d -t quizbench.XXXXXX)
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"
export LERNPLATTFORM_DATA_DIR="$WORK/data"
mkdir -p "$ROOT/bench/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$ROOT/bench/results/quiz_load-$STAMP.json"

GUNICORN_PID=""
WORKER_PID=""
cleanup() {
    for pid in $GUNICORN_PID $WORKER_PID; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    done
    if [ "${KEEP_DB:-0}" != "1" ]; then
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS ${DB} WITH (FORCE);" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== Database ${DB}"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS ${DB} WITH (FORCE);" >/dev/null
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE DATABASE ${DB};" >/dev/null
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0

echo "== Seeding ${LEARNERS} learners and a ${QUESTIONS}-question quiz"
QUIZ_ID=$("$PY" manage.py quiz_bench_seed --learners "$LEARNERS" --questions "$QUESTIONS" --password "$PASSWORD" | tail -n 1)
echo "quiz page id: $QUIZ_ID"

if [ -n "${CELERY_BROKER_URL:-}" ]; then
    case "$CELERY_BROKER_URL" in redis://127.0.0.1:*|redis://localhost:*) ;; *) echo "BROKER must be loopback" >&2; exit 2 ;; esac
    echo "== Celery worker (1 process) on $CELERY_BROKER_URL"
    redis-cli -u "$CELERY_BROKER_URL" FLUSHDB >/dev/null
    nice -n "${SERVER_NICE:-0}" "$VENV/bin/celery" -A lernplattform worker --concurrency 1 --loglevel WARNING \
        --logfile "$WORK/celery.log" &
    WORKER_PID=$!
fi

echo "== gunicorn: ${GUNICORN_WORKERS} x ${GUNICORN_CLASS} (${GUNICORN_THREADS} threads) on 127.0.0.1:${PORT}"
nice -n "${SERVER_NICE:-0}" "$VENV/bin/gunicorn" lernplattform.wsgi:application \
    --bind "127.0.0.1:${PORT}" --workers "$GUNICORN_WORKERS" --worker-class "$GUNICORN_CLASS" \
    --threads "$GUNICORN_THREADS" --keep-alive 30 --backlog 2048 --timeout 60 \
    --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log"; exit 1; }
    if curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/konto/anmelden/" 2>/dev/null; then break; fi
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/konto/anmelden/" || { cat "$WORK/gunicorn.log"; exit 1; }

echo "== Load: ${LEARNERS} learners, one save each every ${INTERVAL} s, ${DURATION} s"
set +e
"$PY" "$ROOT/bench/quiz_load.py" --base-url "http://127.0.0.1:${PORT}" --quiz "$QUIZ_ID" \
    --learners "$LEARNERS" --interval "$INTERVAL" --duration "$DURATION" \
    --password "$PASSWORD" --json "$REPORT" "$@"
STATUS=$?
set -e
echo "== Database after the run"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -Atc \
    "SELECT 'attempts by state: ' || string_agg(state || '=' || n, ', ') FROM (SELECT state, count(*) n FROM assessment_attempt GROUP BY state) s;" || true
if [ -n "$WORKER_PID" ]; then
    sleep 5  # let the worker drain the last reports
    echo "queued tasks left: $(redis-cli -u "$CELERY_BROKER_URL" LLEN celery)"
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -Atc \
        "SELECT 'progress records from quizzes: ' || count(*) FROM progress_activitycompletion WHERE source = 'quiz';" || true
fi
if [ -s "$WORK/gunicorn.log" ]; then echo "== gunicorn log (tail)"; tail -n 20 "$WORK/gunicorn.log"; fi
echo "Report: $REPORT"
exit $STATUS
