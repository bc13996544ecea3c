"""Writes of enterprise profiles and their private contacts; each refreshes the profile's matches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, audit_view, snapshot
from core.types import Actor
from enterprises.models import EnterpriseContact, EnterpriseProfile, Tag
from enterprises.services.matching import matches_refresh
from org.models import ContactPoint, ContactPointKind, Unit, UnitKind

PRIVATE = ("name", "position", "phone")


def _check_unit(unit: Unit) -> None:
    if unit.kind != UnitKind.ENTERPRISE:
        raise ValidationError(
            {"unit": _("A profile belongs to an enterprise unit; “%(unit)s” is not one.") % {"unit": unit}}
        )


def _profile_snapshot(profile: EnterpriseProfile) -> dict[str, Any]:
    data = snapshot(profile, [f.name for f in profile._meta.concrete_fields if f.name != "updated_at"])
    data["tags"] = sorted(profile.tags.values_list("code", flat=True))
    return data


def profile_create(*, actor: Actor, tags: Iterable[Tag] = (), **fields: Any) -> EnterpriseProfile:
    """A new profile for an enterprise unit (one per unit); its matches are computed at once."""
    with transaction.atomic():
        profile = EnterpriseProfile(**fields)
        _check_unit(profile.unit)
        if profile.contact_leader is None:  # the leader whose contact point the enterprise is, if one is
            point = ContactPoint.objects.filter(unit=profile.unit, kind=ContactPointKind.ENTERPRISE).first()
            profile.contact_leader = point.leader if point is not None else None
        profile.full_clean()
        profile.save()
        profile.tags.set(list(tags))
        audit_record(actor=actor, action="enterprises.profile.create", target=profile, after=_profile_snapshot(profile))
        matches_refresh(enterprise=profile)
    return profile


def profile_update(
    *, actor: Actor, profile: EnterpriseProfile, data: dict[str, Any], tags: Iterable[Tag] | None = None
) -> list[str]:
    """Change a profile's fields (and tags, when given); audited old and new values; matches refreshed."""
    with transaction.atomic():
        before = _profile_snapshot(profile)
        for name, value in data.items():
            setattr(profile, name, value)
        _check_unit(profile.unit)
        profile.full_clean()
        profile.save()
        if tags is not None:
            profile.tags.set(list(tags))
        after = _profile_snapshot(profile)
        changed = sorted(name for name in after if before.get(name) != after[name])
        if changed:
            audit_record(
                actor=actor,
                action="enterprises.profile.update",
                target=profile,
                before={name: before.get(name) for name in changed},
                after={name: after[name] for name in changed},
            )
            matches_refresh(enterprise=profile)
    return changed


def contact_add(
    *, actor: Actor, profile: EnterpriseProfile, name: str, position: str = "", phone: str = ""
) -> EnterpriseContact:
    """A contact person; the audit log names the fields written, never their values (they are personal)."""
    with transaction.atomic():
        contact = EnterpriseContact(profile=profile, name=name, position=position, phone=phone)
        contact.full_clean()
        contact.save()
        filled = [field for field in PRIVATE if getattr(contact, field)]
        audit_record(actor=actor, action="enterprises.contact.create", target=contact, after={"fields": filled})
    return contact


def contacts_viewed(*, actor: Actor, profile: EnterpriseProfile) -> list[EnterpriseContact]:
    """The profile's contacts, for a page or the API of someone allowed to see them: the view is audited."""
    contacts = list(profile.contacts.all())
    if contacts:
        audit_view(actor=actor, action="enterprises.contact.view", target=profile, fields=list(PRIVATE))
    return contacts
