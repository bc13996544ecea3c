from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import CleanTextModel


class ApiKey(CleanTextModel):
    """A key that lets one client system submit service requests; only its SHA-256 digest is kept."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("The first characters of the key, to recognise it.")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(active=True) | Q(revoked_at__isnull=False), name="apikey_revoked_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# A service request created through Open311 keeps its token in the matter's idempotency key, under this prefix.
TOKEN_KEY_PREFIX = "open311:"  # noqa: S105  # a namespace, not a secret


def token_key(token: str) -> str:
    return f"{TOKEN_KEY_PREFIX}{token}"


def api_key_digest(secret: str) -> str:
    """The stored form of a key: a SHA-256 digest (keys are long random strings, so no salt or stretching)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
