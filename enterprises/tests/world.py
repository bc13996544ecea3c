"""The {targets} of the enterprise line's routes for the authorisation matrix: a profile, a policy, a rating link."""

from __future__ import annotations

from enterprises import services
from enterprises.models import Demand, EnterpriseProfile, Policy


def build() -> dict[str, str]:
    profile = EnterpriseProfile.objects.order_by("id").first()
    policy = Policy.objects.order_by("id").first()
    assert profile is not None and policy is not None, "the demo has enterprise profiles and policies"
    matter = services.demand_create(
        actor=None, problem="厂区道路破损，货车进出困难（演示）。", enterprise=profile, demand_type="infrastructure"
    )
    return {
        "enterprise": str(profile.pk),
        "policy": str(policy.pk),
        "rating_link": Demand.objects.get(matter=matter).rating_token,
    }
