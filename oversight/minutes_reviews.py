"""A review's minutes (纪要) as .docx through core.documents: A4, Chinese, drafted from the records."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from core.documents import REPORT, Document, Section, Table, write_docx
from oversight.models.reviews import Review
from oversight.selectors.reviews import HEADLINES, headline_label, list_labels


def _value(value: object) -> str:
    return "—" if value is None else str(value)


def document(review: Review) -> Document:
    data = review.prepared or {}
    facts = [
        _("Date: %(date)s") % {"date": review.held_on.isoformat() if review.held_on else "—"},
        _("Chair: %(name)s") % {"name": review.chair.display_name if review.chair else "—"},
        _("Attendees: %(names)s") % {"names": "、".join(p.display_name for p in review.attendees.all()) or "—"},
    ]
    counts = [[str(label), _value(data.get("lists", {}).get(kind, {}).get("count"))] for kind, label in list_labels()]
    rates = [[headline_label(key), _value(data.get("figures", {}).get(key))] for key, _label in HEADLINES]
    decisions = [
        [
            str(d.order),
            str(d.get_kind_display()),
            d.text,
            d.matter.code if d.matter_id and d.matter else "",
            str(d.effect.get("label", "")),
        ]
        for d in review.decisions.select_related("matter")
    ]
    return Document(
        title=_("Minutes of the monthly review of %(month)s") % {"month": review.month_label},
        subtitle=[review.campaign.name],
        sections=[
            Section(lines=facts),
            Section(title=_("Agenda"), lines=review.agenda.splitlines() or ["—"]),
            Section(
                title=_("Figures of the month"),
                table=Table(headers=[_("Figure"), _("Value")], rows=counts + rates, widths=[70, 30]),
            ),
            Section(
                title=_("Decisions"),
                table=Table(
                    headers=[_("No."), _("Kind"), _("Decision"), _("Matter"), _("What it did")],
                    rows=decisions or [["", "", "—", "", ""]],
                    widths=[7, 15, 43, 15, 20],
                ),
            ),
            Section(title=_("Minutes"), lines=review.minutes.splitlines() or ["—"]),
        ],
        layout=REPORT,
        page_numbers=True,
    )


def write(review: Review, out: IO[bytes]) -> None:
    write_docx(document(review), out)


def filename(review: Review) -> str:
    return f"review-minutes-{review.month:%Y-%m}.docx"
