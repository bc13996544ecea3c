"""Create one group per role; roles are the groups named by these codes."""

from django.db import migrations

ROLE_CODES = [
    "resident", "cadre", "handler", "leader", "coordinator",
    "assessor", "supervisor", "sysadmin", "secadmin", "auditor",
]


def create_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
