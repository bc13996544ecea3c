"""The assessment area's {targets}: a unit scheme, its assessment of the first quarter of 2022 computed from the
demo's records (the matrix runs in June 2022), the handler's unit as the assessed unit, and an appeal waiting."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from oversight.models.assessment import Appeal, SubjectKind
from oversight.selectors.assessment import collect
from oversight.services import assessment as services


def build() -> dict[str, str]:
    scheme = services.scheme_create(
        actor=None, name="矩阵单位考核方案", subject=SubjectKind.UNIT, period_kind="quarter",
        items=[{"indicator": "matters.resolution", "weight": 60},
               {"indicator": "", "label": "工作作风", "weight": 40, "min_score": 0}],
    )  # fmt: skip
    assessment = services.assessment_open(actor=None, scheme=scheme, period=dt.date(2022, 1, 1))
    assessment = services.assessment_computed(actor=None, assessment=assessment, figures=collect(assessment))
    unit = get_user_model().objects.get(username="handler").person.unit_id
    item = scheme.items.get(kind="manual")
    appeal = Appeal.objects.create(
        assessment=assessment, item=item, subject_id=unit, record_model="matters.matter", record_pk=1,
        record_title="matrix", reason="矩阵测试", filed_at=timezone.now(),
    )  # fmt: skip
    return {
        "scheme": str(scheme.pk),
        "assessment": str(assessment.pk),
        "assessed_unit": str(unit),
        "appeal": str(appeal.pk),
    }
