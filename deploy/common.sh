# Shared by backup.sh and restore-check.sh (sourced, not run).
# shellcheck shell=bash

APP_DIR=${APP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ENV_FILE=${ENV_FILE:-/etc/volontiers/env}

# Export the variables of the systemd environment file that the environment does not set
# already; the file is parsed, never run (values such as "Volontiers <noreply@...>").
load_env_file() {
    local line key value
    [[ -r $ENV_FILE ]] || return 0
    while IFS= read -r line || [[ -n $line ]]; do
        [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
        key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
        if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
            value=${BASH_REMATCH[1]}
        fi
        [[ -v $key ]] || export "$key=$value"
    done <"$ENV_FILE"
}

# Print PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE) for a DATABASE_URL as
# shell assignments: libpq reads them, so no password shows in the process list.
pg_env() {
    python3 - "$1" <<'PY'
import shlex
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(sys.argv[1])
if url.scheme not in {"postgres", "postgresql", "pgsql", "psql", "postgis"}:
    sys.exit(f"not a PostgreSQL URL: {url.scheme}://...")
values = {
    "PGHOST": unquote(url.hostname or ""),
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
    "PGSSLMODE": parse_qs(url.query).get("sslmode", [""])[0],
}
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PY
}

# Run a command against the database of a DATABASE_URL: with_db URL pg_dump ...
with_db() {
    local url=$1 assignments
    shift
    assignments=$(pg_env "$url") || return 1
    (
        unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE
        eval "$assignments"
        "$@"
    )
}

# The directory of the newest PostgreSQL client and server programs (Debian keeps them in
# /usr/lib/postgresql/<version>/bin; pg_dump must be at least as new as the server).
pg_bindir() {
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
        sort -V | tail -n 1)
    if [[ -n $dir ]]; then
        echo "$dir"
    elif command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
    else
        echo "no PostgreSQL programs found (apt-get install postgresql)" >&2
        return 1
    fi
}
