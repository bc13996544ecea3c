"""Every CHECK constraint is plain SQL on SQLite: none calls a function that only Django's connection registers.

Django compiles a date lookup (`month__day=1`) in a CHECK to `django_date_extract(...)` on SQLite, a function each
Django connection adds; a plain sqlite3 connection — the integrity check after a crash, a backup's verification —
then fails on every write to the table ("unknown function"). What such a check says goes in the model's clean().
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.models import CheckConstraint


def test_no_check_constraint_calls_a_function_only_djangos_sqlite_connection_has(django_db_blocker: Any) -> None:
    """Compiled for SQLite on a throwaway in-memory connection, whichever database the suite runs on."""
    sqlite = DatabaseWrapper(
        {"NAME": ":memory:", "ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}, "TIME_ZONE": None}
    )
    calling = []
    with django_db_blocker.unblock():
        editor = sqlite.schema_editor(collect_sql=True)
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, CheckConstraint):
                    sql = str(constraint.constraint_sql(model, editor))
                    if "django_" in sql:
                        calling.append(f"{model._meta.label}.{constraint.name}: {sql}")
        sqlite.close()
    assert calling == []
