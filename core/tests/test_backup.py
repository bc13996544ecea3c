"""`manage.py backup` and `restore`: what they write, and how they refuse. A full round trip under load is in
tests/resilience/test_backup_restore.py (it needs databases of its own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from core.management.commands import backup

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
# A backup reads the committed database from a connection of its own: pg_dump is another process, and SQLite's
# backup API cannot read a shared in-memory test database while the test's transaction holds it. So on SQLite the
# tests that make a backup commit what they write.
committed = pytest.mark.django_db(transaction=connection.vendor == "sqlite")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _backup(directory: Path) -> Path:
    return Path(_run("backup", "--dir", str(directory)).strip())


@committed
def test_backup_writes_a_timestamped_file_of_the_engines_kind_and_prints_its_path(tmp_path: Path) -> None:
    path = _backup(tmp_path)
    suffix = backup.SUFFIX[connection.vendor]
    assert path.parent == tmp_path
    assert re.fullmatch(r"minqing-\d{8}-\d{6}" + re.escape(suffix), path.name)
    magic = backup.SQLITE_MAGIC if connection.vendor == "sqlite" else backup.PGDUMP_MAGIC
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no .partial left behind


@committed
def test_two_backups_in_the_same_second_get_different_names(tmp_path: Path) -> None:
    with time_machine.travel("2026-03-01 02:00:00+08:00", tick=False):
        first, second = _backup(tmp_path), _backup(tmp_path)
    assert first.name.startswith("minqing-20260301-020000")
    assert second.name == first.name.replace("020000", "020000-2")


def test_backup_into_a_directory_that_cannot_be_made_fails_with_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(CommandError, match="Cannot create the backup directory"):
        _backup(blocker / "backups")


def test_restore_of_a_missing_file_fails_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=f"No backup file at {tmp_path}/nothing-here"):
        _run("restore", str(tmp_path / "nothing-here"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("民情 not a database")
    with pytest.raises(CommandError, match="is not a Minqing backup"):
        _run("restore", str(notes))


def test_restore_refuses_a_backup_made_on_the_other_engine(tmp_path: Path) -> None:
    other = tmp_path / "other"
    if connection.vendor == "sqlite":
        other.write_bytes(backup.PGDUMP_MAGIC + b"\x01" * 64)
        expected = "is a backup of a postgresql database, but this instance uses sqlite"
    else:
        other.write_bytes(backup.SQLITE_MAGIC + b"\x00" * 64)
        expected = "is a backup of a sqlite database, but this instance uses postgresql"
    with pytest.raises(CommandError, match=expected):
        _run("restore", str(other))


@committed
def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    path = _backup(tmp_path)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 3])  # cut short, as by a full disk or an interrupted copy
    with pytest.raises(CommandError, match="damaged"):
        _run("restore", str(path))


@committed
def test_restore_refuses_a_database_that_holds_data_unless_forced(tmp_path: Path) -> None:
    path = _backup(tmp_path)
    get_user_model().objects.create_user("keeper", password="keeper-pass-2026")
    with pytest.raises(CommandError, match=r"already holds data \(\d+ accounts, .*--force"):
        _run("restore", str(path))


def test_a_missing_postgresql_program_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "PG_FALLBACK_BIN", tmp_path)
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup.pg_program("pg_dump")


def test_a_failing_postgresql_program_reports_its_own_last_words() -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('server version mismatch\\n'); sys.exit(1)"]
    with pytest.raises(CommandError, match="pg_dump failed: server version mismatch"):
        backup.run_pg(failing, failure="pg_dump failed:")


def test_restore_exits_non_zero_with_the_reason_on_stderr(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "minqing.settings_test", "MINQING_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(tmp_path / "missing.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert str(tmp_path / "missing.sqlite3") in done.stderr
    assert done.stdout == ""
