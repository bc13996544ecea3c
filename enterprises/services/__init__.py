"""All writes of the enterprise line (audited), by sub-domain."""

from enterprises.services.demands import demand_attach, demand_create, demand_rate, demand_visit_found
from enterprises.services.matching import facts_of, matches_refresh
from enterprises.services.policies import (
    conditions_checked,
    delivery_create,
    policy_create,
    policy_delete,
    policy_update,
)
from enterprises.services.profiles import contact_add, contacts_viewed, profile_create, profile_update

__all__ = [
    "conditions_checked",
    "contact_add",
    "contacts_viewed",
    "delivery_create",
    "demand_attach",
    "demand_create",
    "demand_rate",
    "demand_visit_found",
    "facts_of",
    "matches_refresh",
    "policy_create",
    "policy_delete",
    "policy_update",
    "profile_create",
    "profile_update",
]
