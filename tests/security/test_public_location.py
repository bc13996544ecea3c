"""Public coordinates are coarsened (issue 12, point 5).

A reporter's browser or app sends its coordinates to about 10 cm: enough to find their door. Open311 (and any
public output) gives them rounded to three decimals, about 100 m, unless the coordination team or a handler of a
responsible unit publishes the work site's location, which is then given as set.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client

from audit.models import AuditEvent
from matters.exchange.exporter import ListSpec, export_bytes
from matters.models import Category, Matter
from matters.services import matter_transition
from matters.tests.factories import assign_fields
from matters.workflow import Action
from open311.services import api_key_create
from org.models import Unit

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str | None], Client]

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LAT, LONG = "30.123456", "115.123456"
# Anything finer than three decimals of the reporter's coordinates, however it is written.
TOO_PRECISE = re.compile(r"30\.123\d|115\.123\d|30\.12346|115\.12346")


@pytest.fixture(autouse=True)
def _frozen(demo: None) -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _raised_on_the_portal() -> Matter:
    form = {
        "category": Category.objects.get(code="roads").pk,
        "description": "赵罗路路面破损严重，下雨天积水。",
        "place": "赵罗路与长乐路交叉口",
        "latitude": LAT,
        "longitude": LONG,
        "consent": "on",
        "is_public": "on",
        "token": uuid.uuid4().hex,
    }
    assert Client().post("/report/", form).status_code == 302
    matter = Matter.objects.latest("pk")
    assert (matter.latitude, matter.longitude) == (Decimal(LAT), Decimal(LONG))  # kept as sent, for the staff
    return matter


def _sent_through_open311() -> Matter:
    _key, secret = api_key_create(actor=None, name="location")
    sent = {"api_key": secret, "service_code": "facilities", "description": "路灯不亮", "lat": LAT, "long": LONG}
    response = Client().post("/open311/v2/requests.json", sent)
    assert response.status_code == 200, response.content
    return Matter.objects.get(code=response.json()[0]["service_request_id"])


def _accepted(matter: Matter) -> Matter:
    """Public from here on: an unread report is on no public answer (settings.PUBLIC_AFTER_ACCEPT)."""
    return matter_transition(matter=matter, action=Action.ACCEPT, actor=None)


def _open311(matter: Matter) -> tuple[tuple[float, float], tuple[str, str], list[tuple[float, float]]]:
    """The location in the request's JSON, in its XML, and in the list of requests."""
    client = Client()
    [single] = client.get(f"/open311/v2/requests/{matter.code}.json").json()
    xml = client.get(f"/open311/v2/requests/{matter.code}.xml").content.decode()
    lat = re.search(r"<lat>([^<]*)</lat>", xml)
    long = re.search(r"<long>([^<]*)</long>", xml)
    assert lat is not None and long is not None
    listed = [(r["lat"], r["long"]) for r in client.get("/open311/v2/requests.json").json() if r["lat"] is not None]
    return (single["lat"], single["long"]), (lat.group(1), long.group(1)), listed


def _text(response: Any) -> str:
    return _file_text(response.getvalue() if response.streaming else response.content)


def _file_text(body: bytes) -> str:
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    return body.decode("utf-8-sig", "replace")


@pytest.mark.parametrize("channel", ["portal", "open311"])
def test_a_reporters_coordinates_appear_in_open311_json_and_xml_to_three_decimals(channel: str) -> None:
    matter = _accepted(_raised_on_the_portal() if channel == "portal" else _sent_through_open311())
    single, xml, listed = _open311(matter)
    assert single == (30.123, 115.123)
    assert xml == ("30.123", "115.123")
    assert listed == [(30.123, 115.123)]


def test_nothing_public_gives_the_reporters_coordinates_more_precisely(client_as: ClientAs) -> None:
    matter = _raised_on_the_portal()
    matter = matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    matter = matter_transition(matter=matter, action=Action.ASSIGN, actor=None, **assign_fields())
    matter = matter_transition(matter=matter, action=Action.START, actor=None)
    matter = matter_transition(matter=matter, action=Action.COMPLETE, actor=None, effect="路面已修复")
    assert matter.tracking_code is not None
    client = Client()
    urls = [
        "/",
        f"/m/{matter.code}/",
        f"/m/{matter.code}/rate/",
        f"/track/{matter.tracking_code}/",
        "/lists/problems/",
        "/lists/tasks/",
        "/lists/effects/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{matter.code}.json",
        f"/open311/v2/requests/{matter.code}.xml",
    ]
    texts = {url: _text(client.get(url)) for url in urls}
    for list_kind in ("problems", "tasks", "effects"):
        for fmt in ("csv", "xlsx", "docx"):
            texts[f"{list_kind}.{fmt}"] = _file_text(export_bytes(ListSpec(list_kind=list_kind, public_only=True), fmt))
    assert "30.123" in texts[f"/open311/v2/requests/{matter.code}.json"]
    leaks = {where: TOO_PRECISE.findall(text) for where, text in texts.items() if TOO_PRECISE.search(text)}
    assert not leaks


