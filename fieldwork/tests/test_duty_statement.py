"""述职: the person's own sections (主要工作、存在问题、下步打算) — a draft from their records the first time, then what
they wrote, kept with the report's period and printed before the figures."""

# ruff: noqa: F811  # the fixtures june and client_as come from test_duty_report

from __future__ import annotations

import io
from collections.abc import Callable

import docx
from django.test import Client

from audit.models import AuditEvent
from fieldwork import duty_report
from fieldwork.models import DutyStatement
from fieldwork.tests.test_duty_report import JUNE, REPORT, _english, client_as, june  # noqa: F401  # fixtures
from org.models import Person

STATEMENT = "/fieldwork/report/statement/"
Make = Callable[[str | None], Client]


def _sections(person: Person) -> list[str]:
    report = duty_report.build_report(
        person=person, start=duty_report_day(JUNE["start"]), end=duty_report_day(JUNE["end"])
    )
    return [s.title for s in report.sections]


def duty_report_day(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


def _save(client: Client, **text: str):  # type: ignore[no-untyped-def]
    data = {
        **JUNE,
        "main_work": "牵头推进楼道照明整改。",
        "problems": "入户走访次数偏少。",
        "next_steps": "每周下沉两天。",
    }
    return client.post(STATEMENT, {**data, **text})


def test_the_first_time_the_form_offers_a_draft_from_the_persons_records(june: Person, client_as: Make) -> None:
    response = client_as("leader").get(STATEMENT, JUNE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A first draft from your records" in html
    # 3 visits, 14 hours on 3 field days, 1 household, 1 distinct enterprise; the matter solved in June.
    assert "made 3 visits (14 hours of grassroots work on 3 field days)" in html
    assert "served 1 distinct enterprises" in html
    assert "长宇新城3栋楼道灯不亮" in html
    assert "Duties were short in" in html  # weeks of June short of their duties
    assert not DutyStatement.objects.exists()  # a draft is not saved until the person saves it


def test_saving_keeps_the_sections_with_the_period_audited_and_the_report_begins_with_them(
    june: Person, client_as: Make
) -> None:
    client = client_as("leader")
    response = _save(client)
    assert response.status_code == 302 and response["Location"].startswith(REPORT)
    statement = DutyStatement.objects.get(person=june)
    assert (statement.period_start.isoformat(), statement.period_end.isoformat()) == (JUNE["start"], JUNE["end"])
    assert statement.main_work == "牵头推进楼道照明整改。"
    event = AuditEvent.objects.filter(action="fieldwork.duty_statement_created").get()
    assert "牵头" not in str(event.after)  # the log keeps lengths, not the text
    page = client.get(STATEMENT, JUNE).content.decode()
    assert "A first draft" not in page and "牵头推进楼道照明整改。" in page
    report = client.get(REPORT, {**JUNE, "format": "docx"})
    document = docx.Document(io.BytesIO(b"".join(report.streaming_content)))  # type: ignore[attr-defined]
    texts = [p.text for p in document.paragraphs]
    main, problems, steps = texts.index("Main work"), texts.index("Problems"), texts.index("Next steps")
    weeks = texts.index("Weekly duties")
    assert main < problems < steps < weeks  # the person's own account first, then the figures
    assert texts[main + 1] == "牵头推进楼道照明整改。" and texts[steps + 1] == "每周下沉两天。"


def test_saving_again_replaces_the_sections_of_that_period_only(june: Person, client_as: Make) -> None:
    client = client_as("leader")
    _save(client)
    _save(client, main_work="改写后的主要工作。")
    _save(client, start="2022-07-01", end="2022-07-31", main_work="七月的主要工作。")
    by_period = dict(DutyStatement.objects.filter(person=june).values_list("period_start__month", "main_work"))
    assert by_period == {6: "改写后的主要工作。", 7: "七月的主要工作。"}
    assert AuditEvent.objects.filter(action="fieldwork.duty_statement_updated").count() == 1


def test_a_bad_period_or_an_empty_section_is_refused_with_a_message_and_nothing_saved(
    june: Person, client_as: Make
) -> None:
    client = client_as("leader")
    response = _save(client, start="2022-06-30", end="2022-06-01")
    assert response.status_code == 400 and "is before the start date" in response.content.decode()
    response = _save(client, problems="")
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = _save(client, next_steps="字" * 4001)
    assert response.status_code == 400
    assert not DutyStatement.objects.exists()


def test_an_account_without_a_person_has_no_sections_to_write(client_as: Make) -> None:
    response = client_as("sysadmin").get(STATEMENT)
    assert response.status_code in {403, 404}
    assert not DutyStatement.objects.exists()


def test_the_report_counts_distinct_enterprises_and_says_so(june: Person) -> None:
    report = duty_report.build_report(
        person=june, start=duty_report_day(JUNE["start"]), end=duty_report_day(JUNE["end"])
    )
    totals = next(s for s in report.sections if s.title == "Totals")
    assert totals.table is not None
    assert ["Distinct enterprises served", "1"] in [list(r) for r in totals.table.rows]
    assert [s.title for s in report.sections][1:4] == [
        "Main work",
        "Problems",
        "Next steps",
    ]  # drafted when nothing is saved yet
