"""manage.py import_list: import an attachment-2 table (xlsx, docx or csv), all rows or none."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.tables.command import ImportCommand
from matters.exchange import importer


class Command(ImportCommand):
    help = (
        "Import the table of attachment 2 (序号, 问题清单, 任务清单, 完成时限, 责任领导, 责任部门社区, 备注) from an "
        ".xlsx, .docx or .csv file. All rows or none; rows imported before are skipped."
    )
    file_help = "The .xlsx, .docx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown leads (as leaders of the root unit) and units (departments, or communities "
            "for names ending in 社区) instead of refusing the rows.",
        )
        parser.add_argument("--campaign", type=int, help="The campaign's id (default: the current campaign).")

    def check_options(self, options: dict[str, Any]) -> None:
        self.campaign = None
        if options["campaign"] is not None:
            self.campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if self.campaign is None:
                raise CommandError(_("No campaign with the id %(id)s.") % {"id": options["campaign"]})

    def run_import(self, *, name: str, data: bytes, dry_run: bool, options: dict[str, Any]) -> Any:
        return importer.import_table(
            name=name,
            data=data,
            actor=None,
            campaign=self.campaign,
            create_missing=options["create_missing"],
            dry_run=dry_run,
        )

    def heading(self, name: str, report: Any) -> str:
        campaign = _("campaign: %(campaign)s") % {"campaign": report.campaign or "-"}
        return f"{super().heading(name, report)}; {campaign}"

    def describe(self, row: Any) -> str:
        return importer.describe(row)

    def notes(self, report: Any) -> list[str]:
        if not (report.new_people or report.new_units):
            return []
        verb = _("would be created") if report.dry_run else _("created")
        names = {"people": "、".join(report.new_people) or "-", "units": "、".join(report.new_units) or "-"}
        return [_("People %(verb)s: %(people)s; units %(verb)s: %(units)s") % {"verb": verb, **names}]

    def done(self, report: Any) -> str:
        counts = {"new": report.new_count, "existing": report.existing_count}
        return _("Imported %(new)d matters; %(existing)d rows were already imported.") % counts
