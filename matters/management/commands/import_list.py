"""manage.py import_list: import an attachment-2 table (xlsx, docx or csv), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import uploads
from core.tables.report import write_report
from matters.exchange import importer


class Command(BaseCommand):
    help = (
        "Import the table of attachment 2 (序号, 问题清单, 任务清单, 完成时限, 责任领导, 责任部门社区, 备注) from an "
        ".xlsx, .docx or .csv file. All rows or none; rows imported before are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx, .docx or .csv file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show what would be imported; write nothing."
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown leads (as leaders of the root unit) and units (departments, or communities "
            "for names ending in 社区) instead of refusing the rows.",
        )
        parser.add_argument("--campaign", type=int, help="The campaign's id (default: the current campaign).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        campaign = None
        if options["campaign"] is not None:
            campaign = Campaign.objects.filter(pk=options["campaign"]).first()
            if campaign is None:
                raise CommandError(_("No campaign with the id %(id)s.") % {"id": options["campaign"]})
        if path.stat().st_size > uploads.max_bytes():
            raise CommandError(uploads.too_large_message(path.name))
        report = importer.import_table(
            name=path.name,
            data=path.read_bytes(),
            actor=None,
            campaign=campaign,
            create_missing=options["create_missing"],
            dry_run=options["dry_run"],
        )
        notes = []
        if report.new_people or report.new_units:
            verb = _("would be created") if report.dry_run else _("created")
            notes.append(
                _("People %(verb)s: %(people)s; units %(verb)s: %(units)s")
                % {
                    "verb": verb,
                    "people": "、".join(report.new_people) or "-",
                    "units": "、".join(report.new_units) or "-",
                }
            )
        counts = {"new": report.new_count, "existing": report.existing_count}
        write_report(
            report,
            stdout=self.stdout,
            stderr=self.stderr,
            heading=_("%(file)s (%(format)s): header in row %(row)d, %(n)d rows; campaign: %(campaign)s")
            % {
                "file": path.name,
                "format": report.file_format,
                "row": report.header_row or 0,
                "n": len(report.rows),
                "campaign": report.campaign or "-",
            },
            describe=importer.describe,
            notes=notes,
            done=self.style.SUCCESS(_("Imported %(new)d matters; %(existing)d rows were already imported.") % counts),
        )