def test_a_site_location_set_by_staff_is_published_as_set_and_can_be_withdrawn(client_as: ClientAs) -> None:
    matter = _accepted(_sent_through_open311())
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/matters/{matter.pk}/").content.decode()
    assert "30.123, 115.123" in page  # what the public gets now, said on the matter page
    response = coordinator.post(
        f"/matters/{matter.pk}/site/", {"site_latitude": "30.512345", "site_longitude": "115.054321"}
    )
    assert response.status_code == 302
    single, xml, _listed = _open311(matter)
    assert single == (30.512345, 115.054321) and xml == ("30.512345", "115.054321")
    [event] = AuditEvent.objects.filter(action="matters.site_location", target_id=str(matter.pk))
    assert event.actor_name == "coordinator"
    assert event.after == {"site_latitude": "30.512345", "site_longitude": "115.054321"}
    assert LAT not in str(event.before) + str(event.after)  # the reporter's own coordinates are not copied around
    coordinator.post(f"/matters/{matter.pk}/site/", {"site_latitude": "", "site_longitude": ""})
    assert _open311(matter)[0] == (30.123, 115.123)


def test_a_handler_of_a_responsible_unit_may_publish_the_site_and_others_may_not(client_as: ClientAs) -> None:
    matter = _sent_through_open311()
    matter_transition(matter=matter, action=Action.ACCEPT, actor=None)
    matter_transition(matter=matter, action=Action.ASSIGN, actor=None, **assign_fields())  # to 基建办, the handler's
    site = {"site_latitude": "30.5", "site_longitude": "115.05"}
    for persona in ("leader", "assessor", "supervisor", "cadre"):
        client = client_as(persona)
        response = client.post(f"/matters/{matter.pk}/site/", site, follow=True)
        assert response.status_code in (200, 404), persona  # 404: a cadre of another unit does not see it
        matter.refresh_from_db()
        assert matter.site_latitude is None, persona
        if response.status_code == 200:  # back on the matter page, told why
            assert [m for m in response.context["messages"] if m.level_tag == "error"], persona
    assert client_as("handler").post(f"/matters/{matter.pk}/site/", site).status_code == 302
    matter.refresh_from_db()
    assert (matter.site_latitude, matter.site_longitude) == (Decimal("30.5"), Decimal("115.05"))
    assert not client_as("leader").get(f"/matters/{matter.pk}/").context["can_set_site"]  # no form for who may not


@pytest.mark.parametrize(
    "sent",
    [{"site_latitude": "30.5"}, {"site_longitude": "115"}, {"site_latitude": "91", "site_longitude": "115"},
     {"site_latitude": "north", "site_longitude": "115"}, {"site_latitude": "30.1234567", "site_longitude": "115"}],
)  # fmt: skip
def test_a_half_or_bad_site_location_is_refused_with_a_translated_error_and_changes_nothing(
    sent: dict[str, str], client_as: ClientAs
) -> None:
    matter = _sent_through_open311()
    events = AuditEvent.objects.count()
    response = client_as("coordinator").post(f"/matters/{matter.pk}/site/", sent, follow=True)
    assert response.status_code == 200
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    matter.refresh_from_db()
    assert (matter.site_latitude, matter.site_longitude) == (None, None)
    assert AuditEvent.objects.count() == events


def test_the_database_refuses_half_a_site_location() -> None:
    matter = _sent_through_open311()
    with pytest.raises(IntegrityError), transaction.atomic():
        Matter.objects.filter(pk=matter.pk).update(site_latitude=Decimal("30.5"))


def test_a_matter_without_coordinates_has_no_public_location() -> None:
    unit = Unit.objects.get(name="基建办")
    _key, secret = api_key_create(actor=None, name="no-location")
    sent = {"api_key": secret, "service_code": "facilities", "description": "路灯不亮", "address_string": unit.name}
    response = Client().post("/open311/v2/requests.json", sent)
    _accepted(Matter.objects.get(code=response.json()[0]["service_request_id"]))
    [row] = Client().get(f"/open311/v2/requests/{response.json()[0]['service_request_id']}.json").json()
    assert (row["lat"], row["long"]) == (None, None)
