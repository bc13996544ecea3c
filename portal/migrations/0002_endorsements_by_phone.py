"""Endorsements count people: a verified one needs a phone proved by an SMS code; without one it is anonymous support.

The endorsements made so far were one per browser cookie, which anyone could renew per request: they become
anonymous support, and `Matter.endorsement_count`, which now counts verified endorsements only, starts again at 0.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate


def cookies_become_anonymous_support(apps, schema_editor) -> None:
    endorsement = apps.get_model("portal", "Endorsement")
    matter = apps.get_model("matters", "Matter")
    endorsement.objects.update(kind="anonymous", day=TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
    matter.objects.filter(endorsement_count__gt=0).update(endorsement_count=0)


def back_to_cookies(apps, schema_editor) -> None:
    endorsement = apps.get_model("portal", "Endorsement")
    matter = apps.get_model("matters", "Matter")
    for row in endorsement.objects.values("matter_id").annotate(n=models.Count("pk")):
        matter.objects.filter(pk=row["matter_id"]).update(endorsement_count=row["n"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("matters", "0003_engagement_and_tracking")]

    operations = [
        migrations.RemoveConstraint(model_name="endorsement", name="endorsement_once_per_client"),
        migrations.AddField(
            model_name="endorsement",
            name="kind",
            field=models.CharField(
                choices=[("verified", "endorsement (phone verified)"), ("anonymous", "anonymous support")],
                default="anonymous",
                max_length=10,
                verbose_name="kind",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="endorsement",
            name="phone_digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="phone"),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="day",
            field=models.DateField(null=True, verbose_name="day"),
        ),
        migrations.AlterField(
            model_name="endorsement",
            name="client_digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="client"),
        ),
        migrations.RunPython(cookies_become_anonymous_support, back_to_cookies),
        migrations.AlterField(
            model_name="endorsement",
            name="day",
            field=models.DateField(verbose_name="day"),
        ),
        migrations.AddIndex(
            model_name="endorsement",
            index=models.Index(fields=["client_digest", "day"], name="endorsement_client_day"),
        ),
        migrations.AddConstraint(
            model_name="endorsement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "verified")),
                fields=("matter", "phone_digest"),
                name="endorsement_once_per_phone",
            ),
        ),
        migrations.AddConstraint(
            model_name="endorsement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "verified"), models.Q(("phone_digest", ""), _negated=True)),
                    models.Q(("kind", "anonymous"), ("phone_digest", "")),
                    _connector="OR",
                ),
                name="endorsement_phone_only_when_verified",
            ),
        ),
    ]
