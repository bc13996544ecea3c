"""The categories of need the issue lists; a configurable list afterwards."""

from django.db import migrations

from care.categories import categories_ensure


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    categories_ensure(apps.get_model("care", "Category"))


class Migration(migrations.Migration):
    dependencies = [("care", "0001_households_pairings_wishes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
