"""What "my week" lists, as the rows of one table, and how the search narrows them.

One table rather than four: at 80×24 an officer sees this month's duty check, the draft
visits, the open problems and the start of the assigned enterprises together, and Up/Down,
PgDn and Enter work through all of them with no focus to move. The short sections come first
and the enterprises (tens of rows) last, so none of the others is pushed off the screen.
Headings are rows too (Enter on one does nothing).

Pure (no Textual): the screen turns these rows into cells; tests check the order and marks
here and on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fieldtui.domain.enums import AssignmentRole, ProblemStatus, VisitKind
from fieldtui.i18n import _, language, ngettext
from fieldtui.store.my_week import AssignedEnterprise, MyWeek
from fieldtui.store.pinyin import name_matches
from fieldtui.store.problem_list import ProblemRow
from fieldtui.store.visit_list import VisitRow

HEADING = "heading"
DUTY = "duty"
DRAFT = "draft"
PROBLEM = "problem"
ENTERPRISE = "enterprise"


@dataclass(frozen=True, slots=True)
class WeekRow:
    kind: str
    """:data:`HEADING`, :data:`DUTY`, :data:`DRAFT`, :data:`PROBLEM` or :data:`ENTERPRISE`."""
    target: str | None
    """What Enter opens: the enterprise, problem or visit id; the month (``YYYY-MM``) of
    the duty check; None for a heading."""
    mark: str
    """The short state in the first column (待走访, 超期, 草稿, 未完成…)."""
    level: int
    """How much the row asks for attention: 0 none, 1 due (to visit, due this week, a
    draft, the month's duty check not done), 2 late (an overdue problem)."""
    item: str
    when: str
    """A date (ISO, as tables show dates)."""
    detail: str

    @property
    def key(self) -> tuple[str, str | None]:
        """Identifies the row across reloads (the cursor stays on it)."""
        return (self.kind, self.target if self.kind != HEADING else self.item)


def month_words(month: str) -> str:
    """``2026-12`` as a sentence writes it: 2026年12月 in Chinese (zh-style.md), as it is in
    English."""
    year, _sep, mon = month.partition("-")
    if language() != "zh" or not (year.isdigit() and mon.isdigit()):
        return month
    return f"{int(year)}年{int(mon)}月"


def _label(enum: type[AssignmentRole] | type[ProblemStatus] | type[VisitKind], code: str) -> str:
    try:
        return enum.parse(code).label(language())
    except ValueError:
        return code  # a code from a newer version: shown as stored


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def duty_row(week: MyWeek) -> WeekRow:
    duty = week.duty
    month = duty.month or f"{week.today.year:04d}-{week.today.month:02d}"
    total = len(duty.checklist.items)
    failures = len(duty.failures)
    if duty.complete:
        mark, level = _("Done"), 0
        detail = (
            ngettext("{n} duty not met", "{n} duties not met", failures).format(n=failures)
            if failures
            else _("All duties met")
        )
    else:
        mark, level = _("Not done"), 1
        detail = _("{answered} of {total} answered").format(answered=len(duty.answers), total=total)
    item = _("Duty self-check for {month}").format(month=month_words(month))
    return WeekRow(DUTY, month, mark, level, item, "", detail)


def draft_row(visit: VisitRow) -> WeekRow:
    return WeekRow(
        DRAFT,
        visit.id,
        _("Draft"),
        1,
        visit.enterprise or _("(no enterprise)"),
        _iso(visit.date),
        _label(VisitKind, visit.kind),
    )


def problem_row(problem: ProblemRow) -> WeekRow:
    if problem.overdue:
        mark, level = _("Overdue"), 2
    elif problem.due_this_week:
        mark, level = _("Due this week"), 1
    else:
        mark, level = _label(ProblemStatus, problem.status), 0
    first_line = problem.description.splitlines()[0] if problem.description else ""
    return WeekRow(
        PROBLEM,
        problem.id,
        mark,
        level,
        first_line,
        _iso(problem.deadline),
        problem.enterprise,
    )


def days_text(days: int | None) -> str:
    if days is None:
        return _("Never visited")
    if days <= 0:
        return _("Today")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def enterprise_row(enterprise: AssignedEnterprise) -> WeekRow:
    detail = days_text(enterprise.days_since)
    if enterprise.role != AssignmentRole.CSO.code:
        detail = _("{detail} · {role}").format(
            detail=detail, role=_label(AssignmentRole, enterprise.role)
        )
    return WeekRow(
        ENTERPRISE,
        enterprise.enterprise_id,
        _("To visit") if enterprise.due else "",
        1 if enterprise.due else 0,
        enterprise.name,
        _iso(enterprise.last_visit),
        detail,
    )


def _heading(text: str) -> WeekRow:
    return WeekRow(HEADING, None, "", 0, text, "", "")


def week_rows(week: MyWeek, text: str = "") -> list[WeekRow]:
    """Every row of "my week", or those matching the search ``text`` (with the heading of
    each section that has a match)."""
    rows: list[WeekRow] = []
    duty = duty_row(week)
    if name_matches(text, duty.item):
        rows.append(duty)

    drafts = [draft_row(v) for v in week.drafts if _visit_matches(text, v)]
    if drafts:
        n = len(week.drafts)
        count = ngettext("{n} visit", "{n} visits", n).format(n=n)
        rows.append(_heading(_("Draft visits ({count})").format(count=count)))
        rows.extend(drafts)

    problems = [problem_row(p) for p in week.problems if _problem_matches(text, p)]
    if problems:
        n = len(week.problems)
        overdue = sum(1 for p in week.problems if p.overdue)
        count = ngettext("{n} problem", "{n} problems", n).format(n=n)
        rows.append(
            _heading(
                _("Open problems ({count}, {overdue} overdue)").format(count=count, overdue=overdue)
                if overdue
                else _("Open problems ({count})").format(count=count)
            )
        )
        rows.extend(problems)

    enterprises = [enterprise_row(e) for e in week.enterprises if name_matches(text, e.name)]
    if enterprises:
        n = len(week.enterprises)
        count = ngettext("{n} enterprise", "{n} enterprises", n).format(n=n)
        rows.append(
            _heading(
                _("Assigned enterprises {year} ({count}, {due} due for a visit)").format(
                    year=week.today.year, count=count, due=week.due_count
                )
            )
        )
        rows.extend(enterprises)
    elif not week.enterprises and not text:
        rows.append(
            _heading(_("No enterprises assigned to you in {year}.").format(year=week.today.year))
        )
    return rows


def _visit_matches(text: str, visit: VisitRow) -> bool:
    return name_matches(text, visit.enterprise, visit.person, visit.summary)


def _problem_matches(text: str, problem: ProblemRow) -> bool:
    # The enterprise first: its pinyin initials find its problems, as on the ledger.
    return name_matches(text, problem.enterprise, problem.description, problem.lead_unit)
