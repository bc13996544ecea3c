"""Kinds of matters as plug-ins: each kind is a `KindSpec` that its app registers in its plugin.

The loop, the lists, the rates and the oversight work the same for every kind. A kind adds what is its own:
a one-to-one detail model with its data (a petition case, an enterprise demand), a form for that data (used by
the back office's create page and by the API's `kind_data`), a panel on the matter's page, columns in the
lists and exports filtered to it, changes to who may act at which step, and hooks that run inside
`matter_create` and `matter_transition`, in their transaction, so that a refusal there changes nothing.

The livelihood kind (民生) is the default and has no data of its own. Other apps register theirs:

    # petitions/plugin.py
    PLUGIN = Plugin(..., kinds=[KindSpec(code="petition", label=_("Petition backlog"), app="petitions",
                                         detail_model="petitions.PetitionCase", detail_form=CaseForm, ...)])

A kind's code is stored in `Matter.kind` and checked against this registry (`validate_kind`), not against
database choices, so adding a kind needs no migration of `matters`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.plugins import plugins
from matters.workflow import Action, Capacity

if TYPE_CHECKING:
    from django import forms

    from core.types import Actor
    from matters.models import Matter

LIVELIHOOD = "livelihood"


@dataclass(frozen=True)
class KindColumn:
    """An extra column of a kind in the back-office list and in exports filtered to the kind."""

    label: str | Promise
    value: Callable[[Any], Any]  # the detail record (or None) → the cell


@dataclass(frozen=True)
class KindSpec:
    """One kind of matter: its code and label, the app owning it, and what it adds to the loop."""

    code: str
    label: str | Promise
    app: str
    # "app_label.Model": a model with a one-to-one field `matter` (related name `kind_detail_<code>` is not
    # required: the spec reads it through `detail_of`).
    detail_model: str | None = None
    # A ModelForm of the detail model (without `matter`): the extra create fields, for every channel.
    detail_form: type[forms.ModelForm[Any]] | None = None
    # Must a matter of this kind come with its detail data?
    detail_required: bool = False
    # The template of the kind's panel on the back-office matter page; gets `matter` and `detail`.
    panel_template: str = ""
    columns: Sequence[KindColumn] = ()
    # Who may take an action on matters of this kind, where it differs from matters.workflow.TRANSITIONS.
    capacities: Mapping[Action, frozenset[Capacity]] = field(default_factory=dict)
    # Matters of this kind never appear on the public side (the portal, Open311, the public lists).
    never_public: bool = False
    # Hooks, inside the service's transaction. `before_transition` may refuse (raise ValidationError or a
    # DomainError) and returns extra details recorded with the step; `after_transition` follows the write.
    before_transition: Callable[[Matter, Action, Actor, dict[str, Any]], dict[str, Any] | None] | None = None
    after_transition: Callable[[Matter, Action, Actor, dict[str, Any]], None] | None = None
    after_create: Callable[[Matter, Any, Actor], None] | None = None
    # The detail as the API shows it to this user (default: the detail form's fields). A kind whose data is
    # personal decides here what each user may see.
    api_data: Callable[[Matter, Any, Actor], dict[str, Any]] | None = None

    # --- reading the detail -----------------------------------------------------------------------------

    def detail_model_class(self) -> type[models.Model] | None:
        return apps.get_model(self.detail_model) if self.detail_model else None

    def detail_of(self, matter: Matter) -> Any:
        """The matter's detail record of this kind, or None."""
        model = self.detail_model_class()
        if model is None or matter.pk is None:
            return None
        cache = matter.__dict__.setdefault("_kind_detail", {})
        if self.code not in cache:
            cache[self.code] = model._default_manager.filter(matter=matter).first()
        return cache[self.code]

    def details_for(self, matters: Sequence[Matter]) -> dict[int, Any]:
        """The detail records of these matters, by matter id, in one query (and cached on each matter)."""
        model = self.detail_model_class()
        if model is None:
            return {}
        rows = model._default_manager.filter(matter__in=[m.pk for m in matters])
        found: dict[int, Any] = {d.matter_id: d for d in rows}  # type: ignore[attr-defined]
        for matter in matters:
            matter.__dict__.setdefault("_kind_detail", {})[self.code] = found.get(matter.pk)
        return found

    def cells(self, matter: Matter) -> list[Any]:
        """The values of this kind's extra columns for one matter (see `details_for` to load a page at once)."""
        detail = self.detail_of(matter)
        return [column.value(detail) for column in self.columns]

    def detail_dict(self, matter: Matter, user: Actor) -> dict[str, Any] | None:
        detail = self.detail_of(matter)
        if detail is None:
            return None
        if self.api_data is not None:
            return self.api_data(matter, detail, user)
        names = list(self.detail_form._meta.fields or []) if self.detail_form is not None else []
        return {name: _plain(getattr(detail, name)) for name in names}

    # --- writing the detail -----------------------------------------------------------------------------

    def clean_detail(self, data: Mapping[str, Any] | None) -> forms.ModelForm[Any] | None:
        """Check the detail data through the kind's form; a ValidationError names the fields (as `kind_data.x`)."""
        if self.detail_form is None:
            if data:
                raise ValidationError({"kind_data": _("Matters of this kind take no extra data.")})
            return None
        if not data:
            if self.detail_required:
                raise ValidationError({"kind_data": _("Give the data this kind of matter needs.")})
            return None
        form = self.detail_form(data=dict(data))
        if not form.is_valid():
            raise ValidationError(
                {f"kind_data.{name}": errors for name, errors in form.errors.items()}  # type: ignore[misc]
            )
        return form

    def create_detail(self, matter: Matter, form: forms.ModelForm[Any] | None, actor: Actor) -> Any:
        detail = None
        if form is not None:
            detail = form.save(commit=False)
            detail.matter = matter
            detail.full_clean()
            detail.save()
            form.save_m2m()
            matter.__dict__.setdefault("_kind_detail", {})[self.code] = detail
        if self.after_create is not None:
            self.after_create(matter, detail, actor)
        return detail

    def capacities_for(self, action: Action, default: frozenset[Capacity]) -> frozenset[Capacity]:
        return self.capacities.get(action, default)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


