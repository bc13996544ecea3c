"""A review's minutes (纪要) as .docx through core.documents, A4: the minutes as the coordination team edited them
(drafted from the records until then), with the month's figures and the decisions as annexes."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from core.documents import REPORT, Document, Section, Table, write_docx
from oversight.models.reviews import Review
from oversight.selectors.reviews import HEADLINES, headline_label, list_labels, minutes_draft


def _value(value: object) -> str:
    return "—" if value is None else str(value)


def document(review: Review) -> Document:
    data = review.prepared or {}
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
    body = (review.minutes or minutes_draft(review)).splitlines()
    return Document(
        title=_("Minutes of the monthly review of %(month)s") % {"month": review.month_label},
        subtitle=[review.campaign.name],
        sections=[
            Section(lines=[line for line in body if line.strip()] or ["—"]),
            Section(
                title=_("Annex 1: figures of the month"),
                table=Table(headers=[_("Figure"), _("Value")], rows=counts + rates, widths=[70, 30]),
            ),
            Section(
                title=_("Annex 2: decisions"),
                table=Table(
                    headers=[_("No."), _("Kind"), _("Decision"), _("Matter"), _("What it did")],
                    rows=decisions or [["", "", "—", "", ""]],
                    widths=[7, 13, 41, 18, 21],
                ),
            ),
        ],
        layout=REPORT,
        page_numbers=True,
    )


def write(review: Review, out: IO[bytes]) -> None:
    write_docx(document(review), out)


def filename(review: Review) -> str:
    return f"review-minutes-{review.month:%Y-%m}.docx"
