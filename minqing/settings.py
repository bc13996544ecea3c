"""Settings for Minqing: one module for development and production, read from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from minqing.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_subset,
    load_dev_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# `make setup` writes var/dev-settings.env (a generated key, DEBUG, the SQLite path) so that manage.py works as typed
# in a development checkout; variables set in the environment win. A deployment has no such file: without
# SECRET_KEY it stops at start-up.
load_dev_settings(env_str("MINQING_DEV_SETTINGS", str(BASE_DIR / "var" / "dev-settings.env")))
VAR_DIR = Path(env_str("MINQING_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    # The house's apps, bottom layer first (docs/architecture.md; tests/architecture/test_layers.py): each may use
    # those before it, never those after. The order is also the order of their demo data and menu collection.
    "core",
    "audit",
    "notifications",
    "org",
    "accounts",
    "campaigns",
    "matters",
    "fieldwork",
    "petitions",  # the special lines: above fieldwork, below the faces
    "care",
    "enterprises",
    "compounds",
    "oversight",  # the monthly review, assessment, conduct supervision: above the lines, below the faces
    "portal",
    "api",
    "open311",
    "minqing",  # the site: last, above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the Content Security Policy too.
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "minqing.urls"
WSGI_APPLICATION = "minqing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notifications.context_processors.unread",
                "portal.context_processors.public",
            ],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, immediate transactions); PostgreSQL via DATABASE_URL.
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "minqing.sqlite3")),
            # Keep each worker's connection (and its PRAGMAs) for a minute instead of reopening per request.
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed logins: an account is locked for the address they come from after LOGIN_FAILURE_LIMIT; an address after
# LOGIN_ADDRESS_LIMIT whatever the usernames, its /24 (IPv4) or /64 (IPv6) after LOGIN_RANGE_LIMIT; each for
# LOGIN_LOCKOUT_MINUTES, counted in windows as long. Idle sessions expire.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 20, minimum=1)
LOGIN_RANGE_LIMIT = env_int("LOGIN_RANGE_LIMIT", 100, minimum=1)
LOGIN_LOCKOUT = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx sends the token the page carries (base.html's hx-headers), forms their field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Security headers (docs/security.md); core.security.SecurityHeadersMiddleware adds the Content Security Policy
# and the Permissions-Policy (CONTENT_SECURITY_POLICY and PERMISSIONS_POLICY override its defaults).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS in production: behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 (the proxy must set
# X-Forwarded-Proto), then SECURE_SSL_REDIRECT=1. HSTS is sent over HTTPS only; a year by default in production.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Audit events are never deleted by the application (a database trigger refuses it); the retention a deployment
# promises may not be shorter than the 180 days of the Cybersecurity Law and 等保 2.0 (checked at start-up).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.rest.permissions.StaffOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.rest.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    # JSON only: the browsable API's pages carry inline styles the Content Security Policy refuses; the API is
    # explored through its documentation page (/api/v1/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "core.rest.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minqing API",
    "DESCRIPTION": "REST API of Minqing 民情: organisation, campaigns and (later) matters.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MatterStatusEnum": "matters.workflow.Status",
        "MatterActionEnum": "matters.workflow.Action",
        "DutyStateEnum": ["met", "in_progress", "short"],
        "MatterChannelEnum": "matters.models.Channel",
        "PetitionChannelEnum": "petitions.models.cases.Channel",
        "WishStateEnum": "care.models.WishState",
        "CircularKindEnum": "oversight.models.circulars.CircularKind",
        "ClueStatusEnum": "oversight.models.clues.ClueStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_numbers": {"()": "core.security.MaskNumbersFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_numbers"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # At DEBUG the template engine logs every missing variable with the whole context (names, phones, the text of
    # matters): never, whatever LOG_LEVEL says.
    "loggers": {
        "django.template": {"level": "INFO"},
        # The job worker's own lines, once (run_huey adds a handler of its own to a logger that has none).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Outbound notification channels besides the in-app inbox: "email", "webhook".
NOTIFY_CHANNELS = env_list("NOTIFY_CHANNELS", [])
NOTIFY_WEBHOOK_URL = env_str("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_TIMEOUT = env_int("NOTIFY_WEBHOOK_TIMEOUT", 5, minimum=1, maximum=60)  # seconds
NOTIFY_BACKENDS = {
    "email": "notifications.backends.EmailBackend",
    "webhook": "notifications.backends.WebhookBackend",
}
# Where the site is reached from outside (e.g. https://minqing.example.org): makes links in e-mail and chat absolute.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "minqing@localhost")

# Matters: how fast a report must be answered (working days, unless its category sets hours or its handling limit is
# shorter); the handling limit of each urgency (hours, after hotline practice: emergency 2 h, water/power/gas/heating
# 24 h, general 7 days, complex 15 days); working-day holidays; the fewest ratings a satisfaction rate is shown for.
RESPONSE_WORKING_DAYS = env_int("RESPONSE_WORKING_DAYS", 1, minimum=1)
HANDLING_LIMIT_HOURS = {"emergency": 2, "utilities": 24, "general": 7 * 24, "complex": 15 * 24}
FIGURES_MIN_RATINGS = env_int("FIGURES_MIN_RATINGS", 5, minimum=1)
# The working-day calendar's defaults (core.workdays): ISO dates that are not working days, and weekend days that are
# (调休); the days the coordination team declares on the 工作日历 page override them.
HOLIDAYS = env_list("MINQING_HOLIDAYS", [])
WORKDAYS = env_list("MINQING_WORKDAYS", [])
# Uploaded files, on every face (see core.uploads): the size of one file, how many go with one form or request
# (nine, as a phone's photo picker and chat groups take them), and the types accepted (of those core.uploads checks).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 9, minimum=1, maximum=50)
_UPLOAD_KNOWN_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"]
UPLOAD_TYPES = env_subset("UPLOAD_TYPES", _UPLOAD_KNOWN_TYPES, _UPLOAD_KNOWN_TYPES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The public portal.
SMS_BACKEND = env_str("SMS_BACKEND", "portal.sms.ConsoleBackend")  # dotted path; see docs/operations.md
SMS_CODE_MINUTES = env_int("SMS_CODE_MINUTES", 10, minimum=1, maximum=60)
PORTAL_SUBMIT_LIMIT = env_int("PORTAL_SUBMIT_LIMIT", 5, minimum=1)  # problems per client per hour
PORTAL_ACTION_LIMIT = env_int("PORTAL_ACTION_LIMIT", 30, minimum=1)  # endorsements, codes, ratings per client per hour
# Anonymous support (匿名支持, an endorsement without a phone): per client address and day, on one matter and on all.
PORTAL_SUPPORT_PER_MATTER = env_int("PORTAL_SUPPORT_PER_MATTER", 1, minimum=1)
PORTAL_SUPPORT_PER_DAY = env_int("PORTAL_SUPPORT_PER_DAY", 10, minimum=1)
# A visit entered more than this many days after its date needs a reason for the late entry (补录原因).
VISIT_LATE_DAYS = env_int("VISIT_LATE_DAYS", 7, minimum=0)
# Problem clues (oversight, the clues area): the limits of each way of disposal, chased once by the daily job —
# 谈话函询 concluded within so many days of the reply, 初步核实 within so many working days, 暂存待查 looked at again
# after so many days, 予以了结 within so many working days; and the accountability measures offered (keys of
# oversight.services.clues.MEASURE_LABELS, or "key:label" for one of the office's own).
CLUE_INQUIRY_DAYS = env_int("CLUE_INQUIRY_DAYS", 30, minimum=1)
CLUE_VERIFY_WORKING_DAYS = env_int("CLUE_VERIFY_WORKING_DAYS", 15, minimum=1)
CLUE_SHELVE_DAYS = env_int("CLUE_SHELVE_DAYS", 90, minimum=1)
CLUE_CLOSE_WORKING_DAYS = env_int("CLUE_CLOSE_WORKING_DAYS", 10, minimum=1)
CLUE_MEASURES_UNIT = env_list("CLUE_MEASURES_UNIT", ["inspection", "circular", "reorganise"])
CLUE_MEASURES_PERSON = env_list(
    "CLUE_MEASURES_PERSON",
    ["reminder", "criticism", "self_inspection", "circular", "admonition", "org_handling", "discipline"],
)
# A fresh report (reported, not yet read by a person) is kept off every public page, file and API until accepted.
PUBLIC_AFTER_ACCEPT = env_bool("PUBLIC_AFTER_ACCEPT", True)
RATING_REDO_MIN = env_int("RATING_REDO_MIN", 3, minimum=1)  # ratings needed before the share counts
RATING_REDO_PERCENT = env_int("RATING_REDO_PERCENT", 50, minimum=1, maximum=100)  # 不满意 share above it: redo
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)  # only behind a proxy that sets it

DEMO_PASSWORD = env_str("MINQING_DEMO_PASSWORD", "demo-pass-2026")

# Background jobs and schedules (core/jobs/): huey with its SQLite store next to the database, or Redis with REDIS_URL
# (then Django's cache is Redis too, shared by every app server). Crontabs are in TIME_ZONE: Django sets the process's
# time zone to it, and huey reads local time with utc=False.
REDIS_URL = env_str("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": env_str("HUEY_NAME", "minqing"),
    "immediate": False,  # djhuey would run tasks in the web process whenever DEBUG is on
    "utc": False,
    "results": False,  # a job's outcome is its Job row
    "consumer": {"workers": env_int("HUEY_WORKERS", 1, minimum=1, maximum=64), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update(huey_class="huey.RedisHuey", url=REDIS_URL)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY.update(huey_class="huey.SqliteHuey", filename=env_str("HUEY_SQLITE_PATH", str(VAR_DIR / "jobs.sqlite3")))
JOB_RESULT_HOURS = env_int("JOB_RESULT_HOURS", 24, minimum=1)  # how long a job's file can be downloaded
JOB_THRESHOLD_ROWS = env_int("JOB_THRESHOLD_ROWS", 2000, minimum=1)  # exports and imports above it run as jobs
# A running job's worker beats every JOB_HEARTBEAT_SECONDS; a run whose beat is older than JOB_STALE_SECONDS was lost
# with its worker and runs again, up to JOB_MAX_ATTEMPTS runs (core/jobs/queue.py).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10, minimum=1)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120, minimum=2)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1, maximum=20)
