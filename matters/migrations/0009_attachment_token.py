"""Each attachment gets a random token, which its public address names instead of its sequential id."""

import secrets

from django.db import migrations, models

import matters.models

CHUNK = 1000


def fill_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    Attachment = apps.get_model("matters", "Attachment")
    batch = []
    for attachment in Attachment.objects.filter(token__isnull=True).only("pk").iterator(chunk_size=CHUNK):
        attachment.token = secrets.token_urlsafe(16)
        batch.append(attachment)
        if len(batch) >= CHUNK:
            Attachment.objects.bulk_update(batch, ["token"])
            batch = []
    Attachment.objects.bulk_update(batch, ["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0008_reporter_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="token",
            field=models.CharField(max_length=32, null=True, editable=False, verbose_name="token"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attachment",
            name="token",
            field=models.CharField(
                default=matters.models.evidence_token, editable=False, max_length=32, unique=True, verbose_name="token"
            ),
        ),
    ]
