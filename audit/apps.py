from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The Cybersecurity Law (art. 21) and 等保 2.0 ask for logs kept at least six months.
MIN_RETENTION_DAYS = 180


def check_retention(days: object) -> None:
    """Refuse to start with an audit retention shorter than the legal minimum."""
    if not isinstance(days, int) or isinstance(days, bool) or days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days!r}: audit events must be kept at least {MIN_RETENTION_DAYS} days."
        )


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        check_retention(getattr(settings, "AUDIT_RETENTION_DAYS", None))
