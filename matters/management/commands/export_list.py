"""manage.py export_list: write the problem, task or effect list as xlsx, docx, csv or pdf."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from core.documents import DocumentError
from matters.exchange import exporter
from matters.selectors import parse_month
from org.models import Unit, UnitKind


def find_unit(raw: str, *, community: bool) -> Unit:
    """A unit by id, name or short name; a community if asked for one."""
    qs = Unit.objects.exclude(kind=UnitKind.WORK_TEAM)
    if community:
        qs = qs.filter(kind=UnitKind.COMMUNITY)
    raw = raw.strip()
    found = list(qs.filter(pk=int(raw))) if raw.isdecimal() and len(raw) < 12 else []
    found = found or list(qs.filter(Q(name=raw) | Q(short_name=raw)))
    if not found:
        if community:
            raise CommandError(_("No community with the id or name “%(name)s”.") % {"name": raw})
        raise CommandError(_("No unit with the id or name “%(name)s”.") % {"name": raw})
    if len(found) > 1:
        ids = ", ".join(str(u.pk) for u in found)
        raise CommandError(
            _("Several units are named “%(name)s” (ids %(ids)s); give the id instead.") % {"name": raw, "ids": ids}
        )
    return found[0]


class Command(BaseCommand):
    help = "Export the problem, task or effect list in attachment 2's columns (xlsx, docx, csv or pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", dest="list_kind", choices=exporter.LIST_KINDS, default="tasks")
        parser.add_argument(
            "--format", dest="file_format", choices=exporter.FORMATS, help="Default: the output file's extension."
        )
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument(
            "--month", help="The list of this month (YYYY-MM): problems raised, tasks in hand, effects completed in it."
        )
        parser.add_argument("--unit", help="Only matters of this unit (id or name).")
        parser.add_argument("--community", help="Only matters of this community (id or name), 各社区 included.")
        parser.add_argument(
            "--public-only", action="store_true", help="The public version: only matters marked public."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        file_format = options["file_format"] or output.suffix.lower().lstrip(".")
        if file_format not in exporter.FORMATS:
            raise CommandError(
                _("Give --format (%(formats)s) or an output file with that extension.")
                % {"formats": ", ".join(exporter.FORMATS)}
            )
        month = None
        if options["month"]:
            month = parse_month(options["month"])
            if month is None:
                raise CommandError(
                    _("Cannot read the month “%(month)s”: write it like 2022-06.") % {"month": options["month"]}
                )
        spec = exporter.ListSpec(
            list_kind=options["list_kind"],
            month=month,
            unit=find_unit(options["unit"], community=False) if options["unit"] else None,
            community=find_unit(options["community"], community=True) if options["community"] else None,
            public_only=options["public_only"],
        )
        if not output.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": output.parent})
        # Write beside the target and rename: a failed export never leaves half a file under the real name.
        handle, partial = tempfile.mkstemp(dir=output.parent, prefix=".export-", suffix="." + file_format)
        try:
            with os.fdopen(handle, "wb") as out:
                exporter.export(spec, file_format, out)
            os.replace(partial, output)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        count = spec.matters().count()
        self.stdout.write(
            _("%(title)s: %(n)d rows written to %(file)s.") % {"title": spec.title(), "n": count, "file": output}
        )
