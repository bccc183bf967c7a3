"""Volontiers settings: one module, read from the environment (django-environ).

Development defaults are safe to run on a laptop; production values that are
missing raise ImproperlyConfigured instead of falling back to something unsafe.
Every variable is listed in the README's "Production" section.
"""

from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.csp import CSP_POLICY as CONTENT_SECURITY_POLICY  # noqa: F401
from config.database import databases
from config.env import env, secret
from config.logs import logging_config, sentry_init
from config.rest import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401  (the API's)
from config.storages import private_storage
from config.webhooks import *  # noqa: F403  (the webhooks' settings)

# Generic Django classes (ModelForm[Volunteer], ModelAdmin[Mission]) subscriptable at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = secret("SECRET_KEY", default=None) or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 -- DEBUG only

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address used in e-mails and feeds, never taken from the Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL (e.g. https://volontiers.example.org) must be set when DEBUG=0."
    )

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin shows a translated field's languages together.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_countries",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "axes",
    "django_celery_beat",
    "simple_history",
    "django_ratelimit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "volunteers",
    "missions",
    "applications",
    "review",
    "selection",
    "alerts",
    "talent",
    "coordination",
    "dashboard",
    "notifications",
    "webhooks",
    "demo",
    "api",
    "core",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",
    # Liveness probes answered here, before everything below (config/health.py).
    "config.health.PingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Where a visitor comes from (an alert, an invitation, another site), for their application.
    "applications.sources.SourceMiddleware",
    # After the language is chosen (its 413 page is in the request's language), before
    # anything reads the body (CSRF reads the form).
    "core.security.MaxBodySizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.StaticPolicyCSPMiddleware",
    # A view that loses the database answers a branded 503 with Retry-After (and the
    # handler500 of config/urls.py, when a middleware loses it after the view).
    "core.unavailable.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: a locked-out sign-in gets its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = databases(VAR_DIR)  # config/database.py
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "volunteers.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out address and account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's, reading the candidate's profile with the account (one query).
    "volunteers.backends.ModelProfileBackend",
    "volunteers.backends.AllauthProfileBackend",
]
# Sessions from the cache (Redis), or the database if it lost them or is down: no query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me"

# Accounts (django-allauth) and the lockout (django-axes): config/accounts.py.
from config.accounts import *  # noqa: E402, F403

# Unsuccessful candidates are anonymised this long after their last contact (CNIL: 2 years).
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)
# Candidates who chose the talent pool are kept this long after their last contact instead.
POOL_MONTHS = env.int("POOL_MONTHS", default=24)
# The version of the privacy notice a candidate consents to; bump it when the text changes.
PRIVACY_NOTICE_VERSION = "2026-12"
# Named by the privacy notice and the accessibility statement (/a-propos/): who is responsible
# for the data, whom to write to about it, and about an accessibility problem.
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="Volontiers")
PRIVACY_DPO_EMAIL = env.str("PRIVACY_DPO_EMAIL", default="dpo@volontiers.local")
ACCESSIBILITY_EMAIL = env.str("ACCESSIBILITY_EMAIL", default="accessibilite@volontiers.local")
# Behind nginx, private files are sent with X-Accel-Redirect from this internal location
# (deploy/nginx/volontiers.conf: "/protected-documents/"); empty: Django streams them itself.
DOCUMENTS_ACCEL_REDIRECT_PREFIX = env.str("DOCUMENTS_ACCEL_REDIRECT_PREFIX", default="")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 4
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # the non-file part of a form
# Rate limits (django-ratelimit) on public forms, keyed on the real client address.
RATELIMIT_VIEW = "core.security.ratelimited"
RATELIMIT_USE_CACHE = "default"
# Saving a draft (each button, and autosave while typing): far above what a person does.
APPLY_RATE_LIMIT = env.str("APPLY_RATE_LIMIT", default="120/m")
# A partner's pages, per client address (the benchmark lifts it too).
PARTNER_RATE_LIMIT = env.str("PARTNER_RATE_LIMIT", default="120/m")
# A request whose files weigh up to Django's default 2.5 MB is read in memory (a CV and a
# letter of 1 MB each: writing them to a temporary file first, then to the storage, was a
# third of an upload's time); larger ones are spooled to temporary files.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Candidates' documents (CV, letters): at most this many bytes each.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
# A request body may hold two documents and a form: larger ones get a 413 before being read.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=2 * DOCUMENT_MAX_BYTES + 1024 * 1024)
# Phone numbers are entered in international format (+221 …): no default region.
PHONENUMBER_DEFAULT_REGION = None
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rate limits and other short-lived state; Redis in production so every process shares it.
if not DEBUG and not env.str("CACHE_URL", default=""):
    # Per-process memory would give every gunicorn worker its own rate limits.
    raise ImproperlyConfigured(
        "CACHE_URL (e.g. redis://127.0.0.1:6379/1) must be set when DEBUG=0."
    )
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://volontiers")}
# A Redis cache that is down or frozen must not take the site down with it: after a quarter of
# a second it counts as a miss (logged), pages are rendered, and rate limits fail open (below).
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": 0.25,
    "SOCKET_TIMEOUT": 0.25,
    "IGNORE_EXCEPTIONS": True,
}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # …and after one failure, left alone for a few seconds (core/cache.py).
    CACHES["default"]["BACKEND"] = "core.cache.BreakerRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(REDIS_CACHE_OPTIONS)
