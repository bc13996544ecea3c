"""Settings of the django-helpdesk peer: a minimal project, configured like Minqing where it matters to speed."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY = "bench-peer-only-not-a-secret-8f3c1e0a7b2d4c6e9f1a3b5d7c9e1f3a"  # noqa: S105 (a bench server)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


def _database() -> dict[str, object]:
    """Read PEER_DATABASE_URL: sqlite:////abs/path.sqlite3 or postgresql://user@host:port/name."""
    url = os.environ.get("PEER_DATABASE_URL", "")
    scheme = url.split("://", 1)[0]
    if scheme == "sqlite":
        config = dict(dj_database_url.parse(url))
        # As Minqing's SQLite: WAL, a busy timeout, immediate write transactions, a connection per request.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif scheme in {"postgres", "postgresql"}:
        # As Minqing's PostgreSQL: persistent connections, checked before reuse.
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        raise ImproperlyConfigured(f"PEER_DATABASE_URL must be sqlite:////PATH or postgresql://..., not {url!r}")
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"PEER_DATABASE_URL names no database: {url!r}")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "rest_framework",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hdpeer.urls"
WSGI_APPLICATION = "hdpeer.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

SITE_ID = 1
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

# Mail is rendered for every new ticket, as in production, then dropped: the bench has no mail server.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.cn"

# No teams: they would need pinax-teams and its own dependencies, and play no part in the benchmarked requests.
# The knowledge base stays on (its default): helpdesk 2.6.1's urls.py fails to import without it.
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_SUBMIT_A_TICKET_PUBLIC = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
