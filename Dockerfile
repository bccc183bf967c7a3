# Volontiers: one image for the web process (gunicorn), the Celery worker and beat.
#   docker build -t volontiers .      (compose.yaml builds and runs it; see deploy/README.md)
# Installs from requirements.txt only; the compiled translations (.mo) are committed, so
# neither gettext nor compilemessages is needed here.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/srv/volontiers/.venv/bin:$PATH \
    STATIC_ROOT=/srv/volontiers/staticfiles \
    PRIVATE_MEDIA_ROOT=/var/lib/volontiers/private

# The same paths as on a server (deploy/systemd, deploy/nginx): /srv/volontiers for the code,
# /var/lib/volontiers/private for documents, /run/volontiers for gunicorn's socket.
RUN groupadd --system volontiers \
    && useradd --system --gid volontiers --home-dir /srv/volontiers --no-create-home \
        --shell /usr/sbin/nologin volontiers \
    && mkdir -p /srv/volontiers /var/lib/volontiers/private /run/volontiers \
    && chown volontiers:volontiers /var/lib/volontiers/private /run/volontiers \
    && chmod 0750 /var/lib/volontiers/private
WORKDIR /srv/volontiers

# The dossier PDF (selection.dossier): WeasyPrint's Pango, HarfBuzz and fonts, and LibreOffice
# Writer without its GUI, which converts Word and OpenDocument files to PDF in the worker.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        libreoffice-writer-nogui \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a code change does not reinstall them (binary wheels: no compiler).
COPY requirements.txt ./
RUN python -m venv .venv && pip install --require-hashes -r requirements.txt

# The code stays owned by root: the application cannot change it.
COPY . .

# collectstatic loads the production settings: placeholders for what they require, for this
# step only (nothing connects to the database or the cache here).
RUN DEBUG=0 \
    SECRET_KEY=collectstatic-at-build-time-only \
    ALLOWED_HOSTS=localhost \
    SITE_URL=https://volontiers.invalid \
    DATABASE_URL=postgres://build@localhost/build \
    CACHE_URL=locmemcache://build \
    python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R volontiers:volontiers "$STATIC_ROOT"

USER volontiers

# The web process by default; compose.yaml runs the worker and beat with other commands
# (a CMD, not an ENTRYPOINT, so `docker compose run web python manage.py ...` works too).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "config.wsgi"]
