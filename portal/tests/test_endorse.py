"""附议: a resident's +1 on an open public problem, once per browser, counted and throttled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from matters.models import Matter
from matters.tests.factories import matter_in
from matters.workflow import Status
from portal.models import Endorsement
from portal.views_engage import CLIENT_COOKIE

pytestmark = pytest.mark.usefixtures("demo")
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2022, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)


def resident() -> Client:
    """A browser of a resident reading the portal in English (the source language of the messages)."""
    return Client(headers={"accept-language": "en"})


def endorse_url(matter: Matter) -> str:
    return f"/m/{matter.code}/endorse/"


def test_a_resident_endorses_an_open_matter_and_sees_the_new_count_in_place() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    browser = resident()
    response = browser.post(endorse_url(matter), headers=HX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 resident endorsed this" in page and "Endorsed" in page and "disabled" in page
    assert 'aria-live="polite"' in page
    matter.refresh_from_db()
    assert matter.endorsement_count == 1
    assert Endorsement.objects.filter(matter=matter).count() == 1


def test_the_first_endorsement_gives_the_browser_a_long_lived_private_cookie() -> None:
    matter = matter_in(Status.REPORTED)
    response = resident().post(endorse_url(matter), headers=HX)
    cookie = response.cookies[CLIENT_COOKIE]
    assert len(cookie.value) >= 32
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    stored = Endorsement.objects.get(matter=matter).client_digest
    assert cookie.value not in stored  # only a keyed digest is kept


def test_endorsing_twice_from_the_same_browser_says_so_and_changes_nothing() -> None:
    matter = matter_in(Status.ASSIGNED)
    browser = resident()
    browser.post(endorse_url(matter), headers=HX)
    again = browser.post(endorse_url(matter), headers=HX)
    assert again.status_code == 400
    assert "You have already endorsed this." in again.content.decode()
    assert "Endorsed" in again.content.decode()
    plain = browser.post(endorse_url(matter))
    assert plain.status_code == 400 and "You have already endorsed this." in plain.content.decode()
    matter.refresh_from_db()
    assert matter.endorsement_count == 1
    assert Endorsement.objects.filter(matter=matter).count() == 1


def test_each_browser_counts_once() -> None:
    matter = matter_in(Status.ACCEPTED)
    for _i in range(3):
        assert resident().post(endorse_url(matter), headers=HX).status_code == 200
    matter.refresh_from_db()
    assert matter.endorsement_count == 3 == Endorsement.objects.filter(matter=matter).count()


def test_a_forged_client_cookie_is_replaced_by_a_random_one() -> None:
    matter = matter_in(Status.REPORTED)
    browser = resident()
    browser.cookies[CLIENT_COOKIE] = "<script>"
    response = browser.post(endorse_url(matter), headers=HX)
    assert response.status_code == 200
    assert response.cookies[CLIENT_COOKIE].value != "<script>"


def test_a_plain_form_post_goes_back_to_the_matter_page_with_a_message() -> None:
    matter = matter_in(Status.IN_PROGRESS)
    browser = resident()
    response = browser.post(endorse_url(matter))
    assert response.status_code == 302 and response["Location"] == f"/m/{matter.code}/"
    page = browser.get(response["Location"]).content.decode()
    assert "Thank you: your endorsement was counted." in page


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.VERIFIED, Status.CLOSED])
def test_finished_matters_cannot_be_endorsed(status: str) -> None:
    matter = matter_in(status)
    response = resident().post(endorse_url(matter))
    assert response.status_code == 400
    assert "Only open problems can be endorsed" in response.content.decode()
    assert not Endorsement.objects.exists()
    matter.refresh_from_db()
    assert matter.endorsement_count == 0


def test_unknown_private_or_declined_matters_are_not_found() -> None:
    private = matter_in(Status.REPORTED, is_public=False)
    declined = matter_in(Status.DECLINED)
    for code in ["MQ-2022-9999", private.code, declined.code, "x" * 300]:
        assert resident().post(f"/m/{code}/endorse/").status_code == 404
    assert not Endorsement.objects.exists()


def test_endorsing_needs_a_post_with_the_csrf_token() -> None:
    matter = matter_in(Status.REPORTED)
    assert resident().get(endorse_url(matter)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(endorse_url(matter), headers=HX).status_code == 403
    assert not Endorsement.objects.exists()


def test_endorsements_are_throttled_per_connection(settings: Any) -> None:
    settings.PORTAL_ACTION_LIMIT = 2
    matters = [matter_in(Status.REPORTED, problem=f"问题{i}") for i in range(3)]
    browser = resident()
    assert browser.post(endorse_url(matters[0]), headers=HX).status_code == 200
    assert browser.post(endorse_url(matters[1]), headers=HX).status_code == 200
    refused = resident().post(endorse_url(matters[2]), headers=HX)  # a new cookie does not help
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert not Endorsement.objects.filter(matter=matters[2]).exists()


def test_the_matter_page_offers_the_endorse_button_only_while_the_matter_is_open() -> None:
    open_matter = matter_in(Status.IN_PROGRESS)
    done = matter_in(Status.COMPLETED)
    page = resident().get(f"/m/{open_matter.code}/").content.decode()
    assert endorse_url(open_matter) in page and f"/m/{open_matter.code}/rate/" not in page
    page = resident().get(f"/m/{done.code}/").content.decode()
    assert endorse_url(done) not in page
    assert f"/m/{done.code}/rate/" in page and f"/m/{done.code}/poster.pdf" in page


def test_the_page_can_tell_a_browser_that_it_has_endorsed_already() -> None:
    from django.test import RequestFactory

    from portal.views_engage import client_has_endorsed

    matter = matter_in(Status.REPORTED)
    browser = resident()
    token = browser.post(endorse_url(matter), headers=HX).cookies[CLIENT_COOKIE].value
    request = RequestFactory().get("/")
    assert not client_has_endorsed(request, matter)
    request.COOKIES[CLIENT_COOKIE] = token
    assert client_has_endorsed(request, matter)
