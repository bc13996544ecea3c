"""manage.py import_visits: import a visit sheet (.xlsx or .csv), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fieldwork import importer


class Command(BaseCommand):
    help = (
        "Import visits from an .xlsx or .csv sheet with the columns 姓名, 日期, 时长 (or 开始时间 and 结束时间), "
        "类型, 地点 and 备注. All rows or none; rows imported before are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and show what would be imported; write nothing."
        )
        parser.add_argument(
            "--year", type=int, help="The year of dates written without one (6月3日); default: this year."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        year = options["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(_("The year must lie between 2000 and 2100."))
        if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
            raise CommandError(importer.too_large_message())
        report = importer.import_visits(
            name=path.name, data=path.read_bytes(), actor=None, year=year, dry_run=options["dry_run"]
        )
        if report.header_row is not None:
            self.stdout.write(
                _("%(file)s (%(format)s): header in row %(row)d, %(n)d rows")
                % {"file": path.name, "format": report.file_format, "row": report.header_row, "n": len(report.rows)}
            )
        for row in report.rows:
            self.stdout.write(importer.describe(row))
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(
                _("%(n)d error(s): nothing was imported. Correct the file and run the import again.")
                % {"n": len(report.errors)}
            )
        counts = {"new": report.new_count, "existing": report.existing_count}
        if report.dry_run:
            self.stdout.write(
                _("Dry run: %(new)d rows would be imported, %(existing)d already imported. Nothing was written.")
                % counts
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Imported %(new)d visits; %(existing)d rows were already imported.") % counts)
            )
