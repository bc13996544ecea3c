"""The lists' back-office pages: view and download each list, upload a table, preview it, confirm it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from campaigns import services as campaign_services
from campaigns.models import Campaign
from matters.models import Channel, Matter
from matters.tests.conftest import exchange_csv, exchange_docx, exchange_seed_rows, exchange_xlsx
from matters.tests.test_exchange_import import BAD_FILES
from org.models import Unit

LISTS = "/matters/lists/"
IMPORT = "/matters/lists/import/"


pytestmark = pytest.mark.usefixtures("exchange_english")


@pytest.fixture
def client_as(client_as):  # type: ignore[no-untyped-def]
    """The root fixture's personas, with pages in English (the source language of the messages tested)."""

    def make(username: str | None) -> Client:
        client = client_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def second_campaign(demo: None) -> Campaign:
    """A later campaign of the same park: the seed table is new to it (the import key includes the campaign)."""
    return campaign_services.campaign_create(
        actor=None,
        name="第二期实践活动",
        organiser=Unit.objects.get(ref="seed:park"),
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
    )


def upload(client: Client, name: str, data: bytes, **fields: object) -> object:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **fields})


@pytest.mark.parametrize(
    ("list_kind", "headers", "row_text"),
    [
        ("problems", ["No.", "Problem", "Task", "Deadline", "Leads"], "长宇新城3栋楼道灯不亮"),
        ("tasks", ["No.", "Problem", "Task", "Deadline", "Leads", "Responsible departments and communities"], "2022.6"),
        (
            "effects",
            ["Completed on", "Effect", "Satisfaction"],
            "园区综治中心、企业服务中心在原庙宇垴社区办公楼建成投用",
        ),
    ],
)
def test_each_list_page_shows_the_export_columns_and_a_download_per_format(
    client_as, exchange_demo: None, list_kind: str, headers: list[str], row_text: str
) -> None:  # type: ignore[no-untyped-def]
    page = client_as("coordinator").get(LISTS, {"list": list_kind})
    assert page.status_code == 200
    html = page.content.decode()
    for header in headers:
        assert f">{header}</th>" in html or f">{header}</a></th>" in html  # a sortable column's header is a link
    assert row_text in html
    for file_format in ("xlsx", "docx", "csv", "pdf"):
        assert f"/matters/lists/download/?list={list_kind}&amp;format={file_format}" in html


