"""What an Open311 client says about its user (name, phone, e-mail, device and account ids, the photo link) is the
reporter's private data: kept in the reporter fields, never in the remarks; shown only to the coordination and
supervision teams, on the matter's page and its API detail, each time audited; in no list, export or public answer.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from audit.models import AuditEvent
from matters.exchange.exporter import FORMATS, LIST_KINDS
from matters.models import REPORTER_FIELDS, Channel, Matter
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in
from open311.tests.conftest import BASE, post, valid_post

ClientAs = Callable[[str | None], Client]

FIRST, LAST = "秘英", "欧阳"
NAME = "欧阳秘英"
PHONE = "13987650009"
EMAIL = "secret-reporter@example.org"
DEVICE = "device-7f3a9c"
ACCOUNT = "acct-5521-secret"
MEDIA = "https://img.example.org/u/5521/secret.jpg"
SECRETS = (NAME, PHONE, EMAIL, DEVICE, ACCOUNT, "img.example.org/u/5521")
# The six fields of the Open311 POST (and the photo link), as a client sends them.
PERSONAL = {
    "first_name": FIRST,
    "last_name": LAST,
    "phone": PHONE,
    "email": EMAIL,
    "device_id": DEVICE,
    "account_id": ACCOUNT,
    "media_url": MEDIA,
}


def _submitted(api_key: str) -> tuple[Matter, str]:
    """A request with every personal field, brought through the loop to completed (so it is on all three lists)."""
    response = post(valid_post(api_key, address_id="ADDR-7", **PERSONAL))
    assert response.status_code == 200, response.content
    [row] = response.json()
    matter = Matter.objects.get(code=row["service_request_id"])
    for action, fields in [
        ("accept", {}),
        ("assign", assign_fields()),
        ("start", {}),
        ("complete", {"effect": "路灯已修复"}),
    ]:
        matter = matter_transition(matter=matter, action=action, actor=None, **fields)
    return Matter.objects.get(pk=matter.pk), row["token"]


def _text(response: Any) -> str:
    body = response.getvalue() if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK\x03\x04"):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    if kind.startswith("application/pdf"):
        from pypdf import PdfReader

        # As laid out: without the NULs pypdf leaves between the characters, and without the wraps of long cells.
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        return "".join(text.replace("\x00", "").split())
    if "json" in kind:
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode("utf-8-sig")


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _views(matter: Matter) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="matters.view_reporter", target_id=str(matter.pk)).order_by("seq"))


def test_the_six_fields_are_kept_in_the_reporter_fields_and_the_remarks_stay_clean(api_key: str) -> None:
    matter, _token = _submitted(api_key)
    assert [getattr(matter, name) for name in REPORTER_FIELDS] == [NAME, PHONE, EMAIL, DEVICE, ACCOUNT, MEDIA]
    assert matter.remarks == "Open311 客户端: 12345热线\naddress_id: ADDR-7"  # the client and its address id only
    created = AuditEvent.objects.get(action="matters.create", target_id=str(matter.pk))
    assert not _leaks(json.dumps([created.before, created.after], ensure_ascii=False))


def test_only_the_coordination_and_supervision_teams_see_them_on_the_matter_page_and_each_view_is_audited(
    api_key: str, client_as: ClientAs
) -> None:
    matter, _token = _submitted(api_key)
    for persona in ("coordinator", "supervisor"):
        page = client_as(persona).get(f"/matters/{matter.pk}/")
        assert page.status_code == 200
        assert not [s for s in (NAME, PHONE, EMAIL, DEVICE, ACCOUNT, MEDIA) if s not in page.content.decode()]
    events = _views(matter)
    assert [e.actor_name for e in events] == ["coordinator", "supervisor"]
    assert events[0].after == {"fields": sorted(REPORTER_FIELDS)}
    assert not _leaks(json.dumps([[e.before, e.after, e.target_label] for e in events], ensure_ascii=False))
    for persona in ("leader", "assessor", "handler", "cadre"):
        page = client_as(persona).get(f"/matters/{matter.pk}/")
        assert page.status_code in (200, 404), persona
        assert not _leaks(page.content.decode()), persona
    assert len(_views(matter)) == 2, "a role that is shown nothing leaves no view event"


def test_the_api_gives_them_only_in_a_matters_detail_to_the_reporter_right_and_audits_each_time(
    api_key: str, client_as: ClientAs
) -> None:
    matter, _token = _submitted(api_key)
    detail = client_as("supervisor").get(f"/api/v1/matters/{matter.pk}/").json()
    assert [detail[name] for name in REPORTER_FIELDS] == [NAME, PHONE, EMAIL, DEVICE, ACCOUNT, MEDIA]
    assert [e.actor_name for e in _views(matter)] == ["supervisor"]
    for persona in ("leader", "assessor", "handler"):
        response = client_as(persona).get(f"/api/v1/matters/{matter.pk}/")
        assert response.status_code == 200 and not set(REPORTER_FIELDS) & set(response.json()), persona
        assert not _leaks(_text(response)), persona
    listing = client_as("coordinator").get("/api/v1/matters/", {"page_size": 1000})
    assert matter.code in _text(listing) and not _leaks(_text(listing))
    assert [e.actor_name for e in _views(matter)] == ["supervisor"]


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_no_list_page_and_no_export_of_any_list_in_any_format_carries_them(
    api_key: str, client_as: ClientAs, persona: str
) -> None:
    matter, _token = _submitted(api_key)
    client = client_as(persona)
    pages = [client.get("/matters/", {"tab": "all"}), client.get("/matters/", {"q": "路灯"})]
    for list_kind in LIST_KINDS:
        pages.append(client.get("/matters/lists/", {"list": list_kind}))
        for file_format in FORMATS:
            for public in ("", "1"):
                query = {"list": list_kind, "format": file_format, "public": public}
                pages.append(client.get("/matters/lists/download/", query))
    assert len(pages) == 2 + 3 * (1 + 4 * 2)
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.get_full_path()
        text = _text(response)
        assert not _leaks(text), (response.wsgi_request.get_full_path(), _leaks(text))
    for file_format in FORMATS:  # the matter is in every file, with its remark: what was searched is there
        problems = _text(client.get("/matters/lists/download/", {"list": "problems", "format": file_format}))
        assert "长宇社区3栋楼下路灯不亮" in problems and "ADDR-7" in problems, file_format
    assert not _views(matter)


def test_no_open311_answer_and_no_public_page_carries_them(api_key: str) -> None:
    matter, token = _submitted(api_key)
    client = Client()
    urls = [BASE + f"requests.{fmt}" for fmt in ("json", "xml")]
    urls += [BASE + f"requests/{matter.code}.{fmt}" for fmt in ("json", "xml")]
    urls += [BASE + f"tokens/{token}.{fmt}" for fmt in ("json", "xml")]
    urls += [f"/m/{matter.code}/", f"/track/{matter.tracking_code}/", "/lists/problems/", "/lists/effects/", "/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(_text(response)), url
    assert matter.code in client.get(BASE + "requests.json").content.decode()


def test_the_migration_moves_such_lines_out_of_existing_remarks_and_a_second_run_changes_nothing(demo: None) -> None:
    migration = importlib.import_module("matters.migrations.0008_reporter_contact")
    old = matter_in("reported", problem="旧的 Open311 请求")
    remark = (
        f"Open311 客户端: 12345热线\naddress_id: ADDR-1\nemail: {EMAIL}\ndevice_id: {DEVICE}\naccount_id: {ACCOUNT}"
    )
    Matter.objects.filter(pk=old.pk).update(channel=Channel.OPEN311, remarks=f"{remark}\nmedia_url: {MEDIA}\n已回访")
    typed = matter_in("reported", problem="热线记录")
    Matter.objects.filter(pk=typed.pk).update(remarks="email: 这是热线员写的备注")  # not from Open311: left alone
    for _run in range(2):
        migration.move_out_of_remarks(apps, None)
        old.refresh_from_db()
        assert old.remarks == "Open311 客户端: 12345热线\naddress_id: ADDR-1\n已回访"
        assert (old.reporter_email, old.reporter_device_id, old.reporter_account_id, old.reporter_media_url) == (
            EMAIL,
            DEVICE,
            ACCOUNT,
            MEDIA,
        )
    typed.refresh_from_db()
    assert typed.remarks == "email: 这是热线员写的备注" and not typed.reporter_email
    migration.move_back_into_remarks(apps, None)
    old.refresh_from_db()
    assert f"email: {EMAIL}" in old.remarks and f"media_url: {MEDIA}" in old.remarks
