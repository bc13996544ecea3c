"""Shared write helpers and the login service (credentials, lockout, audit)."""

from __future__ import annotations

import datetime as dt
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
from core.clients import address_range, client_address, normal_address
from core.exceptions import LoginRefused
from core.models import AccountLock, LoginBlock
from core.privacy import client_digest

Actor = AbstractBaseUser | AnonymousUser | None
UNLIMITED = 2**31 - 1  # a login counter that only counts


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


def _window_count(*, scope: str, key: str, limit: int, now: dt.datetime) -> tuple[int, bool]:
    """Count one failure for `key` in its window (LOGIN_LOCKOUT long); block it at `limit`. Returns (the failures in
    the window, whether this one set the block). Runs in the caller's transaction."""
    window = settings.LOGIN_LOCKOUT
    row, _created = LoginBlock.objects.select_for_update().get_or_create(
        scope=scope, key=key, defaults={"window_start": now}
    )
    if row.window_start <= now - window and (row.blocked_until is None or row.blocked_until <= now):
        row.failures, row.window_start, row.blocked_until = 0, now, None
    row.failures += 1
    blocked = row.failures >= limit and (row.blocked_until is None or row.blocked_until <= now)
    if blocked:
        row.blocked_until = now + window
    row.save()
    return row.failures, blocked


def _blocked(scope: str, key: str, now: dt.datetime) -> bool:
    return LoginBlock.objects.filter(scope=scope, key=key, blocked_until__gt=now).exists()


def _lock_refusal() -> str:
    return _("Too many failed logins: this account is locked for %(minutes)d minutes.") % {
        "minutes": settings.LOGIN_LOCKOUT.total_seconds() // 60
    }


def login_check(*, request: HttpRequest | None, username: str, password: str) -> AbstractBaseUser:
    """Return the user for these credentials; count failures per address, per address range and per account and
    address, and refuse past their limits.

    In this order: an address (or its /24 or /64 range) past its limit of failures is refused before anything is
    checked; then an account locked for this address (LOGIN_FAILURE_LIMIT failures from it) is refused, while the
    same account from any other address is not, so that nobody can lock the owner out from elsewhere. A username
    that does not exist is answered exactly as a wrong password (the same messages and lock, the password hasher run
    all the same) but leaves no lock row, and only one audit event per address and window.
    """
    from django.contrib.auth import get_user_model

    username = username.strip()[:150]
    now = timezone.now()
    address = normal_address(client_address(request))
    client = client_digest(address)
    network = client_digest(f"net:{address_range(address)}")
    minutes = settings.LOGIN_LOCKOUT.total_seconds() // 60
    if _blocked(LoginBlock.Scope.ADDRESS, client, now) or _blocked(LoginBlock.Scope.RANGE, network, now):
        raise LoginRefused(
            _("Too many failed logins from your network. Try again in %(minutes)d minutes.") % {"minutes": minutes}
        )
    user_model = get_user_model()
    known = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists()
    pair = client_digest(f"user:{username}|{address}")
    if known:
        lock = AccountLock.objects.filter(username=username, client=client).first()
        locked = lock is not None and lock.locked_until is not None and lock.locked_until > now
    else:
        locked = _blocked(LoginBlock.Scope.UNKNOWN, pair, now)
    if locked:
        raise LoginRefused(
            _("This account is locked after repeated failed logins. Try again later or ask the security administrator.")
        )
    # Django's ModelBackend runs the password hasher for a username that does not exist too: the same time taken.
    user = authenticate(request, username=username, password=password)
    refusal = None
    with transaction.atomic():
        if user is None:
            refusal = _login_failed(username=username, known=known, client=client, network=network, pair=pair, now=now)
        else:
            AccountLock.objects.filter(username=username, client=client).exclude(failures=0, locked_until=None).update(
                failures=0, locked_until=None
            )
    # Raised outside the transaction so that the failure counts and their audit events are kept.
    if refusal is not None or user is None:
        raise LoginRefused(refusal or _("Wrong username or password."))
    return user


def _login_failed(*, username: str, known: bool, client: str, network: str, pair: str, now: dt.datetime) -> str:
    """Count a failed login everywhere it counts and audit it; return the message to answer with."""
    tag = {"client": client[:12]}  # which address, as a digest: enough to tell attempts from one place apart
    for scope, key, limit in (
        (LoginBlock.Scope.ADDRESS, client, settings.LOGIN_ADDRESS_LIMIT),
        (LoginBlock.Scope.RANGE, network, settings.LOGIN_RANGE_LIMIT),
    ):
        _failures, blocked = _window_count(scope=scope, key=key, limit=limit, now=now)
        if blocked:
            audit_record(actor=None, action="security.login_blocked", after={"scope": scope, **tag})
    if not known:
        # Counted like an account's failures, so that the answers are the same, but in a counter, not a lock row.
        _failures, locked = _window_count(
            scope=LoginBlock.Scope.UNKNOWN, key=pair, limit=settings.LOGIN_FAILURE_LIMIT, now=now
        )
        # Unknown usernames from one address are audited once per window, without the name (often a mistyped
        # password); the address counter above says how many followed.
        seen, _never = _window_count(
            scope=LoginBlock.Scope.UNKNOWN, key=client_digest(f"unknown:{client}"), limit=UNLIMITED, now=now
        )
        if seen == 1:
            audit_record(actor=None, action="security.login_unknown", after=tag)
        return _lock_refusal() if locked else _("Wrong username or password.")
    lock, _created = AccountLock.objects.select_for_update().get_or_create(username=username, client=client)
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
        after={"username": username, **tag},
    )
    return _lock_refusal() if locked else _("Wrong username or password.")


def account_unlock(*, actor: Actor, username: str) -> None:
    """Lift every lock of this account, whichever address it was locked for."""
    with transaction.atomic():
        locks = list(AccountLock.objects.select_for_update().filter(username=username))
        if not locks:
            return
        AccountLock.objects.filter(pk__in=[lock.pk for lock in locks]).update(failures=0, locked_until=None)
        audit_record(actor=actor, action="security.unlock", target=locks[0], after={"username": username})


def login_unblock(*, actor: Actor, block_id: int) -> None:
    """Lift the block of an address or address range (a whole office behind one address, locked out by a few)."""
    with transaction.atomic():
        block = LoginBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None:
            return
        block.failures, block.blocked_until = 0, None
        block.save(update_fields=["failures", "blocked_until"])
        audit_record(
            actor=actor, action="security.unblock", target=block, after={"scope": block.scope, "client": block.key[:12]}
        )


def login_prune(*, before: dt.datetime) -> int:
    """Delete login counters whose window started before `before` and that block nothing any more."""
    stale = LoginBlock.objects.filter(window_start__lt=before).exclude(blocked_until__gt=timezone.now())
    deleted, _detail = stale.delete()
    return deleted


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
