"""The enterprise line's tables: profiles (profiles.py), the policy library and deliveries (policies.py), demands
and visit notes (demands.py)."""

from enterprises.models.demands import Demand, DemandType, EnterpriseVisit, Rating
from enterprises.models.policies import (
    BenefitKind,
    Delivery,
    DeliveryOutcome,
    DeliveryWay,
    Match,
    Policy,
)
from enterprises.models.profiles import (
    EnterpriseContact,
    EnterpriseProfile,
    EnterpriseSize,
    Industry,
    ProjectStage,
    Tag,
)

__all__ = [
    "BenefitKind",
    "Delivery",
    "DeliveryOutcome",
    "DeliveryWay",
    "Demand",
    "DemandType",
    "EnterpriseContact",
    "EnterpriseProfile",
    "EnterpriseSize",
    "EnterpriseVisit",
    "Industry",
    "Match",
    "Policy",
    "ProjectStage",
    "Rating",
    "Tag",
]
