"""The visit form as text (``fieldtui.ui.visit_texts``): what a draft keeps and what a save
is given, checked without a screen."""

from __future__ import annotations

from datetime import date

from fieldtui.store import checklists as cl
from fieldtui.ui.visit_texts import (
    AnswerText,
    ProblemText,
    answers_text,
    check_problems,
    check_self_check,
    check_visit,
    parse_answers,
    parse_problems,
    problems_text,
)

TODAY = date(2026, 3, 4)


def test_problem_rows_round_trip_and_blank_rows_are_not_problems() -> None:
    rows = [
        ProblemText("factors", "首期用电", "供电局", "2026-03-31"),
        ProblemText("approval"),  # a category chosen, nothing typed: not a problem
        ProblemText("other", "[b]排污接口[/b]"),
    ]
    text = problems_text(rows)
    assert text is not None and "[b]排污接口[/b]" in text
    assert parse_problems(text) == [rows[0], rows[2]]
    assert problems_text([ProblemText()]) is None
    assert parse_problems("not json") == [] and parse_problems('{"a": 1}') == []


def test_problem_checks_name_the_row_and_field() -> None:
    raised, errors = check_problems(
        [
            ProblemText("factors", "首期用电", "供电局", "2026-03-31"),
            ProblemText("factors", "", "供电局"),  # a lead unit but no description
            ProblemText("factors", "规划验收", "", "2026-02-30"),
            ProblemText("factors", "挡土墙", "", "2026-03-01"),  # before the visit
        ],
        raised_on=TODAY,
    )
    assert [p.description for p in raised] == ["首期用电"]
    assert raised[0].deadline == date(2026, 3, 31) and raised[0].lead_unit == "供电局"
    assert set(errors) == {1, 2, 3}
    assert set(errors[1]) == {"description"}
    assert set(errors[2]) == {"deadline"} and set(errors[3]) == {"deadline"}


def test_self_check_text_keeps_notes_of_breaches_only() -> None:
    neg = cl.seed_checklist("negative")
    first, second = neg.items[0].id, neg.items[1].id
    text = answers_text(
        neg.template_id,
        {first: AnswerText("kept", "stale note"), second: AnswerText("breached", "代付餐费")},
    )
    template, answers = parse_answers(text)
    assert template == neg.template_id
    assert answers == {first: AnswerText("kept", ""), second: AnswerText("breached", "代付餐费")}
    assert answers_text(neg.template_id, {}) is None
    assert parse_answers("[") == (None, {})


def test_a_breach_without_a_note_is_an_error_and_all_answered_is_complete() -> None:
    neg = cl.seed_checklist("negative")
    given = {i.id: AnswerText("kept") for i in neg.items}
    answers, errors, complete = check_self_check(neg, answers_text(neg.template_id, given))
    assert complete and not errors and answers is not None
    assert len(answers.answers) == len(neg.items)
    given[neg.items[2].id] = AnswerText("breached", "  ")
    _answers, errors, complete = check_self_check(neg, answers_text(neg.template_id, given))
    assert not complete and list(errors) == [neg.items[2].id]
    del given[neg.items[0].id]
    given[neg.items[2].id] = AnswerText("breached", "企业代付停车费")
    answers, errors, complete = check_self_check(neg, answers_text(neg.template_id, given))
    assert not complete and not errors  # one item unanswered: a draft, not an error
    assert answers is not None and len(answers.answers) == len(neg.items) - 1


def test_the_whole_form_checks_required_fields_and_the_date() -> None:
    neg = cl.seed_checklist("negative")
    check, extra = check_visit(
        {"date": "2026-03-05", "kind": "onsite", "officer_ids": None, "enterprise_id": None},
        today=TODAY,
        checklist=neg,
    )
    assert set(check.errors) == {"date", "officer_ids", "enterprise_id"}
    assert not extra.complete
    check, _extra = check_visit(
        {"date": "2026-03-04", "kind": "phone", "officer_ids": "a1、b2", "enterprise_id": "e1",
         "topics": "operations、staff_life"},
        today=TODAY,
        checklist=neg,
    )  # fmt: skip
    assert check.ok
    assert check.values["officer_ids"] == ("a1", "b2")
    assert check.values["topics"] == ("operations", "staff_life")
    assert check.values["problems"] == () and check.values["self_check"] is None
