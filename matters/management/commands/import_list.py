"""manage.py import_list: import an attachment-2 table (xlsx, docx or csv), all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from matters.exchange import importer
from matters.models import Precision


def describe(row: importer.PlannedRow) -> str:
    """One line per row: what it is read as and what happens to it."""
    state = {
        importer.NEW: _("new"),
        importer.EXISTING: _("already imported"),
        importer.DUPLICATE: _("repeats row %(row)s") % {"row": row.duplicate_of},
        importer.ERROR: _("error"),
    }[row.state]
    precision = _("month") if row.precision == Precision.MONTH else _("day")
    parts = [
        _("row %(row)d") % {"row": row.number},
        f"[{state}]",
        f"{row.serial}." if row.serial else "",
        row.excerpt,
        "|",
        _("deadline %(deadline)s (%(precision)s)") % {"deadline": row.deadline_display, "precision": precision}
        if row.deadline
        else _("deadline ?"),
        "|",
        _("leads: %(leads)s") % {"leads": row.leads_display or _("none (needs a lead)")},
        "|",
        _("units: %(units)s") % {"units": row.units_display or "-"},
    ]
    if row.budget is not None:
        parts += ["|", _("budget: %(yuan)s yuan") % {"yuan": row.budget_display}]
    if row.new_people or row.new_units:
        parts += ["|", _("to create: %(names)s") % {"names": "、".join([*row.new_people, *row.new_units])}]
    return " ".join(p for p in parts if p)


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
        if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
            raise CommandError(importer.too_large_message())
        report = importer.import_table(
            name=path.name,
            data=path.read_bytes(),
            actor=None,
            campaign=campaign,
            create_missing=options["create_missing"],
            dry_run=options["dry_run"],
        )
        if report.header_row is not None:
            self.stdout.write(
                _("%(file)s (%(format)s): header in row %(row)d, %(n)d rows; campaign: %(campaign)s")
                % {
                    "file": path.name,
                    "format": report.file_format,
                    "row": report.header_row,
                    "n": len(report.rows),
                    "campaign": report.campaign or "-",
                }
            )
        for row in report.rows:
            self.stdout.write(describe(row))
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(
                _("%(n)d error(s): nothing was imported. Correct the file and run the import again.")
                % {"n": len(report.errors)}
            )
        if report.new_people or report.new_units:
            verb = _("would be created") if report.dry_run else _("created")
            self.stdout.write(
                _("People %(verb)s: %(people)s; units %(verb)s: %(units)s")
                % {
                    "verb": verb,
                    "people": "、".join(report.new_people) or "-",
                    "units": "、".join(report.new_units) or "-",
                }
            )
        counts = {"new": report.new_count, "existing": report.existing_count}
        if report.dry_run:
            self.stdout.write(
                _("Dry run: %(new)d rows would be imported, %(existing)d already imported. Nothing was written.")
                % counts
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Imported %(new)d matters; %(existing)d rows were already imported.") % counts)
            )
