#!/usr/bin/env bash
# Learner pages against a bare Django view, on this machine (loopback only), issue 18:
#   1. a fresh PostgreSQL database, migrated, with the demo (manage.py seed_demo),
#   2. the platform under gunicorn with production settings (DEBUG off, Redis cache, persistent
#      connections), and a bare Django view (bench/bare_wsgi.py) under the same gunicorn settings,
#   3. wrk against each page and the bare view in turn, A B A B (ROUNDS times), logged in as the
#      demo learner (anonymous for the home page),
#   4. per page: req/s, p50/p99 latency, the ratio to the bare view's req/s in the same round, and
#      the SQL queries the page runs (bench/page_setup.py, second request, caches warm).
#
# Usage: bench/run_pages.sh
# Knobs (environment): BENCH_DB=lp_pages_bench PGHOST=127.0.0.1 PGPORT=5432 REDIS_DB=6 VENV=.venv
#   DURATION=5s CONNECTIONS=16 WRK_THREADS=2 ROUNDS=2 GUNICORN_WORKERS=2 GUNICORN_CLASS=sync
#   GUNICORN_THREADS=1 PAGES="lesson course catalogue dashboard progress_api home_anonymous" KEEP_DB=0
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PY="$VENV/bin/python"
BENCH_DB=${BENCH_DB:-lp_pages_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_DB=${REDIS_DB:-6}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-2}
GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
GUNICORN_CLASS=${GUNICORN_CLASS:-sync}
GUNICORN_THREADS=${GUNICORN_THREADS:-1}
PAGES=${PAGES:-lesson course catalogue dashboard progress_api home_anonymous}
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${PORT:-$(free_port)}
BARE_PORT=${BARE_PORT:-$(free_port)}

case "$PGHOST" in 127.0.0.1|localhost|::1) ;; *) echo "PGHOST must be loopback" >&2; exit 2 ;; esac
case "$BENCH_DB" in lp_*bench*) ;; *) echo "BENCH_DB must look like lp_..._bench (it is dropped)" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }

export DATABASE_URL="postgres://postgres@${PGHOST}:${PGPORT}/${BENCH_DB}"
export CACHE_URL="redis://127.0.0.1:6379/${REDIS_DB}"
export CACHE_KEY_PREFIX="pagesbench"
export DEBUG=False
export SECRET_KEY="bench-only-not-secret-$(date +%s)-pages-benchmark-key"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=False
export CONN_MAX_AGE=60
export LOG_LEVEL=WARNING
unset CELERY_BROKER_URL  # page views enqueue nothing; seeding runs its tasks in-process
WORK=$(mktemp -d -t pagesbench.XXXXXX)
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media" LERNPLATTFORM_DATA_DIR="$WORK/data"
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -q)

PIDS=""
cleanup() {
    for pid in $PIDS; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    done
    if [ "${KEEP_DB:-0}" != "1" ]; then "${PSQL[@]}" -c "DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE);" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== Database ${BENCH_DB} on ${PGHOST}:${PGPORT}, cache redis db ${REDIS_DB}"
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE);" >/dev/null
"${PSQL[@]}" -c "CREATE DATABASE ${BENCH_DB};" >/dev/null
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py seed_demo >/dev/null
redis-cli -n "$REDIS_DB" --scan --pattern "pagesbench:*" | xargs -r redis-cli -n "$REDIS_DB" DEL >/dev/null

echo "== Session, pages and queries per page"
"$PY" manage.py shell -c "exec(open('bench/page_setup.py').read())" > "$WORK/setup.txt"
eval "$(grep -E '^(SESSION|COOKIE_NAME|PAGE_|QUERIES_)[A-Za-z_]*=' "$WORK/setup.txt")"
grep -E '^(PAGE_|QUERIES_)' "$WORK/setup.txt"

serve() {  # serve APP PORT
    nice -n 0 "$VENV/bin/gunicorn" "$1" --bind "127.0.0.1:$2" --workers "$GUNICORN_WORKERS" \
        --worker-class "$GUNICORN_CLASS" --threads "$GUNICORN_THREADS" --keep-alive 30 --backlog 2048 \
        --timeout 60 --log-level warning --error-logfile "$WORK/gunicorn-$2.log" &
    PIDS="$PIDS $!"
    for _ in $(seq 1 60); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$2/" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    cat "$WORK/gunicorn-$2.log"; exit 1
}
echo "== gunicorn: ${GUNICORN_WORKERS} x ${GUNICORN_CLASS} (${GUNICORN_THREADS} threads), platform :${PORT}, bare :${BARE_PORT}"
serve lernplattform.wsgi:application "$PORT"
serve bench.bare_wsgi:application "$BARE_PORT"

# wrk URL [cookie] -> "req/s p50_ms p99_ms"
measure() {
    local out
    if [ -n "${2:-}" ]; then
        out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: ${COOKIE_NAME}=$2" "$1")
    else
        out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
    fi
    if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers from $1" >&2; echo "$out" >&2; exit 1; fi
    "$PY" - "$out" <<'PYEOF'
import re, sys
text = sys.argv[1]
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{rps:.1f} {ms(50):.2f} {ms(99):.2f}")
PYEOF
}

echo "== wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION}, ${ROUNDS} rounds A B per page; load: $(uptime)"
printf '%-16s %5s %10s %9s %9s %10s %8s %8s\n' page round "req/s" "p50 ms" "p99 ms" "bare r/s" ratio queries
for page in $PAGES; do
    url_var="PAGE_${page}"; q_var="QUERIES_${page}"
    url="http://127.0.0.1:${PORT}${!url_var}"
    cookie="$SESSION"; case "$page" in *_anonymous) cookie="" ;; esac
    for round in $(seq 1 "$ROUNDS"); do
        read -r rps p50 p99 < <(measure "$url" "$cookie")
        read -r bare _bp50 _bp99 < <(measure "http://127.0.0.1:${BARE_PORT}/")
        ratio=$("$PY" -c "print(f'{$rps / $bare * 100:.2f}%')")
        printf '%-16s %5s %10s %9s %9s %10s %8s %8s\n' "$page" "$round" "$rps" "$p50" "$p99" "$bare" "$ratio" "${!q_var}"
    done
done
echo "== load after: $(uptime)"
for log in "$WORK"/gunicorn-*.log; do if [ -s "$log" ]; then echo "== $log (tail)"; tail -n 20 "$log"; fi; done
