"""Reference categories of matters (the Open311 service codes); editable afterwards."""

from django.db import migrations

CATEGORIES = [
    ("roads", "道路交通", "道路破损、拓宽、出行隐患"),
    ("facilities", "公共设施", "路灯、充电桩、健身与活动场所"),
    ("environment", "环境卫生", "垃圾清运、绿化、人居环境"),
    ("community", "社区服务", "党群服务中心、居民活动场所"),
    ("safety", "治安安全", "监控、消防、防火通道"),
    ("enterprise", "企业服务", "企业诉求、营商环境"),
    ("other", "其他", ""),
]


def create(apps, schema_editor):
    category = apps.get_model("matters", "Category")
    for order, (code, name, description) in enumerate(CATEGORIES):
        category.objects.get_or_create(code=code, defaults={"name": name, "description": description, "order": order})


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
