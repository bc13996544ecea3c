"""Hypothesis against the back office's matter forms: registering, every workflow step, bulk assignment, extensions.

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
from matters.forms import ACTION_FORMS
from matters.kinds import LIVELIHOOD
from matters.models import Category, Extension, Matter, Transition
from matters.services import matter_transition
from matters.tests.factories import assign_fields, matter_in
from matters.workflow import TRANSITIONS, Action, Status
from org.models import Person, Unit, UnitKind
from tests.fuzz.conftest import (
    assert_unchanged,
    count_case,
    fuzz_settings,
    fuzzed,
    last,
    nasty_text,
    plain_text,
    rolled_back,
    row_counts,
)
from tests.fuzz.forms_common import (
    ASCII_PHONE,
    EXAMPLES,
    assert_answered,
    login_as,
    optional_box,
    phones,
    uploads,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- back office: matters --------------------------------------------------------------------------------


def test_registering_a_matter_stores_it_as_typed_or_not_at_all() -> None:
    categories = [str(pk) for pk in Category.objects.values_list("pk", flat=True)]
    fields = {
        "kind": st.just(LIVELIHOOD),
        "category": st.sampled_from(["", *categories]),
        "channel": st.sampled_from(["visit", "hotline", "meeting", "petition", "portal"]),
        "problem": plain_text(min_size=1, max_size=5000),
        "location": plain_text(max_size=200),
        "reporter_name": plain_text(max_size=60),
        "reporter_phone": st.one_of(st.just(""), phones()),
        "is_public": optional_box(),
    }
    client = login_as("coordinator")

    @fuzz_settings(EXAMPLES)
    @given(data=fuzzed(fields))
    def run(data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = client.post("/matters/new/", data)
            assert_answered(response, data)
            if response.status_code == 302:
                matter = Matter.objects.latest("pk")
                assert matter.problem == clean_text(last(data["problem"]).strip())
                assert matter.location == clean_line(last(data.get("location", "")).strip())
                assert matter.reporter_name == clean_line(last(data.get("reporter_name", "")).strip())
                assert ASCII_PHONE.match(matter.reporter_phone), matter.reporter_phone
                stored = True
            else:
                assert_unchanged(before, context=repr(data)[:300])
        count_case("forms:matter_create", stored=stored)

    run()


# Who takes each action in the back office, and on which matter.
ACTORS = {
    Action.ACCEPT: "coordinator",
    Action.DECLINE: "coordinator",
    Action.MERGE: "coordinator",
    Action.ASSIGN: "coordinator",
    Action.START: "handler",
    Action.PROGRESS: "handler",
    Action.COMPLETE: "handler",
    Action.VERIFY: "leader",
    Action.RETURN: "leader",
    Action.CLOSE: "coordinator",
}
ACTION_TEXT = {"reason", "task", "text", "effect"}


def test_workflow_forms_record_what_was_typed_or_nothing() -> None:
    matters = {status: matter_in(status) for status in Status}
    people = [str(pk) for pk in Person.objects.values_list("pk", flat=True)[:5]]
    units = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("pk", flat=True)[:4]]
    clients = {username: login_as(username) for username in set(ACTORS.values())}
    values = {
        "expected_status": st.sampled_from(["", "", *Status.values]),
        "reason": plain_text(max_size=2000),
        "into": st.sampled_from([m.code for m in matters.values()]),
        "task": plain_text(min_size=1, max_size=5000),
        "deadline": (st.dates(dt.date(2022, 6, 1), dt.date(2023, 12, 31)) | st.dates()).map(str),
        "deadline_precision": st.sampled_from(["day", "month"]),
        "leads": st.lists(st.sampled_from(people), max_size=2),
        "units": st.lists(st.sampled_from(units), min_size=1, max_size=2),
        "all_communities": optional_box(),
        "budget_yuan": st.decimals(0, 10**13, places=2).map(str),
        "percent": st.integers(-5, 105).map(str),
        "text": plain_text(min_size=1, max_size=5000),
        "evidence": st.lists(uploads(), max_size=2),
        "effect": plain_text(min_size=1, max_size=5000),
        "satisfaction": st.sampled_from(["", "satisfied", "basically", "dissatisfied"]),
    }

    @fuzz_settings(EXAMPLES * 2)
    @given(action=st.sampled_from(list(Action)), data=fuzzed(values), htmx=st.booleans(), draw=st.data())
    def run(action: Action, data: dict[str, Any], htmx: bool, draw: st.DataObject) -> None:
        # Mostly a matter the action applies to, sometimes any.
        status = draw.draw(st.sampled_from(sorted(TRANSITIONS[action].sources)) | st.sampled_from(list(Status)))
        stored = False
        matter = matters[status]
        wanted = set(ACTION_FORMS[action].base_fields) | {"evidence"}
        sent = {f"{action.value}-{name}": value for name, value in data.items() if name in wanted}
        with rolled_back():
            before = row_counts()
            response = clients[ACTORS[action]].post(
                f"/matters/{matter.pk}/act/{action.value}/", sent, headers={"HX-Request": "true"} if htmx else {}
            )
            assert_answered(response, sent)
            if row_counts()["Transition"] == before["Transition"] + 1:
                transition = Transition.objects.filter(matter=matter).latest("pk")
                assert transition.reason == clean_text(last(sent.get(f"{action.value}-reason", "")).strip())
                matter.refresh_from_db()
                for name in ACTION_TEXT - {"reason"}:
                    if f"{action.value}-{name}" in sent:
                        kept = matter.reports.latest("pk").text if name == "text" else getattr(matter, name)
                        assert kept == clean_text(last(sent[f"{action.value}-{name}"]).strip()), name
                stored = True
            else:
                assert_unchanged(before, context=repr(sent)[:300])
        count_case("forms:matter_actions", stored=stored)

    run()


def test_bulk_assignment_and_extensions_refuse_bad_input_without_a_trace() -> None:
    accepted = [matter_in(Status.ACCEPTED, problem=f"待交办问题{n}") for n in range(2)]
    # Assigned with a deadline still ahead: an extension may be asked for.
    assigned = matter_transition(
        matter=matter_in(Status.ACCEPTED, problem="赵罗路破损"),
        action="assign",
        actor=None,
        **{**assign_fields(), "deadline": dt.date(2023, 3, 31)},
    )
    units = [str(pk) for pk in Unit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("pk", flat=True)[:3]]
    ids = st.lists(st.sampled_from([str(m.pk) for m in accepted]) | nasty_text(), max_size=3)
    bulk = {
        "ids": ids,
        "deadline": st.dates().map(str),
        "deadline_precision": st.sampled_from(["day", "month"]),
        "units": st.lists(st.sampled_from(units), min_size=1, max_size=2),
        "all_communities": optional_box(),
        "next": st.sampled_from(["/matters/", "//evil.example/", "https://evil.example/"]),
    }
    extension = {
        "new_deadline": (st.dates(dt.date(2022, 12, 1), dt.date(2023, 12, 31)) | st.dates()).map(str),
        "reason": plain_text(min_size=1, max_size=2000),
    }
    coordinator, handler = login_as("coordinator"), login_as("handler")

    @fuzz_settings(EXAMPLES)
    @given(bulk_data=fuzzed(bulk), extension_data=fuzzed(extension))
    def run(bulk_data: dict[str, Any], extension_data: dict[str, Any]) -> None:
        stored = False
        with rolled_back():
            before = row_counts()
            response = coordinator.post("/matters/bulk-assign/", bulk_data)
            assert_answered(response, bulk_data)
            location = response["Location"]
            assert location.startswith("/matters/"), location
            if row_counts()["Transition"] == before["Transition"]:
                assert_unchanged(before, context=repr(bulk_data)[:300])
        with rolled_back():
            before = row_counts()
            response = handler.post(f"/matters/{assigned.pk}/extension/", extension_data)
            assert_answered(response, extension_data)
            if row_counts()["Extension"] == before["Extension"] + 1:
                extension = Extension.objects.latest("pk")
                assert extension.reason == clean_text(last(extension_data["reason"]).strip())
                stored = True
            else:
                assert_unchanged(before, context=repr(extension_data)[:300])
        count_case("forms:bulk_and_extension", stored=stored)

    run()


