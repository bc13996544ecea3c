"""The visit's extension point: what a domain app adds to a visit of some kinds (a petition case's home visit,
a household's visit, a dispute found, an enterprise's demand or a policy explained, a policy talk's audience).

An app declares `VisitExtension`s in its plugin, at the point "fieldwork.visit":

    PLUGIN = Plugin(..., extensions={"fieldwork.visit": [VisitExtension(
        key="petitions.case", label=_("Petition case"), visit_kinds=frozenset({VisitKind.PETITIONER}),
        form=HomeVisitForm, save=home_visit_link, panel_template="petitions/_visit_panel.html")]})

The visit form shows each extension's fields (prefix = its key) for the kinds it applies to; the API takes them
as `extensions: {key: {field: value}}`; `visit_create` runs each extension's `save` inside its transaction, so a
refusal there (a ValidationError) stores no visit either. The extension keeps its own tables (a link from its
record to the visit): fieldwork knows nothing of the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.plugins import extensions

if TYPE_CHECKING:
    from django import forms

    from core.types import Actor
    from fieldwork.models import Visit

POINT = "fieldwork.visit"


@dataclass(frozen=True)
class VisitExtension:
    """Fields an app adds to visits of some kinds, what it does with them, and how a visit's page shows it."""

    key: str  # "<app>.<what>": unique; the prefix of its fields on the visit form
    label: str | Promise  # the legend of its fields on the visit form
    # The visit kinds (fieldwork.models.VisitKind values) it applies to; empty: every kind.
    visit_kinds: frozenset[str] = frozenset()
    # Its fields; the form is built as form(data, prefix=key, person=the visit's person).
    form: type[forms.Form] | None = None
    # Inside visit_create's transaction, after the visit is saved: link or create the app's own records.
    save: Callable[[Visit, dict[str, Any], Actor], None] | None = None
    # Shown on the visit's page (context: visit, extension); "" for none.
    panel_template: str = ""
    # Run `save` for every visit of its kinds, even when nothing of it was filled in (a check that applies to
    # every such visit, like the enterprise line's monthly cap); it then gets its form's empty values or {}.
    always: bool = False

    def applies_to(self, visit_kind: str) -> bool:
        return not self.visit_kinds or visit_kind in self.visit_kinds

    def bound_form(self, data: Mapping[str, Any] | None, *, person: Any, files: Any = None) -> forms.Form | None:
        if self.form is None:
            return None
        return self.form(data, files, prefix=self.key, person=person)  # type: ignore[call-arg]


def visit_extensions(visit_kind: str | None = None) -> list[VisitExtension]:
    """The installed apps' visit extensions, those for `visit_kind` only when it is given."""
    found = extensions(POINT)
    for entry in found:
        if not isinstance(entry, VisitExtension):
            raise TypeError(f"{entry!r} at {POINT} is not a fieldwork.extensions.VisitExtension")
    return [entry for entry in found if visit_kind is None or entry.applies_to(visit_kind)]


def extension_by_key(key: str) -> VisitExtension | None:
    return next((entry for entry in visit_extensions() if entry.key == key), None)


def extensions_clean(data: Mapping[str, Any], *, person: Any, visit_kind: str) -> dict[str, dict[str, Any]]:
    """Check what a caller sent for each extension (the API's `extensions`) through the extension's own form."""
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for key, values in data.items():
        extension = extension_by_key(str(key))
        if extension is None or not isinstance(values, Mapping):
            errors[f"extensions.{key}"] = [_("“%(key)s” is not something a visit can record.") % {"key": key}]
            continue
        if not extension.applies_to(visit_kind):
            errors[f"extensions.{key}"] = [
                _("“%(what)s” does not go with this kind of visit.") % {"what": extension.label}
            ]
            continue
        form = extension.bound_form({f"{key}-{name}": value for name, value in values.items()}, person=person)
        if form is None:
            cleaned[key] = {}
        elif form.is_valid():
            cleaned[key] = form.cleaned_data
        else:
            for name, messages in form.errors.items():
                errors[f"extensions.{key}.{name}" if name != "__all__" else f"extensions.{key}"] = [str(m) for m in messages]
    if errors:
        raise ValidationError(errors)
    return cleaned


def extensions_save(visit: Visit, data: Mapping[str, dict[str, Any]], actor: Actor) -> None:
    """Run each named extension's save for this visit (in the caller's transaction); refuse unknown or misapplied."""
    for key, values in data.items():
        extension = extension_by_key(key)
        if extension is None:
            raise ValidationError({"extensions": _("“%(key)s” is not something a visit can record.") % {"key": key}})
        if not extension.applies_to(visit.kind):
            raise ValidationError(
                {"extensions": _("“%(what)s” does not go with this kind of visit.") % {"what": extension.label}}
            )
        if extension.save is not None:
            extension.save(visit, values, actor)
    for extension in visit_extensions(visit.kind):
        if extension.always and extension.key not in data and extension.save is not None:
            extension.save(visit, {}, actor)
