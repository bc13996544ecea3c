"""Keep the stored matches in step with the profiles and the policies (run after every change to either)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from enterprises import matching
from enterprises.conditions import Facts, describe
from enterprises.models import EnterpriseProfile, Industry, Match, Policy, Tag


def facts_of(profiles: Iterable[EnterpriseProfile] | None = None) -> list[Facts]:
    """The facts of these profiles (all when None), in two queries."""
    qs = (
        EnterpriseProfile.objects.all()
        if profiles is None
        else EnterpriseProfile.objects.filter(pk__in=[p.pk for p in profiles])
    )
    rows = list(qs.values_list("id", "industry__code", "size", "employees", "registered_capital", "stage"))
    tags: dict[int, set[str]] = {}
    for profile_id, code in EnterpriseProfile.tags.through.objects.filter(
        enterpriseprofile_id__in=[r[0] for r in rows]
    ).values_list("enterpriseprofile_id", "tag__code"):
        tags.setdefault(profile_id, set()).add(code)
    return [
        Facts(pk, industry, size, employees, Decimal(capital), stage, frozenset(tags.get(pk, ())))
        for pk, industry, size, employees, capital, stage in rows
    ]


def _names() -> dict[str, str]:
    """Codes as readers know them: industries, tags, sizes and stages."""
    from enterprises.models import EnterpriseSize, ProjectStage

    names = dict(Industry.objects.values_list("code", "name"))
    names |= dict(Tag.objects.values_list("code", "name"))
    names |= {str(value): str(label) for value, label in [*EnterpriseSize.choices, *ProjectStage.choices]}
    return names


@transaction.atomic
def matches_refresh(*, policy: Policy | None = None, enterprise: EnterpriseProfile | None = None) -> int:
    """Recompute the matches of one policy, one enterprise, or (neither given) all; return how many are stored."""
    policies = Policy.objects.all() if policy is None else Policy.objects.filter(pk=policy.pk)
    conditions = dict(policies.values_list("id", "conditions"))
    facts = facts_of(None if enterprise is None else [enterprise])
    results = matching.match(facts, conditions)
    names = _names()
    stale = Match.objects.all()
    if policy is not None:
        stale = stale.filter(policy=policy)
    if enterprise is not None:
        stale = stale.filter(enterprise=enterprise)
    stale.delete()
    rows = []
    for policy_id, result in results.items():
        described = [describe(c, names) for c in conditions[policy_id]]
        for enterprise_id in result.qualified:
            rows.append(Match(policy_id=policy_id, enterprise_id=enterprise_id, qualified=True, reasons=described))
        for enterprise_id, unmet in result.near.items():
            met = [text for i, text in enumerate(described) if i not in unmet]
            rows.append(
                Match(
                    policy_id=policy_id, enterprise_id=enterprise_id, qualified=False, reasons=met,
                    unmet=[described[i] for i in unmet],
                )
            )  # fmt: skip
    Match.objects.bulk_create(rows, batch_size=500)
    return len(rows)
