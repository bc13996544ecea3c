"""manage.py import_enterprises: import the park's enterprise ledger (.xlsx or .csv), all rows or none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.tables.command import ImportCommand
from enterprises import importer


class Command(ImportCommand):
    help = (
        "Import the enterprise ledger with the columns 企业名称, 统一社会信用代码, 行业, 规模, 从业人数, 地址, 联系人, "
        "联系电话, 联系领导. All rows or none; an enterprise already on file is updated by its credit code."
    )

    def run_import(self, *, name: str, data: bytes, dry_run: bool, options: dict[str, Any]) -> Any:
        return importer.import_ledger(name=name, data=data, actor=None, dry_run=dry_run)

    def describe(self, row: Any) -> str:
        return importer.describe(row)

    def done(self, report: Any) -> str:
        return _("Imported %(n)d rows of the enterprise ledger (new enterprises created, known ones updated).") % {
            "n": report.new_count
        }
