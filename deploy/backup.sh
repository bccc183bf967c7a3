#!/usr/bin/env bash
# Back up Volontiers: the database (pg_dump -Fc) and the candidates' documents (tar of
# PRIVATE_MEDIA_ROOT), into BACKUP_ROOT/<date>/, keeping RETENTION_DAYS days of them.
#
#   deploy/backup.sh [BACKUP_ROOT]           default /var/backups/volontiers
#
# DATABASE_URL and PRIVATE_MEDIA_ROOT come from the environment, else from /etc/volontiers/env
# (ENV_FILE). Run it as the volontiers user, e.g. from cron:
#   15 2 * * * volontiers /srv/volontiers/deploy/backup.sh /var/backups/volontiers
# Check the result now and then with deploy/restore-check.sh (see deploy/README.md).
set -euo pipefail
umask 077  # dumps and documents hold personal data

# shellcheck source=deploy/common.sh
. "$(dirname "$0")/common.sh"
load_env_file

BACKUP_ROOT=${1:-${BACKUP_ROOT:-/var/backups/volontiers}}
RETENTION_DAYS=${RETENTION_DAYS:-14}
: "${DATABASE_URL:?DATABASE_URL is not set (environment or $ENV_FILE)}"
PG_BIN=$(pg_bindir)

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
partial="$BACKUP_ROOT/.$stamp.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT  # an interrupted backup leaves nothing that looks complete

with_db "$DATABASE_URL" "$PG_BIN/pg_dump" --format=custom --no-password \
    --file="$partial/volontiers.dump"

if [[ ${STORAGE_BACKEND:-local} == s3 ]]; then
    echo "documents: in the S3 bucket (keep versioning on there); not copied" >&2
elif [[ -n ${PRIVATE_MEDIA_ROOT:-} && -d $PRIVATE_MEDIA_ROOT ]]; then
    tar --create --file="$partial/private-media.tar" \
        --directory="$(dirname "$PRIVATE_MEDIA_ROOT")" "$(basename "$PRIVATE_MEDIA_ROOT")"
else
    echo "documents: PRIVATE_MEDIA_ROOT (${PRIVATE_MEDIA_ROOT:-unset}) is not a folder" >&2
    exit 1
fi

(cd "$partial" && sha256sum -- * >SHA256SUMS)
mv "$partial" "$BACKUP_ROOT/$stamp"
trap - EXIT
echo "backup: $BACKUP_ROOT/$stamp ($(du -sh "$BACKUP_ROOT/$stamp" | cut -f1))"

# Retention: complete backups older than RETENTION_DAYS days, and stale partial ones.
find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d \
    \( -name '20??-??-??T*Z' -o -name '.20*.partial' \) -mtime +"$RETENTION_DAYS" \
    -print -exec rm -rf {} +
