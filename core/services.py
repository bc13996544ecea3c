"""Shared write helpers and the login service (credentials, lockout, audit)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from core.exceptions import LoginRefused
from core.models import AccountLock

Actor = AbstractBaseUser | AnonymousUser | None


def model_create(*, actor: Actor, model: type[models.Model], action: str, **fields: Any) -> Any:
    """Validate and insert one row, and audit it, in one transaction."""
    with transaction.atomic():
        instance = model(**fields)
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, after=snapshot(instance))
    return instance


def model_update(*, actor: Actor, instance: models.Model, action: str, data: dict[str, Any]) -> list[str]:
    """Apply the changed fields of `data`, validate, save and audit old and new values; return the changed names."""
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        before = snapshot(instance, changed)
        for name in changed:
            setattr(instance, name, data[name])
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, action=action, target=instance, before=before, after=snapshot(instance, changed))
    return changed


def model_delete(*, actor: Actor, instance: models.Model, action: str) -> None:
    with transaction.atomic():
        before = snapshot(instance)
        label = str(instance)
        audit_record(actor=actor, action=action, target=instance, before=before, label=label)
        instance.delete()


def login_check(*, request: HttpRequest | None, username: str, password: str) -> AbstractBaseUser:
    """Return the user for these credentials, counting failures and locking after the limit."""
    username = username.strip()[:150]
    now = timezone.now()
    lock = AccountLock.objects.filter(username=username).first()
    if lock is not None and lock.locked_until is not None and lock.locked_until > now:
        raise LoginRefused(
            _("This account is locked after repeated failed logins. Try again later or ask the security administrator.")
        )
    user = authenticate(request, username=username, password=password)
    refusal = None
    with transaction.atomic():
        lock, _created = AccountLock.objects.select_for_update().get_or_create(username=username)
        if user is None:
            lock.failures += 1
            lock.last_failure_at = now
            locked = lock.failures >= settings.LOGIN_FAILURE_LIMIT
            if locked:
                lock.locked_until = now + settings.LOGIN_LOCKOUT
                lock.failures = 0
            lock.save()
            audit_record(
                actor=None,
                action="security.login_locked" if locked else "security.login_failed",
                target=lock,
                after={"username": username},
            )
            refusal = (
                _("Too many failed logins: this account is locked for %(minutes)d minutes.")
                % {"minutes": settings.LOGIN_LOCKOUT.total_seconds() // 60}
                if locked
                else _("Wrong username or password.")
            )
        elif lock.failures or lock.locked_until:
            lock.failures, lock.locked_until = 0, None
            lock.save()
    # Raised outside the transaction so that the failure count and its audit event are kept.
    if refusal is not None or user is None:
        raise LoginRefused(refusal or _("Wrong username or password."))
    return user


def account_unlock(*, actor: Actor, username: str) -> None:
    with transaction.atomic():
        lock = AccountLock.objects.select_for_update().filter(username=username).first()
        if lock is None:
            return
        lock.failures, lock.locked_until = 0, None
        lock.save()
        audit_record(actor=actor, action="security.unlock", target=lock, after={"username": username})


def account_create(*, actor: Actor, username: str, password: str, person: Any | None = None) -> Any:
    """Create a login (without roles: granting roles is the security administrator's job)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=username)
        user.full_clean(exclude=["password"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
        user.save()
        if person is not None:
            person.user = user
            person.full_clean()
            person.save(update_fields=["user"])
        audit_record(
            actor=actor,
            action="accounts.create",
            target=user,
            after={"username": username, "person_id": getattr(person, "pk", None)},
        )
    return user


def account_set_active(*, actor: Actor, user: Any, active: bool) -> None:
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.activate" if active else "accounts.deactivate",
            target=user,
            before={"is_active": not active},
            after={"is_active": active},
        )


def account_set_roles(*, actor: Actor, user: Any, roles: list[str]) -> list[str]:
    """Replace a user's roles; an administrator role (system, security, audit) goes with no other role.

    The database refuses the combination too (a trigger on auth_user_groups, core migration 0003).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.exceptions import DomainError
    from core.roles import ADMIN_ROLES, Role

    wanted = sorted(set(roles))
    unknown = [r for r in wanted if r not in Role.values]
    if unknown:
        raise DomainError(_("Unknown role: %(role)s") % {"role": ", ".join(unknown)}, field="roles")
    admin_roles = ADMIN_ROLES & {Role(r) for r in wanted}
    if len(admin_roles) > 1:
        raise DomainError(
            _("The system, security and audit administrator roles must be held by different accounts."), field="roles"
        )
    if admin_roles and len(wanted) > 1:
        raise DomainError(
            _(
                "An administrator (system, security or audit) holds no work role: administrators are kept out of "
                "business data. Give the work role to another account."
            ),
            field="roles",
        )
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise DomainError(_("You cannot change your own roles."), field="roles")
    with transaction.atomic():
        # One change of an account's roles at a time (the trigger takes the same lock on PostgreSQL).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        before = sorted(user.groups.values_list("name", flat=True))
        if before == wanted:
            return wanted
        # The groups come from a migration; get_or_create keeps this right after a test flush too.
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in wanted])
        audit_record(
            actor=actor, action="accounts.roles", target=user, before={"roles": before}, after={"roles": wanted}
        )
    return wanted
