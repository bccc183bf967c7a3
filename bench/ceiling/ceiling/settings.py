"""The ceiling: a minimal Django 5.2 site, `startproject`'s defaults and one app, on PostgreSQL.

What a plain Django app does on this machine is the yardstick of the benchmark: our pages
are measured against it in the same run. CEILING_DATABASE_URL names its database
(postgres://USER[:PASSWORD]@HOST:PORT/NAME); uploaded files go to CEILING_MEDIA_ROOT,
which the harness empties after each upload run.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

SECRET_KEY = "ceiling-bench-only-not-a-secret"  # noqa: S105 -- a benchmark on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "board",
]

# The stack `startproject` writes.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ceiling.urls"
WSGI_APPLICATION = "ceiling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_url = urlsplit(
    os.environ.get("CEILING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_ceiling")
)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": unquote(_url.username or ""),
        "PASSWORD": unquote(_url.password or ""),
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        "CONN_MAX_AGE": 60,
    }
}

MEDIA_ROOT = os.environ.get("CEILING_MEDIA_ROOT") or str(
    Path(tempfile.gettempdir()) / "volontiers-ceiling-media"
)
MEDIA_URL = "media/"
STATIC_URL = "static/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
