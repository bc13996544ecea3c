"""The monthly pack's writes: ask for a month's pack (a background job), and store what the job made."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_record
from core.jobs.services import job_start
from core.types import Actor
from oversight.models import MonthlyPack
from oversight.pack import pack_files
from oversight.pack_data import month_end, month_label, month_start, months_allowed, pack_data

JOB_KIND = "oversight.pack"
STAGES = [
    gettext_noop("Counting the month's figures and lists"),
    gettext_noop("Drawing the charts and writing the files"),
    gettext_noop("Storing the files"),
]


def month_refused(month: dt.date, today: dt.date) -> str:
    """Why a pack cannot be made for this month ("" when it can)."""
    if month_start(month) > month_start(today):
        return _("The month %(month)s has not begun: choose the current month or one that has ended.") % {
            "month": month_label(month)
        }
    if month_start(month) not in months_allowed(today):
        return _("A pack can be made for the last 24 months only.")
    return ""


def pack_generate(*, actor: Actor, month: dt.date, today: dt.date | None = None) -> MonthlyPack:
    """Ask for the pack of `month` (the current month or an ended one): its row, and the job that makes it."""
    today = today or timezone.localdate()
    refused = month_refused(month, today)
    if refused:
        raise ValidationError(refused)
    with transaction.atomic():
        requester = actor if actor is not None and actor.is_authenticated else None
        pack = MonthlyPack(month=month_start(month), requested_by=requester, requested_at=timezone.now())  # type: ignore[misc]
        pack.full_clean()
        pack.save()
        title = _("Monthly pack of %(month)s") % {"month": month_label(pack.month)}
        pack.job = job_start(owner=actor, kind=JOB_KIND, title=title, params={"pack": pack.pk}, total=len(STAGES))
        pack.save(update_fields=["job"])
        audit_record(actor=actor, action="oversight.pack.generate", target=pack, after={"month": str(pack)})
    return pack


def pack_make(
    *,
    pack: MonthlyPack,
    decisions: list[dict[str, Any]] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> MonthlyPack:
    """Count the month, write the .docx and the PDF (in the site's language, Chinese) and keep both on the pack.

    DocumentError (core.documents) when the PDF's font is missing; nothing is stored then.
    """
    from campaigns.selectors import campaign_current
    from oversight.selectors.reviews import last_meeting_decisions

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STAGES[min(done, len(STAGES) - 1)])

    step(0)
    with translation.override(settings.LANGUAGE_CODE):
        campaign = campaign_current(on=month_end(pack.month))
        if decisions is None:
            decisions = last_meeting_decisions(campaign, pack.month)
        data = pack_data(pack.month, campaign, decisions=decisions)
        step(1)
        files = pack_files(data)
    step(2)
    with transaction.atomic():
        name = f"{pack.pk}-{pack.month:%Y-%m}"
        pack.docx.save(f"{name}.docx", ContentFile(files["docx"]), save=False)
        pack.pdf.save(f"{name}.pdf", ContentFile(files["pdf"]), save=False)
        pack.data = data
        pack.made_at = timezone.now()
        pack.full_clean()
        pack.save()
        digests = {fmt: hashlib.sha256(content).hexdigest() for fmt, content in files.items()}
        audit_record(actor=None, action="oversight.pack.made", target=pack, after={"month": str(pack), **digests})
    return pack
