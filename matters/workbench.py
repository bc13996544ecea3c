"""What waits for whom in the matter loop: the matters part of each person's workbench."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.plugins import WorkItem
from core.roles import Role, user_roles
from matters.access import matters_visible_to
from matters.selectors import overdue_q, unit_q
from matters.workflow import UNFINISHED, Status


def _queue(**params: str) -> str:
    return reverse("matters:list") + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def matter_work(user: AbstractBaseUser | AnonymousUser) -> list[WorkItem]:
    """Queues by role: new reports and verifications for the coordination team, a lead's matters, a unit's."""
    roles = user_roles(user)
    visible = matters_visible_to(user)
    today = timezone.localdate()
    items: list[WorkItem] = []
    if Role.COORDINATOR in roles:
        items += [
            WorkItem(
                _("New reports to accept"),
                visible.filter(status=Status.REPORTED).count(),
                _queue(tab="intake", status=Status.REPORTED),
                True,
            ),
            WorkItem(
                _("Accepted, waiting to be assigned"),
                visible.filter(status=Status.ACCEPTED).count(),
                _queue(tab="intake", status=Status.ACCEPTED),
            ),
            WorkItem(
                _("Completed, waiting for verification"),
                visible.filter(status=Status.COMPLETED).count(),
                _queue(tab="all", status=Status.COMPLETED),
            ),
            WorkItem(
                _("Flagged for redo by public ratings"),
                visible.filter(redo_flagged_at__isnull=False).count(),
                _queue(tab="all", redo="1"),
                True,
            ),
        ]
    person = getattr(user, "person", None)
    if Role.LEADER in roles and person is not None:
        led = visible.filter(leads=person)
        items += [
            WorkItem(
                _("Matters I lead, waiting for my verification"),
                led.filter(status=Status.COMPLETED).count(),
                _queue(tab="lead", status=Status.COMPLETED),
                True,
            ),
            WorkItem(_("Matters I lead, open"), led.filter(status__in=UNFINISHED).count(), _queue(tab="lead")),
        ]
    if roles & {Role.HANDLER, Role.CADRE} and person is not None:
        unit = visible.filter(unit_q(person.unit_id)).distinct()
        items += [
            WorkItem(
                _("My unit's matters to start"),
                unit.filter(status=Status.ASSIGNED).count(),
                _queue(tab="unit", status=Status.ASSIGNED),
                True,
            ),
            WorkItem(
                _("My unit's matters in progress"),
                unit.filter(status=Status.IN_PROGRESS).count(),
                _queue(tab="unit", status=Status.IN_PROGRESS),
            ),
        ]
    if items:
        items.append(WorkItem(_("Overdue"), visible.filter(overdue_q(today)).count(), _queue(tab="all", overdue="1"), True))
    return items
