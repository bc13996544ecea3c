"""The extension point `"audit.content"`: checks that records kept beside the chain still match what it recorded.

The chain proves that no audit event was changed; an app above may keep content whose digest an event recorded (a
published version's snapshot and its sha256, say). Such an app declares a check in its plugin::

    extensions={"audit.content": ["oversight.selectors.publication:publications_audit_problems"]}

The entry is a dotted path "module:function", imported when the audit is verified; the function takes no argument
and returns a list of `ContentProblem` (empty when all is well). `audit_verify` runs every check once the chain
itself holds, so `manage.py verify_audit`, the audit page and the nightly check all report them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string

from core.plugins import extensions

POINT = "audit.content"


@dataclass(frozen=True)
class ContentProblem:
    """A record that no longer matches the audit chain: the event that recorded it (None: none did) and why."""

    seq: int | None
    reason: str


def content_problems() -> list[ContentProblem]:
    """Every declared content check's problems, in the order the apps are installed."""
    problems: list[ContentProblem] = []
    for entry in extensions(POINT):
        check = import_string(str(entry).replace(":", "."))
        problems.extend(check())
    return problems
