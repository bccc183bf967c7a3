"""Gunicorn settings for Volontiers: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

nginx in front talks to gunicorn over a unix socket; every value that differs between a
server and a container can be set from the environment.
"""

import multiprocessing
import os
from typing import Any

# Sync workers: requests are short, uploads are buffered by nginx before they reach us.
worker_class = "sync"
# Gunicorn's usual rule of thumb; WEB_CONCURRENCY overrides it (Heroku's and Docker's name).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Exports (XLSX, ZIP of documents) are the slowest requests; nginx waits as long (60 s).
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in a dependency never grows unbounded.
max_requests = 1000
max_requests_jitter = 100

bind = [os.environ.get("GUNICORN_BIND", "unix:/run/volontiers/gunicorn.sock")]
# The socket is rw for the owner and group only: nginx's user joins the volontiers group.
umask = int(os.environ.get("GUNICORN_UMASK", "0o007"), 8)

# Trust X-Forwarded-Proto/For only from nginx on this host (unix socket peers are trusted).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs go to stdout/stderr: journald (systemd) or the container runtime keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No query string: it could carry personal data (e-mail addresses in a search).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# The secret of a partner's or a candidate's link is masked in the path.
logger_class = "config.logs.MaskingLogger"


def worker_exit(server: Any, worker: Any) -> None:
    """A worker stopping (recycled after max_requests, or the server stopping) first hands the
    page counts it still holds to the cache (missions/counters.py)."""
    from django.apps import apps

    if apps.ready:  # a worker that failed to load the site holds nothing
        from missions.counters import counts_send

        counts_send()
