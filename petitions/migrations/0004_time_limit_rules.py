"""The time limits of the 信访工作条例 (2022): the office may change the days, not the steps."""

from django.db import migrations

RULES = [
    ("accept", 15, 0, True, "《信访工作条例》第三十条：15日内决定是否受理并书面告知"),
    ("handle", 60, 30, True, "第三十二条：60日内办结；情况复杂的可延长不超过30日并告知理由"),
    ("review_ask", 30, 0, False, "第三十五条：收到处理意见之日起30日内可请求复查"),
    ("review", 30, 0, True, "第三十五条：收到复查请求之日起30日内提出复查意见"),
    ("reexam_ask", 30, 0, False, "第三十六条：收到复查意见之日起30日内可请求复核"),
    ("reexam", 30, 0, True, "第三十六条：收到复核请求之日起30日内提出复核意见"),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rule = apps.get_model("petitions", "TimeLimitRule")
    for code, days, extension, chased, basis in RULES:
        Rule.objects.get_or_create(
            code=code, defaults={"days": days, "max_extension_days": extension, "chased": chased, "basis": basis}
        )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("petitions", "TimeLimitRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0003_time_limits")]
    operations = [migrations.RunPython(add, remove)]
