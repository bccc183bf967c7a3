#!/usr/bin/env bash
# make bench: Volontiers and the minimal Django ceiling side by side, in one run, on PostgreSQL.
# Writes bench/RESULTS.md. Needs the harness at ../shared/bench (BENCH_HARNESS), PostgreSQL on
# 127.0.0.1:5432 and redis-server (a private one is started on a spare port and stopped after).
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${BENCH_HARNESS:-../shared/bench}
PG=postgres://postgres@127.0.0.1:5432
QUICK=${BENCH_QUICK:-}

command -v wrk >/dev/null || apt-get install -y -q wrk
createdb_if_missing() {
  psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
    || createdb -h 127.0.0.1 -U postgres "$1"
}
createdb_if_missing volontiers_bench
createdb_if_missing bench_ceiling
createdb_if_missing volontiers_dashboard_bench

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true' EXIT

# Production-like settings, over plain HTTP on loopback (no TLS in the benchmark).
export DEBUG=0 SECRET_KEY=bench-not-secret-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL=http://127.0.0.1 DATABASE_URL=$PG/volontiers_bench
export CACHE_URL=redis://127.0.0.1:$REDIS_PORT/1 CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export EMAIL_URL=dummymail:// PRIVATE_MEDIA_ROOT=${BENCH_MEDIA_ROOT:-/tmp/volontiers-bench-media}
export BENCH_DATABASE_URL=$PG/bench_ceiling
# The upload run posts 100 drafts in a few seconds: lift the per-candidate draft limit.
export APPLY_RATE_LIMIT=100000/m

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_bench --missions 1000 --applications 50000 --profiles 50000
.venv/bin/python bench/page_weight.py > bench/.page-weight.md
bash "$HARNESS/setup.sh"
# Both databases compact and analysed, as autovacuum would keep a production one: each run's
# seeds delete and insert every row again, and without autovacuum (it is off on the project's
# machine) dead rows pile up run after run, four times the live ones after five runs, slowing
# whichever side scans more. VACUUM FULL rewrites the tables without them.
for db in volontiers_bench bench_ceiling; do psql "$PG/$db" -qc "VACUUM (FULL, ANALYZE)"; done
python3 "$HARNESS/suite.py" bench/targets.json ${QUICK:+--quick} | tee bench/.suite-output.md
.venv/bin/python bench/outbox_bench.py | tee bench/.outbox.md
.venv/bin/python bench/search_bench.py | tee bench/.search.md

# The dashboard over 1,000 missions and 1,000,000 applications, in a database of its own: seeding
# it takes minutes, so it is seeded again only when it holds fewer applications or its counts
# are more than a week old (its periods are the last 30 and 365 days).
DASHBOARD_DB=$PG/volontiers_dashboard_bench
DASHBOARD_APPLICATIONS=${BENCH_DASHBOARD_APPLICATIONS:-1000000}
DATABASE_URL=$DASHBOARD_DB .venv/bin/python manage.py migrate --noinput -v0
seeded=$(psql "$DASHBOARD_DB" -tAc "SELECT (SELECT count(*) FROM applications_application) >= $DASHBOARD_APPLICATIONS AND (SELECT max(day) FROM missions_stagetime) >= current_date - 7")
if [ "$seeded" != "t" ]; then
  DATABASE_URL=$DASHBOARD_DB .venv/bin/python manage.py seed_bench --missions 1000 \
    --applications "$DASHBOARD_APPLICATIONS" --spread
  psql "$DASHBOARD_DB" -qc "VACUUM (ANALYZE)"
fi
DATABASE_URL=$DASHBOARD_DB .venv/bin/python bench/dashboard_bench.py | tee bench/.dashboard.md

{
  echo "# Benchmark results"
  echo
  echo "Run of \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)."
  echo "Volontiers and the minimal Django 5.2 ceiling ran side by side in one interleaved run, on PostgreSQL;"
  echo "ratios are to the ceiling from the same run. Numbers as printed by ../shared/bench/suite.py, not edited."
  echo
  cat bench/.page-weight.md
  echo
  cat bench/.suite-output.md
  echo
  cat bench/.outbox.md
  echo
  cat bench/.search.md
  echo
  cat bench/.dashboard.md
} > bench/RESULTS.md
rm -f bench/.page-weight.md bench/.suite-output.md bench/.outbox.md bench/.search.md bench/.dashboard.md
echo "bench: wrote bench/RESULTS.md"
