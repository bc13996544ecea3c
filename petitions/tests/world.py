"""The {targets} of the petition routes for the authorisation matrix: a case owned by the demo leader (杨立新) and
handled by the demo handler's unit (基建办), with a document."""

from __future__ import annotations

from core.uploads import clean_upload
from org.models import Person, Unit
from petitions import services
from petitions.models import DocumentKind, FocusArea

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build() -> dict[str, str]:
    case = services.case_create(
        actor=None,
        data={
            "summary": "反映工地欠薪（矩阵）",
            "focus": FocusArea.objects.get(code="wages").pk,
            "received_on": "2022-05-10",
            "first_petition_on": "2021-11-02",
            "petition_count": 3,
            "level": "district",
            "channel": "visit",
            "risk": "high",
            "owners": [Person.objects.get(name="杨立新").pk],
            "handling_units": [Unit.objects.get(name="基建办").pk],
            "visit_every_days": 30,
        },
        petitioners=[{"name": "矩阵某某（演示）", "phone": "139-0000-0099"}],
    )
    (document,) = services.documents_add(
        actor=None, case=case, kind=DocumentKind.OPINION, files=[clean_upload("opinion.pdf", PDF)]
    )
    from petitions.disputes import dispute_create

    dispute = dispute_create(
        actor=None,
        community=Unit.objects.get(name="长宇社区"),
        kind=FocusArea.objects.get(code="neighbours"),
        summary="邻里因漏水争执（矩阵）",
        place="长宇新城 2栋",
        responsible=Person.objects.get(name="基建办工作人员（演示）"),
        parties=[{"name": "矩阵甲（演示）"}],
    )
    return {"petition_case": str(case.pk), "petition_document": str(document.pk), "petition_dispute": str(dispute.pk)}
