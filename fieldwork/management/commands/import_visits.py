"""manage.py import_visits: import a visit sheet (.xlsx or .csv), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import uploads
from core.tables.report import write_report
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
        if path.stat().st_size > uploads.max_bytes():
            raise CommandError(uploads.too_large_message(path.name))
        report = importer.import_visits(
            name=path.name, data=path.read_bytes(), actor=None, year=year, dry_run=options["dry_run"]
        )
        counts = {"new": report.new_count, "existing": report.existing_count}
        write_report(
            report,
            stdout=self.stdout,
            stderr=self.stderr,
            heading=_("%(file)s (%(format)s): header in row %(row)d, %(n)d rows")
            % {"file": path.name, "format": report.file_format, "row": report.header_row or 0, "n": len(report.rows)},
            describe=importer.describe,
            done=self.style.SUCCESS(_("Imported %(new)d visits; %(existing)d rows were already imported.") % counts),
        )
