"""The objects the matrix requests: built once per module over the session's demo, rolled back at its end."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from PIL import Image

from campaigns.models import Campaign
from core.jobs.queue import Outcome
from core.jobs.services import job_finish, job_running, job_start
from core.uploads import CleanFile, clean_upload
from fieldwork.capabilities import FieldworkCap
from fieldwork.models import PlaceKind, VisitKind
from fieldwork.services import visit_create
from matters.models import Category, Channel, Matter
from matters.services import extension_request, matter_create, matter_transition
from matters.tests.factories import matter_in
from matters.workflow import Action, Status
from notifications.models import Notification
from notifications.services import notify
from open311.services import SubmittedRequest, api_key_create, service_request_create
from org.models import ContactPoint, Person, TeamMembership, Unit, UnitKind
from tests.security.matrix import PERSONAS, allowed_personas

# Inside the seed's 2022 campaign: every date of these tests is relative to this moment, never to the real today.
NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MISSING_ID = "999999999"
REPORTER_NAME, REPORTER_PHONE = "王秀英", "13907141234"  # who reported the matters at work
# Whose objects a persona that has none of its own (anonymous, no role, the administrators) is shown: refused
# before any object is looked up, it only needs a URL that exists.
FALLBACK = "cadre"


@dataclass(frozen=True)
class World:
    """The values of the matrix's {targets}: per persona, and another unit's (or person's) for the scoping tests."""

    values: dict[str, dict[str, str]]
    own: dict[str, dict[str, str]]  # demo account → its own visit, photo, person and inbox message
    foreign_matter: dict[str, str]  # another unit's matter, its attachment and its extension
    open311_key: str
    foreign_code: str = ""  # the other unit's matter's code

    def for_persona(self, persona: str) -> dict[str, str]:
        return self.values[persona]

    def foreign_for(self, persona: str) -> dict[str, str]:
        """Records this persona may not see: another unit's matter; another person's visit, report and inbox."""
        other = FALLBACK if persona != FALLBACK else "leader"
        return {**self.foreign_matter, **self.own[other]}


def _jpeg() -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), "green").save(out, format="JPEG")
    return clean_upload("site.jpg", out.getvalue())


def _matter_at_work(problem: str, units: list[Unit], *, public: bool) -> Matter:
    """A matter in progress led by 杨立新, with a progress report carrying a photo and a pending extension."""
    matter, _created = matter_create(
        actor=None,
        problem=problem,
        channel=Channel.HOTLINE,
        is_public=public,
        reporter_name=REPORTER_NAME,
        reporter_phone=REPORTER_PHONE,
    )
    matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    matter_transition(
        matter=matter,
        action=Action.ASSIGN,
        actor=None,
        task=problem,
        deadline=dt.date(2022, 7, 31),
        leads=[Person.objects.get(name="杨立新")],
        units=units,
    )
    matter_transition(matter=matter, action=Action.START, actor=None)
    matter_transition(matter=matter, action=Action.PROGRESS, actor=None, text="已完成一半", percent=50, files=[_jpeg()])
    extension_request(matter=matter, actor=None, new_deadline=dt.date(2022, 8, 31), reason="材料未到")
    return Matter.objects.get(pk=matter.pk)


def _own_objects(username: str) -> dict[str, str]:
    """A visit with a photo and an inbox message of this demo account's own."""
    user = get_user_model().objects.get(username=username)
    own: dict[str, str] = {}
    if username in allowed_personas(FieldworkCap.VISIT_LOG):
        visit = visit_create(
            actor=user,
            person=user.person,
            date=NOW.date(),
            kind=VisitKind.SITE_VISIT,
            place_kind=PlaceKind.COMMUNITY,
            unit=Unit.objects.get(name="长宇社区"),
            hours=Decimal("2"),
            photos=[_jpeg()],
        )
        own.update(own_visit=str(visit.pk), own_photo=str(visit.photos.get().pk), own_person=str(user.person.pk))
    notify(recipients=[user], title="matrix", link="/workbench/")
    own["own_notification"] = str(Notification.objects.filter(recipient=user).latest("id").pk)
    job = job_start(owner=user, kind="matters.export_list", title="matrix")  # queued when the transaction commits:
    taken = job_running(job_id=str(job.pk))  # never, the world is rolled back
    assert taken is not None
    job_finish(job=taken, outcome=Outcome(file=io.BytesIO(b"matrix"), file_name="matrix.csv", content_type="text/csv"))
    own["own_job"] = str(job.pk)
    return own


