"""Domain exceptions raised by services; views and APIs turn them into clear answers."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action; the message is translated and safe to show."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor's roles do not allow this action."""


class LoginRefused(DomainError):
    """Wrong credentials or a locked account."""


class StateConflict(DomainError):
    """The record's state does not allow this now (a workflow step from the wrong status, a stale page): 409."""
