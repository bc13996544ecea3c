"""The search index takes each matter's entries straight in (see matters.search.CREATE_SQL)."""

from django.db import migrations


def direct(apps, schema_editor):  # type: ignore[no-untyped-def]
    # With the default pending list, some unlucky insert merges it into the index: a stall of a second
    # at a million matters. PostgreSQL only; SQLite's FTS5 table has no such list.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX matters_search_document SET (fastupdate = off)")


class Migration(migrations.Migration):
    dependencies = [("matters", "0006_front_page_indexes")]

    operations = [migrations.RunPython(direct, migrations.RunPython.noop)]
