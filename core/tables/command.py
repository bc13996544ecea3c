"""The base of every import command: a file, --dry-run, the report a line a row, all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import uploads
from core.tables.report import TableReport, write_report


class ImportCommand(BaseCommand):
    """Subclasses say which file they take (`file_help`) and implement `run_import`, `describe` and `done`."""

    file_help = "The .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and show what would be imported; write nothing."
        )

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse options the command cannot use (CommandError), before the file is read."""

    def run_import(self, *, name: str, data: bytes, dry_run: bool, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def heading(self, name: str, report: Any) -> str:
        return _("%(file)s (%(format)s): header in row %(row)d, %(n)d rows") % {
            "file": name,
            "format": report.file_format,
            "row": report.header_row or 0,
            "n": len(report.rows),
        }

    def describe(self, row: Any) -> str:
        raise NotImplementedError

    def notes(self, report: Any) -> list[str]:
        """Lines written after the rows of a table without errors."""
        return []

    def done(self, report: Any) -> str:
        """The success line of a real run."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        self.check_options(options)
        if path.stat().st_size > uploads.max_bytes():
            raise CommandError(uploads.too_large_message(path.name))
        report: TableReport = self.run_import(
            name=path.name, data=path.read_bytes(), dry_run=options["dry_run"], options=options
        )
        write_report(
            report,
            stdout=self.stdout,
            stderr=self.stderr,
            heading=self.heading(path.name, report),
            describe=self.describe,
            notes=self.notes(report),
            done=self.style.SUCCESS(self.done(report)),
        )
