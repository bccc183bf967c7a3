#!/usr/bin/env bash
# Start the real nginx with deploy/nginx/volontiers.conf and gunicorn with
# deploy/gunicorn.conf.py on loopback, with the production settings (DEBUG=0), and check what
# an operator relies on: the health check over HTTP, the HTTPS redirect, a page, static files
# and their cache headers, the friendly 413, and that /protected-documents/ is internal.
#
#   deploy/smoke-test.sh [DATABASE_URL]     (default: the environment's DATABASE_URL)
#
# Needs nginx (Debian's package, or NGINX_BIN=/path/to/nginx), openssl and redis-server; the
# database must be migrated. Everything runs from a temporary folder on spare ports, with a
# private redis-server, and is stopped (by process id) and deleted at the end.
set -euo pipefail

APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$APP_DIR/.venv/bin/python}
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
DATABASE_URL=${1:-${DATABASE_URL:?usage: $0 DATABASE_URL}}
HOST=volontiers.example.org

"$PYTHON" -c 'import gunicorn' 2>/dev/null || { echo "gunicorn is not installed" >&2; exit 1; }
[[ -x $NGINX_BIN ]] || { echo "nginx not found (apt-get install nginx, or NGINX_BIN=...)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/volontiers-smoke.XXXXXX")
chmod 755 "$WORK"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap 'remove_candidate 2>/dev/null; cleanup' EXIT
spare_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for DESCRIPTION COMMAND...
    local what=$1
    shift
    for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "$what did not come up" >&2
    cat "$WORK"/*.log >&2 || true
    return 1
}

HTTP_PORT=$(spare_port) HTTPS_PORT=$(spare_port) REDIS_PORT=$(spare_port)
mkdir -p "$WORK/private/cv" "$WORK/certbot" "$WORK/tmp"
echo "%PDF-1.4 a candidate's CV" >"$WORK/private/cv/secret.pdf"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOST" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    >"$WORK/redis.log" 2>&1 &
pids+=($!)

# The production environment, as /etc/volontiers/env would give it.
export DEBUG=0 SECRET_KEY=smoke-test-only-$RANDOM$RANDOM$RANDOM ALLOWED_HOSTS=$HOST
export SITE_URL=https://$HOST CSRF_TRUSTED_ORIGINS=https://$HOST TRUSTED_PROXY_COUNT=1
export DATABASE_URL CACHE_URL=redis://127.0.0.1:$REDIS_PORT/1
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
export STATIC_ROOT=$WORK/static PRIVATE_MEDIA_ROOT=$WORK/private
export GUNICORN_BIND=unix:$WORK/gunicorn.sock WEB_CONCURRENCY=2
export DOCUMENTS_ACCEL_REDIRECT_PREFIX=/protected-documents/

# A candidate with a CV in the private folder, and a signed-in session for them.
SMOKE_EMAIL=smoke-$RANDOM$RANDOM@example.org
SESSION=$(cd "$APP_DIR" && "$PYTHON" manage.py shell -v0 -c "
import datetime as dt
from django.core.files.base import ContentFile
from django.test import Client
from volunteers.models import User, Volunteer
user = User.objects.create_user(email='$SMOKE_EMAIL')
volunteer = Volunteer(user=user, first_name='Smoke', last_name='Test', residence='FR', city='Lyon',
                      phone='+33612345678', education_level='bac5', experience_years=1)
volunteer.cv.save('cv.pdf', ContentFile(b'%PDF-1.4 the smoke CV'), save=False)
volunteer.save()
client = Client()
client.force_login(user)
print(volunteer.cv.name, client.cookies['sessionid'].value)
")
read -r CV_NAME SESSION_ID <<<"$SESSION"
remove_candidate() {
    (cd "$APP_DIR" && "$PYTHON" manage.py shell -v0 -c "
from volunteers.models import User
User.objects.filter(email='$SMOKE_EMAIL').delete()") || true
}

(cd "$APP_DIR" && "$PYTHON" manage.py collectstatic --noinput --verbosity 0)
(cd "$APP_DIR" && exec "$PYTHON" -m gunicorn --config deploy/gunicorn.conf.py config.wsgi) \
    >"$WORK/gunicorn.log" 2>&1 &
pids+=($!)

# The site file as shipped, only with this run's ports and paths.
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/letsencrypt/live/$HOST/fullchain.pem|$WORK/cert.pem|" \
    -e "s|/etc/letsencrypt/live/$HOST/privkey.pem|$WORK/key.pem|" \
    -e "s|/run/volontiers/gunicorn.sock|$WORK/gunicorn.sock|" \
    -e "s|/srv/volontiers/staticfiles/|$WORK/static/|" \
    -e "s|/srv/volontiers/deploy/nginx|$APP_DIR/deploy/nginx|" \
    -e "s|/var/lib/volontiers/private/|$WORK/private/|" \
    -e "s|/var/www/certbot|$WORK/certbot|" \
    "$APP_DIR/deploy/nginx/volontiers.conf" >"$WORK/site.conf"
MIME_TYPES=$(dirname "$(dirname "$NGINX_BIN")")/../etc/nginx/mime.types
[[ -f $MIME_TYPES ]] || MIME_TYPES=/etc/nginx/mime.types
cat >"$WORK/nginx.conf" <<CONF
$([[ $(id -u) == 0 ]] && echo "user root;")
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
    include $MIME_TYPES;
    default_type application/octet-stream;
    access_log $WORK/nginx-access.log;
    client_body_temp_path $WORK/tmp/body;
    proxy_temp_path $WORK/tmp/proxy;
    fastcgi_temp_path $WORK/tmp/fastcgi;
    uwsgi_temp_path $WORK/tmp/uwsgi;
    scgi_temp_path $WORK/tmp/scgi;
    include $WORK/site.conf;
}
CONF
"$NGINX_BIN" -t -q -e "$WORK/nginx-error.log" -p "$WORK" -c "$WORK/nginx.conf"
"$NGINX_BIN" -e "$WORK/nginx-error.log" -p "$WORK" -c "$WORK/nginx.conf" >"$WORK/nginx.log" 2>&1 &
pids+=($!)
wait_for "gunicorn" test -S "$WORK/gunicorn.sock"
wait_for "nginx" curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/"

failures=0
check() {  # check DESCRIPTION EXPECTED ACTUAL
    if [[ $3 == *"$2"* ]]; then
        echo "OK   $1"
    else
        echo "FAIL $1: expected '$2', got '$3'"
        failures=$((failures + 1))
    fi
}
http() { curl -s --resolve "$HOST:$HTTP_PORT:127.0.0.1" "${@:2}" "http://$HOST:$HTTP_PORT$1"; }
https() { curl -sk --resolve "$HOST:$HTTPS_PORT:127.0.0.1" "${@:2}" "https://$HOST:$HTTPS_PORT$1"; }

check "/healthz answers over plain HTTP" '"status": "ok"' "$(http /healthz)"
check "HTTP redirects to HTTPS" "301 https://$HOST/missions/" \
    "$(http /missions/ -o /dev/null -w '%{http_code} %{redirect_url}')"
check "a page through nginx and gunicorn" "200" "$(https /missions/ -o /dev/null -w '%{http_code}')"
check "Django sees HTTPS (HSTS header)" "strict-transport-security" "$(https /missions/ -D - -o /dev/null | tr '[:upper:]' '[:lower:]')"
hashed=$(cd "$WORK/static" && printf '%s\n' css/site.*.css | head -n 1)
check "a hashed static file, cached a year" "immutable" "$(https "/static/$hashed" -D - -o /dev/null)"
check "an unhashed static file, cached an hour" "max-age=3600" "$(https /static/css/site.css -D - -o /dev/null)"
check "static files are served compressed" "gzip" \
    "$(https /static/css/site.css -H 'Accept-Encoding: gzip' -D - -o /dev/null | tr '[:upper:]' '[:lower:]')"
check "/favicon.ico at the root, served by WhiteNoise" "content-type: image/x-icon" \
    "$(https /favicon.ico -D - -o /dev/null | tr '[:upper:]' '[:lower:]')"
check "/robots.txt names the sitemap at SITE_URL" "Sitemap: https://$HOST/sitemap.xml" \
    "$(https /robots.txt)"
check "/sitemap.xml answers" "200 application/xml" \
    "$(https /sitemap.xml -o /dev/null -w '%{http_code} %{content_type}')"
head -c $((13 * 1024 * 1024)) /dev/zero >"$WORK/too-big.pdf"
too_big=$(https /missions/ -H 'Expect:' -F "cv=@$WORK/too-big.pdf" -w '\n%{http_code}' || true)
check "an upload over 12 MB is refused with 413" "413" "$(tail -n 1 <<<"$too_big")"
check "the 413 page is the friendly one" "Fichier trop volumineux" "$too_big"
head -c $((5 * 1024 * 1024)) /dev/zero >"$WORK/large.pdf"
check "two 5 MB documents reach Django (403: no CSRF token)" "403" \
    "$(https /missions/ -H 'Expect:' -F "cv=@$WORK/large.pdf" -F "letter=@$WORK/large.pdf" \
        -o /dev/null -w '%{http_code}' || true)"
check "/protected-documents/ is internal (404)" "404" \
    "$(https /protected-documents/cv/secret.pdf -o /dev/null -w '%{http_code}')"
check "a CV through the checked view and X-Accel-Redirect" "%PDF-1.4 the smoke CV" \
    "$(https /me/cv/ -H "Cookie: sessionid=$SESSION_ID")"
check "the same file asked for directly is a 404" "404" \
    "$(https "/protected-documents/$CV_NAME" -o /dev/null -w '%{http_code}')"
check "without a session, the CV is not sent" "302" \
    "$(https /me/cv/ -o /dev/null -w '%{http_code}')"

if ((failures)); then
    echo "smoke-test: FAIL ($failures failed)"
    exit 1
fi
echo "smoke-test: OK"
