"""Care's personas and records: community handlers of 长宇社区 and 卫王社区, a household in 长宇社区 paired with the
demo cadre; all built over the session's demo and rolled back with each test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.services import account_create, account_set_roles
from care import services
from care.models import Category, Household, Wish
from core.roles import Role
from org.models import Person, Unit
from org.services import person_create

NOW = dt.datetime(2022, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NAME, ADDRESS, PHONE, ID_NUMBER = (
    "测试户主（演示）",
    "长宇新城测试楼9栋909（演示）",
    "13900000777",
    "42000019700101001X",
)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _staff(username: str, unit_ref: str, role: Role) -> object:
    person = person_create(actor=None, name=f"{username}（演示）", unit=Unit.objects.get(ref=unit_ref))
    user = account_create(actor=None, username=username, password="care-pass-2026-x", person=person)
    account_set_roles(actor=None, user=user, roles=[role.value])
    return user


@pytest.fixture
def changyu_handler(demo: None) -> object:
    return _staff("changyu_handler", "seed:community:changyu", Role.HANDLER)


@pytest.fixture
def weiwang_handler(demo: None) -> object:
    return _staff("weiwang_handler", "seed:community:weiwang", Role.HANDLER)


@pytest.fixture
def other_cadre(demo: None) -> object:
    return _staff("other_cadre", "seed:community:weiwang", Role.CADRE)


@pytest.fixture
def household(demo: None) -> Household:
    """A 长宇社区 household with a member carrying a name, a phone and an ID number; paired with the demo cadre."""
    household = services.household_create(
        actor=None,
        community=Unit.objects.get(ref="seed:community:changyu"),
        address=ADDRESS,
        categories=[Category.objects.get(code="dibao")],
        situation=f"身份证 {ID_NUMBER}",
    )
    services.member_add(actor=None, household=household, name=NAME, relation="户主", age=70, phone=PHONE)
    services.pairing_create(
        actor=None,
        cadre=Person.objects.get(ref="demo:person:cadre"),
        household=household,
        target_outcome="生活有保障",
        started_on=NOW.date() - dt.timedelta(days=10),
    )
    return household


@pytest.fixture
def open_wish(household: Household) -> Wish:
    wish = services.wish_create(actor=None, household=household, text=f"{NAME}想要一台收音机", value=Decimal("120"))
    return services.wish_publish(actor=None, wish=wish)


@pytest.fixture
def login() -> Callable[[object], Client]:
    def make(user: object) -> Client:
        client = Client()
        client.force_login(user if not isinstance(user, str) else get_user_model().objects.get(username=user))  # type: ignore[arg-type]
        return client

    return make
