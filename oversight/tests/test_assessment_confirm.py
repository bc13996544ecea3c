"""Confirming freezes the scores: a version hashed in the audit chain that no role and no API call changes; a change
afterwards is a correction, the next version with its reason; a snapshot edited in the database fails verify_audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from audit.content import content_problems
from audit.models import AuditEvent
from audit.selectors import audit_verify
from oversight.models.assessment import AssessmentVersion, ConfirmedVersionImmutable
from oversight.selectors.assessment import CONFIRM_ACTION, content_hash
from oversight.services import assessment as services
from oversight.tests.assessment_world import AFTER_Q1, at, computed, quarter, unit_scheme
from tests.security.matrix import PERSONAS


def _confirmed(client_as: Any) -> Any:
    quarter()
    assessment = computed(unit_scheme())
    response = client_as("assessor").post(f"/oversight/assessment/{assessment.pk}/confirm/")
    assert response.status_code == 302
    return assessment


def test_confirming_freezes_the_scores_as_version_1_hashed_in_the_audit_chain(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
    version = AssessmentVersion.objects.get(assessment=assessment)
    assessment.refresh_from_db()
    assert (version.version, version.reason, assessment.status) == (1, "", "confirmed")
    assert version.snapshot == assessment.result and version.content_hash == content_hash(version.snapshot)
    event = AuditEvent.objects.get(action=CONFIRM_ACTION)
    after = event.after or {}
    assert after["content_hash"] == version.content_hash and after["version"] == 1
    assert not content_problems()


def test_a_confirmed_version_refuses_every_change_through_the_application(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
    version = AssessmentVersion.objects.get(assessment=assessment)
    version.snapshot = {"rows": []}
    with pytest.raises(ConfirmedVersionImmutable):
        version.save()
    with pytest.raises(ConfirmedVersionImmutable):
        version.delete()
    with pytest.raises(ConfirmedVersionImmutable):
        AssessmentVersion.objects.all().delete()
    with pytest.raises(ConfirmedVersionImmutable):
        AssessmentVersion.objects.filter(pk=version.pk).update(content_hash="0" * 64)


def test_no_persona_changes_a_confirmed_version_over_http_or_the_api(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
        before = AssessmentVersion.objects.get(assessment=assessment)
        item = assessment.scheme.items.get(kind="manual")
        subject = assessment.result["rows"][0]["id"]
        for persona in PERSONAS:
            account = PERSONAS[persona][0]
            client = client_as(account)
            base = f"/oversight/assessment/{assessment.pk}"
            client.post(f"{base}/confirm/", {"reason": "改一改"})
            client.post(f"{base}/manual/", {"item": item.pk, "subject": subject, "score": "30", "reason": "改"})
            api = f"/api/v1/assessments/{assessment.pk}/"
            for method in ("put", "patch", "delete", "post"):
                answer = getattr(client, method)(api, "{}", content_type="application/json")
                assert answer.status_code in (401, 403, 405), (persona, method)
    versions = list(AssessmentVersion.objects.filter(assessment=assessment).order_by("version"))
    # The assessment team's manual score is a change waiting for a correction; version 1 stays as it was.
    assert versions[0].snapshot == before.snapshot and versions[0].content_hash == before.content_hash
    assert all(v.reason for v in versions[1:])


def test_a_correction_is_the_next_version_with_its_reason(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
        item = assessment.scheme.items.get(kind="manual")
        subject = assessment.result["rows"][0]["id"]
        services.manual_score_set(actor=None, assessment=assessment, item=item, subject_id=subject, score="30",
                                  reason="补评（测试）")  # fmt: skip
        client = client_as("assessor")
        refused = client.post(f"/oversight/assessment/{assessment.pk}/confirm/", {"reason": ""})
        assert refused.status_code == 302 and AssessmentVersion.objects.count() == 1
        client.post(f"/oversight/assessment/{assessment.pk}/confirm/", {"reason": "补评工作作风"})
        page = client.get(f"/oversight/assessment/{assessment.pk}/").content.decode()
    first, second = AssessmentVersion.objects.filter(assessment=assessment).order_by("version")
    assert (second.version, second.reason) == (2, "补评工作作风")
    assert first.snapshot != second.snapshot and "补评工作作风" in page


def test_a_snapshot_edited_in_the_database_fails_the_audit_check(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
    version = AssessmentVersion.objects.get(assessment=assessment)
    changed = dict(version.snapshot)
    changed["rows"] = changed["rows"][::-1]
    # Behind the application's back: a plain queryset, not the model's own (which refuses).
    QuerySet(AssessmentVersion).filter(pk=version.pk).update(snapshot=changed)
    problems = content_problems()
    assert [p.reason for p in problems] == [f"confirmed assessment #{assessment.pk} v1: snapshot changed"]
    assert problems[0].seq == AuditEvent.objects.get(action=CONFIRM_ACTION).seq
    report = audit_verify()
    assert not report.ok and report.reason == problems[0].reason


def test_a_confirmed_version_removed_in_the_database_fails_the_audit_check(client_as: Any) -> None:
    with at(AFTER_Q1):
        assessment = _confirmed(client_as)
    version = AssessmentVersion.objects.get(assessment=assessment)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM oversight_assessmentversion WHERE id = %s", [version.pk])
    assert [p.reason for p in content_problems()] == [f"confirmed assessment version #{version.pk} removed"]
