"""Start-up refuses bad configuration with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    base.update(env, DJANGO_SETTINGS_MODULE="minqing.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_malformed_database_url_stops_start_up_with_a_clear_message() -> None:
    result = _start({"DEBUG": "1", "DATABASE_URL": "mysql//nonsense"})
    assert result.returncode != 0
    assert "DATABASE_URL is malformed or unsupported" in result.stderr


def test_missing_secret_key_in_production_stops_start_up() -> None:
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "The setting SECRET_KEY is required" in result.stderr


def test_bad_boolean_and_port_are_named() -> None:
    assert "DEBUG='maybe' is not a boolean" in _start({"DEBUG": "maybe"}).stderr
    assert "PORT='eighty' is not a whole number" in _start({"DEBUG": "1", "PORT": "eighty"}).stderr


def test_good_configuration_starts(tmp_path: Path) -> None:
    result = _start({"DEBUG": "1", "MINQING_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_database_is_sqlite_in_wal_mode_by_default_or_postgresql_from_the_url(db: None) -> None:
    from django.conf import settings
    from django.db import connection

    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    if os.environ.get("DATABASE_URL"):
        assert connection.vendor == "postgresql"
        return
    assert connection.vendor == "sqlite"
    options: dict[str, Any] = dict(settings.DATABASES["default"]["OPTIONS"])  # type: ignore[call-overload]
    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
