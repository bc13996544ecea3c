"""What a domain app adds to visits of some kinds (fieldwork.extensions), through the visit form, the API and the
visit's page; tests/kindapp adds "households reached" to household visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from fieldwork.extensions import extension_by_key, visit_extensions
from fieldwork.models import PlaceKind, Visit, VisitKind
from org.models import Unit
from tests.kindapp.models import TrialVisit

pytestmark = pytest.mark.usefixtures("demo")

NOW = dt.datetime(2022, 6, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NEW = "/fieldwork/visits/new/"


@pytest.fixture(autouse=True)
def _frozen(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _client(username: str = "cadre") -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _household_visit(**extra: Any) -> dict[str, Any]:
    return {
        "date": "2022-06-15",
        "hours": "1.5",
        "kind": VisitKind.HOUSEHOLD,
        "place_kind": PlaceKind.HOUSEHOLD,
        "place_detail": "长宇新城 3栋",
        "participants": "2",
        "notes": "了解独居老人生活",
        **extra,
    }


def test_the_extension_is_collected_from_the_plugin_and_applies_to_its_kinds_only() -> None:
    keys = {e.key for e in visit_extensions(VisitKind.HOUSEHOLD)}
    assert "kindapp.trial_visit" in keys
    assert "kindapp.trial_visit" not in {e.key for e in visit_extensions(VisitKind.SITE_VISIT)}


def test_the_visit_form_shows_the_extensions_fields_marked_with_the_kinds_they_are_for() -> None:
    html = _client().get(NEW).content.decode()
    assert 'data-visit-kinds="household"' in html
    assert 'name="kindapp.trial_visit-site"' in html and 'name="kindapp.trial_visit-households"' in html


def test_a_household_visit_records_what_the_extension_adds_in_the_same_step() -> None:
    response = _client().post(
        NEW, _household_visit(**{"kindapp.trial_visit-site": "长宇新城", "kindapp.trial_visit-households": "6"})
    )
    assert response.status_code == 302, response.content.decode()[:500]
    visit = Visit.objects.latest("pk")
    assert (visit.trial_visit.site, visit.trial_visit.households) == ("长宇新城", 6)
    page = _client().get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert "Trial households reached" in page and "长宇新城 · 6" in page


def test_a_visit_of_another_kind_ignores_the_extensions_fields() -> None:
    data = _household_visit(
        kind=VisitKind.SITE_VISIT,
        place_kind=PlaceKind.COMMUNITY,
        community=Unit.objects.get(name="长宇社区").pk,
        place_detail="",
        **{"kindapp.trial_visit-site": "长宇新城", "kindapp.trial_visit-households": "6"},
    )
    assert _client().post(NEW, data).status_code == 302
    assert not TrialVisit.objects.exists()


def test_bad_extension_data_is_shown_beside_its_field_and_nothing_is_stored() -> None:
    before = Visit.objects.count()
    response = _client().post(
        NEW, _household_visit(**{"kindapp.trial_visit-site": "长宇新城", "kindapp.trial_visit-households": "0"})
    )
    assert response.status_code == 200
    assert Visit.objects.count() == before and not TrialVisit.objects.exists()
    extension_form = dict(response.context["extensions"])[extension_by_key("kindapp.trial_visit")]
    assert "households" in extension_form.errors


def test_a_refusal_in_the_extensions_save_stores_no_visit_either() -> None:
    before = Visit.objects.count()
    response = _client().post(
        NEW, _household_visit(**{"kindapp.trial_visit-site": "refused", "kindapp.trial_visit-households": "2"})
    )
    assert response.status_code == 200 and "This site refuses visits." in response.content.decode()
    assert Visit.objects.count() == before


def _api(username: str = "cadre") -> Client:
    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_the_api_takes_the_extensions_data_and_refuses_unknown_or_misapplied_ones() -> None:
    body = {
        "date": "2022-06-15",
        "hours": "1.5",
        "kind": "household",
        "place_kind": "household",
        "place_detail": "长宇新城 3栋",
    }
    ok = _api().post(
        "/api/v1/visits/",
        {**body, "extensions": {"kindapp.trial_visit": {"site": "长宇新城", "households": 3}}},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert TrialVisit.objects.get(visit_id=ok.json()["id"]).households == 3
    before = Visit.objects.count()
    unknown = _api().post(
        "/api/v1/visits/", {**body, "extensions": {"nobody.nothing": {}}}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "extensions.nobody.nothing" in unknown.json()
    bad = _api().post(
        "/api/v1/visits/",
        {**body, "extensions": {"kindapp.trial_visit": {"site": "", "households": 0}}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {
        "extensions.kindapp.trial_visit.site",
        "extensions.kindapp.trial_visit.households",
    } <= set(bad.json())
    assert Visit.objects.count() == before