CACHE_BREAKER_SECONDS = env.float("CACHE_BREAKER_SECONDS", default=5.0)
# A worker hands its page view counts to the cache at most this often (missions/counters.py).
PAGE_COUNTS_SEND_SECONDS = env.float("PAGE_COUNTS_SEND_SECONDS", default=1.0)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False  # the breaker logs a failure once

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# A mission's text (missions/languages.py) is written in French first: its English columns
# may stay empty, and an empty one is read in French, field by field.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise; Bootstrap is vendored under static/vendor.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# The icons at the root too (/favicon.ico, /apple-touch-icon.png), where browsers look unasked.
WHITENOISE_ROOT = BASE_DIR / "static" / "icons"
# In development WhiteNoise serves straight from static/; in production from collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Candidates' documents: in a private folder no URL maps to, served by views that check rights.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# Or an S3-compatible bucket (django-storages), private, reached only through signed requests.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
PRIVATE_STORAGE = private_storage(STORAGE_BACKEND, location=PRIVATE_MEDIA_ROOT)
STORAGES = {
    "default": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# E-mail: files under var/mail/ unless EMAIL_URL says otherwise (smtp://user:pass@host:port).
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Volontiers <noreply@volontiers.local>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Celery: with no broker configured (make run), tasks run eagerly in the web process.
# Tests never rely on eager mode: they call tasks directly or start a real worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# The hard limit also bounds an outbox batch's claim on its messages (notifications.services.
# claim_end): run workers with the prefork pool (the default), which enforces it.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged once done, so a killed worker's task is delivered again. Redis
# redelivers an unacknowledged task after the visibility timeout: one hour, well above the
# longest task (CELERY_TASK_TIME_LIMIT), so a slow task is not run twice meanwhile. Lost
# e-mails do not wait that long: the outbox sweep re-queues them within minutes, and the
# send task is safe to run twice (row lock and state check).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Socket timeouts: a frozen Redis (accepting connections, answering nothing) must not hang
# a candidate's request; the publish fails after half a second and the sweep sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# If Redis is down when a task is queued, give up at once: the outbox sweep sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat reads its schedules from the database only, where staff change them in the admin.
# DatabaseScheduler writes CELERY_BEAT_SCHEDULE over the rows of the same names at every
# start, which would undo their changes: it stays empty, and the defaults
# (core.periodic_tasks.DEFAULTS) are installed once by migrations.
CELERY_BEAT_SCHEDULE: dict[str, object] = {}
# No result backend, no results to expire (or beat writes "celery.backend_cleanup" back).
CELERY_RESULT_EXPIRES = None

# The outbox: a pending message older than this is queued again by the sweep.
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", default=120)
# After a temporary SMTP failure, wait base × 2^(attempts-1) seconds (at most an hour)…
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
# …and give up (state "failed", error kept) after this many attempts.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Reminders and the sweep send this many messages per task, over one SMTP connection.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Behind a TLS-terminating proxy in production; every value can be overridden.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading is a commitment that is hard to undo: the operator opts in.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# With the cache unreachable, a candidate can still submit: limits are off until it is back.
RATELIMIT_FAIL_OPEN = True
# Alert sign-ups allowed per client address (django-ratelimit's "5/h" form).
ALERTS_SIGNUP_RATE = env.str("ALERTS_SIGNUP_RATE", default="5/h")
if DEBUG:
    # Development's in-process cache is fine for one runserver; production needs CACHE_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
elif CACHES["default"]["BACKEND"] == "core.cache.BreakerRedisCache":
    # django-ratelimit knows backends by their path: this one is django-redis's, which it
    # supports (atomic INCR), with a circuit breaker in front.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Logs: JSON lines with the request id in production (LOG_FORMAT=json), plain text otherwise.
# They carry ids, never names, e-mail addresses or file paths of candidates.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# Errors to Sentry, only if SENTRY_DSN is set; no personal data is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    )

# XLSX and ZIP exports with more rows than this are built by a Celery task (about 10 s of rows).
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=50_000)
DOSSIER_SYNC_MAX = env.int("DOSSIER_SYNC_MAX", default=3)  # the dossier PDF: see the README
DOSSIER_CONVERT_TIMEOUT = env.float("DOSSIER_CONVERT_TIMEOUT", default=60.0)  # in seconds

# Anonymous public pages are cached this long (0: not at all); see missions/cache.py.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# The dashboard's figures are computed once per scope and filters this often (dashboard/).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)

# Missions are listed 20 to a page.
MISSIONS_PAGE_SIZE = 20
