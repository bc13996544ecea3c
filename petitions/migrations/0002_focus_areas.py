"""The seed's focus areas (and the dispute types that screening adds): a list the coordinators may change."""

from django.db import migrations

FOCUS = [
    ("wages", "农民工欠薪", False),
    ("property", "小区物业", False),
    ("owners", "业主冲突", False),
    ("medical", "医疗", False),
    ("allowance", "低保发放", False),
    ("land", "征地拆迁", False),
    ("other", "其他", False),
    ("neighbours", "邻里纠纷", True),
    ("family", "家庭纠纷", True),
    ("labour", "劳资纠纷", True),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    FocusArea = apps.get_model("petitions", "FocusArea")
    for order, (code, name, disputes_only) in enumerate(FOCUS, start=1):
        FocusArea.objects.get_or_create(code=code, defaults={"name": name, "order": order, "disputes_only": disputes_only})


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("petitions", "FocusArea").objects.filter(code__in=[code for code, _n, _d in FOCUS]).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_cases_and_dispositions")]
    operations = [migrations.RunPython(add, remove)]
