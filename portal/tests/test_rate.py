"""民生实事群众评: a resident proves a phone with an SMS code and rates a finished matter, once per phone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from audit.models import AuditEvent
from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from portal import sms
from portal.models import PhoneCode, Rating
from portal.sms import SmsError

pytestmark = pytest.mark.usefixtures("demo")
PHONE = "13912345678"
START = dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)


@pytest.fixture(autouse=True)
def outbox() -> list[tuple[str, str]]:
    sms.outbox.clear()
    return sms.outbox


class FailingBackend:
    def send(self, phone: str, text: str) -> None:
        raise SmsError("gateway down")


def resident() -> Client:
    return Client(headers={"accept-language": "en"})


def ask_code(browser: Client, matter: Matter, phone: str = PHONE) -> str:
    """Step 1: ask for a code; return the one the text message carries."""
    response = browser.post(f"/m/{matter.code}/rate/code/", {"ask-phone": phone})
    assert response.status_code == 200, response.content.decode()
    sent_to, text = sms.outbox[-1]
    assert sent_to == phone
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None
    return found.group(1)


def submit(browser: Client, matter: Matter, **fields: str) -> Any:
    data = {"phone": PHONE, "value": "satisfied", "comment": "", **fields}
    return browser.post(f"/m/{matter.code}/rate/", {f"rate-{k}": v for k, v in data.items()})


def test_a_resident_rates_a_completed_matter_with_the_code_from_a_text_message() -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    code = ask_code(browser, matter)
    assert "valid for 10 minutes" in sms.outbox[-1][1]
    response = submit(browser, matter, code=code, value="basically", comment="路修好了，就是还有点灰。")
    assert response.status_code == 302 and response["Location"] == f"/m/{matter.code}/rate/"
    page = browser.get(response["Location"]).content.decode()
    assert "Thank you: your rating was recorded." in page
    assert "路修好了，就是还有点灰。" in page
    rating = Rating.objects.get(matter=matter)
    assert rating.value == "basically"
    matter.refresh_from_db()
    assert (matter.rated_satisfied, matter.rated_basically, matter.rated_dissatisfied) == (0, 1, 0)
    assert PhoneCode.objects.get().used_at is not None


def test_step_one_brings_the_rating_form_back_with_the_phone_filled_in() -> None:
    matter = matter_in(Status.VERIFIED)
    response = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": "+86 139 1234 5678"})
    page = response.content.decode()
    assert "A code was sent by text message." in page
    assert f'value="{PHONE}"' in page
    assert sms.outbox[-1][0] == PHONE


def test_neither_the_phone_nor_the_code_is_kept_in_clear() -> None:
    matter = matter_in(Status.CLOSED)
    browser = resident()
    code = ask_code(browser, matter)
    record = PhoneCode.objects.get()
    assert record.purpose == "rate" and record.matter_id == matter.pk
    assert record.expires_at - record.created_at == dt.timedelta(minutes=10)
    assert code not in record.code_digest and PHONE not in record.phone_digest
    submit(browser, matter, code=code, comment="好")
    rating = Rating.objects.get()
    assert PHONE not in rating.phone_digest
    event = AuditEvent.objects.get(action="portal.rate")
    assert PHONE not in str(event.after) and rating.phone_digest not in str(event.after)
    assert event.after is not None and event.after["value"] == "satisfied"


def test_one_phone_rates_a_matter_only_once() -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    submit(browser, matter, code=ask_code(browser, matter))
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        again = submit(resident(), matter, code=ask_code(resident(), matter), value="dissatisfied")
    assert again.status_code == 400
    assert "This phone has already rated this matter." in again.content.decode()
    matter.refresh_from_db()
    assert (matter.rated_satisfied, matter.rated_dissatisfied) == (1, 0)
    assert Rating.objects.count() == 1
    assert PhoneCode.objects.filter(used_at__isnull=True).count() == 1  # the second code was not spent


def test_a_wrong_code_is_refused_and_counted_as_a_try() -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    code = ask_code(browser, matter)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = submit(browser, matter, code=wrong)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The code is wrong. 4 tries left." in page
    assert 'id="id_rate-code_error"' in page and 'aria-describedby="id_rate-code_error"' in page
    assert PhoneCode.objects.get().attempts == 1
    assert not Rating.objects.exists()
    assert submit(browser, matter, code=code).status_code == 302  # the right one still works


def test_a_code_tried_five_times_is_spent_even_for_the_right_code() -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    code = ask_code(browser, matter)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _i in range(5):
        assert submit(browser, matter, code=wrong).status_code == 400
    response = submit(browser, matter, code=code)
    assert response.status_code == 400
    assert "Too many wrong tries with this code. Ask for a new code." in response.content.decode()
    assert not Rating.objects.exists()
    matter.refresh_from_db()
    assert matter.ratings_total == 0


def test_an_expired_code_is_refused(time_machine: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    code = ask_code(browser, matter)
    time_machine.move_to(START + dt.timedelta(minutes=10, seconds=1), tick=False)
    response = submit(browser, matter, code=code)
    assert response.status_code == 400
    assert "This code has expired. Ask for a new code." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_forged_code_or_one_sent_for_another_matter_is_refused() -> None:
    matter = matter_in(Status.COMPLETED)
    other = matter_in(Status.COMPLETED, problem="另一条路")
    browser = resident()
    code = ask_code(browser, other)
    response = submit(browser, matter, code=code)
    assert response.status_code == 400
    assert "No code was sent to this phone for this matter" in response.content.decode()
    response = submit(browser, other, code=code, phone="13900000000")
    assert response.status_code == 400
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "Enter a mainland mobile number"),
        ({"value": "delighted"}, "value", "Choose satisfied, basically satisfied or dissatisfied."),
        ({"value": ""}, "value", "This field is required."),
        ({"comment": "<b>好</b><script>alert(1)</script>"}, "comment", "Write plain text"),
        ({"comment": "很" * 10_000}, "comment", "at most 500 characters"),
        ({"code": "12ab56"}, "code", "The code is the 6 digits in the text message."),
    ],
)
def test_bad_rating_input_is_refused_with_a_message_on_its_field(fields: dict, field: str, message: str) -> None:
    matter = matter_in(Status.COMPLETED)
    browser = resident()
    code = ask_code(browser, matter)
    response = submit(browser, matter, **{"code": code, **fields})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_rate-{field}_error"' in page
    assert not Rating.objects.exists()
    assert PhoneCode.objects.get().attempts == 0 and PhoneCode.objects.get().used_at is None


def test_a_bad_phone_gets_no_code() -> None:
    matter = matter_in(Status.COMPLETED)
    response = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": "call me maybe"})
    assert response.status_code == 400
    assert "Enter a mainland mobile number" in response.content.decode()
    assert not sms.outbox and not PhoneCode.objects.exists()


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS])
def test_a_matter_not_finished_cannot_be_rated(status: str) -> None:
    matter = matter_in(status)
    browser = resident()
    message = "This matter cannot be rated yet"
    page = browser.get(f"/m/{matter.code}/rate/")
    assert page.status_code == 400 and message in page.content.decode()
    ask = browser.post(f"/m/{matter.code}/rate/code/", {"ask-phone": PHONE})
    assert ask.status_code == 400 and message in ask.content.decode()
    rate = submit(browser, matter, code="123456")
    assert rate.status_code == 400 and message in rate.content.decode()
    assert not sms.outbox and not PhoneCode.objects.exists() and not Rating.objects.exists()


def test_an_unknown_or_private_matter_is_not_found() -> None:
    private = matter_in(Status.COMPLETED, is_public=False)
    for code in ["MQ-2022-9999", private.code]:
        assert resident().get(f"/m/{code}/rate/").status_code == 404
        assert resident().post(f"/m/{code}/rate/code/", {"ask-phone": PHONE}).status_code == 404
    assert not sms.outbox


def test_codes_to_one_phone_are_a_minute_apart_and_five_an_hour(time_machine: Any) -> None:
    matter = matter_in(Status.COMPLETED)
    ask_code(resident(), matter)
    too_soon = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": PHONE})
    assert too_soon.status_code == 429 and "Wait 60 seconds" in too_soon.content.decode()
    for minute in range(1, 5):
        time_machine.move_to(START + dt.timedelta(minutes=minute), tick=False)
        ask_code(resident(), matter)
    time_machine.move_to(START + dt.timedelta(minutes=6), tick=False)
    sixth = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": PHONE})
    assert sixth.status_code == 429
    assert "Too many codes were sent to this phone." in sixth.content.decode()
    assert len(sms.outbox) == 5 == PhoneCode.objects.count()
    ask_code(resident(), matter, phone="13800000000")  # another phone is not held back


def test_code_requests_are_throttled_per_connection(settings: Any) -> None:
    settings.PORTAL_ACTION_LIMIT = 2
    matter = matter_in(Status.COMPLETED)
    ask_code(resident(), matter, phone="13800000001")
    ask_code(resident(), matter, phone="13800000002")
    third = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": "13800000003"})
    assert third.status_code == 429 and "Too many requests" in third.content.decode()
    assert len(sms.outbox) == 2


def test_a_text_message_that_cannot_be_sent_leaves_no_usable_code(settings: Any) -> None:
    settings.SMS_BACKEND = "portal.tests.test_rate.FailingBackend"
    matter = matter_in(Status.COMPLETED)
    response = resident().post(f"/m/{matter.code}/rate/code/", {"ask-phone": PHONE})
    assert response.status_code == 503
    assert "could not be sent" in response.content.decode()
    assert PhoneCode.objects.get().used_at is not None


def test_the_rating_page_shows_tallies_and_redacted_comments_without_identity() -> None:
    matter = matter_in(Status.COMPLETED)
    phones = ["13800000011", "13800000012", "13800000013"]
    values = ["satisfied", "basically", "dissatisfied"]
    for minute, (phone, value) in enumerate(zip(phones, values, strict=True)):
        with time_machine.travel(START + dt.timedelta(minutes=minute * 2), tick=False):
            browser = resident()
            submit(
                browser,
                matter,
                phone=phone,
                value=value,
                code=ask_code(browser, matter, phone),
                comment=f"有事打{phone}",
            )
    page = resident().get(f"/m/{matter.code}/rate/").content.decode()
    assert "Public satisfaction rate: 67%" in page and "(3 ratings)" in page
    assert page.count("有事打[phone hidden]") == 3
    for phone in [PHONE, *phones]:
        assert phone not in page


def test_no_phone_digits_appear_on_any_public_page_after_rating() -> None:
    matter = matter_in(Status.CLOSED)
    browser = resident()
    submit(browser, matter, code=ask_code(browser, matter), comment=f"我的电话 {PHONE}，欢迎回访")
    pages = [f"/m/{matter.code}/", f"/m/{matter.code}/rate/", "/", "/lists/effects/", "/lists/problems/"]
    for url in pages:
        response = resident().get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert PHONE not in body and "1234 5678" not in body, url
    assert PHONE not in Rating.objects.get().comment
