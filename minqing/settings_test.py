"""Settings for the test suite: the real settings, with test-only defaults for secrets and hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from minqing.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # served from the finders in tests; nothing is collected
SMS_BACKEND = "portal.sms.LocmemBackend"
WHITENOISE_AUTOREFRESH = True  # files are looked up per request: no scan of every static file per test client

# A throwaway domain app: the worked example of a kind that plugs into the matter loop (tests/kindapp).
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "tests.kindapp", INSTALLED_APPS[-1]]  # noqa: F405  (the site stays last)
