"""What each app contributes to the house, declared in the app's own `plugin.py` and collected here.

An app plugs in by having a module `<app>/plugin.py` with `PLUGIN = Plugin(...)`: its capabilities and the
roles holding them, its menu entries, its workbench items, its demo loader, its URL and API routes, the access
each of its routes needs (the authorisation matrix is generated from these), and the matter kinds it owns.
Nothing here or in any other layer below names an app: the tables are collected from the installed apps, in
the order of `INSTALLED_APPS`. docs/architecture.md shows a whole plugin.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise

from core.roles import Capability, Grants, Role

User = AbstractBaseUser | AnonymousUser
Label = str | Promise


@dataclass(frozen=True)
class MenuItem:
    """A back-office menu entry, shown only to roles holding its capability.

    `order` places it among every app's entries (10s: my work; 30s: matters; 40s: field work; 50s-70s: the special
    lines; 80s: oversight; 90s: organisation and administration); `group` gathers entries into one drop-down.
    """

    label: Label
    url_name: str
    cap: Capability
    order: int
    group: Label | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkEntry:
    """One thing to do now, under a workbench line: a matter to act on, a duty still short; overdue ones first."""

    label: str
    url: str
    note: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class WorkItem:
    """One line of a person's workbench: what waits for them, how many, where to do it; urgent ones stand out.

    `entries` are the line's most urgent items (a few, overdue first), so the page says what to do, not only where.
    """

    label: Label
    count: int
    url: str
    urgent: bool = False
    entries: tuple[WorkEntry, ...] = ()


@dataclass(frozen=True)
class DemoOptions:
    """How `load_demo` was asked to run: dates moved by whole months; `full` adds the records of work."""

    shift_months: int = 0
    full: bool = True


class Open(StrEnum):
    """What a route needs when it is not a capability."""

    PUBLIC = "public"  # anyone, signed in or not
    API_KEY = "Open311 key"  # a client system's key in the request; no account and no role stands in for it


Need = Capability | Open


@dataclass(frozen=True)
class RouteAccess:
    """One request of the authorisation matrix: a URL name, a method and what it needs.

    `kwargs` and `query` may hold `{targets}` (`{matter}`, `{own_visit}`) that the security tests fill with records
    they create per persona (each app's `tests/world.py` says what its own targets are).
    """

    name: str
    method: str
    need: Need
    kwargs: tuple[tuple[str, str], ...] = ()
    query: str = ""
    note: str = ""
    missing_ok: bool = False  # "not found" is this route's own answer for everyone (the catch-alls)
    path: str = ""  # a literal path for a catch-all pattern, instead of reversing the name

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (f" [{self.note}]" if self.note else "")

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""


def access(
    name: str, need: Need, methods: str = "GET", *, query: str = "", note: str = "", **kwargs: str
) -> list[RouteAccess]:
    """The matrix rows of one URL name, one per method (`"GET POST"`)."""
    return [RouteAccess(name, method, need, tuple(kwargs.items()), query, note) for method in methods.split()]


@dataclass(frozen=True)
class ApiRoute:
    """A REST API collection: its path under /api/v1/, its view set, the base of its URL names."""

    prefix: str
    viewset: Any
    basename: str


@dataclass(frozen=True)
class Plugin:
    """What one app adds to the house. Every field is optional: an app declares what it has."""

    grants: Grants = field(default_factory=dict)
    menu: Sequence[MenuItem] = ()
    # What waits for this user in this app, for their workbench (called per request: keep it to a few counts).
    work: Callable[[User], Iterable[WorkItem]] | None = None
    # Load this app's part of the demo; returns a line for `load_demo` to print ("" for none).
    demo: Callable[[DemoOptions], str] | None = None
    # A second pass, after every app's `demo`: for a part built over what the apps above it add (oversight
    # publishes the months' lists over the public's ratings, which the portal's demo adds).
    demo_late: Callable[[DemoOptions], str] | None = None
    # (path prefix, URL module) pairs included by the site's URL conf; the module sets its `app_name`.
    urls: Sequence[tuple[str, str]] = ()
    # This app's REST collections under /api/v1/ (a function, so that plugins import no views).
    api: Callable[[], Sequence[ApiRoute]] | None = None
    # The access each of this app's routes needs, for the authorisation matrix and docs/security.md.
    routes: Sequence[RouteAccess] = ()
    # The heading of this app's routes in docs/security.md.
    area: str = ""
    # Matter kinds this app owns (`matters.kinds.KindSpec`), collected by `matters.kinds`.
    kinds: Sequence[Any] = ()
    # What the app adds at other apps' extension points, by the point's name: e.g. {"fieldwork.visit":
    # [VisitExtension(...)]} for the visit form, collected by fieldwork with `extensions("fieldwork.visit")`.
    # The app that owns a point defines the type of its entries and names the point after itself.
    extensions: Mapping[str, Sequence[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Installed:
    label: str
    module: ModuleType
    plugin: Plugin


@cache
def installed() -> tuple[Installed, ...]:
    """The plugins of the installed apps, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.plugin")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.plugin":
                raise
            continue
        plugin = getattr(module, "PLUGIN", None)
        if not isinstance(plugin, Plugin):
            raise TypeError(f"{config.name}.plugin must define PLUGIN = core.plugins.Plugin(...)")
        found.append(Installed(config.label, module, plugin))
    return tuple(found)


def plugins() -> list[Plugin]:
    return [entry.plugin for entry in installed()]


@cache
def all_grants() -> Mapping[Capability, frozenset[Role]]:
    """Every app's capabilities with the roles holding them; a capability declared twice is a mistake."""
    merged: dict[str, tuple[Capability, frozenset[Role]]] = {}
    for entry in installed():
        for cap, roles in entry.plugin.grants.items():
            if cap.value in merged:
                raise ValueError(f"capability {cap.value} is declared twice ({entry.label})")
            merged[cap.value] = (cap, frozenset(roles))
    return dict(merged.values())


def all_menu_items() -> list[MenuItem]:
    return sorted((item for plugin in plugins() for item in plugin.menu), key=lambda item: item.order)


def all_routes() -> list[RouteAccess]:
    return [route for plugin in plugins() for route in plugin.routes]


def all_api_routes() -> list[ApiRoute]:
    return [route for plugin in plugins() if plugin.api is not None for route in plugin.api()]


def all_url_includes() -> list[tuple[str, str]]:
    return [include for plugin in plugins() for include in plugin.urls]


def extensions(point: str) -> list[Any]:
    """Every installed app's entries at the extension point `point`, in the order of INSTALLED_APPS."""
    return [entry for plugin in plugins() for entry in plugin.extensions.get(point, ())]


def work_for(user: User) -> list[WorkItem]:
    """Everything that waits for this user, app by app."""
    return [item for plugin in plugins() if plugin.work is not None for item in plugin.work(user)]
