"""What waits for whom in the matter loop: the matters part of each person's workbench."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.plugins import WorkEntry, WorkItem
from core.privacy import redact
from core.roles import Role, user_roles
from matters.access import matters_visible_to
from matters.models import Matter
from matters.selectors import overdue_first, overdue_q, unit_q
from matters.workflow import UNFINISHED, Status

URGENT_SHOWN = 3  # the most urgent matters listed under each workbench line


def _queue(**params: str) -> str:
    return reverse("matters:list") + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def urgent_entries(qs: QuerySet[Matter], *, limit: int = URGENT_SHOWN) -> tuple[WorkEntry, ...]:
    """The first matters of a queue to act on: overdue first, then the nearest deadline, then the oldest report."""
    today = timezone.localdate()
    rows = overdue_first(qs, today=today).order_by("overdue_rank", "deadline_last_day", "reported_at", "id")
    entries = []
    for matter in rows.only("pk", "code", "problem", "task", "deadline_last_day", "status")[:limit]:
        overdue = matter.overdue_rank == 0  # type: ignore[attr-defined]
        if matter.deadline_last_day is None:
            note = ""
        elif overdue:
            note = _("was due %(date)s") % {"date": matter.deadline_last_day.isoformat()}
        else:
            note = _("due %(date)s") % {"date": matter.deadline_last_day.isoformat()}
        # A summary line, never a record: numbers typed into the text are masked for every role (the matter's
        # page shows them, audited, to those who may see them).
        text = redact((matter.task or matter.problem or "").strip())
        label = f"{matter.code} {text[:40]}{'…' if len(text) > 40 else ''}"
        entries.append(WorkEntry(label, reverse("matters:detail", args=[matter.pk]), note, overdue))
    return tuple(entries)


def _line(label: str, qs: QuerySet[Matter], url: str, urgent: bool = False) -> WorkItem:
    count = qs.count()
    return WorkItem(label, count, url, urgent, urgent_entries(qs) if count else ())


def matter_work(user: AbstractBaseUser | AnonymousUser) -> list[WorkItem]:
    """Queues by role, each with its most urgent matters: overdue work first, then new reports and verifications
    for the coordination team, a lead's matters, a unit's."""
    roles = user_roles(user)
    visible = matters_visible_to(user)
    today = timezone.localdate()
    items: list[WorkItem] = []
    if Role.COORDINATOR in roles:
        items += [
            _line(
                _("New reports to accept"),
                visible.filter(status=Status.REPORTED),
                _queue(tab="intake", status=Status.REPORTED),
                True,
            ),
            _line(
                _("Accepted, waiting to be assigned"),
                visible.filter(status=Status.ACCEPTED),
                _queue(tab="intake", status=Status.ACCEPTED),
            ),
            _line(
                _("Completed, waiting for verification"),
                visible.filter(status=Status.COMPLETED),
                _queue(tab="all", status=Status.COMPLETED),
            ),
            _line(
                _("Flagged for redo by public ratings"),
                visible.filter(redo_flagged_at__isnull=False),
                _queue(tab="all", redo="1"),
                True,
            ),
        ]
    person = getattr(user, "person", None)
    if Role.LEADER in roles and person is not None:
        led = visible.filter(leads=person)
        items += [
            _line(
                _("Matters I lead, waiting for my verification"),
                led.filter(status=Status.COMPLETED),
                _queue(tab="lead", status=Status.COMPLETED),
                True,
            ),
            _line(_("Matters I lead, open"), led.filter(status__in=UNFINISHED), _queue(tab="lead")),
        ]
    if roles & {Role.HANDLER, Role.CADRE} and person is not None:
        unit = visible.filter(unit_q(person.unit_id)).distinct()
        items += [
            _line(
                _("My unit's matters to start"),
                unit.filter(status=Status.ASSIGNED),
                _queue(tab="unit", status=Status.ASSIGNED),
                True,
            ),
            _line(
                _("My unit's matters in progress"),
                unit.filter(status=Status.IN_PROGRESS),
                _queue(tab="unit", status=Status.IN_PROGRESS),
            ),
        ]
    if roles & {Role.ASSESSOR, Role.SUPERVISOR} and Role.COORDINATOR not in roles:
        # The teams that check the work: what is late, and what the public asked to redo.
        items.append(
            _line(
                _("Flagged for redo by public ratings"),
                visible.filter(redo_flagged_at__isnull=False),
                _queue(tab="all", redo="1"),
                True,
            )
        )
    if items or roles & {Role.ASSESSOR, Role.SUPERVISOR}:
        overdue = _line(_("Overdue"), visible.filter(overdue_q(today)), _queue(tab="all", overdue="1"), True)
        items.insert(0, overdue)
    return items
