"""The monthly pack's reads: the packs made and asked for, each with its job's progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.jobs.selectors import JobView, job_live
from oversight.models import MonthlyPack

SHOWN = 24


@dataclass(frozen=True)
class PackRow:
    pack: MonthlyPack
    job: JobView | None

    @property
    def running(self) -> bool:
        return not self.pack.made and self.job is not None and not self.job.job.finished

    @property
    def error(self) -> str:
        return self.job.job.error if self.job is not None else ""


def packs_recent() -> QuerySet[MonthlyPack]:
    return MonthlyPack.objects.select_related("job", "requested_by").defer("data")


def pack_rows() -> list[PackRow]:
    """The latest packs asked for, newest first, with the progress of those still being made."""
    return [PackRow(pack, job_live(pack.job) if pack.job is not None else None) for pack in packs_recent()[:SHOWN]]


def pack_made_get(pk: int) -> MonthlyPack | None:
    """A pack whose files are made (None for a missing one or one not made yet)."""
    return packs_recent().filter(pk=pk, made_at__isnull=False).first()
