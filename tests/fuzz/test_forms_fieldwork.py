"""Hypothesis against the field-work forms: visits, dual registration and its reports.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import clean_line, clean_text
from fieldwork.models import Registration, RegistrationReport, Visit
from matters.models import Category
from org.models import ContactPoint, Person, Unit, UnitKind
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    fuzzed,
    last,
    plain_text,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    EXAMPLES,
    assert_answered,
    login_as,
    uploads,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- back office: field work -----------------------------------------------------------------------------


def test_logging_a_visit_keeps_its_text_as_typed_or_stores_nothing() -> None:
    cadre = login_as("cadre")
    person = Person.objects.get(user__username="cadre")
    communities = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True)[:3]]
    points = [str(pk) for pk in ContactPoint.objects.values_list("pk", flat=True)[:3]]
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)[:3]]
    fields = {
        "date": (st.dates(dt.date(2022, 5, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "start_time": st.just("") | st.times().map(lambda t: t.strftime("%H:%M")),
        "end_time": st.just("") | st.times().map(lambda t: t.strftime("%H:%M")),
        "hours": (st.decimals("0.5", 8, places=1) | st.decimals(0, 30, places=1)).map(str),
        "kind": st.sampled_from(["site_visit", "household", "policy_talk"]),
        "place_kind": st.sampled_from(["community", "household", "contact_point", "other"]),
        "community": st.sampled_from(communities),
        "contact_point": st.sampled_from(points or ["1"]),
        "place_detail": plain_text(max_size=200),
        "participants": (st.integers(0, 50) | st.integers(-1, 200_000)).map(str),
        "notes": plain_text(max_size=5000),
        "photos": st.lists(uploads(), max_size=2),
        "problem_1": plain_text(max_size=300),
        "category_1": st.sampled_from(["", *categories]),
    }

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = cadre.post("/fieldwork/visits/new/", data)
            assert_answered(response, data)
            if response.status_code == 302:
                visit = Visit.objects.filter(person=person).latest("pk")
                assert visit.notes == clean_text(last(data.get("notes", "")).strip())
                if visit.place_detail:
                    assert visit.place_detail == clean_line(last(data["place_detail"]).strip())
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:visit", stored=stored)

    run()


def test_dual_registration_and_its_reports_refuse_bad_input_without_a_trace() -> None:
    cadre = login_as("cadre")
    communities = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True)[:3]]
    fields = {
        "form": st.sampled_from(["register", "report"]),
        "reg-community": st.sampled_from(communities),
        "reg-registered_on": (st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "rep-period_start": (st.dates(dt.date(2022, 1, 1), dt.date(2022, 6, 30)) | st.dates()).map(str),
        "rep-period_end": (st.dates(dt.date(2022, 7, 1), dt.date(2022, 12, 31)) | st.dates()).map(str),
        "rep-text": plain_text(min_size=1, max_size=5000),
    }

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields), registered=st.booleans())
    def run(data: dict[str, Any], registered: bool) -> None:
        stored = False
        with rolled_back():
            if registered:
                cadre.post("/fieldwork/registration/", {"form": "register", "reg-community": communities[0]})
            before = row_counts()
            response = cadre.post("/fieldwork/registration/", data)
            assert_answered(response, data)
            if row_counts()["RegistrationReport"] == before["RegistrationReport"] + 1:
                report = RegistrationReport.objects.latest("pk")
                assert report.text == clean_text(last(data["rep-text"]).strip())
                stored = True
            elif row_counts()["Registration"] == before["Registration"] + 1 or (
                response.status_code == 302 and Registration.objects.exists()
            ):
                stored = True  # registered, or moved to another community: nothing typed to compare
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:registration", stored=stored)

    run()


