"""The scores' way out: computed by a background job, exported in the 考核结果通报 layout, in the person's duty
statement and in the monthly pack once confirmed; the demo's quarter scored and confirmed, idempotently."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument

from core.jobs.models import Job, JobStatus
from core.jobs.queue import job_execute
from core.plugins import DemoOptions
from fieldwork.statements import statement_sections
from oversight import demo_assessment
from oversight.models.assessment import Assessment, AssessmentVersion, Scheme
from oversight.pack_data import pack_data
from oversight.services import assessment as services
from oversight.tasks_assessment import assessment_compute_run
from oversight.tests.assessment_world import AFTER_Q1, Q1, at, computed, person_scheme, quarter, unit_scheme


def test_computing_runs_a_job_that_scores_every_subject(client_as: Any) -> None:
    q = quarter()
    with at(AFTER_Q1):
        assessment = services.assessment_open(actor=None, scheme=unit_scheme(), period=Q1)
        client = client_as("assessor")
        assert client.post(f"/oversight/assessment/{assessment.pk}/compute/").status_code == 302
        assessment.refresh_from_db()
        assert assessment.status == "computing" and assessment.job is not None
        job_execute(str(assessment.job.pk), assessment_compute_run)
        page = client.get(f"/oversight/assessment/{assessment.pk}/").content.decode()
    job = Job.objects.get(pk=assessment.job.pk)
    assert job.status == JobStatus.DONE, job.error
    assessment.refresh_from_db()
    assert assessment.status == "computed" and assessment.appeal_until == dt.date(2031, 4, 8)
    assert any(r["id"] == q.unit.pk for r in assessment.result["rows"]) and 'id="ranking"' in page


def test_the_ranking_exports_as_xlsx_and_docx_in_the_circular_layout(client_as: Any) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        client = client_as("assessor")
        xlsx = client.get(f"/oversight/assessment/{assessment.pk}/ranking.xlsx")
        docx = client.get(f"/oversight/assessment/{assessment.pk}/ranking.docx")
        refused = client_as("handler").get(f"/oversight/assessment/{assessment.pk}/ranking.xlsx")
    assert refused.status_code == 403
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    header = rows[2]
    with translation.override("zh-hans"):  # the 考核结果通报 columns: 序号, 单位, each item, 总分, 排名, 等次
        expected = [_("No."), _("Unit"), *[i["label"] for i in assessment.result["items"]]]
        expected += [_("Total"), _("Ranking"), _("Grade")]
    assert header == expected and header[:2] == ["序号", "单位"] and header[-3] == "总分"
    assert len(rows) == 3 + len(assessment.result["rows"]) and rows[3][0] == "1"
    word = WordDocument(io.BytesIO(b"".join(docx.streaming_content)))
    cells = [c.text for c in word.tables[0].rows[0].cells]
    assert cells == expected


def test_confirmed_scores_appear_in_the_persons_duty_statement(demo: None) -> None:
    q = quarter()
    with at(AFTER_Q1):
        assessment = computed(person_scheme())
        before = statement_sections(q.cadre, Q1, dt.date(2031, 3, 31))
        services.assessment_confirm(actor=None, assessment=assessment)
        after = statement_sections(q.cadre, Q1, dt.date(2031, 3, 31))
    assert len(after) == len(before) + 1
    assert "个人季度考核（测试）" in after[-1].lines[0] and "30" in after[-1].lines[0]


def test_the_monthly_pack_carries_the_last_confirmed_assessments_top_and_bottom(demo: None) -> None:
    quarter()
    with at(AFTER_Q1):
        assessment = computed(unit_scheme())
        services.assessment_confirm(actor=None, assessment=assessment)
        data = pack_data(dt.date(2031, 3, 1), None)
    part = data["assessment"][0]
    assert part["scheme"] == "单位季度考核（测试）" and part["count"] == len(assessment.result["rows"])
    assert part["top"][0]["rank"] == 1 and part["bottom"][-1]["rank"] == assessment.result["rows"][-1]["rank"]


def test_the_demo_scores_and_confirms_its_quarter_and_loads_twice_without_a_copy(demo: None) -> None:
    with at("2031-07-10"):
        first = demo_assessment.load(DemoOptions())
        second = demo_assessment.load(DemoOptions())
        quick = demo_assessment.load(DemoOptions(full=False))
    assert "scored and confirmed" in first and second == quick == ""
    quarters = [dt.date(2022, 4, 1), dt.date(2022, 7, 1), dt.date(2022, 10, 1)]  # the seed's campaign, May–December
    assert Scheme.objects.count() == 2 and Assessment.objects.count() == AssessmentVersion.objects.count() == 6
    units = Assessment.objects.filter(scheme__name=demo_assessment.UNIT_SCHEME).order_by("period_start")
    assert [a.period_start for a in units] == quarters  # the last ended quarter before today is the last of them
    assert all(a.status == "confirmed" and a.manual_scores.get().reason == demo_assessment.MANUAL_REASON for a in units)


def test_the_demo_scores_the_quarter_running_today_as_it_stands_without_confirming_it(demo: None) -> None:
    with at("2022-08-10"):  # inside the seed's campaign: the second quarter has ended, the third runs
        line = demo_assessment.load(DemoOptions())
        again = demo_assessment.load(DemoOptions())
    assert "scored and confirmed" in line and "provisional" in line and again == ""
    units = Assessment.objects.filter(scheme__name=demo_assessment.UNIT_SCHEME).order_by("period_start")
    assert [(a.period_start, a.status) for a in units] == [
        (dt.date(2022, 4, 1), "confirmed"),
        (dt.date(2022, 7, 1), "computed"),
    ]
    running = units.last()
    assert running is not None and not running.versions.exists() and running.result["rows"]
