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

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU: tuple[NavItem, ...] = (
    NavItem(_("My work"), "core:workbench", Cap.WORKBENCH),
    NavItem(_("Campaigns"), "campaigns:list", Cap.CAMPAIGN_VIEW),
    NavItem(_("Units"), "org:unit_list", Cap.ORG_VIEW),
    NavItem(_("People"), "org:person_list", Cap.ORG_VIEW),
    NavItem(_("Work teams"), "org:team_list", Cap.ORG_VIEW),
    NavItem(_("Contact points"), "org:contact_point_list", Cap.ORG_VIEW),
    NavItem(_("Accounts"), "core:account_list", Cap.ACCOUNTS_MANAGE),
    NavItem(_("Roles and locks"), "core:security", Cap.ROLES_ASSIGN),
    NavItem(_("Audit log"), "audit:list", Cap.AUDIT_VIEW),
)


def menu_for(user: AbstractBaseUser | AnonymousUser) -> list[NavItem]:
    return [item for item in MENU if user_can(user, item.cap)]