def test_the_task_list_page_shows_the_seed_rows_leads_on_lines_and_all_communities(
    client_as, exchange_demo: None
) -> None:  # type: ignore[no-untyped-def]
    page = client_as("leader").get(LISTS, {"list": "tasks"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 17
    html = page.content.decode()
    assert "邹国柱<br>曾湛涛" in html
    assert "基建办、各社区" in html
    assert "长乐山工业园区党委 任务清单" in html


def test_the_list_page_filters_by_month_department_and_community(client_as, exchange_demo: None) -> None:  # type: ignore[no-untyped-def]
    client = client_as("supervisor")
    jijian, changyu = Unit.objects.get(name="基建办"), Unit.objects.get(name="长宇社区")
    assert client.get(LISTS, {"list": "tasks", "unit": jijian.pk}).context["page"].paginator.count == 5
    assert client.get(LISTS, {"list": "tasks", "community": changyu.pk}).context["page"].paginator.count == 8
    page = client.get(LISTS, {"list": "problems", "month": "2022-06"})
    assert page.context["page"].paginator.count == 3
    assert "问题清单（2022年6月）" in page.content.decode()


def test_a_bad_filter_is_answered_with_a_message_not_an_error(client_as, exchange_demo: None) -> None:  # type: ignore[no-untyped-def]
    page = client_as("coordinator").get(LISTS, {"list": "nonsense", "month": "June", "unit": "x"})
    assert page.status_code == 200
    assert "rows" not in page.context


@pytest.mark.parametrize(
    ("file_format", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_the_download_buttons_return_each_format_as_an_attachment(
    client_as, exchange_demo: None, file_format: str, content_type: str, magic: bytes
) -> None:  # type: ignore[no-untyped-def]
    response = client_as("coordinator").get(f"{LISTS}download/", {"list": "tasks", "format": file_format})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    assert ".".join(["", file_format]) in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(magic)  # type: ignore[attr-defined]


def test_the_public_download_has_only_public_matters(client_as, exchange_demo: None) -> None:  # type: ignore[no-untyped-def]
    Matter.objects.filter(problem="居民反映一品铜花无活动场所。").update(is_public=False)
    client = client_as("coordinator")
    public = client.get(f"{LISTS}download/", {"list": "tasks", "format": "csv", "public": "1"})
    text = b"".join(public.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "一品铜花" not in text and "赵罗路" in text
    page = client.get(LISTS, {"list": "tasks", "public": "1"})
    assert "/matters/lists/download/?list=tasks&amp;public=1&amp;format=csv" in page.content.decode()


def test_a_download_without_a_known_format_goes_back_to_the_lists(client_as, exchange_demo: None) -> None:  # type: ignore[no-untyped-def]
    response = client_as("coordinator").get(f"{LISTS}download/", {"list": "tasks", "format": "exe"})
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["cadre", "handler", "resident", "outsider"])
def test_the_lists_are_forbidden_to_roles_without_the_lists_capability(client_as, who: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as(who)
    assert client.get(LISTS).status_code == 403
    assert client.get(f"{LISTS}download/", {"format": "csv"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(None).get(LISTS)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_menu_shows_lists_to_the_coordinator_and_not_to_a_cadre(client_as) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/matters/lists/"' in client_as("coordinator").get("/matters/lists/").content.decode()
    assert 'href="/matters/lists/"' not in client_as("cadre").get("/workbench/").content.decode()


@pytest.mark.parametrize("who", ["cadre", "leader", "handler"])
def test_the_import_page_is_forbidden_to_everyone_but_the_coordinator(client_as, who: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as(who)
    assert client.get(IMPORT).status_code == 403
    response = upload(client, "附件二.csv", exchange_csv(exchange_seed_rows()))
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not Matter.objects.exists()


@pytest.mark.parametrize(
    ("name", "make"),
    [("附件二.csv", exchange_csv), ("附件二.xlsx", exchange_xlsx), ("附件二.docx", exchange_docx)],
)
def test_upload_previews_the_rows_then_confirm_imports_them_as_the_coordinator(
    client_as, second_campaign: Campaign, name: str, make: object
) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    preview = upload(client, name, make(exchange_seed_rows()), campaign=second_campaign.pk)  # type: ignore[operator]
    assert preview.status_code == 200  # type: ignore[attr-defined]
    html = preview.content.decode()  # type: ignore[attr-defined]
    assert "园区无综治中心阵地" in html and "邹国柱、曾湛涛" in html and "200,000" in html
    assert 'name="confirm"' in html
    assert not Matter.objects.exists()  # the preview writes nothing
    token = preview.context["token"]  # type: ignore[attr-defined]
    done = client.post(IMPORT, {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert Matter.objects.filter(channel=Channel.IMPORT, campaign=second_campaign).count() == 17
    first = Matter.objects.get(problem="园区无综治中心阵地,企业服务中心不够靠前。")
    assert {t.actor_name for t in first.transitions.all()} == {"coordinator"}
    followed = client.get(done["Location"])
    assert "Imported 17 matters; 0 rows were already imported." in followed.content.decode()
    # The same file again: nothing new, and no button to import it.
    again = upload(client, name, make(exchange_seed_rows()), campaign=second_campaign.pk)  # type: ignore[operator]
    assert "Nothing new to import" in again.content.decode()  # type: ignore[attr-defined]
    assert 'name="confirm"' not in again.content.decode()  # type: ignore[attr-defined]


def test_confirm_imports_the_stored_file_and_ignores_anything_the_browser_sends(
    client_as, second_campaign: Campaign
) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    preview = upload(client, "附件二.csv", exchange_csv(exchange_seed_rows()), campaign=second_campaign.pk)
    token = preview.context["token"]  # type: ignore[attr-defined]
    forged = SimpleUploadedFile(
        "x.csv", exchange_csv([exchange_seed_rows()[0], ["1", "伪造", "伪造", "2022.6", "", "党政办", ""]])
    )
    client.post(IMPORT, {"confirm": "1", "token": token, "file": forged, "problem": "伪造"})
    assert Matter.objects.count() == 17
    assert not Matter.objects.filter(problem="伪造").exists()


def test_confirm_with_a_wrong_or_used_token_imports_nothing(client_as, second_campaign: Campaign) -> None:  # type: ignore[no-untyped-def]
    client = client_as("coordinator")
    preview = upload(client, "附件二.csv", exchange_csv(exchange_seed_rows()), campaign=second_campaign.pk)
    response = client.post(IMPORT, {"confirm": "1", "token": "guessed"})
    assert response.status_code == 302 and not Matter.objects.exists()
    token = preview.context["token"]  # type: ignore[attr-defined]
    client.post(IMPORT, {"confirm": "1", "token": token})
    client.post(IMPORT, {"confirm": "1", "token": token})
    assert Matter.objects.count() == 17
    other = client_as("coordinator")  # another session cannot use this session's token
    assert other.post(IMPORT, {"confirm": "1", "token": token}).status_code == 302


def test_the_preview_names_the_row_and_column_of_each_error_and_offers_no_import(
    client_as, second_campaign: Campaign
) -> None:  # type: ignore[no-untyped-def]
    rows = exchange_seed_rows()
    rows[3][3] = "下个月"
    rows[7][5] = "环保办"
    preview = upload(client_as("coordinator"), "附件二.csv", exchange_csv(rows), campaign=second_campaign.pk)
    html = preview.content.decode()  # type: ignore[attr-defined]
    assert "Row 4, column “完成时限”" in html
    assert "Row 8, column “责任部门社区”" in html
    assert 'name="confirm"' not in html
    assert "token" not in preview.context  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_the_upload_page_answers_a_bad_file_with_a_message_and_writes_nothing(
    client_as, name: str, make: object, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_as("coordinator"), name, make())  # type: ignore[operator]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert 'name="confirm"' not in response.content.decode()  # type: ignore[attr-defined]
    assert not Matter.objects.exists()


def test_the_upload_page_refuses_a_20_mb_file(client_as) -> None:  # type: ignore[no-untyped-def]
    data = exchange_csv(exchange_seed_rows()) + b"\n" * (20 * 1024 * 1024)
    response = upload(client_as("coordinator"), "big.csv", data)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "larger than 10 MB" in response.content.decode()  # type: ignore[attr-defined]
    assert not Matter.objects.exists()


def test_the_upload_page_without_a_file_asks_for_one(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("coordinator").post(IMPORT, {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_upload_page_can_create_missing_people_and_units(client_as, second_campaign: Campaign) -> None:  # type: ignore[no-untyped-def]
    rows = [exchange_seed_rows()[0], ["1", "新问题", "新任务", "2023.3", "王小明", "新港社区", ""]]
    client = client_as("coordinator")
    refused = upload(client, "list.csv", exchange_csv(rows), campaign=second_campaign.pk)
    assert "Nobody named “王小明”" in refused.content.decode()  # type: ignore[attr-defined]
    preview = upload(client, "list.csv", exchange_csv(rows), campaign=second_campaign.pk, create_missing="on")
    assert "Will create:" in preview.content.decode()  # type: ignore[attr-defined]
    client.post(IMPORT, {"confirm": "1", "token": preview.context["token"]})  # type: ignore[attr-defined]
    matter = Matter.objects.get(problem="新问题")
    assert [p.name for p in matter.leads.all()] == ["王小明"]
    assert [u.name for u in matter.units.all()] == ["新港社区"]


def test_the_import_page_renders_for_the_coordinator(client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as("coordinator").get(IMPORT)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "<script" not in html.split("<main", 1)[1] and "style=" not in html


def test_a_list_page_for_an_empty_database_says_so(client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as("coordinator").get(LISTS)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0
