"""What the campaigns app adds: campaigns with their phases and weekly duty rules, and the seed's campaign."""

from django.utils.translation import gettext_lazy as _

from campaigns.capabilities import GRANTS, CampaignCap
from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, access


def _demo(options: DemoOptions) -> str:
    from campaigns import demo

    campaign = demo.load(shift_months=options.shift_months)
    return f"Demo campaign: {campaign.starts_on}–{campaign.ends_on} (shifted {options.shift_months} months)."


def _api() -> list[ApiRoute]:
    from campaigns import api

    return [ApiRoute("campaigns", api.CampaignViewSet, "campaign"), ApiRoute("phases", api.PhaseViewSet, "phase")]


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[MenuItem(_("Campaigns"), "campaigns:list", CampaignCap.VIEW, 85)],
    demo=_demo,
    urls=[("campaigns/", "campaigns.urls")],
    api=_api,
    area="Campaigns",
    routes=[
        *access("campaigns:list", CampaignCap.VIEW),
        *access("campaigns:create", CampaignCap.EDIT, "GET POST"),
        *access("campaigns:detail", CampaignCap.VIEW, pk="{campaign}"),
        *access("campaigns:edit", CampaignCap.EDIT, "GET POST", pk="{campaign}"),
        *access("campaigns:phase_create", CampaignCap.EDIT, "GET POST", pk="{campaign}"),
        *access("campaigns:phase_edit", CampaignCap.EDIT, "GET POST", pk="{phase}"),
        *access("campaigns:phase_delete", CampaignCap.EDIT, "POST", pk="{phase}"),
        *access("campaigns:rule_create", CampaignCap.EDIT, "GET POST", pk="{campaign}"),
        *access("campaigns:rule_edit", CampaignCap.EDIT, "GET POST", pk="{rule}"),
        *access("campaigns:rule_delete", CampaignCap.EDIT, "POST", pk="{rule}"),
        *access("api:campaign-list", CampaignCap.VIEW),
        *access("api:campaign-detail", CampaignCap.VIEW, pk="{campaign}"),
        *access("api:phase-list", CampaignCap.VIEW),
        *access("api:phase-detail", CampaignCap.VIEW, pk="{phase}"),
    ],
)
