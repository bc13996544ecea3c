"""Oversight's background work, one module per area (core.apps collects every app's tasks module)."""

from oversight import tasks_pack  # noqa: F401
