"""`check --deploy` is clean with production settings, and start-up refuses unsafe ones.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from audit.apps import MIN_RETENTION_DAYS, check_retention

if TYPE_CHECKING:
    pass
from tests.security.hardening_common import (
    ROOT,
)

# --- check --deploy with production settings ----------------------------------------------------------------


def _manage(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DATABASE_URL", "DJANGO_"))}
    base.update(DJANGO_SETTINGS_MODULE="minqing.settings", MINQING_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "minqing.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://minqing.example.gov.cn",
    "SECURE_PROXY_SSL_HEADER": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_the_https_switches_a_deployment_forgot(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_")}
    result = _manage(["check", "--deploy"], env, tmp_path)
    assert "security.W008" in result.stderr and "security.W021" in result.stderr  # SSL redirect, HSTS preload


def test_start_up_refuses_an_audit_retention_under_180_days(tmp_path: Path) -> None:
    result = _manage(["check"], {**PRODUCTION, "AUDIT_RETENTION_DAYS": "90"}, tmp_path)
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS=90: audit events must be kept at least 180 days" in result.stderr


def test_the_retention_check_accepts_180_days_and_more_only() -> None:
    assert settings.AUDIT_RETENTION_DAYS >= MIN_RETENTION_DAYS == 180
    check_retention(180)
    check_retention(3650)
    for bad in (179, 0, -1, None, "365", True):
        with pytest.raises(ImproperlyConfigured):
            check_retention(bad)


