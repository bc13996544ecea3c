"""The demo accounts: one per role, each linked to a person of the seed's organisation (or a demo placeholder)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.services import account_create, account_set_roles
from core.roles import Role
from org.demo import person_by_ref

# username → (role, person ref): one demo account per role. Created only by the demo, never by migrations.
DEMO_ACCOUNTS: list[tuple[str, Role, str]] = [
    ("cadre", Role.CADRE, "demo:person:cadre"),
    ("handler", Role.HANDLER, "demo:person:handler"),
    ("leader", Role.LEADER, "seed:person:yanglixin"),
    ("coordinator", Role.COORDINATOR, "seed:person:liyongjin"),
    ("assessor", Role.ASSESSOR, "seed:person:ji"),
    ("supervisor", Role.SUPERVISOR, "seed:person:zhanhanwen"),
    ("sysadmin", Role.SYSADMIN, "demo:person:sysadmin"),
    ("secadmin", Role.SECADMIN, "demo:person:secadmin"),
    ("auditor", Role.AUDITOR, "demo:person:auditor"),
]


def load_accounts() -> int:
    """Create the demo accounts that do not exist yet (password: settings.DEMO_PASSWORD); return how many."""
    user_model = get_user_model()
    created = 0
    for username, role, person_ref in DEMO_ACCOUNTS:
        if user_model.objects.filter(username=username).exists():
            continue
        user = account_create(
            actor=None, username=username, password=settings.DEMO_PASSWORD, person=person_by_ref(person_ref)
        )
        account_set_roles(actor=None, user=user, roles=[role.value])
        created += 1
    return created
