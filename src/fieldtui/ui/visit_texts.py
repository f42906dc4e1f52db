"""The visit form as text: what each field holds as typed, and what it becomes when checked.

The form base keeps a form as a flat ``field → text`` map: what it compares to know whether
leaving loses anything, what it writes as the draft while the officer types, and what it
restores after a crash. A visit is more than flat fields: the problems raised at it (rows)
and its negative-list self-check (one answer per item). They are kept in that map too, each
as one JSON text (``problems``, ``self_check``), so the base's dirty tracking, drafts and
leaving questions cover them with no special case.

Checking turns the texts into what :func:`fieldtui.store.visits.save_visit` takes, with one
message per field, per problem row field and per self-check item. No Textual here: the rules
are tested as plain functions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fieldtui.domain.checklists import Answer
from fieldtui.domain.enums import ChecklistAnswer, ProblemCategory
from fieldtui.domain.forms import FieldCheck, FormCheck, check_field
from fieldtui.domain.schema import PROBLEM, VISIT
from fieldtui.i18n import _
from fieldtui.store.checklists import Checklist, SelfCheck
from fieldtui.store.visits import RaisedProblem, SelfCheckInput, VisitDetail

__all__ = [
    "PROBLEM_FIELDS",
    "SCALAR_FIELDS",
    "AnswerText",
    "ProblemText",
    "answers_text",
    "check_problems",
    "check_self_check",
    "check_visit",
    "check_visit_field",
    "detail_texts",
    "parse_answers",
    "parse_problems",
    "problems_text",
    "visit_day",
]

SCALAR_FIELDS: tuple[str, ...] = (
    "enterprise_id",
    "date",
    "kind",
    "officer_ids",
    "person",
    "person_title",
    "topics",
    "policies",
    "summary",
    "follow_up",
)
"""The visit's own fields, in form order (the schema's ``VISIT`` fields)."""

PROBLEM_FIELDS: tuple[str, ...] = ("category", "description", "lead_unit", "deadline")
"""What a problem row of the form holds (the problem ledger's form has the rest)."""


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class ProblemText:
    """One problem row as typed."""

    category: str = ProblemCategory.OTHER.code
    description: str = ""
    lead_unit: str = ""
    deadline: str = ""

    @property
    def blank(self) -> bool:
        """Nothing typed but perhaps a category: not a problem, left out when saving."""
        return not (self.description.strip() or self.lead_unit.strip() or self.deadline.strip())


def problems_text(rows: Sequence[ProblemText]) -> str | None:
    """The rows as the form's ``problems`` text (blank rows left out; None when none)."""
    kept = [
        {
            "category": r.category,
            "description": r.description,
            "lead_unit": r.lead_unit,
            "deadline": r.deadline,
        }
        for r in rows
        if not r.blank
    ]
    return json.dumps(kept, ensure_ascii=False) if kept else None


def parse_problems(text: str | None) -> list[ProblemText]:
    """The form's ``problems`` text back to rows (anything unreadable: no rows)."""
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    rows: list[ProblemText] = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            texts = {k: str(item.get(k) or "") for k in PROBLEM_FIELDS}
            texts["category"] = texts["category"] or ProblemCategory.OTHER.code
            rows.append(ProblemText(**texts))
    return rows


def check_problems(
    rows: Sequence[ProblemText], raised_on: date | None = None
) -> tuple[list[RaisedProblem], dict[int, dict[str, str]]]:
    """The problems to create, and the messages by row index and field (``raised_on``: the
    visit's date, which a deadline may not be before)."""
    raised: list[RaisedProblem] = []
    errors: dict[int, dict[str, str]] = {}
    for index, row in enumerate(rows):
        if row.blank:
            continue
        found: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name in PROBLEM_FIELDS:
            check = check_field(PROBLEM, name, getattr(row, name))
            if check.error:
                found[name] = check.error
            values[name] = check.value
        deadline = values["deadline"]
        if raised_on is not None and isinstance(deadline, date) and deadline < raised_on:
            found["deadline"] = _(
                "The deadline {day} is before the problem was raised ({raised})"
            ).format(day=deadline.isoformat(), raised=raised_on.isoformat())
        if found:
            errors[index] = found
            continue
        raised.append(
            RaisedProblem(
                category=values["category"],
                description=values["description"],
                lead_unit=values["lead_unit"],
                deadline=values["deadline"],
            )
        )
    return raised, errors


# --------------------------------------------------------------------------- self-check


@dataclass(frozen=True, slots=True)
class AnswerText:
    """One self-check item as given: ``kept``/``breached`` (or "" unanswered) and its note."""

    answer: str = ""
    note: str = ""


def answers_text(template_id: str, answers: Mapping[str, AnswerText]) -> str | None:
    """The self-check as the form's ``self_check`` text (None while nothing is answered).
    A note is kept only with a breach (it is what the breach is)."""
    given = {
        item: [a.answer, a.note if a.answer == ChecklistAnswer.BREACHED.code else ""]
        for item, a in answers.items()
        if a.answer
    }
    if not given:
        return None
    return json.dumps({"template_id": template_id, "answers": given}, ensure_ascii=False)


def parse_answers(text: str | None) -> tuple[str | None, dict[str, AnswerText]]:
    """The form's ``self_check`` text back to the version answered and its answers."""
    if not text:
        return None, {}
    try:
        data = json.loads(text)
    except ValueError:
        return None, {}
    if not isinstance(data, dict):
        return None, {}
    answers: dict[str, AnswerText] = {}
    for item, given in (data.get("answers") or {}).items():
        if isinstance(given, list) and given:
            answers[str(item)] = AnswerText(str(given[0]), str(given[1] if len(given) > 1 else ""))
    template = data.get("template_id")
    return (str(template) if template else None), answers


def check_self_check(
    checklist: Checklist | None, text: str | None
) -> tuple[SelfCheckInput | None, dict[str, str], bool]:
    """The answers to save, messages by item id, and whether every item is answered."""
    template, given = parse_answers(text)
    if checklist is None or not given:
        return None, {}, False
    errors: dict[str, str] = {}
    answers: dict[str, Answer] = {}
    for item in checklist.items:
        answer = given.get(item.id)
        if answer is None or not answer.answer:
            continue
        note = answer.note.strip()
        if answer.answer == ChecklistAnswer.BREACHED.code and not note:
            errors[item.id] = _("Say what happened: a breach needs a note")
            continue
        answers[item.id] = Answer(answer.answer, note or None)
    complete = len(answers) == len(checklist.items) and not errors
    template_id = template or checklist.template_id
    return SelfCheckInput(template_id, answers), errors, complete


# --------------------------------------------------------------------------- the whole form


@dataclass(slots=True)
class VisitCheck:
    """What checking the form found beyond the flat fields (the rows and the items)."""

    problem_errors: dict[int, dict[str, str]] = field(default_factory=dict)
    answer_errors: dict[str, str] = field(default_factory=dict)
    complete: bool = False
    """Every self-check item answered: the visit will not be a draft."""


def check_visit_field(
    name: str,
    raw: str | None,
    *,
    today: date,
    checklist: Checklist | None = None,
    visit_date: date | None = None,
) -> FieldCheck:
    """One field of the form as typed (``problems`` and ``self_check`` as a whole;
    ``visit_date``: the problems' raised-on date)."""
    if name == "problems":
        raised, errors = check_problems(parse_problems(raw), visit_date)
        first = next((m for row in errors.values() for m in row.values()), None)
        return FieldCheck(tuple(raised), first)
    if name == "self_check":
        given, item_errors, _complete = check_self_check(checklist, raw)
        return FieldCheck(given, next(iter(item_errors.values()), None))
    if name == "officer_ids":
        check = check_field(VISIT, name, raw)
        if not check.error and not check.value:
            return FieldCheck((), _("Add at least one officer (Enter adds one)"))
        return FieldCheck(tuple(check.value or ()), check.error)
    check = check_field(VISIT, name, raw)
    if name == "date" and isinstance(check.value, date) and check.value > today:
        return FieldCheck(check.value, _("A visit cannot be later than today"))
    if name == "enterprise_id" and check.error:
        return FieldCheck(None, _("Choose the enterprise visited (Enter, then type its name)"))
    if name == "topics":
        return FieldCheck(tuple(check.value or ()), check.error)
    return check


def check_visit(
    raw: Mapping[str, str | None], *, today: date, checklist: Checklist | None
) -> tuple[FormCheck, VisitCheck]:
    """Every field of the form, with the rows' and items' own messages."""
    result = FormCheck()
    day = visit_day(raw)
    for name in (*SCALAR_FIELDS, "problems", "self_check"):
        check = check_visit_field(
            name, raw.get(name), today=today, checklist=checklist, visit_date=day
        )
        result.checks[name] = check
        result.values[name] = check.value
    _raised, problem_errors = check_problems(parse_problems(raw.get("problems")), day)
    _given, answer_errors, complete = check_self_check(checklist, raw.get("self_check"))
    return result, VisitCheck(problem_errors, answer_errors, complete)


def visit_day(raw: Mapping[str, str | None]) -> date | None:
    """The visit's date as typed, if it is one."""
    value = check_field(VISIT, "date", raw.get("date")).value
    return value if isinstance(value, date) else None


def detail_texts(detail: VisitDetail) -> dict[str, str | None]:
    """A stored visit as the form shows it (problems already raised are not rows to edit:
    they live in the problem ledger from then on)."""
    visit = detail.visit
    texts: dict[str, str | None] = {
        name: VISIT.field(name).text(getattr(visit, name, None))
        for name in SCALAR_FIELDS
        if name != "officer_ids"
    }
    texts["officer_ids"] = "、".join(detail.officer_ids) or None
    texts["problems"] = None
    texts["self_check"] = self_check_text(detail.self_check)
    return texts


def self_check_text(check: SelfCheck) -> str | None:
    answers = {
        item_id: AnswerText(view.answer, view.note or "") for item_id, view in check.answers.items()
    }
    return answers_text(check.checklist.template_id, answers)
