"""What the organisation app adds: units, people, work teams and contact points; the seed's park and accounts."""

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, access
from org.capabilities import GRANTS, OrgCap

ORGANISATION = _("Organisation")


def _demo(options: DemoOptions) -> str:
    from org import demo

    counts = demo.load()
    return f"Demo organisation: {counts['units']} units, {counts['people']} people."


def _api() -> list[ApiRoute]:
    from org import api

    return [
        ApiRoute("units", api.UnitViewSet, "unit"),
        ApiRoute("people", api.PersonViewSet, "person"),
    ]


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Units"), "org:unit_list", OrgCap.VIEW, 90, ORGANISATION),
        MenuItem(_("People"), "org:person_list", OrgCap.VIEW, 91, ORGANISATION),
        MenuItem(_("Work teams"), "org:team_list", OrgCap.VIEW, 92, ORGANISATION),
        MenuItem(_("Contact points"), "org:contact_point_list", OrgCap.VIEW, 93, ORGANISATION),
    ],
    demo=_demo,
    urls=[("org/", "org.urls")],
    api=_api,
    area="Organisation",
    routes=[
        *access("org:unit_list", OrgCap.VIEW),
        *access("org:unit_create", OrgCap.EDIT, "GET POST"),
        *access("org:unit_detail", OrgCap.VIEW, pk="{unit}"),
        *access("org:unit_edit", OrgCap.EDIT, "GET POST", pk="{unit}"),
        *access("org:team_member_add", OrgCap.EDIT, "POST", pk="{team}"),
        *access("org:team_member_remove", OrgCap.EDIT, "POST", pk="{membership}"),
        *access("org:person_list", OrgCap.VIEW),
        *access("org:person_create", OrgCap.EDIT, "GET POST"),
        *access("org:person_detail", OrgCap.VIEW, pk="{person}"),
        *access("org:person_edit", OrgCap.EDIT, "GET POST", pk="{person}"),
        *access("org:person_phone", OrgCap.PHONE_VIEW, "POST", pk="{person}"),
        *access("org:team_list", OrgCap.VIEW),
        *access("org:contact_point_list", OrgCap.VIEW),
        *access("org:contact_point_create", OrgCap.EDIT, "GET POST"),
        *access("org:contact_point_delete", OrgCap.EDIT, "POST", pk="{contact_point}"),
        *access("api:unit-list", OrgCap.VIEW),
        *access("api:unit-detail", OrgCap.VIEW, pk="{unit}"),
        *access("api:person-list", OrgCap.VIEW),
        *access("api:person-detail", OrgCap.VIEW, pk="{person}"),
    ],
)
