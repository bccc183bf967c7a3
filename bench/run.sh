#!/usr/bin/env bash
# make bench: Volontiers and the ceiling (bench/ceiling/, a minimal Django 5.2 site) side by
# side in one run on PostgreSQL, driven by bench/harness/; then the e-mail outbox, the staff
# search and the dashboard. Writes bench/RESULTS.md. Needs nothing outside the repository but
# the project's .venv, PostgreSQL on 127.0.0.1:5432, redis-server (a private one is started on
# a spare port and stopped after) and wrk (Debian's package, installed if missing).
#
# BENCH_QUICK=1 (make bench-quick): a smoke run of every step in about a minute, on databases
# of its own (suffix _quick) with tiny seeds, 1-second loads, 1 repeat; it writes
# $BENCH_WORK/RESULTS-quick.md and its numbers mean nothing. Overridable: BENCH_OUTPUT,
# BENCH_WORK (default ~/.cache/volontiers-bench), BENCH_DB, BENCH_CEILING_DB, BENCH_DASHBOARD_DB.
# The exit status is 3 when a full run leaves a goal of bench/targets.json not met.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=postgres://postgres@127.0.0.1:5432
QUICK=${BENCH_QUICK:-}
SUFFIX=${QUICK:+_quick}
export BENCH_WORK=${BENCH_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/volontiers-bench}
OUTPUT=${BENCH_OUTPUT:-${QUICK:+$BENCH_WORK/RESULTS-quick.md}}
OUTPUT=${OUTPUT:-bench/RESULTS.md}
DB=${BENCH_DB:-volontiers_bench$SUFFIX}
CEILING_DB=${BENCH_CEILING_DB:-bench_ceiling$SUFFIX}
DASHBOARD_DB=${BENCH_DASHBOARD_DB:-volontiers_dashboard_bench$SUFFIX}
if [ -n "$QUICK" ]; then
  SEED=(--missions 30 --applications 300 --profiles 300)
  CEILING_SEED=(--missions 30 --applications 300)
  DASHBOARD_MISSIONS=30 DASHBOARD_APPLICATIONS=${BENCH_DASHBOARD_APPLICATIONS:-1000}
  export BENCH_QUICK=1
else
  SEED=(--missions 1000 --applications 50000 --profiles 50000)
  CEILING_SEED=(--missions 1000 --applications 50000)
  DASHBOARD_MISSIONS=1000 DASHBOARD_APPLICATIONS=${BENCH_DASHBOARD_APPLICATIONS:-1000000}
fi
PY=$PWD/.venv/bin/python
mkdir -p "$BENCH_WORK"
TMP=$(mktemp -d)
step() { echo "bench [${SECONDS} s]: $*" >&2; }
step "databases $DB, $CEILING_DB, $DASHBOARD_DB; work directory $BENCH_WORK"

command -v wrk >/dev/null || apt-get install -y -q wrk
exists() { psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }
exists "$DB" || createdb -h 127.0.0.1 -U postgres "$DB"
exists "$CEILING_DB" || createdb -h 127.0.0.1 -U postgres "$CEILING_DB"

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; rm -rf "$TMP"' EXIT

# Production-like settings, over plain HTTP on loopback (no TLS in the benchmark).
export DEBUG=0 SECRET_KEY=bench-not-secret-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL=http://127.0.0.1 DATABASE_URL=$PG/$DB
export CACHE_URL=redis://127.0.0.1:$REDIS_PORT/1 CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export EMAIL_URL=dummymail:// PRIVATE_MEDIA_ROOT=${BENCH_MEDIA_ROOT:-$BENCH_WORK/volontiers-media}
export CEILING_DATABASE_URL=$PG/$CEILING_DB
# The upload run posts 100 drafts in a few seconds: lift the per-candidate draft limit.
export APPLY_RATE_LIMIT=100000/m
# The partner's page is loaded by wrk from one address: lift its per-address limit too.
export PARTNER_RATE_LIMIT=1000000/m

# The static files and the ceiling's database are made while our migrations run.
step "migrate and seed (collectstatic and the ceiling beside)"
$PY manage.py collectstatic --noinput -v0 &
STATIC_PID=$!
(cd bench/ceiling && $PY manage.py migrate --noinput -v0 && $PY manage.py seed "${CEILING_SEED[@]}") &
CEILING_PID=$!
$PY manage.py migrate --noinput -v0
# A new dashboard database starts as a copy of the migrated one (seed_bench replaces its rows),
# or empty if another session holds that one open.
DASHBOARD_MIGRATED=
if ! exists "$DASHBOARD_DB"; then
  createdb -h 127.0.0.1 -U postgres -T "$DB" "$DASHBOARD_DB" 2>/dev/null && DASHBOARD_MIGRATED=1 \
    || createdb -h 127.0.0.1 -U postgres "$DASHBOARD_DB"