LIVELIHOOD_SPEC = KindSpec(code=LIVELIHOOD, label=_("Livelihood"), app="matters")


@cache
def kind_specs() -> dict[str, KindSpec]:
    """Every registered kind by its code: the livelihood kind first, then each app's, in INSTALLED_APPS order."""
    specs = {LIVELIHOOD: LIVELIHOOD_SPEC}
    for plugin in plugins():
        for spec in plugin.kinds:
            if not isinstance(spec, KindSpec):
                raise TypeError(f"{spec!r} is not a matters.kinds.KindSpec")
            if spec.code in specs and specs[spec.code] is not spec:
                raise ValueError(f"matter kind {spec.code!r} is registered twice")
            if len(spec.code) > 12:
                raise ValueError(f"matter kind {spec.code!r}: a code has at most 12 characters")
            specs[spec.code] = spec
    return specs


def kind_spec(code: str) -> KindSpec:
    """The spec of a kind; an unknown code (a kind whose app was removed) reads as livelihood."""
    return kind_specs().get(code, LIVELIHOOD_SPEC)


def kind_choices() -> list[tuple[str, str | Promise]]:
    return [(spec.code, spec.label) for spec in kind_specs().values()]


def never_public_kinds() -> list[str]:
    return [code for code, spec in kind_specs().items() if spec.never_public]


def validate_kind(value: str) -> None:
    if value not in kind_specs():
        raise ValidationError(_("“%(kind)s” is not a kind of matter."), params={"kind": value}, code="invalid_kind")
