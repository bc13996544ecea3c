"""附议 counts people, not cookies: an endorsement needs a phone proved by an SMS code, once per phone per matter;
without one it is anonymous support (匿名支持), counted apart and limited per connection and day. Each is audited
without the phone or the address."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from portal import sms
from portal.models import Endorsement, EndorsementKind, PhoneCode
from portal.selectors import with_support

pytestmark = pytest.mark.usefixtures("demo")
HX = {"HX-Request": "true"}
PHONE = "13912345678"
START = dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def outbox() -> list[tuple[str, str]]:
    sms.outbox.clear()
    return sms.outbox


def resident(address: str = "198.51.100.7") -> Client:
    """A browser of a resident reading the portal in English (the source language of the messages)."""
    return Client(headers={"accept-language": "en"}, REMOTE_ADDR=address)


def support_url(matter: Matter) -> str:
    return f"/m/{matter.code}/endorse/"


def ask_code(browser: Client, matter: Matter, phone: str = PHONE, sent_to: str = "") -> str:
    """Step 1: ask for a code; return the one the text message carries."""
    response = browser.post(f"/m/{matter.code}/endorse/code/", {"ask-phone": phone})
    assert response.status_code == 200, response.content.decode()
    to, text = sms.outbox[-1]
    assert to == (sent_to or phone)
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None
    return found.group(1)


def endorse(browser: Client, matter: Matter, code: str, phone: str = PHONE) -> Any:
    return browser.post(f"/m/{matter.code}/endorse/phone/", {"endorse-phone": phone, "endorse-code": code})


def counts(matter: Matter) -> tuple[int, int]:
    """(verified endorsements, anonymous support) as the public page counts them."""
    matter.refresh_from_db()
    return matter.endorsement_count, with_support([matter])[0].support_count  # type: ignore[attr-defined]


# --- with a phone ---------------------------------------------------------------------------------------------


def test_a_resident_endorses_with_the_code_sent_to_their_phone() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    browser = resident()
    page = browser.get(f"/m/{matter.code}/endorse/phone/")
    assert page.status_code == 200 and "Step 1: get a code by text message" in page.content.decode()
    code = ask_code(browser, matter)
    response = endorse(browser, matter, code)
    assert response.status_code == 302 and response["Location"] == f"/m/{matter.code}/"
    shown = browser.get(response["Location"]).content.decode()
    assert "Thank you: your endorsement was counted." in shown and "1 resident endorsed this" in shown
    assert counts(matter) == (1, 0)
    endorsement = Endorsement.objects.get(matter=matter)
    assert endorsement.kind == EndorsementKind.VERIFIED and PHONE not in endorsement.phone_digest
    assert PhoneCode.objects.get(purpose="endorse").used_at is not None


def test_the_same_phone_twice_counts_once_whatever_the_browser_or_address(frozen: Any) -> None:
    matter = matter_in(Status.ASSIGNED)
    first = resident()
    endorse(first, matter, ask_code(first, matter))
    frozen.shift(dt.timedelta(minutes=2))  # past the minute between two codes to one phone
    again = resident("203.0.113.50")  # another browser, another address, the number written another way
    code = ask_code(again, matter, phone=f"+86 {PHONE[:3]} {PHONE[3:]}", sent_to=PHONE)
    refused = endorse(again, matter, code, phone=f"+86{PHONE}")
    assert refused.status_code == 400 and "This phone has already endorsed this problem." in refused.content.decode()
    assert counts(matter) == (1, 0) and Endorsement.objects.filter(matter=matter).count() == 1


def test_a_wrong_code_endorses_nothing_and_counts_a_try() -> None:
    matter = matter_in(Status.ACCEPTED)
    browser = resident()
    code = ask_code(browser, matter)
    wrong = "000000" if code != "000000" else "111111"
    response = endorse(browser, matter, wrong)
    assert response.status_code == 400 and "The code is wrong. 4 tries left." in response.content.decode()
    assert counts(matter) == (0, 0) and PhoneCode.objects.get().attempts == 1
    assert not AuditEvent.objects.filter(action="portal.endorse").exists()


def test_a_code_sent_for_rating_or_for_another_matter_does_not_endorse() -> None:
    matter, other = matter_in(Status.IN_PROGRESS), matter_in(Status.IN_PROGRESS, problem="另一条路坏了")
    code = ask_code(resident(), other)
    assert endorse(resident(), matter, code).status_code == 400
    assert counts(matter) == (0, 0) and counts(other) == (0, 0)


def test_finished_private_or_unknown_matters_cannot_be_endorsed_with_a_phone() -> None:
    done = matter_in(Status.COMPLETED)
    for path in (f"/m/{done.code}/endorse/phone/", f"/m/{done.code}/endorse/code/"):
        response = resident().post(path, {"ask-phone": PHONE, "endorse-phone": PHONE, "endorse-code": "123456"})
        assert response.status_code == 400 and "Only open problems can be endorsed" in response.content.decode()
    private = matter_in(Status.REPORTED, is_public=False)
    for code in ["MQ-2022-9999", private.code, "x" * 300]:
        assert resident().get(f"/m/{code}/endorse/phone/").status_code == 404
    assert not sms.outbox and not Endorsement.objects.exists()


def test_bad_input_on_the_phone_path_gets_a_clear_answer_and_changes_nothing() -> None:
    matter = matter_in(Status.ACCEPTED)
    for data in ({"ask-phone": "12345"}, {"ask-phone": ""}, {"ask-phone": "1391234567８"}, {}):
        assert resident().post(f"/m/{matter.code}/endorse/code/", data).status_code == 400
    for data in ({"endorse-phone": PHONE, "endorse-code": "12"}, {"endorse-phone": "x", "endorse-code": "123456"}):
        assert resident().post(f"/m/{matter.code}/endorse/phone/", data).status_code == 400
    assert not sms.outbox and not Endorsement.objects.exists()


# --- anonymous support ------------------------------------------------------------------------------------


def test_a_fresh_cookie_per_request_does_not_inflate_the_count() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    statuses = []
    for index in range(5):
        browser = resident()  # a new browser each time: no cookie carried over
        browser.cookies["mq_client"] = f"forged-cookie-{index:040d}"
        statuses.append(browser.post(support_url(matter), headers=HX).status_code)
    assert statuses == [200, 400, 400, 400, 400]
    assert counts(matter) == (0, 1)


def test_anonymous_support_is_shown_apart_and_refreshed_in_place() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    response = resident().post(support_url(matter), headers=HX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "0 residents endorsed this" in page and "and 1 anonymous support" in page
    assert "Thank you: your anonymous support was counted." in page and "Supported" in page and "disabled" in page
    assert 'aria-live="polite"' in page
    public = resident("192.0.2.1").get(f"/m/{matter.code}/").content.decode()
    assert "0 residents endorsed this" in public and "and 1 anonymous support" in public
    assert "mq_client" not in response.cookies  # no cookie to renew: nothing about it is kept in the browser


def test_anonymous_support_is_limited_per_address_and_matter_per_day(frozen: Any, settings: Any) -> None:
    settings.PORTAL_SUPPORT_PER_MATTER = 1
    matter = matter_in(Status.ACCEPTED)
    assert resident().post(support_url(matter), headers=HX).status_code == 200
    again = resident().post(support_url(matter))
    assert again.status_code == 400 and "already supported this problem today" in again.content.decode()
    assert resident("198.51.100.8").post(support_url(matter), headers=HX).status_code == 200  # another address
    frozen.move_to(START + dt.timedelta(days=1))  # the next day (local time), the first address again
    assert resident().post(support_url(matter), headers=HX).status_code == 200
    assert counts(matter) == (0, 3)


def test_anonymous_support_has_a_daily_cap_per_address_across_matters(settings: Any) -> None:
    settings.PORTAL_SUPPORT_PER_DAY = 2
    matters = [matter_in(Status.ACCEPTED, problem=f"问题{i}") for i in range(3)]
    browser = resident()
    assert [browser.post(support_url(m), headers=HX).status_code for m in matters] == [200, 200, 400]
    assert "all the anonymous support it may today" in browser.post(support_url(matters[2])).content.decode()
    assert counts(matters[2]) == (0, 0)


def test_a_plain_form_post_goes_back_to_the_matter_page_with_a_message() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    browser = resident()
    response = browser.post(support_url(matter))
    assert response.status_code == 302 and response["Location"] == f"/m/{matter.code}/"
    assert "Thank you: your anonymous support was counted." in browser.get(response["Location"]).content.decode()


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.VERIFIED, Status.CLOSED])
def test_finished_matters_cannot_be_supported(status: str) -> None:
    matter = matter_in(status)
    response = resident().post(support_url(matter))
    assert response.status_code == 400 and "Only open problems can be endorsed" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_unknown_private_or_declined_matters_are_not_found() -> None:
    private = matter_in(Status.REPORTED, is_public=False)
    declined = matter_in(Status.DECLINED)
    for code in ["MQ-2022-9999", private.code, declined.code, "x" * 300]:
        assert resident().post(f"/m/{code}/endorse/").status_code == 404
    assert not Endorsement.objects.exists()


def test_endorsing_needs_a_post_with_the_csrf_token() -> None:
    matter = matter_in(Status.ACCEPTED)
    assert resident().get(support_url(matter)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(support_url(matter), headers=HX).status_code == 403
    assert strict.post(f"/m/{matter.code}/endorse/phone/", {"endorse-phone": PHONE}).status_code == 403
    assert strict.post(f"/m/{matter.code}/endorse/code/", {"ask-phone": PHONE}).status_code == 403
    assert not Endorsement.objects.exists() and not sms.outbox


def test_endorsements_are_throttled_per_connection(settings: Any) -> None:
    settings.PORTAL_ACTION_LIMIT = 2
    settings.PORTAL_SUPPORT_PER_DAY = 100
    matters = [matter_in(Status.ACCEPTED, problem=f"问题{i}") for i in range(3)]
    assert resident().post(support_url(matters[0]), headers=HX).status_code == 200
    assert resident().post(support_url(matters[1]), headers=HX).status_code == 200
    refused = resident().post(support_url(matters[2]), headers=HX)
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert not Endorsement.objects.filter(matter=matters[2]).exists()


# --- audit ----------------------------------------------------------------------------------------------------


def test_each_endorsement_writes_one_audit_event_without_the_phone_or_the_address() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    before = AuditEvent.objects.count()
    browser = resident("198.51.100.77")
    endorse(browser, matter, ask_code(browser, matter))
    browser.post(support_url(matter), headers=HX)
    events = list(AuditEvent.objects.filter(action="portal.endorse").order_by("seq"))
    assert [e.after["kind"] for e in events if e.after] == ["verified", "anonymous"]
    assert all(e.target_id == str(matter.pk) for e in events)
    assert AuditEvent.objects.count() == before + 2
    written = json.dumps([[e.before, e.after, e.target_label] for e in AuditEvent.objects.all()], ensure_ascii=False)
    digests = [e.phone_digest for e in Endorsement.objects.all()] + [e.client_digest for e in Endorsement.objects.all()]
    assert PHONE not in written and "198.51.100.77" not in written
    assert not [d for d in digests if d and d in written]


# --- the pages ------------------------------------------------------------------------------------------------


def test_the_matter_page_offers_both_ways_only_while_the_matter_is_open() -> None:
    open_matter = matter_in(Status.IN_PROGRESS)
    done = matter_in(Status.COMPLETED)
    page = resident().get(f"/m/{open_matter.code}/").content.decode()
    assert support_url(open_matter) in page and f"/m/{open_matter.code}/endorse/phone/" in page
    assert f"/m/{open_matter.code}/rate/" not in page
    page = resident().get(f"/m/{done.code}/").content.decode()
    assert support_url(done) not in page and f"/m/{done.code}/endorse/phone/" not in page
    assert f"/m/{done.code}/rate/" in page and f"/m/{done.code}/poster.pdf" in page


def test_the_front_page_ranks_open_problems_by_verified_endorsements_only() -> None:
    from portal.selectors import most_endorsed
    from portal.services.engage import endorsement_record, endorsement_support

    verified = matter_in(Status.IN_PROGRESS, problem="路灯坏了")
    popular = matter_in(Status.IN_PROGRESS, problem="井盖丢了")
    endorsement_record(matter=verified, phone="13900000001")
    for index in range(5):
        endorsement_support(matter=popular, client=f"address-{index}")
    assert [m.pk for m in most_endorsed()] == [verified.pk]


def test_the_raise_page_suggestions_offer_both_ways_with_both_counts() -> None:
    existing = matter_in(Status.ACCEPTED, problem="长宇社区幸福小区门口路灯不亮，晚上出行不便。")
    from portal.services.engage import endorsement_support

    endorsement_support(matter=existing, client="someone")
    page = resident().get("/report/similar/", {"description": "幸福小区门口的路灯坏了，晚上很黑"}).content.decode()
    assert existing.code in page and "and 1 anonymous support" in page
    assert f"/m/{existing.code}/endorse/phone/" in page and support_url(existing) in page


def test_the_migration_turns_the_cookie_endorsements_into_anonymous_support() -> None:
    import importlib

    from django.apps import apps

    from portal.services.engage import endorsement_record

    migration = importlib.import_module("portal.migrations.0002_endorsements_by_phone")
    matter = matter_in(Status.IN_PROGRESS)
    for index in range(3):  # rows as the cookie era left them: counted in endorsement_count
        endorsement_record(matter=matter, phone=f"1390000000{index}")
    # (the kind column arrives with "anonymous" as its default, before this step)
    Endorsement.objects.update(
        kind="anonymous", phone_digest="", client_digest="cookie-digest", day=dt.date(2000, 1, 1)
    )
    assert counts(matter) == (3, 3)
    migration.cookies_become_anonymous_support(apps, None)
    assert counts(matter) == (0, 3)
    assert set(Endorsement.objects.values_list("day", flat=True)) == {dt.date(2022, 9, 1)}
