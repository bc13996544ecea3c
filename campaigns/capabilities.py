"""Every working role sees the campaigns; the coordination team configures them."""

from __future__ import annotations

from core.roles import WORK_ROLES, Capability, Grants, Role


class CampaignCap(Capability):
    VIEW = "campaign.view"
    EDIT = "campaign.edit"


GRANTS: Grants = {
    CampaignCap.VIEW: WORK_ROLES,
    CampaignCap.EDIT: frozenset({Role.COORDINATOR}),
}
