"""manage.py import_visits: import a visit sheet (.xlsx or .csv), all rows or none."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from core.tables.command import ImportCommand
from fieldwork import importer


class Command(ImportCommand):
    help = (
        "Import visits from an .xlsx or .csv sheet with the columns 姓名, 日期, 时长 (or 开始时间 and 结束时间), "
        "类型, 地点 and 备注. All rows or none; rows imported before are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--year", type=int, help="The year of dates written without one (6月3日); default: this year."
        )

    def check_options(self, options: dict[str, Any]) -> None:
        year = options["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(_("The year must lie between 2000 and 2100."))

    def run_import(self, *, name: str, data: bytes, dry_run: bool, options: dict[str, Any]) -> Any:
        return importer.import_visits(name=name, data=data, actor=None, year=options["year"], dry_run=dry_run)

    def describe(self, row: Any) -> str:
        return importer.describe(row)

    def done(self, report: Any) -> str:
        counts = {"new": report.new_count, "existing": report.existing_count}
        return _("Imported %(new)d visits; %(existing)d rows were already imported.") % counts
