"""Settings for the test suite: the real settings, with test-only defaults for secrets and hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("MINQING_DEV_SETTINGS", "")  # never a development checkout's var/dev-settings.env

from minqing.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # served from the finders in tests; nothing is collected
SMS_BACKEND = "portal.sms.LocmemBackend"
WHITENOISE_AUTOREFRESH = True  # files are looked up per request: no scan of every static file per test client

# The test database and the job store are files of this run, as in production: the job tests' consumers (threads)
# and the live server open connections of their own, with SQLite's WAL and busy timeout, instead of sharing one
# connection to an in-memory database.
_RUN = f"minqing-test-{os.getpid()}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"{_RUN}.sqlite3")}  # noqa: F405
if "PYTEST_VERSION" not in os.environ:  # mypy, `manage.py makemigrations --check`: no store to leave behind
    HUEY["immediate"] = True  # noqa: F405
elif REDIS_URL:  # noqa: F405
    HUEY["name"] = _RUN  # noqa: F405
else:  # removed when the session ends (conftest.py)
    HUEY["filename"] = os.path.join(tempfile.gettempdir(), f"{_RUN}-jobs.sqlite3")  # noqa: F405

# A throwaway domain app: the worked example of a kind that plugs into the matter loop (tests/kindapp).
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "tests.kindapp", INSTALLED_APPS[-1]]  # noqa: F405  (the site stays last)
