"""The reporter's e-mail, device id, account id and media link get private fields of their own.

Open311 requests used to keep them in the matter's remarks (one `label: value` line each), which leaders and
assessors read and the list exports write in their 备注 column. The data step moves such lines of Open311 matters
into the new fields and leaves the rest of the remark as it was; run again, it finds nothing left to move.
"""

import re

from django.db import migrations, models
from django.db.models import Q

# The labels open311.services wrote, and the field each line goes to.
LABELS = {
    "email": "reporter_email",
    "device_id": "reporter_device_id",
    "account_id": "reporter_account_id",
    "media_url": "reporter_media_url",
}
LINE = re.compile(r"^(email|device_id|account_id|media_url): (.*)$")
CHUNK = 500


def split_remarks(remarks):  # type: ignore[no-untyped-def]
    """(the remark without the reporter's lines, {field: value}); the first line of each label wins."""
    kept, found = [], {}
    for line in remarks.split("\n"):
        match = LINE.match(line)
        if match is None:
            kept.append(line)
        else:
            found.setdefault(LABELS[match.group(1)], match.group(2).strip())
    return "\n".join(kept).strip("\n"), found


def move_out_of_remarks(apps, schema_editor):  # type: ignore[no-untyped-def]
    Matter = apps.get_model("matters", "Matter")
    fields = ["remarks", *LABELS.values()]
    carrying = Q()
    for label in LABELS:
        carrying |= Q(remarks__startswith=f"{label}: ") | Q(remarks__contains=f"\n{label}: ")
    batch = []
    for matter in Matter.objects.filter(carrying, channel="open311").only("pk", *fields).iterator(chunk_size=CHUNK):
        matter.remarks, found = split_remarks(matter.remarks)
        for name, value in found.items():
            if not getattr(matter, name):
                setattr(matter, name, value)
        batch.append(matter)
        if len(batch) >= CHUNK:
            Matter.objects.bulk_update(batch, fields)
            batch = []
    Matter.objects.bulk_update(batch, fields)


def move_back_into_remarks(apps, schema_editor):  # type: ignore[no-untyped-def]
    Matter = apps.get_model("matters", "Matter")
    fields = ["remarks", *LABELS.values()]
    carrying = Q()
    for name in LABELS.values():
        carrying |= ~Q(**{name: ""})
    batch = []
    for matter in Matter.objects.filter(carrying).only("pk", *fields).iterator(chunk_size=CHUNK):
        lines = [f"{label}: {getattr(matter, name)}" for label, name in LABELS.items() if getattr(matter, name)]
        matter.remarks = "\n".join([matter.remarks, *lines] if matter.remarks else lines)
        batch.append(matter)
        if len(batch) >= CHUNK:
            Matter.objects.bulk_update(batch, ["remarks"])
            batch = []
    Matter.objects.bulk_update(batch, ["remarks"])


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0007_search_index_direct"),
    ]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="reporter_account_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="reporter's account id"),
        ),
        migrations.AddField(
            model_name="matter",
            name="reporter_device_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="reporter's device id"),
        ),
        migrations.AddField(
            model_name="matter",
            name="reporter_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="reporter's e-mail"),
        ),
        migrations.AddField(
            model_name="matter",
            name="reporter_media_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="reporter's media link"),
        ),
        migrations.RunPython(move_out_of_remarks, move_back_into_remarks),
    ]
