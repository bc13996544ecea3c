"""The public pages: front door, the three lists with filters and paging, a matter's page, elder mode."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.test import Client
from PIL import Image

from core.uploads import clean_upload
from matters.models import Category, Matter
from matters.services import matter_transition
from matters.tests.factories import matter_in
from org.models import Unit
from portal.services.figures import front_figures_refresh

pytestmark = pytest.mark.django_db

FROZEN = "2022-07-15 10:00:00+08:00"


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False):
        yield


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_front_page_shows_campaign_lists_and_rates_without_login() -> None:
    matter_in("closed")
    matter_in("in_progress")
    front_figures_refresh()  # the job's minute
    response = Client().get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "2022" in text
    counts = response.context["headline"]["counts"]
    assert counts == {"problems": 2, "tasks": 2, "effects": 1}
    assert response.context["headline"]["rates"].resolution == 50.0


def test_problem_list_shows_public_matters_and_hides_private_merged_and_declined() -> None:
    shown = matter_in("accepted", problem="路灯不亮，晚上出行不便")
    matter_in("accepted", problem="内部登记的私密问题", is_public=False)
    matter_in("declined", problem="不属于受理范围的问题")
    merged = matter_in("merged", problem="重复的问题被合并")
    response = Client().get("/lists/problems/")
    assert response.status_code == 200
    codes = {m.code for m in response.context["page"]}
    assert merged.merged_into is not None
    assert codes == {shown.code, merged.merged_into.code}
    text = response.content.decode()
    assert "私密问题" not in text and "不属于受理范围" not in text and "被合并" not in text


def test_task_list_shows_deadline_leads_and_units_of_assigned_matters_only() -> None:
    task = matter_in("assigned")
    matter_in("accepted")
    response = Client().get("/lists/tasks/")
    assert [m.code for m in response.context["page"]] == [task.code]
    text = response.content.decode()
    assert "杨立新" in text and "基建办" in text and "2022-07-31" in text


def test_effect_list_shows_finished_matters_with_their_effect() -> None:
    done = matter_in("completed")
    matter_in("in_progress")
    response = Client().get("/lists/effects/")
    assert [m.code for m in response.context["page"]] == [done.code]
    assert "已完成整治" in response.content.decode()


def test_lists_filter_by_status_category_unit_community_and_month() -> None:
    roads = Category.objects.get(code="roads")
    a = matter_in("in_progress", category=roads)
    b = matter_in("assigned")
    client = Client()
    assert [m.code for m in client.get("/lists/tasks/?status=in_progress").context["page"]] == [a.code]
    assert [m.code for m in client.get("/lists/tasks/?category=roads").context["page"]] == [a.code]
    unit = Unit.objects.get(name="基建办")
    assert {m.code for m in client.get(f"/lists/tasks/?unit={unit.pk}").context["page"]} == {a.code, b.code}
    community = Unit.objects.filter(kind="community").first()
    assert community is not None
    assert list(client.get(f"/lists/tasks/?community={community.pk}").context["page"]) == []
    assert len(client.get("/lists/tasks/?month=2022-07").context["page"]) == 2
    assert len(client.get("/lists/tasks/?month=2022-06").context["page"]) == 0


def test_lists_ignore_a_status_that_does_not_belong_to_the_list() -> None:
    matter_in("reported")
    response = Client().get("/lists/effects/?status=reported")
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_lists_page_twenty_rows_and_survive_nonsense_pages() -> None:
    for i in range(25):
        matter_in("accepted", problem=f"第{i}个问题：小区门口积水")
    client = Client()
    first = client.get("/lists/problems/")
    assert len(first.context["page"]) == 20
    second = client.get("/lists/problems/?page=2")
    assert len(second.context["page"]) == 5
    for junk in ("999", "-1", "abc", "9" * 40):
        assert client.get(f"/lists/problems/?page={junk}").status_code == 200


def test_unknown_list_is_not_found() -> None:
    assert Client().get("/lists/secrets/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "month=2022-13",
        "community=abc",
        "unit=99999999999999999999",
        "status=<script>",
        "category=%00",
        "month=" + "9" * 500,
    ],
)
def test_lists_shrug_off_malformed_filters(query: str) -> None:
    assert Client().get(f"/lists/problems/?{query}").status_code == 200


def test_matter_page_shows_task_timeline_progress_and_leads() -> None:
    matter = matter_in("in_progress")
    matter_transition(matter=matter, action="progress", actor=None, text="已完成路基施工", percent=40)
    response = Client().get(f"/m/{matter.code}/")
    assert response.status_code == 200
    text = response.content.decode()
    for expected in ("对赵罗路实施拓宽新建", "杨立新", "基建办", "40%", "已完成路基施工", "2022-07-31"):
        assert expected in text


def test_matter_page_does_not_name_the_staff_who_acted() -> None:
    matter = matter_in("in_progress")
    text = Client().get(f"/m/{matter.code}/").content.decode()
    assert "system" not in text


def test_private_and_unknown_matters_are_not_found() -> None:
    private = matter_in("in_progress", is_public=False)
    client = Client()
    assert client.get(f"/m/{private.code}/").status_code == 404
    assert client.get("/m/MQ-1999-0001/").status_code == 404
    assert client.get("/m/" + "X" * 300 + "/").status_code == 404


def test_a_merged_matter_leads_to_the_one_it_was_merged_into() -> None:
    merged = matter_in("merged")
    assert merged.merged_into_id is not None
    target = Matter.objects.get(pk=merged.merged_into_id)
    response = Client().get(f"/m/{merged.code}/")
    assert response.status_code == 302 and response["Location"] == f"/m/{target.code}/"


def test_evidence_photos_of_progress_reports_are_public_but_reporter_photos_are_not(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    matter = matter_in("in_progress")
    matter_transition(
        matter=matter, action="progress", actor=None, text="施工中", percent=50, files=[clean_upload("a.png", _png())]
    )
    work_photo = matter.attachments.get()
    from django.core.files.base import ContentFile

    from matters.models import Attachment

    reporter_photo = Attachment(matter=matter, content_type="image/png", size=10, original_name="mine.png")
    reporter_photo.file.save("mine.png", ContentFile(_png()), save=False)
    reporter_photo.save()
    client = Client()
    page = client.get(f"/m/{matter.code}/").content.decode()
    assert f"/m/{matter.code}/evidence/{work_photo.token}/" in page
    assert reporter_photo.token not in page
    photo = client.get(f"/m/{matter.code}/evidence/{work_photo.token}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert client.get(f"/m/{matter.code}/evidence/{reporter_photo.token}/").status_code == 404


def test_phone_and_id_numbers_typed_into_a_problem_are_masked_on_public_pages() -> None:
    matter = matter_in(
        "accepted",
        problem="我家门口路灯坏了，电话13812345678，身份证420101199001011234",
        location="幸福小区3栋 0714-8812345",
    )
    client = Client()
    for url in (f"/m/{matter.code}/", "/lists/problems/"):
        text = client.get(url).content.decode()
        assert "13812345678" not in text and "420101199001011234" not in text and "8812345" not in text
        assert "路灯坏了" in text


def test_elder_mode_is_switched_on_and_off_by_the_visitor() -> None:
    client = Client()
    response = client.post("/elder/", {"elder": "1", "next": "/lists/problems/"})
    assert response.status_code == 302 and response["Location"] == "/lists/problems/"
    assert 'class="mq-elder"' in client.get("/").content.decode()
    client.post("/elder/", {"elder": "0", "next": "/"})
    assert 'class="mq-elder"' not in client.get("/").content.decode()


def test_elder_toggle_never_redirects_off_site() -> None:
    response = Client().post("/elder/", {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_public_pages_are_in_english_when_asked() -> None:
    matter = matter_in("assigned")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Task list" in client.get("/lists/tasks/").content.decode()
    assert "Steps so far" in client.get(f"/m/{matter.code}/").content.decode()
    assert "Report a problem" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/lists/problems/?q=%00",
        "/lists/tasks/?status=%00&unit=%00&community=%00&month=%00&page=%00",
        "/report/similar/?description=%E8%B7%AF%E7%81%AF%00%E5%9D%8F%E4%BA%86%E5%A5%BD%E5%87%A0%E5%A4%A9",
        "/track/%00/",
        "/track/?code=%00",
        "/m/MQ%00/",
        "/m/MQ-2022-0001%00/rate/",
        "/m/MQ-2022-0001%00/poster.png",
    ],
)
def test_nul_bytes_in_public_urls_never_fail(url: str) -> None:
    assert Client().get(url).status_code in (200, 400, 404)