def _app_targets() -> dict[str, str]:
    """The {targets} of the other apps' routes: each app's `tests/world.py` builds its own (`build() -> dict`)."""
    import importlib

    from django.apps import apps

    targets: dict[str, str] = {}
    for config in apps.get_app_configs():
        try:
            world = importlib.import_module(f"{config.name}.tests.world")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests.world", f"{config.name}.tests"):
                raise
            continue
        targets.update(world.build())
    return targets


def _build() -> World:
    infrastructure, community, office = (Unit.objects.get(name=n) for n in ("基建办", "长宇社区", "党政办"))
    # Seen by every role that sees matters: the handler's department and the cadre's community are responsible.
    shared = _matter_at_work("赵罗路路灯不亮", [infrastructure, community], public=True)
    # Another unit's matter: neither the handler's nor the cadre's unit is responsible for it.
    foreign = _matter_at_work("党政办会议室漏水", [office], public=False)
    done = matter_in(Status.COMPLETED)
    assert shared.tracking_code is not None, "every matter gets a tracking code"
    key, secret = api_key_create(actor=None, name="matrix")
    request, token, _created = service_request_create(
        key=key, submitted=SubmittedRequest(category=Category.objects.get(code="facilities"), description="路灯不亮")
    )
    matter_transition(matter=request, action="accept", actor=None)  # its token resolves once it is public
    team = Unit.objects.filter(kind=UnitKind.WORK_TEAM, memberships__isnull=False).first()
    membership = TeamMembership.objects.filter(team=team).first()
    campaign = Campaign.objects.order_by("id").first()
    assert team is not None and membership is not None and campaign is not None, "the demo has teams and a campaign"
    common = {
        "matter": str(shared.pk),
        "attachment": str(shared.attachments.get().pk),
        "extension": str(shared.extensions.get().pk),
        "public_code": shared.code,
        "evidence": shared.attachments.get().token,  # its public address names the random token
        "tracking_code": shared.tracking_code,
        "done_code": done.code,
        "account": str(get_user_model().objects.create_user("matrix-target", password="matrix-pass-2026").pk),
        "unit": str(infrastructure.pk),
        "team": str(team.pk),
        "membership": str(membership.pk),
        "person": str(Person.objects.get(name="杨立新").pk),
        "contact_point": str(ContactPoint.objects.order_by("id").values_list("pk", flat=True)[0]),
        "campaign": str(campaign.pk),
        "phase": str(campaign.phases.order_by("id").values_list("pk", flat=True)[0]),
        "rule": str(campaign.duty_rules.order_by("id").values_list("pk", flat=True)[0]),
        "service_code": "facilities",
        "open311_token": token,
        **_app_targets(),
    }
    # The demo's accounts have records of their own; the root conftest makes "resident" and "outsider" per test.
    accounts = [account for account, _roles in PERSONAS.values() if account is not None]
    demo_accounts = get_user_model().objects.filter(username__in=accounts).values_list("username", flat=True)
    own = {account: _own_objects(account) for account in demo_accounts}
    values = {
        persona: {**common, **own[FALLBACK], **own.get(account or "", {})}
        for persona, (account, _roles) in PERSONAS.items()
    }
    foreign_matter = {
        "matter": str(foreign.pk),
        "attachment": str(foreign.attachments.get().pk),
        "extension": str(foreign.extensions.get().pk),
    }
    return World(values=values, own=own, foreign_matter=foreign_matter, open311_key=secret, foreign_code=foreign.code)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Build the matrix's objects once for the module, inside a transaction rolled back when the module ends.

    Each test runs in its own savepoint inside that transaction (pytest-django's `db`), so what a request writes
    (an account toggled, a phase deleted) is undone before the next test.
    """
    media: Path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            built = _build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
