"""The assessment team's pages over HTTP: a scheme, an assessment opened once per period, manual scores; bad input
is a translated message and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from audit.models import AuditEvent
from oversight.models.assessment import Assessment, ManualScore, Scheme, SchemeItem
from oversight.selectors.assessment import collect
from oversight.services import assessment as services
from oversight.tests.assessment_world import AFTER_Q1, Q1, at, computed, quarter, unit_scheme


def _form(**overrides: Any) -> dict[str, Any]:
    """The scheme form with resolution 60 and one manual item of 40 (indicator rows by the form's own order)."""
    from oversight.forms_assessment import SchemeForm

    form = SchemeForm()
    data: dict[str, Any] = {"name": "新方案（测试）", "subject": "unit", "period_kind": "quarter",
                            "excellent_from": "90", "good_from": "80", "fair_from": "60", "appeal_days": "5",
                            "ml0": "工作作风", "mw0": "40", "mm0": "0"}  # fmt: skip
    for index, indicator in enumerate(form.indicators):
        if indicator.key == "matters.resolution":
            data[f"w{index}"] = "60"
    data.update(overrides)
    return data


def test_the_assessment_team_creates_a_scheme_whose_weights_sum_to_100(client_as: Any) -> None:
    client = client_as("assessor")
    assert client.get("/oversight/assessment/schemes/new/").status_code == 200
    response = client.post("/oversight/assessment/schemes/new/", _form())
    assert response.status_code == 302
    scheme = Scheme.objects.get(name="新方案（测试）")
    assert [(i.kind, i.indicator, i.weight) for i in scheme.items.order_by("order")] == [
        ("rate", "matters.resolution", 60), ("manual", "", 40)
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="oversight.assessment.scheme_create").exists()
    assert "新方案（测试）" in client.get("/oversight/assessment/").content.decode()


def test_a_scheme_whose_weights_do_not_sum_to_100_is_refused_and_nothing_is_written(client_as: Any) -> None:
    client = client_as("assessor")
    with translation.override("en"):
        response = client.post("/oversight/assessment/schemes/new/", _form(mw0="30"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "must sum to 100; they sum to 90" in page
    assert not Scheme.objects.filter(name="新方案（测试）").exists() and not SchemeItem.objects.exists()


def test_the_refusal_reads_in_chinese_by_default(client_as: Any) -> None:
    response = client_as("assessor").post("/oversight/assessment/schemes/new/", _form(mw0="50"))
    assert "100" in response.content.decode() and not Scheme.objects.filter(name="新方案（测试）").exists()


def test_a_manual_item_whose_range_exceeds_its_weight_is_refused(client_as: Any) -> None:
    response = client_as("assessor").post("/oversight/assessment/schemes/new/", _form(mm0="50"))
    assert response.status_code == 200 and not Scheme.objects.exists()


def test_a_scheme_has_one_assessment_per_period(client_as: Any) -> None:
    with at(AFTER_Q1):
        client = client_as("assessor")
        scheme = unit_scheme()
        first = client.post("/oversight/assessment/open/", {"scheme": scheme.pk, "period": "2031-02"})
        assert first.status_code == 302
        again = client.post("/oversight/assessment/open/", {"scheme": scheme.pk, "period": "2031-03"})
        assert again.status_code == 200 and "2031" in again.content.decode()
        future = client.post("/oversight/assessment/open/", {"scheme": scheme.pk, "period": "2031-07"})
        assert future.status_code == 200  # the third quarter has not begun
        bad = client.post("/oversight/assessment/open/", {"scheme": scheme.pk, "period": "31-xx"})
        assert bad.status_code == 200
    assert list(Assessment.objects.values_list("period_start", flat=True)) == [Q1]


def test_a_running_quarter_is_scored_as_it_stands_and_confirmed_only_once_it_has_ended(client_as: Any) -> None:
    with at(AFTER_Q1):
        client = client_as("assessor")
        scheme = unit_scheme()
        opened = client.post("/oversight/assessment/open/", {"scheme": scheme.pk, "period": "2031-04"})
        assert opened.status_code == 302  # the second quarter runs: provisional scores (暂评)
        running = Assessment.objects.get(period_start=dt.date(2031, 4, 1))
        services.assessment_computed(actor=None, assessment=running, figures=collect(running))
        page = client.get(f"/oversight/assessment/{running.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        assert "Period running: provisional scores" in page.content.decode()
        refused = client.post(f"/oversight/assessment/{running.pk}/confirm/")
        assert refused.status_code in (200, 302, 409)
        assert not running.versions.exists()


def test_a_manual_score_outside_its_range_is_refused_and_nothing_is_written(client_as: Any) -> None:
    q = quarter()
    with at(AFTER_Q1):
        client = client_as("assessor")
        assessment = computed(unit_scheme())
        item = assessment.scheme.items.get(kind="manual")  # range 10–30
        url = f"/oversight/assessment/{assessment.pk}/manual/"
        assert client.get(url).status_code == 200
        with translation.override("en"):
            high = client.post(url, {"item": item.pk, "subject": q.unit.pk, "score": "31", "reason": "好"},
                               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
        assert "must be from 10 to 30" in high.content.decode()
        low = client.post(url, {"item": item.pk, "subject": q.unit.pk, "score": "9", "reason": "好"})
        empty = client.post(url, {"item": item.pk, "subject": q.unit.pk, "score": "20", "reason": ""})
        assert high.status_code == low.status_code == empty.status_code == 200
        assert not ManualScore.objects.exists()
        ok = client.post(url, {"item": item.pk, "subject": q.unit.pk, "score": "20", "reason": "作风扎实"})
        assert ok.status_code == 302
    score = ManualScore.objects.get()
    assert (score.score, score.reason, getattr(score.scorer, "username", "")) == (20, "作风扎实", "assessor")
    assessment.refresh_from_db()
    mine = next(r for r in assessment.result["rows"] if r["id"] == q.unit.pk)
    assert 20.0 in [c["points"] for c in mine["cells"]]


def test_the_ranking_lists_every_unit_and_links_each_breakdown_with_its_records(client_as: Any) -> None:
    q = quarter()
    with at(AFTER_Q1):
        client = client_as("assessor")
        assessment = computed(unit_scheme())
        page = client.get(f"/oversight/assessment/{assessment.pk}/").content.decode()
        assert 'id="ranking"' in page and "基建办" in page
        breakdown = client.get(f"/oversight/assessment/{assessment.pk}/subjects/{q.unit.pk}/").content.decode()
    assert q.closed.code in breakdown and f"/matters/{q.closed.pk}/" in breakdown


def test_input_that_does_not_read_is_a_message_never_a_500(client_as: Any) -> None:
    with at(AFTER_Q1):
        client = client_as("assessor")
        assessment = computed(unit_scheme())
        for data in ({"item": "x", "subject": "y", "score": "z"}, {"score": "1e999", "reason": "r"}, {}):
            assert client.post(f"/oversight/assessment/{assessment.pk}/manual/", data).status_code == 200
        assert client.post("/oversight/assessment/schemes/new/", _form(w0="abc", excellent_from="x")).status_code == 200
        assert client.post(f"/oversight/assessment/{assessment.pk}/confirm/", {"reason": "x" * 5000}).status_code == 302
    assert not ManualScore.objects.exists()


def test_a_scheme_is_edited_until_one_of_its_assessments_is_scored(client_as: Any) -> None:
    quarter()
    with at(AFTER_Q1):
        client = client_as("assessor")
        scheme = unit_scheme()
        page = client.get(f"/oversight/assessment/schemes/{scheme.pk}/edit/").content.decode()
        assert "工作作风（测试）" in page
        form = _form(name=scheme.name, mw0="70", mm0="0", ml0="工作作风（改）")
        for key in [k for k in form if k.startswith("w")]:
            form[key] = "30"  # resolution 30 + manual 70
        assert client.post(f"/oversight/assessment/schemes/{scheme.pk}/edit/", form).status_code == 302
        assert [i.label for i in scheme.items.order_by("order")][-1] == "工作作风（改）"
        computed(scheme)
        refused = client.post(f"/oversight/assessment/schemes/{scheme.pk}/edit/", form)
    assert refused.status_code == 200 and scheme.items.count() == 2


def test_the_menu_and_the_workbench_lead_the_teams_to_their_work(client_as: Any) -> None:
    from django.urls import reverse

    quarter()
    with at(AFTER_Q1):
        computed(unit_scheme())
        assessor = client_as("assessor").get(reverse("site:workbench")).content.decode()
        cadre = client_as("cadre").get(reverse("site:workbench")).content.decode()
        appeals = client_as("coordinator").get("/oversight/assessment/appeals/")
    assert "/oversight/assessment/" in assessor and "/oversight/assessment/" in cadre  # the menu entry
    assert assessor.count("/oversight/assessment/") > cadre.count("/oversight/assessment/")  # and the work item
    assert appeals.status_code == 200 and 'id="appeals"' in appeals.content.decode()
