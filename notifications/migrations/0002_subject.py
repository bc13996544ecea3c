
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def matter_to_subject(apps, schema_editor):
    """A message about a matter keeps pointing at it, now as its subject, named by its code."""
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    matter_type, _created = ContentType.objects.get_or_create(app_label="matters", model="matter")
    for note in Notification.objects.filter(matter__isnull=False).select_related("matter").iterator():
        note.subject_type_id, note.subject_id, note.subject_label = matter_type.pk, note.matter_id, note.matter.code
        note.save(update_fields=["subject_type", "subject_id", "subject_label"])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='subject id'),
        ),
        migrations.AddField(
            model_name='notification',
            name='subject_label',
            field=models.CharField(blank=True, max_length=100, verbose_name='subject'),
        ),
        migrations.AddField(
            model_name='notification',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='subject type'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['subject_type', 'subject_id'], name='notification_subject'),
        ),
        migrations.RunPython(matter_to_subject, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='notification',
            name='matter',
        ),
    ]
