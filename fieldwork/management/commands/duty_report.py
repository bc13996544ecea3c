"""manage.py duty_report: write a person's duty report (述职报告) for a period as .docx or PDF."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.documents import DocumentError
from fieldwork import duty_report
from org.models import Person


def find_person(raw: str) -> Person:
    """A person by id or exact name; a clear refusal when unknown or ambiguous."""
    raw = raw.strip()
    if raw.isdecimal() and len(raw) < 12:
        person = Person.objects.filter(pk=int(raw)).first()
        if person is not None:
            return person
    found = list(Person.objects.filter(name=raw).order_by("id")[:10])
    if not found:
        raise CommandError(_("Nobody with the id or name “%(name)s”.") % {"name": raw[:40]})
    if len(found) > 1:
        ids = ", ".join(str(p.pk) for p in found)
        raise CommandError(
            _("Several people are named “%(name)s” (ids %(ids)s); give the id instead.") % {"name": raw, "ids": ids}
        )
    return found[0]


def parse_day(raw: str | None, option: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            _("Cannot read %(option)s “%(value)s”: write the date like 2022-06-30.") % {"option": option, "value": raw}
        ) from None


class Command(BaseCommand):
    help = "Write a person's duty report for a period (default: the current campaign's start to today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, help="The person's id or name.")
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--format", dest="file_format", choices=duty_report.FORMATS, help="Default: the output file's extension."
        )
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        file_format = options["file_format"] or output.suffix.lower().lstrip(".")
        if file_format not in duty_report.FORMATS:
            raise CommandError(
                _("Give --format (%(formats)s) or an output file with that extension.")
                % {"formats": ", ".join(duty_report.FORMATS)}
            )
        person = find_person(options["person"])
        default_start, default_end = duty_report.default_period()
        start = parse_day(options["start"], "--from") or default_start
        end = parse_day(options["end"], "--to") or default_end
        error = duty_report.period_error(start, end)
        if error:
            raise CommandError(error)
        if not output.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": output.parent})
        report = duty_report.build_report(person=person, start=start, end=end)
        # Write beside the target and rename: a failed report never leaves half a file under the real name.
        handle, partial = tempfile.mkstemp(dir=output.parent, prefix=".report-", suffix="." + file_format)
        try:
            with os.fdopen(handle, "wb") as out:
                report.write(file_format, out)
            os.replace(partial, output)
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        self.stdout.write(_("%(title)s written to %(file)s.") % {"title": report.title, "file": output})
