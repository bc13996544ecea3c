"""What an import found, row by row: shown on the upload page and written by the import commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _

NEW, EXISTING, DUPLICATE, ERROR = "new", "existing", "duplicate", "error"


@dataclass
class RowError:
    row: int | None  # the row's number in the file; None for the file as a whole
    column: str  # the column's name as the table writes it; "" for the file or the row
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Row:
    """One data row of a table: its number, its key, what became of it. Importers add the fields they read."""

    number: int
    key: str = ""  # what makes it the same row next time; "" while the row cannot be told apart
    existing: Any = None  # what an earlier import made of this row
    duplicate_of: int | None = None  # the number of the row it repeats in the same file
    errors: list[RowError] = field(default_factory=list)
    saved: Any = None  # what this import made of it (until a rollback)

    @property
    def state(self) -> str:
        """Refused, already imported, repeated in the file, or new."""
        if self.errors:
            return ERROR
        if self.existing is not None:
            return EXISTING
        if self.duplicate_of is not None:
            return DUPLICATE
        return NEW

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


@dataclass
class TableReport:
    """What reading a table found, row by row, and whether it was written."""

    file_name: str
    file_format: str = ""
    header_row: int | None = None
    rows: list[Any] = field(default_factory=list)  # Row or a subclass
    file_errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def errors(self) -> list[RowError]:
        return [*self.file_errors, *(e for row in self.rows for e in row.errors)]

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def new_count(self) -> int:
        return self._count(NEW)

    @property
    def existing_count(self) -> int:
        return self._count(EXISTING)

    @property
    def duplicate_count(self) -> int:
        return self._count(DUPLICATE)


def state_label(row: Row) -> str:
    """The row's state in a word or two, for a command's output."""
    return {
        NEW: _("new"),
        EXISTING: _("already imported"),
        DUPLICATE: _("repeats row %(row)s") % {"row": row.duplicate_of},
        ERROR: _("error"),
    }[row.state]


def write_report(
    report: TableReport,
    *,
    stdout: OutputWrapper,
    stderr: OutputWrapper,
    heading: str,
    describe: Callable[[Any], str],
    done: str,
    notes: Sequence[str] = (),
) -> None:
    """A command's account of an import: the heading, a line a row, the errors; CommandError when it refused.

    `heading` is written when the header was found, `notes` after the rows of a table without errors, and
    `done` (the success line, styled by the command) when rows were written.
    """
    if report.header_row is not None:
        stdout.write(heading)
    for row in report.rows:
        stdout.write(describe(row))
    for error in report.errors:
        stderr.write(str(error))
    if not report.ok:
        raise CommandError(
            _("%(n)d error(s): nothing was imported. Correct the file and run the import again.")
            % {"n": len(report.errors)}
        )
    for note in notes:
        stdout.write(note)
    counts = {"new": report.new_count, "existing": report.existing_count}
    if report.dry_run:
        stdout.write(
            _("Dry run: %(new)d rows would be imported, %(existing)d already imported. Nothing was written.") % counts
        )
    else:
        stdout.write(done)
