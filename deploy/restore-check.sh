#!/usr/bin/env bash
# Prove that a backup restores: dump the source database (or take a dump file), restore it
# into a fresh database of a throwaway PostgreSQL cluster, and check it with the application.
#
#   deploy/restore-check.sh [DATABASE_URL] [DUMP_FILE]
#
# DATABASE_URL defaults to the environment's, else /etc/volontiers/env's. Without DUMP_FILE
# the source is dumped now and the restored row counts must equal the source's; with one
# (a backup.sh dump), the counts are only shown, as the source has moved on since.
# The cluster lives in a temporary folder on a spare port, and is stopped and deleted at the
# end; as root, it runs as the postgres user (initdb refuses root). Exits non-zero on failure.
set -euo pipefail

# shellcheck source=deploy/common.sh
. "$(dirname "$0")/common.sh"
load_env_file

SOURCE_URL=${1:-${DATABASE_URL:-}}
DUMP_FILE=${2:-}
[[ -n $SOURCE_URL ]] || { echo "usage: $0 DATABASE_URL [DUMP_FILE]" >&2; exit 2; }
PYTHON=${PYTHON:-$APP_DIR/.venv/bin/python}
TABLES=(missions_mission applications_application notifications_outboxmessage)
PG_BIN=$(pg_bindir)

failures=0
report() {  # report OK|FAIL "what"
    printf '%-4s %s\n' "$1" "$2"
    [[ $1 == OK ]] || failures=$((failures + 1))
}
give_up() {  # give_up "what failed": the checks after it cannot run
    report FAIL "$1"
    echo "restore-check: FAIL ($failures failed)"
    exit 1
}

if [[ $(id -u) == 0 ]]; then
    CLUSTER_USER=${CLUSTER_USER:-postgres}
    as_cluster_user() { runuser -u "$CLUSTER_USER" -- "$@"; }
else
    CLUSTER_USER=$(id -un)
    as_cluster_user() { "$@"; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/volontiers-restore-check.XXXXXX")
chown "$CLUSTER_USER" "$WORK"
chmod 700 "$WORK"
DATA="$WORK/data"

cleanup() {
    # Stop our own cluster by its data folder, then by the postmaster's pid if it resists.
    if [[ -f $DATA/postmaster.pid ]]; then
        as_cluster_user "$PG_BIN/pg_ctl" --pgdata="$DATA" --mode=fast --wait stop >/dev/null 2>&1 ||
            kill -TERM "$(head -n 1 "$DATA/postmaster.pid")" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TARGET_URL="postgres://postgres@127.0.0.1:$PORT/volontiers_restore"

echo "restore-check: throwaway cluster in $WORK on 127.0.0.1:$PORT ($("$PG_BIN/postgres" --version))"
as_cluster_user "$PG_BIN/initdb" --pgdata="$DATA" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
    { cat "$WORK/initdb.log" >&2; give_up "initdb of the throwaway cluster"; }
as_cluster_user "$PG_BIN/pg_ctl" --pgdata="$DATA" --log="$DATA/server.log" --wait \
    --options="-c port=$PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$WORK' -c fsync=off" \
    start >/dev/null ||
    { cat "$DATA/server.log" >&2; give_up "start of the throwaway cluster"; }

if [[ -z $DUMP_FILE ]]; then
    DUMP_FILE="$WORK/source.dump"
    if with_db "$SOURCE_URL" "$PG_BIN/pg_dump" --format=custom --no-password --file="$DUMP_FILE"; then
        report OK "pg_dump of the source ($(du -h "$DUMP_FILE" | cut -f1))"
    else
        give_up "pg_dump of the source"
    fi
fi

with_db "$TARGET_URL" "$PG_BIN/createdb" --no-password volontiers_restore
if with_db "$TARGET_URL" "$PG_BIN/pg_restore" --no-password --no-owner --no-privileges \
    --exit-on-error --dbname=volontiers_restore "$DUMP_FILE" 2>"$WORK/pg_restore.log"; then
    report OK "pg_restore into a fresh database"
else
    cat "$WORK/pg_restore.log" >&2
    give_up "pg_restore into a fresh database"
fi

# The application against the restored copy: every migration applied, system checks clean.
for command in "migrate --check" "check"; do
    # shellcheck disable=SC2086 # the command's words are meant to split
    if (cd "$APP_DIR" && DATABASE_URL=$TARGET_URL "$PYTHON" manage.py $command) \
        >"$WORK/manage.log" 2>&1; then
        report OK "manage.py $command"
    else
        cat "$WORK/manage.log" >&2
        report FAIL "manage.py $command"
    fi
done

count_rows() {  # count_rows URL TABLE
    with_db "$1" "$PG_BIN/psql" --no-password --no-psqlrc --quiet --tuples-only --no-align \
        --command="SELECT count(*) FROM $2" 2>/dev/null || echo "?"
}
for table in "${TABLES[@]}"; do
    restored=$(count_rows "$TARGET_URL" "$table")
    source=$(count_rows "$SOURCE_URL" "$table")
    if [[ $WORK/source.dump != "$DUMP_FILE" ]]; then
        report "$([[ $restored != "?" ]] && echo OK || echo FAIL)" \
            "$table: $restored rows restored (source now: $source)"
    elif [[ $restored == "$source" && $restored != "?" ]]; then
        report OK "$table: $restored rows, as in the source"
    else
        report FAIL "$table: $restored rows restored, $source in the source"
    fi
done

if ((failures)); then
    echo "restore-check: FAIL ($failures failed)"
    exit 1
fi
echo "restore-check: OK"
