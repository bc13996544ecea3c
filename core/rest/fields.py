"""Serializer fields for numbers the database keeps: bounded, so that an id or a count no column can hold is a 400
with the field's message, not an overflow in the database driver (a 500)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_ID = 2**63 - 1  # a primary key (BigAutoField) and SQLite's INTEGER
MAX_COUNT = 2**31 - 1  # an IntegerField / PositiveIntegerField on PostgreSQL


def record_id(**kwargs: Any) -> serializers.IntegerField:
    """The id of a record: a whole number from 1."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def record_ids(**kwargs: Any) -> serializers.ListField:
    """A list of record ids."""
    return serializers.ListField(child=record_id(), **kwargs)


def count(*, min_value: int = 0, **kwargs: Any) -> serializers.IntegerField:
    """A number kept in an integer column."""
    return serializers.IntegerField(min_value=min_value, max_value=MAX_COUNT, **kwargs)
