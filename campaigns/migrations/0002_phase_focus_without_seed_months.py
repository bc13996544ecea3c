"""A phase's deadline is its date: strip the seed's month note ("（5月下旬）", "（6月底）") from phase texts."""

import re

from django.db import migrations

MONTH_NOTE = re.compile(r"\s*[（(]\s*\d{1,2}\s*月\s*(?:上旬|中旬|下旬|底|初|末|中)?\s*(?:前)?\s*[）)]\s*$")


def strip_month_notes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Phase = apps.get_model("campaigns", "Phase")
    for phase in Phase.objects.all():
        focus = MONTH_NOTE.sub("", phase.focus)
        if focus != phase.focus:
            phase.focus = focus
            phase.save(update_fields=["focus"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(strip_month_notes, migrations.RunPython.noop)]
