"""The petition personas over the demo: the owner (the demo leader 杨立新), another leader (邹国柱), the handler of
the case's unit (基建办), a handler of another unit (社事办), the coordinator, the supervisor, the assessor."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from accounts.services import account_create, account_set_roles
from core.roles import Role
from org.models import Person, Unit
from org.services import person_create
from petitions import services
from petitions.models import FocusArea, PetitionCase

NAME, PHONE, ID_NUMBER = "钟某某（演示）", "13900000077", "11010519491231002X"
ADDRESS = "演示路77号（演示）"


def account(username: str, role: Role, person: Person) -> Any:
    user_model = get_user_model()
    found = user_model.objects.filter(username=username).first()
    if found is not None:
        return found
    user = account_create(actor=None, username=username, password="petition-pass-2026", person=person)
    account_set_roles(actor=None, user=user, roles=[role.value])
    return user


def other_accounts() -> None:
    """ "other_leader" (邹国柱) and "other_handler" (a handler of 社事办), besides the demo accounts."""
    account("other_leader", Role.LEADER, Person.objects.get(name="邹国柱"))
    unit = Unit.objects.get(name="社事办")
    person = Person.objects.filter(unit=unit, name="社事办办事员（演示）").first() or person_create(
        actor=None, name="社事办办事员（演示）", unit=unit
    )
    account("other_handler", Role.HANDLER, person)


def client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def case_data(**changes: Any) -> dict[str, Any]:
    data = {
        "summary": f"{NAME}（电话{PHONE}）反映工地拖欠工资，身份证{ID_NUMBER}，住{ADDRESS}。",
        "focus": FocusArea.objects.get(code="wages").pk,
        "received_on": "2022-05-10",
        "first_petition_on": "2021-11-02",
        "petition_count": 3,
        "level": "district",
        "channel": "visit",
        "risk": "high",
        "owners": [Person.objects.get(name="杨立新").pk],
        "handling_units": [Unit.objects.get(name="基建办").pk],
        "visit_every_days": 30,
    }
    data.update(changes)
    return data


def planted_case(**changes: Any) -> PetitionCase:
    """A case whose petitioner's name, phone, ID number and address are planted, to search for afterwards."""
    return services.case_create(
        actor=None,
        data=case_data(**changes),
        petitioners=[{"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "address": ADDRESS}],
    )


def api(username: str) -> Client:
    """A REST client with the account's token."""
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return Client(headers={"Authorization": f"Token {token.key}"})
