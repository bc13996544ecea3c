"""A clue's life as the supervision team lives it, over the pages and the API, with frozen time: registered,
disposed of (the limits on the working-day calendar), concluded with findings, held to account; and every refusal
says why and writes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from audit.models import AuditEvent
from org.models import Person
from oversight.models.clues import Clue, ClueFile, ClueStatus, Measure
from oversight.selectors import clues as selectors
from oversight.services import clues as services
from oversight.tests.clues_world import TEXT, at, cadre_person, clue_in, english, july_2031

__all__ = ["july_2031"]
pytestmark = pytest.mark.usefixtures("demo", "july_2031")


def test_the_supervision_team_takes_a_clue_from_registration_to_a_reminder_talk_over_the_pages(client_as) -> None:  # type: ignore[no-untyped-def]
    client = english(client_as("supervisor"))
    person = cadre_person()
    response = client.post(
        "/oversight/clues/new/",
        {"text": TEXT, "concerned": "杨立新", "persons": [person.pk], "units": [person.unit_id]},
    )
    assert response.status_code == 302
    clue = Clue.objects.get(text=TEXT)
    assert response["Location"] == f"/oversight/clues/{clue.pk}/"
    assert clue.code == "XS-2031-0001" and clue.status == ClueStatus.REGISTERED and clue.tracking_code is None

    assert (
        client.post(f"/oversight/clues/{clue.pk}/dispose/", {"disposal": "verify", "on": "2031-07-03"}).status_code
        == 302
    )
    clue.refresh_from_db()
    # 初步核实: 15 working days from Thursday 3 July (weekends skipped) is Thursday 24 July.
    assert (clue.status, clue.disposal, clue.due_on) == (ClueStatus.DISPOSED, "verify", dt.date(2031, 7, 24))

    page = client.post(
        f"/oversight/clues/{clue.pk}/conclude/",
        {"conclusion": "founded", "findings": "走访记录雷同属实", "on": "2031-07-03"},
    )
    assert page.status_code == 302
    clue.refresh_from_db()
    assert (clue.status, clue.conclusion, clue.concluded_on) == ("concluded", "founded", dt.date(2031, 7, 3))

    response = client.post(
        f"/oversight/clues/{clue.pk}/measures/new/",
        {
            "person": person.pk,
            "kind": "reminder",
            "decided_on": "2031-07-03",
            "decider": "园区纪工委",
            "note": "限期整改",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(clue=clue)
    assert (measure.kind, measure.person, measure.unit, measure.decider) == ("reminder", person, None, "园区纪工委")
    detail = client.get(f"/oversight/clues/{clue.pk}/").content.decode()
    assert "走访记录雷同属实" in detail and "Reminder talk" in detail
    actions = set(
        AuditEvent.objects.filter(target_id=str(clue.pk), target_type="oversight.clue").values_list("action", flat=True)
    )
    assert {"clue.create", "clue.dispose", "clue.conclude", "clue.view"} <= actions


def test_concluding_without_findings_is_refused_with_a_message_and_nothing_is_written(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("disposed")
    events = AuditEvent.objects.count()
    response = english(client_as("supervisor")).post(
        f"/oversight/clues/{clue.pk}/conclude/", {"conclusion": "founded", "findings": "  ", "on": "2031-07-03"}
    )
    assert response.status_code == 200
    assert "Write the findings: a clue is not concluded without them." in response.content.decode()
    clue.refresh_from_db()
    assert (clue.status, clue.conclusion, clue.findings) == (ClueStatus.DISPOSED, "", "")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("state", ["unfounded", "disposed", "registered"])
def test_a_measure_on_a_clue_not_founded_is_refused_with_a_message_and_nothing_is_written(state, client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in(state)
    client = english(client_as("supervisor"))
    response = client.post(
        f"/oversight/clues/{clue.pk}/measures/new/",
        {"person": cadre_person().pk, "kind": "reminder", "decided_on": "2031-07-03", "decider": "纪工委"},
    )
    assert response.status_code == 200
    assert f"Measures are taken only on a clue concluded as founded or partly founded; {clue.code} is not." in (
        response.content.decode()
    )
    assert not Measure.objects.filter(clue=clue).exists()


def test_a_measure_must_fit_its_subject_and_name_exactly_one(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("partly")
    person = cadre_person()
    client = english(client_as("supervisor"))
    base = {"kind": "reorganise", "decided_on": "2031-07-03", "decider": "纪工委"}
    page = client.post(f"/oversight/clues/{clue.pk}/measures/new/", {**base, "person": person.pk}).content.decode()
    assert "Choose one of the measures for a person." in page
    page = client.post(
        f"/oversight/clues/{clue.pk}/measures/new/", {**base, "person": person.pk, "unit": person.unit_id}
    ).content.decode()
    assert "A measure is for one person or for one organisation." in page
    assert client.post(f"/oversight/clues/{clue.pk}/measures/new/", {**base, "unit": person.unit_id}).status_code == 302
    assert list(Measure.objects.filter(clue=clue).values_list("kind", "unit")) == [("reorganise", person.unit_id)]


def test_the_workflow_table_refuses_every_step_out_of_order() -> None:
    registered = clue_in("registered")
    with pytest.raises(services.StateConflict):
        services.clue_conclude(actor=None, clue=registered, conclusion="founded", findings="x", on=dt.date(2031, 7, 3))
    concluded = clue_in("founded")
    with pytest.raises(services.StateConflict):
        services.clue_dispose(actor=None, clue=concluded, disposal="verify", on=dt.date(2031, 7, 3))
    with pytest.raises(services.StateConflict):
        services.clue_conclude(actor=None, clue=concluded, conclusion="unfounded", findings="x", on=dt.date(2031, 7, 3))
    disposed = clue_in("disposed")
    with pytest.raises(services.StateConflict):
        services.clue_dispose(actor=None, clue=disposed, disposal="close", on=dt.date(2031, 7, 3))
    assert Clue.objects.get(pk=concluded.pk).conclusion == "founded"


def test_an_inquiry_is_due_thirty_days_after_its_reply_and_dates_in_the_future_are_refused(client_as) -> None:  # type: ignore[no-untyped-def]
    received = dt.datetime(2031, 6, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    clue = clue_in("registered", received_at=received)
    client = english(client_as("supervisor"))
    early = client.post(f"/oversight/clues/{clue.pk}/dispose/", {"disposal": "inquiry", "on": "2031-06-29"})
    assert "The date of the disposal cannot be before 2031-06-30." in early.content.decode()
    future = client.post(f"/oversight/clues/{clue.pk}/dispose/", {"disposal": "inquiry", "on": "2031-07-04"})
    assert "The date of the disposal cannot be in the future." in future.content.decode()
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.REGISTERED
    client.post(f"/oversight/clues/{clue.pk}/dispose/", {"disposal": "inquiry", "on": "2031-07-01"})
    clue.refresh_from_db()
    assert (clue.disposal, clue.due_on) == ("inquiry", None)  # not due before the reply is in
    assert client.post(f"/oversight/clues/{clue.pk}/reply/", {"replied_on": "2031-07-02"}).status_code == 302
    clue.refresh_from_db()
    assert (clue.replied_on, clue.due_on) == (dt.date(2031, 7, 2), dt.date(2031, 8, 1))


def test_the_api_registers_disposes_concludes_and_records_a_measure_and_refuses_bad_input(client_as) -> None:  # type: ignore[no-untyped-def]
    client = english(client_as("supervisor"))
    person = cadre_person()
    empty = client.post("/api/v1/clues/", {"text": "   "}, content_type="application/json")
    assert empty.status_code == 400 and empty.json() == {"text": ["Say what the clue is about: the text is required."]}
    assert not Clue.objects.filter(created_by__username="supervisor").exists()
    made = client.post("/api/v1/clues/", {"text": TEXT, "persons": [person.pk]}, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["persons"] == [person.pk] and "reporter_phone" not in made.json()
    early = client.post(
        f"/api/v1/clues/{pk}/conclude/",
        {"conclusion": "founded", "findings": "x", "on": "2031-07-03"},
        content_type="application/json",
    )
    assert early.status_code == 409
    assert (
        client.post(
            f"/api/v1/clues/{pk}/dispose/", {"disposal": "verify", "on": "2031-07-03"}, content_type="application/json"
        ).status_code
        == 200
    )
    no_findings = client.post(
        f"/api/v1/clues/{pk}/conclude/",
        {"conclusion": "founded", "findings": "", "on": "2031-07-03"},
        content_type="application/json",
    )
    assert no_findings.status_code == 400
    assert no_findings.json() == {"findings": ["Write the findings: a clue is not concluded without them."]}
    assert Clue.objects.get(pk=pk).status == ClueStatus.DISPOSED
    done = client.post(
        f"/api/v1/clues/{pk}/conclude/",
        {"conclusion": "unfounded", "findings": "查无实据", "on": "2031-07-03"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["conclusion"] == "unfounded"
    refused = client.post(
        f"/api/v1/clues/{pk}/measures/",
        {"kind": "reminder", "person": person.pk, "decided_on": "2031-07-03", "decider": "纪工委"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and not Measure.objects.filter(clue_id=pk).exists()
    listed = client.get("/api/v1/clues/?status=concluded").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows if row["id"] == pk] == [pk] and "text" not in rows[0]


def test_the_api_records_a_measure_on_a_founded_clue(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("founded")
    person = cadre_person()
    with at("2031-07-08"):
        response = client_as("supervisor").post(
            f"/api/v1/clues/{clue.pk}/measures/",
            {"kind": "admonition", "person": person.pk, "decided_on": "2031-07-08", "decider": "园区纪工委"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "admonition" and response.json()["label"]
    assert Measure.objects.get(clue=clue).decided_on == dt.date(2031, 7, 8)


def _jpeg(name: str = "visit.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_evidence_files_go_with_the_conclusion_and_only_readers_of_the_clue_download_them(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("disposed")
    client = english(client_as("supervisor"))
    bad = client.post(
        f"/oversight/clues/{clue.pk}/conclude/",
        {
            "conclusion": "founded",
            "findings": "属实",
            "on": "2031-07-03",
            "attachments": [SimpleUploadedFile("x.exe", b"MZ")],
        },
    )
    assert bad.status_code == 200 and "is not a file we can read" in bad.content.decode()
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.DISPOSED and not ClueFile.objects.exists()
    done = client.post(
        f"/oversight/clues/{clue.pk}/conclude/",
        {"conclusion": "founded", "findings": "属实", "on": "2031-07-03", "attachments": [_jpeg(), _jpeg("two.jpg")]},
    )
    assert done.status_code == 302
    files = list(ClueFile.objects.filter(clue=clue).order_by("pk"))
    assert [f.content_type for f in files] == ["image/jpeg", "image/jpeg"]
    assert f"/oversight/clues/files/{files[0].pk}/" in client.get(f"/oversight/clues/{clue.pk}/").content.decode()
    download = client.get(f"/oversight/clues/files/{files[0].pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xff\xd8")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="clue.view_file", target_id=str(clue.pk)).count() == 1
    services.clue_link(actor=None, clue=clue, persons=[Person.objects.get(user__username="supervisor")], units=[])
    assert client.get(f"/oversight/clues/files/{files[0].pk}/").status_code == 404
    assert client_as("leader").get(f"/oversight/clues/files/{files[0].pk}/").status_code == 403


@override_settings(CLUE_MEASURES_PERSON=["reminder", "pay_cut:暂停评优评先（本单位）"])
def test_the_measures_offered_are_configured_and_an_office_may_add_its_own(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("founded")
    person = cadre_person()
    client = english(client_as("supervisor"))
    form = client.get(f"/oversight/clues/{clue.pk}/measures/new/").content.decode()
    assert "暂停评优评先（本单位）" in form and "Admonishment" not in form
    refused = client.post(
        f"/oversight/clues/{clue.pk}/measures/new/",
        {"person": person.pk, "kind": "admonition", "decided_on": "2031-07-03", "decider": "纪工委"},
    )
    assert refused.status_code == 200 and not Measure.objects.filter(clue=clue).exists()
    client.post(
        f"/oversight/clues/{clue.pk}/measures/new/",
        {"person": person.pk, "kind": "pay_cut", "decided_on": "2031-07-03", "decider": "纪工委"},
    )
    assert list(Measure.objects.filter(clue=clue).values_list("kind", flat=True)) == ["pay_cut"]
    [row] = selectors.person_measures(person, dt.date(2031, 7, 1), dt.date(2031, 7, 31))
    assert (row["clue"], row["measure"], row["decided_on"]) == (
        clue.code,
        "暂停评优评先（本单位）",
        dt.date(2031, 7, 3),
    )
    assert selectors.person_measures(person, dt.date(2031, 8, 1), dt.date(2031, 8, 31)) == []


def test_a_signal_turns_into_one_clue_only() -> None:
    from django.utils import timezone

    from oversight.models.signals import Signal, SignalStatus

    now = timezone.now()
    signal = Signal.objects.create(
        kind="note_copied", fingerprint="clues-test-1", day=dt.date(2031, 7, 1), summary="走访记录雷同（测试）",
        found_at=now, refreshed_at=now,
    )  # fmt: skip
    clue = services.clue_create(actor=None, source="signal", text="由预警转来（测试）", signal=signal)
    signal.refresh_from_db()
    assert (clue.signal, clue.source, signal.status) == (signal, "signal", SignalStatus.CLUED)
    with pytest.raises(services.DomainError):
        services.clue_create(actor=None, source="signal", text="再转一次（测试）", signal=signal)
    with pytest.raises(services.DomainError):
        services.clue_create(actor=None, source="staff", text="缺预警（测试）", signal=signal)
    assert Clue.objects.filter(signal=signal).count() == 1


def test_naming_people_and_units_on_the_page_and_a_supervisor_naming_themselves_loses_the_clue(client_as) -> None:  # type: ignore[no-untyped-def]
    clue = clue_in("registered")
    person = cadre_person()
    client = english(client_as("supervisor"))
    named = client.post(
        f"/oversight/clues/{clue.pk}/named/",
        {"concerned": "杨立新等", "persons": [person.pk], "units": [person.unit_id]},
    )
    assert named.status_code == 302 and named["Location"] == f"/oversight/clues/{clue.pk}/"
    clue.refresh_from_db()
    assert (list(clue.persons.all()), list(clue.units.all()), clue.concerned) == ([person], [person.unit], "杨立新等")
    me = Person.objects.get(user__username="supervisor")
    hidden = client.post(f"/oversight/clues/{clue.pk}/named/", {"persons": [person.pk, me.pk]})
    assert hidden.status_code == 302 and hidden["Location"] == "/oversight/clues/"
    assert client.get(f"/oversight/clues/{clue.pk}/").status_code == 404
