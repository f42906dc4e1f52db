"""How problems are shown: code labels and the overdue marks the list and the problem screen
share, the state line above the problem's form and its dated history below it, newest first.

Plain functions from records to Rich renderables; every value is plain ``Text`` (notes,
units and names are user or synced text, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from fieldtui.domain.enums import CodedEnum, ProblemEventKind, ProblemStatus, Satisfaction
from fieldtui.domain.problems import is_due_this_week, is_overdue
from fieldtui.domain.records import Problem
from fieldtui.i18n import _
from fieldtui.store.problems import HistoryEntry

__all__ = ["DUE_STYLE", "OVERDUE_STYLE", "code_label", "history_table", "state_line"]

OVERDUE_STYLE = "bold red"
DUE_STYLE = "yellow"


def code_label(enum: type[CodedEnum], code: str | None, lang: str) -> str:
    """A code's label; a code from a newer version shows as stored."""
    if not code:
        return ""
    try:
        return enum(code).label(lang)
    except ValueError:
        return code


def state_line(problem: Problem, enterprise: str, lang: str, today: date) -> Text:
    """``企业 · 状态：办理中 · 办理时限：2026-11-03 超期 · 办结日期：… · 满意度：…``"""
    text = Text(enterprise or "…", style="bold")
    sep = Text("  ·  ", style="dim")

    def item(label: str, value: Text | str) -> None:
        text.append_text(sep)
        text.append(_("{label}: ").format(label=label), style="dim")
        text.append_text(value if isinstance(value, Text) else Text(value))

    status = Text(code_label(ProblemStatus, problem.status, lang), style="bold")
    item(_("Status"), status)
    deadline = problem.deadline if isinstance(problem.deadline, date) else None
    if deadline is None:
        item(_("Deadline"), Text("—", style="dim"))
    elif is_overdue(problem.status, deadline, today):
        item(
            _("Deadline"),
            Text(_("{day} overdue").format(day=deadline.isoformat()), style=OVERDUE_STYLE),
        )
    elif is_due_this_week(problem.status, deadline, today):
        item(_("Deadline"), Text(deadline.isoformat(), style=DUE_STYLE))
    else:
        item(_("Deadline"), deadline.isoformat())
    if isinstance(problem.resolved_on, date):
        item(_("Resolved on"), problem.resolved_on.isoformat())
    if problem.satisfaction:
        item(_("Satisfaction"), code_label(Satisfaction, problem.satisfaction, lang))
    return text


def _what(entry: HistoryEntry, lang: str) -> Text:
    kind = entry.kind
    if kind == ProblemEventKind.STATUS.code:
        return Text(code_label(ProblemStatus, entry.status, lang) or _("Status change"))
    if kind == ProblemEventKind.EXTENSION.code:
        day = entry.deadline.isoformat() if entry.deadline else "—"
        return Text(_("Deadline to {day}").format(day=day))
    if kind == ProblemEventKind.FOLLOW_UP.code:
        return Text(
            _("Follow-up call: {satisfaction}").format(
                satisfaction=code_label(Satisfaction, entry.satisfaction, lang) or "—"
            )
        )
    return Text(code_label(ProblemEventKind, kind, lang))


def history_table(entries: Sequence[HistoryEntry], lang: str) -> RenderableType:
    """The history, newest first: date, what happened, the note (whole, wrapped), who."""
    if not entries:
        return Text(_("No history yet."), style="dim")
    table = Table(
        show_header=True,
        header_style="bold",
        box=None,
        padding=(0, 1),
        expand=True,
        show_edge=False,
    )
    table.add_column(_("Date"), no_wrap=True, width=10)
    table.add_column(_("Entry"), no_wrap=False, max_width=16)
    table.add_column(_("Details"), ratio=1, overflow="fold")
    table.add_column(_("Officer"), no_wrap=True, max_width=8, overflow="ellipsis")
    for entry in reversed(entries):
        table.add_row(
            Text(entry.on.isoformat() if entry.on else "—"),
            _what(entry, lang),
            Text(entry.note or ""),
            Text(entry.officer or ""),
        )
    return table
