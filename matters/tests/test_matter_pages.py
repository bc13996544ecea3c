"""The back office for matters, as each persona uses it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from matters.models import Attachment, Matter
from matters.tests.factories import SEED_DEADLINE, matter_in, while_it_could_be_set
from matters.workflow import Status
from org.models import Person, Unit

pytestmark = pytest.mark.usefixtures("demo")
HX = {"HTTP_HX_REQUEST": "true"}


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 12.0, 0.0)}  # GPS IFD: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_each_role_lands_on_its_own_queue(client_as) -> None:  # type: ignore[no-untyped-def]
    assert client_as("coordinator").get("/matters/").context["tab"] == "intake"
    assert client_as("leader").get("/matters/").context["tab"] == "lead"
    assert client_as("handler").get("/matters/").context["tab"] == "unit"
    assert client_as("assessor").get("/matters/").context["tab"] == "all"


def test_intake_queue_shows_new_reports_and_the_unit_queue_shows_assigned_work(client_as) -> None:  # type: ignore[no-untyped-def]
    new = matter_in(Status.REPORTED, problem="新反映：路灯不亮")
    assigned = matter_in(Status.ASSIGNED)
    intake = client_as("coordinator").get("/matters/").content.decode()
    assert new.code in intake and assigned.code not in intake
    unit = client_as("handler").get("/matters/").content.decode()
    assert assigned.code in unit and new.code not in unit
    led = client_as("leader").get("/matters/").content.decode()
    assert assigned.code in led


@time_machine.travel(dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_overdue_matters_come_first_and_are_marked(client_as) -> None:  # type: ignore[no-untyped-def]
    later = matter_in(Status.ASSIGNED, problem="测试甲：后到期")
    later.deadline = dt.date(2022, 12, 31)
    later.save(update_fields=["deadline"])
    with while_it_could_be_set(SEED_DEADLINE):  # assigned in July, overdue now
        overdue = matter_in(Status.ASSIGNED, problem="测试甲：已逾期")  # deadline 2022-07-31
    page = client_as("coordinator").get("/matters/?tab=all&q=测试甲")
    rows = list(page.context["page"])
    assert [r.pk for r in rows] == [overdue.pk, later.pk]
    assert "table-danger" in page.content.decode()
    only = client_as("coordinator").get("/matters/?tab=all&overdue=1&q=测试甲").context["page"]
    assert [m.pk for m in only] == [overdue.pk]


def test_filters_and_chinese_search(client_as) -> None:  # type: ignore[no-untyped-def]
    charging = matter_in(Status.ASSIGNED, problem="测试乙：小区电动车充电桩不够用")
    lamp = matter_in(Status.REPORTED, problem="测试乙：楼道灯损坏")
    client = client_as("coordinator")

    def codes(query: str) -> set[str]:
        return {m.code for m in client.get(f"/matters/?tab=all&q=测试乙&{query}").context["page"]}

    assert codes("") == {charging.code, lamp.code}
    assert {m.code for m in client.get("/matters/?tab=all&q=充电桩不够").context["page"]} == {charging.code}
    assert {m.code for m in client.get("/matters/?tab=all&q=测试乙 充电").context["page"]} == {charging.code}
    assert client.get("/matters/?tab=all&q=测试乙 充电 楼道").context["page"].paginator.count == 0
    unit = Unit.objects.get(name="基建办")
    assert codes(f"unit={unit.pk}") == {charging.code}
    assert codes("status=reported") == {lamp.code}
    lead = Person.objects.get(name="杨立新")
    assert codes(f"lead={lead.pk}") == {charging.code}
    table = client.get("/matters/?tab=all&q=测试乙", **HX)
    assert table.templates[0].name == "matters/_matter_table.html"


def test_nonsense_filters_are_ignored_not_errors(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("coordinator").get(
        "/matters/?status=<x>&unit=abc&month=2022-13&lead=99999999999999999&page=-1"
    )
    assert response.status_code == 200


def test_a_handler_cannot_see_another_units_matter(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ASSIGNED)
    other = matter_in(Status.REPORTED, problem="卫王社区的问题")
    handler = client_as("handler")
    assert handler.get(f"/matters/{matter.pk}/").status_code == 200
    assert handler.get(f"/matters/{other.pk}/").status_code == 404
    assert handler.get("/matters/999999/").status_code == 404
    assert client_as("cadre").get(f"/matters/{matter.pk}/").status_code == 404


def test_the_matter_page_offers_only_the_actions_this_person_may_take(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ASSIGNED)
    actions = [a.value for a, _f in client_as("handler").get(f"/matters/{matter.pk}/").context["actions"]]
    assert actions == ["start"]
    assert [a.value for a, _f in client_as("coordinator").get(f"/matters/{matter.pk}/").context["actions"]] == [
        "assign"
    ]
    assert client_as("leader").get(f"/matters/{matter.pk}/").context["actions"] == []


def test_an_action_through_htmx_answers_the_refreshed_panel(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED)
    response = client_as("coordinator").post(
        f"/matters/{matter.pk}/act/accept/", {"accept-expected_status": "reported"}, **HX
    )
    assert response.status_code == 200
    assert response.templates[0].name == "matters/_matter_panel.html"
    assert Matter.objects.get(pk=matter.pk).status == Status.ACCEPTED
    assert 'id="matter-panel"' in response.content.decode()


def test_a_refused_action_shows_the_reason_and_changes_nothing(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED)
    response = client_as("coordinator").post(f"/matters/{matter.pk}/act/decline/", {"decline-reason": ""}, **HX)
    assert response.status_code == 200 and response.context["actions"]
    assert Matter.objects.get(pk=matter.pk).status == Status.REPORTED
    response = client_as("handler").post(f"/matters/{matter.pk}/act/accept/", {}, **HX)
    assert response.status_code == 404  # not visible to the handler at all
    stale = client_as("coordinator")
    matter_in_accepted = matter_in(Status.ACCEPTED, problem="另一件")
    response = stale.post(
        f"/matters/{matter_in_accepted.pk}/act/decline/",
        {"decline-reason": "x", "decline-expected_status": "reported"},
        **HX,
    )
    assert (
        "Someone else changed this matter first" in response.content.decode() or "已被他人" in response.content.decode()
    )
    assert Matter.objects.get(pk=matter_in_accepted.pk).status == Status.ACCEPTED


def test_without_javascript_an_action_redirects_back_to_the_matter(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.REPORTED)
    response = client_as("coordinator").post(f"/matters/{matter.pk}/act/accept/", {})
    assert response.status_code == 302 and response["Location"] == f"/matters/{matter.pk}/"


@time_machine.travel(dt.datetime(2022, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_assign_from_the_page_with_leads_units_and_a_month_deadline(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.ACCEPTED)
    lead = Person.objects.get(name="吕相阳")
    units = Unit.objects.filter(name__in=["社事办", "长宇社区"])
    data = {
        "assign-task": "安装充电桩80个",
        "assign-deadline": "2022-06-01",
        "assign-deadline_precision": "month",
        "assign-leads": [lead.pk],
        "assign-units": [u.pk for u in units],
    }
    client_as("coordinator").post(f"/matters/{matter.pk}/act/assign/", data, **HX)
    matter.refresh_from_db()
    assert matter.status == Status.ASSIGNED and matter.due_on == dt.date(2022, 6, 30)
    assert set(matter.units.values_list("name", flat=True)) == {"社事办", "长宇社区"}


def test_progress_with_a_photo_strips_its_exif_and_location(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.IN_PROGRESS)
    photo = SimpleUploadedFile("site.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    data = {"progress-percent": "60", "progress-text": "路基完成", "progress-evidence": [photo]}
    client_as("handler").post(f"/matters/{matter.pk}/act/progress/", data, **HX)
    attachment = Attachment.objects.get(matter=matter)
    with Image.open(attachment.file.path) as stored:
        assert not stored.getexif()
    assert b"SpyCam" not in attachment.file.open("rb").read()
    response = client_as("handler").get(f"/matters/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_as("cadre").get(f"/matters/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [("fake.jpg", b"MZ\x90\x00 not an image"), ("doc.pdf", b"%PDF-1.4 truncated"), ("x.svg", b"<svg onload=alert(1)>")],
)
def test_fake_or_unsupported_files_are_refused_and_nothing_is_written(client_as, name, content) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.IN_PROGRESS)
    data = {"progress-percent": "60", "progress-text": "x", "progress-evidence": [SimpleUploadedFile(name, content)]}
    response = client_as("handler").post(f"/matters/{matter.pk}/act/progress/", data, **HX)
    assert response.context["actions"][0][1].errors
    assert not matter.reports.exists() and not Attachment.objects.exists()


def test_an_oversized_upload_is_refused(client_as, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024
    matter = matter_in(Status.IN_PROGRESS)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF")
    data = {"progress-percent": "60", "progress-text": "x", "progress-evidence": [big]}
    client_as("handler").post(f"/matters/{matter.pk}/act/progress/", data, **HX)
    assert not matter.reports.exists()


def test_coordinator_registers_a_matter_from_a_visit(client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as("cadre").post(
        "/matters/new/",
        {
            "kind": "livelihood",
            "channel": "visit",
            "problem": "悦馨家园门口积水",
            "reporter_phone": "13900000002",
            "is_public": "on",
        },
    )
    matter = Matter.objects.get(problem="悦馨家园门口积水")
    assert response.status_code == 302 and matter.channel == "visit" and matter.status == Status.REPORTED
    count = Matter.objects.count()
    bad = client_as("cadre").post(
        "/matters/new/", {"kind": "livelihood", "channel": "visit", "problem": "x", "reporter_phone": "123"}
    )
    assert bad.status_code == 200 and Matter.objects.count() == count


@time_machine.travel(dt.datetime(2022, 7, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_bulk_assignment_assigns_accepted_matters_and_reports_the_rest(client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = matter_in(Status.ACCEPTED, problem="甲"), matter_in(Status.ACCEPTED, problem="乙")
    c = matter_in(Status.REPORTED, problem="丙")
    unit = Unit.objects.get(name="基建办")
    response = client_as("coordinator").post(
        "/matters/bulk-assign/",
        {"ids": [a.pk, b.pk, c.pk], "deadline": "2022-08-31", "deadline_precision": "day", "units": [unit.pk]},
        follow=True,
    )
    statuses = dict(Matter.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "status"))
    assert statuses == {a.pk: "assigned", b.pk: "assigned", c.pk: "reported"}
    assert c.code in response.content.decode()
    assert Matter.objects.get(pk=a.pk).task == "甲"


@time_machine.travel(dt.datetime(2021, 7, 20, 4, 0, tzinfo=dt.UTC), tick=False)
def test_figures_show_the_rates_overall_and_per_unit(client_as) -> None:  # type: ignore[no-untyped-def]
    closed = matter_in(Status.CLOSED)  # accepted at once, completed 2021-07-20 ≤ deadline 2022-07-31, satisfied
    matter_in(Status.REPORTED, problem="未受理")  # reported just now: inside its window, pending
    response = client_as("leader").get("/matters/figures/?from=2021-07-01&to=2021-07-31")
    overall = response.context["overall"]
    assert overall.reported == 2
    assert (overall.response, overall.response_due, overall.response_pending) == (100.0, 1, 1)
    assert overall.resolution == 100.0 and overall.on_time == 100.0
    # One callback is too few to make a rate of.
    assert overall.callback_satisfaction is None and overall.callbacks == 1
    units = {unit.name: rates for unit, rates in response.context["by_unit"]}
    assert units["基建办"].reported == 1 and closed.code
    assert client_as("handler").get("/matters/figures/").status_code == 403


@time_machine.travel(dt.datetime(2022, 7, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_extension_requested_by_the_handler_and_approved_by_the_lead(client_as) -> None:  # type: ignore[no-untyped-def]
    matter = matter_in(Status.IN_PROGRESS)
    client_as("handler").post(
        f"/matters/{matter.pk}/extension/", {"new_deadline": "2022-08-31", "reason": "雨季施工受阻"}
    )
    extension = matter.extensions.get()
    client_as("leader").post(f"/matters/extensions/{extension.pk}/decide/", {"approve": "1"})
    matter.refresh_from_db()
    assert matter.deadline == dt.date(2022, 8, 31)


def test_bulk_assignment_with_nonsense_ids_changes_nothing_and_does_not_fail(client_as) -> None:  # type: ignore[no-untyped-def]
    unit = Unit.objects.get(name="基建办")
    response = client_as("coordinator").post(
        "/matters/bulk-assign/",
        {
            "ids": ["99999999999999999999", "abc", "-1"],
            "deadline": "2022-08-31",
            "deadline_precision": "day",
            "units": [unit.pk],
        },
    )
    assert response.status_code == 302
    assert not Matter.objects.filter(status=Status.ASSIGNED).exists()