fi
$PY manage.py seed_bench "${SEED[@]}" --tokens "$TMP/tokens.json"
wait "$STATIC_PID" "$CEILING_PID"
$PY bench/page_weight.py > "$TMP/page-weight.md"
# Both databases compact and analysed, as autovacuum would keep a production one: each run's
# seeds delete and insert every row again, and without autovacuum (it is off on the project's
# machine) dead rows pile up run after run, four times the live ones after five runs, slowing
# whichever side scans more. VACUUM FULL rewrites the tables without them (a quick run's few
# rows only need ANALYZE).
VACUUM="VACUUM (FULL, ANALYZE)"
[ -z "$QUICK" ] || VACUUM="ANALYZE"
for db in "$DB" "$CEILING_DB"; do psql "$PG/$db" -qc "$VACUUM"; done

# After the pages: the outbox, the staff search, then the admin and the dashboard at scale.
# The dashboard's database (1,000 missions, 1,000,000 applications) is seeded again only when
# it holds fewer applications or its counts are more than a week old (its periods are the
# last 30 and 365 days): seeding it takes minutes.
at_scale() (
  export DATABASE_URL=$PG/$DASHBOARD_DB
  [ -n "$DASHBOARD_MIGRATED" ] || $PY manage.py migrate --noinput -v0
  seeded=$(psql "$DATABASE_URL" -tAc "SELECT (SELECT count(*) FROM applications_application) >= $DASHBOARD_APPLICATIONS AND (SELECT max(day) FROM missions_stagetime) >= current_date - 7")
  if [ "$seeded" != "t" ]; then
    $PY manage.py seed_bench --missions "$DASHBOARD_MISSIONS" --applications "$DASHBOARD_APPLICATIONS" --spread
    psql "$DATABASE_URL" -qc "VACUUM (ANALYZE)"
  fi
  $PY bench/admin_bench.py > "$TMP/admin.md"
  $PY bench/dashboard_bench.py > "$TMP/dashboard.md"
)
the_rest() {
  step "the e-mail outbox, the staff search, the admin and the dashboard at scale"
  $PY bench/outbox_bench.py > "$TMP/outbox.md"
  $PY bench/search_bench.py > "$TMP/search.md"
  at_scale
}
# A quick run measures nothing worth keeping: the rest runs beside the pages, to end sooner.
[ -z "$QUICK" ] || { the_rest & REST_PID=$!; }

step "the pages, exports and uploads, beside the ceiling (bench/harness)"
suite_status=0
$PY -m bench.harness bench/targets.json --tokens "$TMP/tokens.json" ${QUICK:+--quick} | tee "$TMP/suite.md" || suite_status=$?
# 3: a goal not met, reported below; any other status is a failure of the run.
[ "$suite_status" = 0 ] || [ "$suite_status" = 3 ] || exit "$suite_status"
if [ -n "$QUICK" ]; then wait "$REST_PID"; else the_rest; fi
for part in outbox search admin dashboard; do cat "$TMP/$part.md"; done
step "a new candidate's journey on a throttled link, in Chromium (bench/slow_link.py)"
command -v chromium >/dev/null || apt-get install -y -q chromium >/dev/null
# A journey that fails says so in its section ("Not completed") without losing the others.
{ $PY bench/slow_link.py 2>"$BENCH_WORK/slow-link.log" || true; } | tee "$TMP/slow-link.md"

{
  echo "# Benchmark results"
  echo
  echo "Run of \`make bench\`${QUICK:+ (quick mode: tiny seeds, 1-second runs; numbers not meaningful)} on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)."
  echo "Volontiers and the ceiling (bench/ceiling/, a minimal Django 5.2 site) ran side by side in one"
  echo "interleaved run on PostgreSQL, driven by bench/harness/; ratios are to the ceiling from the same"
  echo "run. Each row's target (bench/targets.json) is marked met or not. Numbers as printed, not edited."
  echo
  cat "$TMP/page-weight.md"
  echo
  cat "$TMP/suite.md"
  for part in outbox search admin dashboard slow-link; do
    if [ -f "$TMP/$part.md" ]; then echo; cat "$TMP/$part.md"; fi
  done
} > "$OUTPUT"
step "wrote $OUTPUT"

# A cross-check, never required: the shared harness's own ceiling, where it exists.
if [ "${BENCH_CROSSCHECK:-}" = 1 ] && [ -d ../shared/bench ]; then
  bash ../shared/bench/setup.sh && python3 ../shared/bench/suite.py ../shared/bench/targets.baseline.json ${QUICK:+--quick}
fi
[ "$suite_status" = 0 ] || echo "bench: a goal of bench/targets.json is not met (see $OUTPUT)"
exit "$suite_status"
