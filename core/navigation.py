"""The back-office menu: each entry shows only to roles holding its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.roles import Cap, user_can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    cap: Cap
    group: str | Promise | None = None  # shown together in a drop-down menu

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ORGANISATION = _("Organisation")
FIELDWORK = _("Field work")

MENU: tuple[NavItem, ...] = (
    NavItem(_("My work"), "core:workbench", Cap.WORKBENCH),
    NavItem(_("Inbox"), "notifications:inbox", Cap.WORKBENCH),
    NavItem(_("Matters"), "matters:list", Cap.MATTER_VIEW),
    NavItem(_("Figures"), "matters:figures", Cap.FIGURES_VIEW),
    NavItem(_("Lists"), "matters:lists", Cap.LISTS_VIEW),
    NavItem(_("Log a visit"), "fieldwork:visit_new", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("Visits"), "fieldwork:visit_list", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("My week"), "fieldwork:my_week", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("Duty grid"), "fieldwork:week_grid", Cap.DUTY_GRID, FIELDWORK),
    NavItem(_("Contact points and last visits"), "fieldwork:contact_points", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("Dual registration"), "fieldwork:registration", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("Registered cadres"), "fieldwork:registrations", Cap.REGISTRATIONS_VIEW, FIELDWORK),
    NavItem(_("Duty report"), "fieldwork:duty_report", Cap.VISIT_LOG, FIELDWORK),
    NavItem(_("Import visits"), "fieldwork:visit_import", Cap.VISITS_IMPORT, FIELDWORK),
    NavItem(_("Campaigns"), "campaigns:list", Cap.CAMPAIGN_VIEW),
    NavItem(_("Units"), "org:unit_list", Cap.ORG_VIEW, ORGANISATION),
    NavItem(_("People"), "org:person_list", Cap.ORG_VIEW, ORGANISATION),
    NavItem(_("Work teams"), "org:team_list", Cap.ORG_VIEW, ORGANISATION),
    NavItem(_("Contact points"), "org:contact_point_list", Cap.ORG_VIEW, ORGANISATION),
    NavItem(_("Accounts"), "core:account_list", Cap.ACCOUNTS_MANAGE),
    NavItem(_("Roles and locks"), "core:security", Cap.ROLES_ASSIGN),
    NavItem(_("Audit log"), "audit:list", Cap.AUDIT_VIEW),
)


def menu_for(user: AbstractBaseUser | AnonymousUser) -> list[NavItem]:
    return [item for item in MENU if user_can(user, item.cap)]


@dataclass
class NavEntry:
    """A top-bar entry: one link, or a drop-down of the items sharing a group."""

    label: str | Promise
    items: list[NavItem]


def entries_for(user: AbstractBaseUser | AnonymousUser) -> list[NavEntry]:
    entries: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in menu_for(user):
        if item.group is None:
            entries.append(NavEntry(item.label, [item]))
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = NavEntry(item.group, [])
            entries.append(groups[key])
        groups[key].items.append(item)
    return entries
