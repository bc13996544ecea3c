"""Every back-office page × every persona: the right roles get it, the rest get 403, anonymous users log in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.capabilities import AccountCap
from audit.capabilities import AuditCap
from campaigns.capabilities import CampaignCap
from campaigns.models import Campaign, DutyRule, Phase
from conftest import PERSONAS
from core.capabilities import CoreCap
from core.plugins import all_menu_items
from core.roles import Capability, Role, grants
from org.capabilities import OrgCap
from org.models import ContactPoint, Person, Unit

# (url name, object to take the pk from or None, capability needed)
PAGES: list[tuple[str, type | None, Capability]] = [
    ("site:workbench", None, CoreCap.WORKBENCH),
    ("accounts:account_list", None, AccountCap.MANAGE),
    ("accounts:account_new", None, AccountCap.MANAGE),
    ("accounts:security", None, AccountCap.ROLES_ASSIGN),
    ("accounts:roles_edit", get_user_model(), AccountCap.ROLES_ASSIGN),
    ("audit:list", None, AuditCap.VIEW),
    ("org:unit_list", None, OrgCap.VIEW),
    ("org:unit_detail", Unit, OrgCap.VIEW),
    ("org:unit_create", None, OrgCap.EDIT),
    ("org:unit_edit", Unit, OrgCap.EDIT),
    ("org:person_list", None, OrgCap.VIEW),
    ("org:person_detail", Person, OrgCap.VIEW),
    ("org:person_create", None, OrgCap.EDIT),
    ("org:person_edit", Person, OrgCap.EDIT),
    ("org:team_list", None, OrgCap.VIEW),
    ("org:contact_point_list", None, OrgCap.VIEW),
    ("org:contact_point_create", None, OrgCap.EDIT),
    ("campaigns:list", None, CampaignCap.VIEW),
    ("campaigns:detail", Campaign, CampaignCap.VIEW),
    ("campaigns:create", None, CampaignCap.EDIT),
    ("campaigns:edit", Campaign, CampaignCap.EDIT),
    ("campaigns:phase_create", Campaign, CampaignCap.EDIT),
    ("campaigns:phase_edit", Phase, CampaignCap.EDIT),
    ("campaigns:rule_create", Campaign, CampaignCap.EDIT),
    ("campaigns:rule_edit", DutyRule, CampaignCap.EDIT),
]

# POST-only actions: (url name, object, capability).
ACTIONS: list[tuple[str, type | None, Capability]] = [
    ("org:person_phone", Person, OrgCap.PHONE_VIEW),
    ("org:contact_point_delete", ContactPoint, OrgCap.EDIT),
    ("campaigns:rule_delete", DutyRule, CampaignCap.EDIT),
    ("accounts:account_toggle", get_user_model(), AccountCap.MANAGE),
    ("accounts:unlock", None, AccountCap.ROLES_ASSIGN),
]


def _url(name: str, model: Any) -> str:
    if model is None:
        return reverse(name)
    obj = model._default_manager.order_by("pk").last()  # the last user is the outsider: nobody's own account
    return reverse(name, kwargs={"pk": obj.pk})


def _allowed(persona: str | None, cap: Capability) -> bool:
    return persona in Role.values and Role(persona) in grants()[cap]


@pytest.mark.parametrize("persona", [None, "resident", "outsider", *PERSONAS])
def test_every_page_answers_its_roles_and_refuses_the_rest(
    client_as: Callable[[str | None], Client], persona: str | None
) -> None:
    client = client_as(persona)
    for name, model, cap in PAGES:
        url = _url(name, model)
        response = client.get(url)
        if persona is None:
            assert response.status_code == 302 and "/login/" in response["Location"], name
        elif _allowed(persona, cap):
            assert response.status_code == 200, (persona, name, response.status_code)
        else:
            assert response.status_code == 403, (persona, name, response.status_code)


@pytest.mark.parametrize("persona", [None, "resident", *PERSONAS])
def test_every_action_refuses_roles_without_the_capability_and_changes_nothing(
    client_as: Callable[[str | None], Client], persona: str | None
) -> None:
    from audit.models import AuditEvent

    client = client_as(persona)
    for name, model, cap in ACTIONS:
        if _allowed(persona, cap):
            continue
        before = AuditEvent.objects.count()
        response = client.post(_url(name, model), {"username": "leader"})
        assert response.status_code in (302, 403), (persona, name)
        assert AuditEvent.objects.count() == before


def test_public_pages_answer_without_login(client_as: Callable[[str | None], Client]) -> None:
    client = client_as(None)
    for url in ["/", "/login/", "/api/v1/schema/", "/api/v1/docs/"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_navigation_shows_each_role_what_it_may_do_and_nothing_else(
    client_as: Callable[[str | None], Client], persona: str
) -> None:
    html = client_as(persona).get("/").content.decode()
    for item in all_menu_items():
        link = f'href="{item.url}"'
        if Role(persona) in grants()[item.cap]:
            assert link in html, (persona, item.url_name)
        else:
            assert link not in html, (persona, item.url_name)


def test_a_missing_object_is_404_not_500(client_as: Callable[[str | None], Client]) -> None:
    client = client_as("coordinator")
    assert client.get("/org/units/999999/").status_code == 404
    assert client.get("/campaigns/999999/").status_code == 404
    assert client.get("/org/people/?page=abc&unit=x&category=<script>").status_code == 200
