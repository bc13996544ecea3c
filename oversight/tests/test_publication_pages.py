"""The published lists as people see them: the portal's /published/ pages and the public API show the frozen
snapshot to everyone alike, with the corrections and their differences; the back office publishes; nothing
personal is ever in a published answer."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from conftest import PERSONAS
from matters.services import matter_transition
from oversight.models.publication import Publication
from oversight.services.publication import publication_publish
from oversight.tests.publication_world import IN_JULY, JUNE, LATER, PERSONAL, Month, june

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str | None], Client]
EVERYONE = [None, "resident", "outsider", *PERSONAS]


@pytest.fixture
def month(demo: None) -> Month:
    return june()


@pytest.fixture
def corrected(month: Month) -> tuple[Publication, Publication]:
    """June published on 5 July, its progress put right and published again on 20 July."""
    with time_machine.travel(IN_JULY, tick=False):
        first = publication_publish(actor=None, campaign=month.campaign, month=JUNE)
    with time_machine.travel(LATER, tick=False):
        matter_transition(matter=month.in_hand, action="progress", actor=None, text="已更换大半", percent=80)
        second = publication_publish(
            actor=None, campaign=month.campaign, month=JUNE, reason="更正：赵罗路路灯的进度核实为80%"
        )
    return first, second


def test_every_role_and_face_shows_the_same_snapshot(
    client_as: ClientAs, month: Month, corrected: tuple[Publication, Publication]
) -> None:
    first, second = corrected
    with time_machine.travel(LATER, tick=False):  # the matters move on after both versions
        matter_transition(matter=month.in_hand, action="progress", actor=None, text="快完成了", percent=95)
    for persona in EVERYONE:
        client = client_as(persona)
        for publication in (first, second):
            answer = client.get(f"/api/v1/published/{publication.pk}/")
            assert answer.status_code == 200, persona
            assert answer.json()["snapshot"] == publication.snapshot, persona
            assert answer.json()["content_hash"] == publication.content_hash
            page = client.get(f"/published/2022-06/v{publication.version}/").content.decode()
            assert publication.content_hash in page and month.in_hand.code in page, persona
        latest = client.get("/published/2022-06/").content.decode()
        assert second.content_hash in latest and "95%" not in latest, persona


def test_the_month_page_shows_the_correction_with_its_reason_both_versions_and_the_differences(
    client: Client, month: Month, corrected: tuple[Publication, Publication]
) -> None:
    page = client.get("/published/2022-06/").content.decode()
    assert "更正" in page and "更正：赵罗路路灯的进度核实为80%" in page
    assert 'href="/published/2022-06/v1/"' in page and 'href="/published/2022-06/v2/"' in page
    assert "进度" in page and "进度由“50%”改为“80%”" in page
    assert "80%" in page
    old = client.get("/published/2022-06/v1/").content.decode()
    assert "50%" in old and "已有较新的版本对其作了更正" in old
    assert "查看实时清单" in page and "实时" in page and 'href="/lists/problems/?month=2022-06"' in page


def test_the_published_index_lists_each_month_at_its_latest_version_marked_corrected(
    client: Client, corrected: tuple[Publication, Publication]
) -> None:
    page = client.get("/published/").content.decode()
    assert 'href="/published/2022-06/"' in page and "更正" in page and "第 2 版" in page


def test_a_month_never_published_or_a_version_that_does_not_exist_is_not_found(
    client: Client, corrected: tuple[Publication, Publication]
) -> None:
    for path in ("/published/2022-07/", "/published/2022-06/v3/", "/published/2022-6/", "/published/june/"):
        assert client.get(path).status_code == 404, path


def test_the_live_lists_and_the_public_menu_link_to_the_published_lists(client: Client, demo: None) -> None:
    page = client.get("/lists/problems/").content.decode()
    assert 'href="/published/"' in page and "已发布的月度清单" in page and "实时" in page


def test_the_api_lists_the_versions_with_their_hashes_and_writes_nothing(
    client: Client, corrected: tuple[Publication, Publication]
) -> None:
    first, second = corrected
    rows = client.get("/api/v1/published/?month=2022-06").json()["results"]
    assert [(r["month"], r["version"], r["content_hash"]) for r in rows] == [
        ("2022-06", 2, second.content_hash),
        ("2022-06", 1, first.content_hash),
    ]
    assert rows[0]["reason"] == second.reason and rows[0]["supersedes"] == first.pk and "snapshot" not in rows[0]
    assert client.get("/api/v1/published/?month=nonsense").json()["results"] == []
    for method in ("post", "put", "patch", "delete"):
        url = "/api/v1/published/" if method == "post" else f"/api/v1/published/{first.pk}/"
        answer = getattr(client, method)(url, data=json.dumps({}), content_type="application/json")
        assert answer.status_code in (403, 405), method
    assert Publication.objects.get(pk=first.pk).snapshot == first.snapshot


def test_no_published_page_or_api_answer_holds_personal_data(
    client: Client, month: Month, corrected: tuple[Publication, Publication]
) -> None:
    first, second = corrected
    paths = [
        "/published/",
        "/published/2022-06/",
        "/published/2022-06/v1/",
        "/published/2022-06/v2/",
        "/api/v1/published/",
        f"/api/v1/published/{first.pk}/",
        f"/api/v1/published/{second.pk}/",
    ]
    for path in paths:
        body = client.get(path).content.decode()
        assert month.typed.code in body or path in ("/published/", "/api/v1/published/"), path
        for value in PERSONAL:
            assert value not in body, (path, value)
        assert month.private.code not in body and month.declined.code not in body, path


# --- the back office ------------------------------------------------------------------------------------


def test_the_coordinator_previews_a_month_and_publishes_it(client_as: ClientAs, month: Month) -> None:
    client = client_as("coordinator")
    with time_machine.travel(IN_JULY, tick=False):
        preview = client.get("/oversight/publication/?month=2022-06").content.decode()
        assert month.in_hand.code in preview and month.private.code not in preview
        assert "发布 2022-06" in preview
        answer = client.post("/oversight/publication/", {"month": "2022-06"})
    assert answer.status_code == 302 and answer["Location"] == "/published/2022-06/v1/"
    publication = Publication.objects.get(month=JUNE)
    assert publication.publisher is not None and publication.publisher.get_username() == "coordinator"


def test_publishing_twice_without_a_reason_in_the_back_office_says_why_and_writes_nothing(
    client_as: ClientAs, month: Month
) -> None:
    client = client_as("leader")
    with time_machine.travel(IN_JULY, tick=False):
        assert client.post("/oversight/publication/", {"month": "2022-06"}).status_code == 302
        again = client.post("/oversight/publication/", {"month": "2022-06", "reason": ""})
        assert again.status_code == 200 and "已发布" in again.content.decode()
        not_ended = client.post("/oversight/publication/", {"month": "2022-07"})
        assert not_ended.status_code == 200 and "尚未结束" in not_ended.content.decode()
        correction = client.post("/oversight/publication/", {"month": "2022-06", "reason": "更正：补录一项"})
    assert correction.status_code == 302 and correction["Location"] == "/published/2022-06/v2/"
    assert list(Publication.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_only_the_committee_and_the_coordination_team_may_publish(client_as: ClientAs, month: Month) -> None:
    with time_machine.travel(IN_JULY, tick=False):
        for persona in ("handler", "cadre", "assessor", "supervisor", "sysadmin"):
            assert client_as(persona).post("/oversight/publication/", {"month": "2022-06"}).status_code == 403
    assert not Publication.objects.exists()


def test_the_audit_administrator_sees_a_snapshot_edited_in_the_database_named_on_the_audit_page(
    client_as: ClientAs, corrected: tuple[Publication, Publication]
) -> None:
    first, _second = corrected
    forged = {**first.snapshot, "counts": {"problems": 0, "tasks": 0, "effects": 0}}
    Publication.objects.filter(pk=first.pk).update(snapshot=forged)
    page = client_as("auditor").get("/audit/?verify=1").content.decode()
    assert "published version 2022-06 v1: snapshot changed" in page


def test_the_publishers_workbench_counts_the_ended_months_not_yet_published(client_as: ClientAs, month: Month) -> None:
    with time_machine.travel(IN_JULY, tick=False):
        page = client_as("coordinator").get("/workbench/").content.decode()
        assert "已结束但三张清单尚未发布的月份" in page and 'href="/oversight/publication/"' in page
        handler = client_as("handler").get("/workbench/").content.decode()
        assert "已结束但三张清单尚未发布的月份" not in handler
