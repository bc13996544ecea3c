"""Back up the database into a timestamped file while the site keeps running.

SQLite is copied with its online backup API (one consistent snapshot; writers go on in WAL mode);
PostgreSQL is dumped by `pg_dump` in its custom format (one consistent snapshot too). The file is
written under a `.partial` name and renamed only once it is complete and checked, so a file with the
final name is always a whole backup. `restore` reads both kinds; the helpers below are shared with it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# Where Debian puts the server's own client programs when they are not on PATH.
PG_FALLBACK_BIN = Path("/usr/lib/postgresql/15/bin")
PG_TIMEOUT = 3600  # seconds; a dump or restore that takes longer is stuck
SQLITE_BUSY_SECONDS = 60  # how long a SQLite backup or restore waits for a lock before it gives up


def engine() -> str:
    """The database engine of the default connection, or a clear error for one we cannot back up."""
    vendor = connection.vendor
    if vendor not in SUFFIX:
        raise CommandError(_("Backups support SQLite and PostgreSQL only, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def pg_program(name: str) -> str:
    """The path of a PostgreSQL client program: from PATH, else from Debian's PostgreSQL 15 directory."""
    found = shutil.which(name) or (str(PG_FALLBACK_BIN / name) if (PG_FALLBACK_BIN / name).is_file() else None)
    if found is None:
        raise CommandError(
            _(
                "%(program)s was not found: install the PostgreSQL client programs (postgresql-client) or put them on PATH."
            )
            % {"program": name}
        )
    return found


def pg_environment() -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the connection from DATABASES, the password never on the command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[variable] = str(value)
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def run_pg(args: list[str], *, failure: str) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL client program; a non-zero exit becomes a CommandError with its own last words."""
    try:
        done = subprocess.run(  # noqa: S603 - the program path comes from pg_program, the arguments from us
            args, env=pg_environment(), capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise CommandError(_("%(program)s did not finish within an hour.") % {"program": Path(args[0]).name}) from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or _("exit code %(code)d") % {"code": done.returncode}
        raise CommandError(f"{failure} {detail}")
    return done


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens the file read-only, whatever characters its name holds."""
    return path.resolve().as_uri() + "?mode=ro"


def sqlite_check(path: Path) -> str:
    """Return "" when the SQLite file at `path` passes `PRAGMA integrity_check`, else what is wrong."""
    try:
        db = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    return "; ".join(problems[:5])


def sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy a whole SQLite database with the online backup API, in one step: one consistent snapshot.

    sqlite3 retries a locked database forever; after SQLITE_BUSY_SECONDS of locks this gives up instead.
    In WAL mode a reader is not locked out by writers, so a live site's backup starts at once.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS

    def give_up_when_locked_too_long(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError(
                _("the database stayed locked for %(seconds)d s") % {"seconds": SQLITE_BUSY_SECONDS}
            )

    source.backup(target, progress=give_up_when_locked_too_long)


def file_magic(path: Path, size: int) -> bytes:
    """The first `size` bytes of a file (b"" when it cannot be read): what kind of backup it is."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Command(BaseCommand):
    help = "Back up the database into a timestamped file in --dir while the site keeps running; print the file's path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="Directory for the backup files (default: var/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = engine()
        directory = Path(options["dir"])
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(
                _("Cannot create the backup directory %(dir)s: %(error)s") % {"dir": directory, "error": exc.strerror}
            ) from None
        target = self._free_name(directory, kind)
        partial = target.with_name(target.name + ".partial")
        started = time.monotonic()
        try:
            if kind == "sqlite":
                self._backup_sqlite(partial)
            else:
                self._backup_postgresql(partial)
            _fsync(partial)
            partial.rename(target)
            _fsync(directory)  # the rename itself survives a power cut
        except OSError as exc:
            raise CommandError(
                _("Cannot write the backup file %(file)s: %(error)s") % {"file": partial, "error": exc.strerror}
            ) from None
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"] > 1:
            self.stderr.write(
                _("%(bytes)d bytes in %(seconds).1f s")
                % {"bytes": target.stat().st_size, "seconds": time.monotonic() - started}
            )
        self.stdout.write(str(target))

    @staticmethod
    def _free_name(directory: Path, kind: str) -> Path:
        """minqing-YYYYMMDD-HHMMSS.<suffix>, with -2, -3… when a backup of the same second exists."""
        stem = "minqing-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = directory / (stem + SUFFIX[kind])
        number = 2
        while target.exists() or target.with_name(target.name + ".partial").exists():
            target = directory / f"{stem}-{number}{SUFFIX[kind]}"
            number += 1
        return target

    @staticmethod
    def _backup_sqlite(partial: Path) -> None:
        name = str(connection.settings_dict["NAME"])
        try:
            # A connection of our own: the backup API cannot read through a connection in a write transaction.
            with (
                closing(sqlite3.connect(name, uri=name.startswith("file:"), timeout=SQLITE_BUSY_SECONDS)) as source,
                closing(sqlite3.connect(partial)) as copy,
            ):
                sqlite_copy(source, copy)
                # The copy is one self-contained file: no -wal or -shm beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.DatabaseError as exc:
            raise CommandError(_("The SQLite backup failed: %(error)s") % {"error": exc}) from None
        problem = sqlite_check(partial)
        if problem:
            raise CommandError(_("The backup copy fails its integrity check: %(problem)s") % {"problem": problem})

    @staticmethod
    def _backup_postgresql(partial: Path) -> None:
        run_pg(
            # Owners and grants are left out when restoring (pg_restore --no-owner --no-privileges).
            [pg_program("pg_dump"), "--format=custom", "--file", str(partial)],
            failure=_("pg_dump failed:"),
        )
        if file_magic(partial, len(PGDUMP_MAGIC)) != PGDUMP_MAGIC:
            raise CommandError(_("pg_dump did not write a custom-format archive."))
