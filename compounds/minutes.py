"""A linkage meeting's minutes (会议纪要) as .docx, through core.documents; attendees' names only for the staff."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from compounds.models import LinkageMeeting
from compounds.models.meetings import HEADINGS, SIDES
from core.documents import REPORT, Document, Section, Table, write_docx


def document(meeting: LinkageMeeting, *, private: bool) -> Document:
    compound = meeting.compound.compound
    lines = [
        _("Date: %(date)s") % {"date": meeting.held_on.isoformat()},
        _("Place: %(place)s") % {"place": meeting.place},
    ]
    if meeting.missing_sides:
        lines.append(_("Sides absent: %(sides)s") % {"sides": "、".join(meeting.missing_sides)})
    attendees = Section(
        title=_("Attendees"),
        table=Table(
            headers=[_("Side"), _("Attendees")],
            rows=[
                [str(label), "、".join(meeting.attendees(field)) if private else str(len(meeting.attendees(field)))]
                for field, label in SIDES
            ],
            widths=[30, 70],
        ),
    )
    topics = [
        Section(title=str(label), lines=getattr(meeting, field).splitlines() or ["—"]) for field, label in HEADINGS
    ]
    decisions = Section(
        title=_("Decisions"),
        table=Table(
            headers=[_("No."), _("Decision"), _("Matter")],
            rows=[
                [str(number), d.text, d.matter.code if d.matter else ""]
                for number, d in enumerate(meeting.decisions.select_related("matter"), start=1)
            ],
            widths=[8, 70, 22],
        ),
    )
    return Document(
        title=_("Minutes of the tripartite linkage meeting of %(compound)s") % {"compound": compound.name},
        sections=[Section(lines=lines), attendees, *topics, decisions],
        layout=REPORT,
        page_numbers=True,
    )


def write(meeting: LinkageMeeting, out: IO[bytes], *, private: bool) -> None:
    write_docx(document(meeting, private=private), out)
