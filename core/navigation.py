"""The back-office menu: every app's entries (`Plugin.menu`), each shown only to roles holding its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.functional import Promise

from core.plugins import MenuItem, all_menu_items
from core.roles import user_can


def menu_for(user: AbstractBaseUser | AnonymousUser) -> list[MenuItem]:
    return [item for item in all_menu_items() if user_can(user, item.cap)]


@dataclass
class NavEntry:
    """A top-bar entry: one link, or a drop-down of the items sharing a group."""

    label: str | Promise
    items: list[MenuItem]


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
