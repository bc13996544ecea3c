"""All writes of care, by sub-domain: households and pairings; micro-wishes. Each is audited."""

from care.services.households import (
    help_add,
    household_create,
    household_update,
    household_viewed,
    households_listed,
    member_add,
    pairing_create,
    pairing_end,
    pairings_chase,
)
from care.services.wishes import (
    claim_days,
    wish_claim,
    wish_claims_expire,
    wish_confirm,
    wish_create,
    wish_deliver,
    wish_publish,
)

__all__ = [
    "claim_days",
    "help_add",
    "household_create",
    "household_update",
    "household_viewed",
    "households_listed",
    "member_add",
    "pairing_create",
    "pairing_end",
    "pairings_chase",
    "wish_claim",
    "wish_claims_expire",
    "wish_confirm",
    "wish_create",
    "wish_deliver",
    "wish_publish",
]
