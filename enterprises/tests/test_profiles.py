"""Enterprise profiles: the credit code's check character (GB 32100-2015), private contacts, the demo."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from audit.models import AuditEvent
from enterprises import services
from enterprises.credit_code import ALPHABET, WEIGHTS, check_character, validate_credit_code
from enterprises.demo import credit_code
from enterprises.models import EnterpriseContact, EnterpriseProfile, Industry
from org.models import Unit, UnitKind

pytestmark = pytest.mark.usefixtures("demo")

# Published codes of well-known organisations (their check characters are part of the code).
VALID = ["91350100M000100Y43", "91110000802100433B"]


def test_the_alphabet_has_31_characters_without_i_o_z_s_v_and_the_weights_are_powers_of_3() -> None:
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)
    assert WEIGHTS[:6] == [1, 3, 9, 27, 19, 26] and WEIGHTS[-1] == 28


@pytest.mark.parametrize("code", VALID)
def test_a_published_credit_code_passes_its_check(code: str) -> None:
    validate_credit_code(code)
    validate_credit_code(code.lower())  # typed in lower case: read as upper


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "check character"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100I43", "cannot appear"),
        ("9135010OM000100Y43", "cannot appear"),
    ],
)
def test_a_wrong_credit_code_is_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert message in " ".join(caught.value.messages)


def test_every_single_character_change_of_a_code_is_caught_by_the_check() -> None:
    code = credit_code(3)
    for position in range(18):
        for char in ALPHABET:
            if char != code[position]:
                changed = code[:position] + char + code[position + 1 :]
                assert check_character(changed[:17]) != changed[17]


def _unit(name: str = "测试企业（演示）") -> Unit:
    return Unit.objects.create(name=name, kind=UnitKind.ENTERPRISE, parent=Unit.objects.get(ref="seed:park"))


def test_a_profile_with_a_wrong_check_digit_is_refused_and_nothing_is_written() -> None:
    before = (EnterpriseProfile.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=None, unit=_unit(), credit_code=credit_code(99)[:17] + "0", industry=Industry.objects.first(),
            size="small",
        )  # fmt: skip
    assert "credit_code" in caught.value.message_dict
    assert (EnterpriseProfile.objects.count(), AuditEvent.objects.count()) == before


def test_a_profile_belongs_only_to_an_enterprise_unit() -> None:
    community = Unit.objects.filter(kind=UnitKind.COMMUNITY).first()
    with pytest.raises(ValidationError) as caught:
        services.profile_create(
            actor=None, unit=community, credit_code=credit_code(98), industry=Industry.objects.first(), size="small"
        )
    assert "unit" in caught.value.message_dict


def test_the_demo_has_a_dozen_enterprises_marked_demo_with_contact_leaders_and_loads_twice_alike() -> None:
    profiles = list(EnterpriseProfile.objects.select_related("unit", "contact_leader"))
    assert len(profiles) == 12
    assert all("（演示）" in p.unit.name and p.contact_leader is not None for p in profiles)
    assert {p.industry.code for p in profiles} >= {"copper", "solid_waste", "circular"}
    counts = (EnterpriseProfile.objects.count(), EnterpriseContact.objects.count())
    call_command("load_demo", without_matters=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (EnterpriseProfile.objects.count(), EnterpriseContact.objects.count()) == counts


def test_contacts_never_enter_the_audit_log_values(client: Client) -> None:
    contact = EnterpriseContact.objects.first()
    assert contact is not None
    written = AuditEvent.objects.filter(action="enterprises.contact.create", target_id=str(contact.pk)).get()
    assert contact.phone not in str(written.after) and contact.name not in str(written.after)
