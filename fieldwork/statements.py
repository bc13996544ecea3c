"""述职 statements: a person's own 主要工作、存在问题、下步打算 for a duty report's period.

`statement_draft` writes the first version from the person's records (the period's figures, the matters solved
and still open, the weeks short of duties), which the form shows the first time; `statement_save` keeps what the
person wrote (audited, lengths checked) and `statement_sections` puts it at the head of the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.services import audit_record
from core.documents import Section
from core.privacy import redact
from core.types import Actor
from fieldwork.models import DutyStatement
from org.models import Person

FIELDS = ("main_work", "problems", "next_steps")
MAX_LENGTH = 4000


@dataclass(frozen=True)
class StatementText:
    main_work: str
    problems: str
    next_steps: str
    saved: bool = False


def statement_for(person: Person, start: dt.date, end: dt.date) -> DutyStatement | None:
    return DutyStatement.objects.filter(person=person, period_start=start, period_end=end).first()


def statement_text(person: Person, start: dt.date, end: dt.date) -> StatementText:
    """What the person wrote for the period; the draft from their records when they have not written yet."""
    saved = statement_for(person, start, end)
    if saved is not None:
        return StatementText(saved.main_work, saved.problems, saved.next_steps, saved=True)
    return statement_draft(person, start, end)


def statement_draft(person: Person, start: dt.date, end: dt.date) -> StatementText:
    """A first version from the records: the figures, what was solved, the weeks short, what is still open."""
    from fieldwork import duty_report
    from matters.workflow import FINISHED

    visits = list(duty_report.period_visits(person, start, end))
    matters = list(duty_report.led_matters(person, start, end))
    figures = duty_report.totals(visits, matters, start, end)
    main = [
        _(
            "In the period I made %(visits)d visits (%(hours)s hours of grassroots work on %(days)d field days), "
            "visited %(households)d households and served %(enterprises)d distinct enterprises."
        )
        % {
            "visits": figures.visits,
            "hours": duty_report.fmt_number(figures.hours),
            "days": figures.field_days,
            "households": figures.households,
            "enterprises": figures.enterprises,
        }
    ]
    solved = [m for m in matters if duty_report.solved_in_period(m, start, end)]
    if solved:
        main.append(_("As lead I saw these matters solved:"))
        main += [f"{index}. {duty_report.shorten(redact(m.problem), 60)}" for index, m in enumerate(solved, 1)]
    open_matters = [m for m in matters if m.status not in FINISHED]
    weeks_short = _short_weeks(person, start, end)
    problems = [
        _("Duties were short in %(weeks)d weeks: %(labels)s.")
        % {"weeks": len(weeks_short), "labels": "、".join(weeks_short)}
        if weeks_short
        else _("The weekly duties were met in every week of the period.")
    ]
    if open_matters:
        problems.append(_("%(count)d matters I lead are still open.") % {"count": len(open_matters)})
    steps = [_("Keep up the weekly visits and field days.")]
    steps += [
        _("Finish “%(problem)s” by %(deadline)s.")
        % {"problem": duty_report.shorten(redact(m.problem), 40).rstrip("。．."), "deadline": _deadline(m)}
        for m in open_matters[:5]
    ]
    return StatementText("\n".join(main), "\n".join(problems), "\n".join(steps))


def _deadline(matter: object) -> str:
    from matters.exchange import cells

    deadline = getattr(matter, "deadline", None)
    return cells.format_deadline(deadline, getattr(matter, "deadline_precision", "")) if deadline else "—"


def _short_weeks(person: Person, start: dt.date, end: dt.date) -> list[str]:
    from fieldwork import duties, duty_report

    periods = [w for w in duty_report.iso_weeks(start, end) if duties.week_bounds(*w)[1] < timezone.localdate()]
    grid = duties.duty_grid([person], periods)
    return [
        duties.week_label(*week)
        for week in periods
        if grid[(person.pk, week)] and not duties.rows_met(grid[(person.pk, week)])
    ]


def statement_save(
    *, actor: Actor, person: Person, start: dt.date, end: dt.date, main_work: str, problems: str, next_steps: str
) -> DutyStatement:
    """Keep the person's statement for the period (a second save replaces the first); audited."""
    values = {"main_work": main_work.strip(), "problems": problems.strip(), "next_steps": next_steps.strip()}
    errors = {
        name: [_("Write at most %(n)d characters.") % {"n": MAX_LENGTH}]
        for name, value in values.items()
        if len(value) > MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        statement = (
            DutyStatement.objects.select_for_update().filter(person=person, period_start=start, period_end=end).first()
        )
        created = statement is None
        if statement is None:
            statement = DutyStatement(person=person, period_start=start, period_end=end)
        for name, value in values.items():
            setattr(statement, name, value)
        statement.updated_at = timezone.now()
        statement.updated_by = user  # type: ignore[assignment]
        statement.full_clean()
        statement.save()
        # The text is the person's own account of their work, not personal data of others: the log keeps lengths.
        audit_record(
            actor=actor,
            action="fieldwork.duty_statement_created" if created else "fieldwork.duty_statement_updated",
            target=statement,
            after={"period": f"{start.isoformat()}/{end.isoformat()}", **{k: len(v) for k, v in values.items()}},
        )
    return statement


# The extension point "fieldwork.statement_sections": an app above adds sections to a person's duty report after
# the statement's own (oversight: the person's confirmed assessment scores of the period). An entry is a dotted
# "module:function" called as ``function(person, start, end)``, returning a list of `core.documents.Section`.
SECTIONS_POINT = "fieldwork.statement_sections"


def statement_sections(person: Person, start: dt.date, end: dt.date) -> list[Section]:
    """The report's first sections: 主要工作、存在问题、下步打算, one paragraph a line; then what the apps above add."""
    from django.utils.module_loading import import_string

    from core.plugins import extensions

    text = statement_text(person, start, end)
    titles = (_("Main work"), pgettext("duty statement", "Problems"), _("Next steps"))
    bodies = (text.main_work, text.problems, text.next_steps)
    own = [
        Section(title, lines=[redact(line) for line in body.splitlines() if line.strip()] or ["—"])
        for title, body in zip(titles, bodies, strict=True)
    ]
    added = [section for entry in extensions(SECTIONS_POINT)
             for section in import_string(str(entry).replace(":", "."))(person, start, end)]  # fmt: skip
    return [*own, *added]
