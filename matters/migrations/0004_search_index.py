"""The full-text index of matters (see matters.search): an FTS5 table on SQLite, a GIN-indexed tsvector on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    from matters import search

    for sql in search.CREATE_SQL[schema_editor.connection.vendor]:
        schema_editor.execute(sql)
    search.reindex()


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    from matters import search

    for sql in search.DROP_SQL[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("matters", "0003_engagement_and_tracking")]

    operations = [migrations.RunPython(create, drop)]
