"""A clue from the public through the portal: anonymous, text required, rate-limited, CSRF-protected; the tracking
code is shown once and its page shows only the status and, once concluded, the category of the conclusion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings

from audit.models import AuditEvent
from oversight.models.clues import Clue, ClueSource
from oversight.services import clues as services
from oversight.tests.clues_world import at, cadre_person, english, july_2031

__all__ = ["july_2031"]
pytestmark = pytest.mark.usefixtures("demo", "july_2031")

TEXT = "社区干部入户走访只拍照留痕，不听群众诉求（测试）"
NAME, PHONE = "王秀英", "13907141234"


def _send(client: Client, **data: str):  # type: ignore[no-untyped-def]
    return client.post("/clue/", {"text": TEXT, "concerned": "某社区干部", **data})


def test_a_public_clue_without_text_is_refused_with_a_message_and_nothing_is_written() -> None:
    client = english(Client())
    events = AuditEvent.objects.count()
    response = client.post("/clue/", {"text": "   ", "name": NAME, "phone": PHONE})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what the clue is about: the text is required." in page and "Nothing was saved" in page
    assert not Clue.objects.filter(reporter_phone=PHONE).exists() and not Clue.objects.filter(text="").exists()
    assert AuditEvent.objects.count() == events
    assert PHONE not in page and NAME not in page  # not sent back, even to the sender
    assert "enter them again if you want a reply" in page


def test_an_anonymous_clue_gets_a_tracking_code_shown_once_and_nothing_of_it_is_echoed() -> None:
    client = english(Client())
    response = _send(client, name=NAME, phone=PHONE)
    assert response.status_code == 302 and response["Location"] == "/clue/sent/"
    clue = Clue.objects.get(text=TEXT)
    assert (clue.source, clue.reporter_name, clue.reporter_phone, clue.created_by) == ("public", NAME, PHONE, None)
    assert clue.tracking_code and clue.tracking_code.startswith("X") and len(clue.tracking_code) == 10
    done = client.get("/clue/sent/").content.decode()
    assert clue.tracking_code in done
    for private in (TEXT, NAME, PHONE, clue.code):
        assert private not in done
    again = client.get("/clue/sent/")
    assert again.status_code == 302 and again["Location"] == "/clue/"  # shown once
    anonymous = _send(english(Client()), text="另一条线索（测试）")
    assert anonymous.status_code == 302
    assert Clue.objects.get(text="另一条线索（测试）").reporter_phone == ""


def test_the_tracking_page_shows_only_the_status_and_then_the_conclusions_category() -> None:
    clue = services.clue_create(
        actor=None, source=ClueSource.PUBLIC, text=TEXT, reporter_name=NAME, reporter_phone=PHONE, concerned="杨立新"
    )
    client = english(Client())
    url = f"/clue/track/{clue.tracking_code}/"
    page = client.get(url).content.decode()
    assert 'data-status="registered"' in page and "Registered" in page
    services.clue_dispose(actor=None, clue=clue, disposal="verify", on=clue.received_at.date())
    assert 'data-status="disposed"' in client.get(url).content.decode()
    services.clue_conclude(
        actor=None, clue=clue, conclusion="partly", findings="部分查实：走访记录雷同", on=clue.received_at.date()
    )
    with at("2031-07-10"):
        services.measure_add(
            actor=None, clue=clue, kind="reminder", person=cadre_person(), decided_on=dt.date(2031, 7, 10),
            decider="纪工委",
        )  # fmt: skip
        page = client.get(url).content.decode()
    assert 'data-status="concluded"' in page and 'data-conclusion="partly"' in page and "Partly founded" in page
    for private in (TEXT, NAME, PHONE, "杨立新", "部分查实", "走访记录雷同", clue.code, "Reminder", "纪工委"):
        assert private not in page, private
    lowered = client.get(f"/clue/track/{str(clue.tracking_code).lower()}/")
    assert lowered.status_code == 302 and lowered["Location"] == url
    assert client.get("/clue/track/XZZZZZZZZZ/").status_code == 404
    assert client.get("/clue/track/not-a-code/").status_code == 404
    form = client.get(f"/clue/track/?code={clue.tracking_code}")
    assert form.status_code == 302 and form["Location"] == url
    assert client.get("/clue/track/?code=K7Q2M9XD").status_code == 400  # a matter's code is not a clue's


def test_a_matters_tracking_code_never_opens_a_clue_and_a_staff_clue_has_no_code() -> None:
    staff = services.clue_create(actor=None, source=ClueSource.STAFF, text=TEXT)
    assert staff.tracking_code is None


@override_settings(PORTAL_SUBMIT_LIMIT=2)
def test_sending_too_many_clues_from_one_connection_answers_429_and_saves_nothing() -> None:
    client = english(Client())
    assert _send(client, text="线索一（测试）").status_code == 302
    assert _send(client, text="线索二（测试）").status_code == 302
    refused = _send(client, text="线索三（测试）")
    assert refused.status_code == 429
    assert "You have sent many clues from this connection in the last hour." in refused.content.decode()
    assert not Clue.objects.filter(text="线索三（测试）").exists()


def test_looking_up_too_many_codes_answers_429() -> None:
    from portal import views_clue

    client = english(Client())
    original = views_clue.TRACK_LIMIT
    views_clue.TRACK_LIMIT = 2
    try:
        assert client.get("/clue/track/XZZZZZZZZZ/").status_code == 404
        assert client.get("/clue/track/XZZZZZZZZZ/").status_code == 404
        refused = client.get("/clue/track/XZZZZZZZZZ/")
    finally:
        views_clue.TRACK_LIMIT = original
    assert refused.status_code == 429 and "Too many look-ups" in refused.content.decode()


def test_the_form_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/clue/", {"text": TEXT}).status_code == 403
    assert not Clue.objects.filter(text=TEXT).exists()
    page = client.get("/clue/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"text": "a\x00b"},
        {"text": "<script>alert(1)</script>走访造假"},
        {"text": "走访" * 3000},
        {"text": "走访造假", "phone": "12345"},
        {"text": "走访造假", "concerned": "x" * 600},
        {"text": ["一", "二"], "name": "\u202e王"},
    ],
)
def test_odd_public_input_is_refused_with_a_message_and_never_a_server_error(data) -> None:  # type: ignore[no-untyped-def]
    before = Clue.objects.count()
    response = english(Client()).post("/clue/", data)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert "Nothing was saved" in response.content.decode()
        assert Clue.objects.count() == before


def test_the_supervision_team_is_told_of_a_public_clue_by_its_number_only(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        assert _send(english(Client()), name=NAME, phone=PHONE).status_code == 302
    clue = Clue.objects.get(text=TEXT)
    [message] = Notification.objects.filter(subject_id=clue.pk, subject_type__model="clue")
    assert message.recipient.get_username() == "supervisor" and clue.code in message.title
    assert TEXT not in message.title + message.body and PHONE not in message.title + message.body
