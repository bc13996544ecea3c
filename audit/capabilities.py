"""The audit log's capability: only the audit administrator reads it."""

from __future__ import annotations

from core.roles import Capability, Grants, Role


class AuditCap(Capability):
    VIEW = "audit.view"


GRANTS: Grants = {AuditCap.VIEW: frozenset({Role.AUDITOR})}
