"""The records care's routes need in the authorisation matrix: a household in 长宇社区 paired with the demo cadre
and the demo handler's person (so every persona granted a household view sees it), and wishes in each state."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from care import services
from care.models import Category
from org.models import Person, Unit


def build() -> dict[str, str]:
    household = services.household_create(
        actor=None,
        community=Unit.objects.get(ref="seed:community:changyu"),
        address="矩阵演示路1号（演示）",
        categories=[Category.objects.get(code="dibao")],
    )
    services.member_add(actor=None, household=household, name="矩阵户主（演示）", relation="户主", phone="13900000099")
    pairing = services.pairing_create(
        actor=None, cadre=Person.objects.get(ref="demo:person:cadre"), household=household, target_outcome="matrix"
    )
    services.pairing_create(
        actor=None, cadre=Person.objects.get(ref="demo:person:handler"), household=household, target_outcome="matrix"
    )
    wish = services.wish_create(actor=None, household=household, text="matrix wish", value=Decimal("10"))
    open_wish = services.wish_publish(
        actor=None, wish=services.wish_create(actor=None, household=household, text="matrix open", value=Decimal("1"))
    )
    claimer = get_user_model().objects.get(username="cadre")
    claimed = services.wish_publish(
        actor=None,
        wish=services.wish_create(actor=None, household=household, text="matrix claimed", value=Decimal("1")),
    )
    claimed = services.wish_claim(actor=claimer, wish=claimed)
    delivered = services.wish_publish(
        actor=None,
        wish=services.wish_create(actor=None, household=household, text="matrix delivered", value=Decimal("1")),
    )
    delivered = services.wish_deliver(actor=None, wish=services.wish_claim(actor=claimer, wish=delivered))
    return {
        "household": str(household.pk),
        "pairing": str(pairing.pk),
        "wish": str(wish.pk),
        "open_wish": str(open_wish.pk),
        "claimed_wish": str(claimed.pk),
        "wish_token": delivered.confirm_token,
    }
