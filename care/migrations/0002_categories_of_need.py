"""The categories of need the issue lists; a configurable list afterwards (admin or a later migration)."""

from django.db import migrations

CATEGORIES = [
    ("dibao", "低保"),
    ("tekun", "特困"),
    ("disability", "残疾"),
    ("elderly_alone", "独居/空巢老人"),
    ("left_behind_child", "留守儿童"),
    ("child_in_hardship", "困境儿童"),
    ("unemployed", "失业"),
    ("illness", "大病"),
    ("other", "其他"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Category = apps.get_model("care", "Category")
    for order, (code, label) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("care", "0001_households_pairings_wishes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
