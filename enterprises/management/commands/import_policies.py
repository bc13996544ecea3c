"""manage.py import_policies: import a policy list (.xlsx or .csv), all rows or none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.tables.command import ImportCommand
from core.tables.report import state_label
from enterprises.importer_policies import import_policies


class Command(ImportCommand):
    help = (
        "Import a policy list with the columns 政策名称, 发文单位, 文号, 年份, 有效期起, 有效期止, 支持方式, 金额, 适用条件, "
        "摘要, 申报途径. All rows or none; policies imported before are skipped."
    )

    def run_import(self, *, name: str, data: bytes, dry_run: bool, options: dict[str, Any]) -> Any:
        return import_policies(name=name, data=data, actor=None, dry_run=dry_run)

    def describe(self, row: Any) -> str:
        return f"{row.number}: {state_label(row)} · {row.title}"

    def done(self, report: Any) -> str:
        counts = {"new": report.new_count, "existing": report.existing_count}
        return _("Imported %(new)d policies; %(existing)d rows were already imported.") % counts
