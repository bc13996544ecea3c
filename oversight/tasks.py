"""Oversight's background jobs, one module per area (collected by core's autodiscovery of `tasks`)."""

from oversight import tasks_assessment, tasks_clues, tasks_pack, tasks_reviews, tasks_signals  # noqa: F401
