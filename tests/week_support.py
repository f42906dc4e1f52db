"""A small zone around one officer for the "my week", checklists and breach-list screens,
and stand-ins for the screens other areas provide (the visit entry, the problem screen), so
these tests open them by name whatever state those areas are in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from fieldtui.domain.checklists import Answer, month_of
from fieldtui.domain.records import Assignment, Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store import problems as ps
from fieldtui.store.visits import SelfCheckInput, VisitInput, save_visit
from fieldtui.ui.screens import registry

TODAY = date.today()


class StubVisitForm(Screen[None]):
    """Stands in for ``visit_form``: remembers what it was opened for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back", id="stub_visit.back", priority=True)
    ]
    opened: ClassVar[list[tuple[str | None, str | None]]] = []

    def __init__(self, visit_id: str | None = None, *, enterprise_id: str | None = None) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.enterprise_id = enterprise_id
        StubVisitForm.opened.append((visit_id, enterprise_id))

    def compose(self) -> ComposeResult:
        yield Static(f"visit form {self.visit_id} {self.enterprise_id}")

    def action_back(self) -> None:
        self.dismiss(None)


class StubProblem(Screen[None]):
    """Stands in for ``problem_detail``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back", id="stub_problem.back", priority=True)
    ]
    opened: ClassVar[list[str]] = []

    def __init__(self, problem_id: str) -> None:
        super().__init__()
        self.problem_id = problem_id
        StubProblem.opened.append(problem_id)

    def compose(self) -> ComposeResult:
        yield Static(f"problem {self.problem_id}")

    def action_back(self) -> None:
        self.dismiss(None)


def install_stub_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the stand-ins under the names the other areas' screens have."""
    StubVisitForm.opened.clear()
    StubProblem.opened.clear()
    monkeypatch.setitem(registry.SCREENS, "visit_form", f"{__name__}:StubVisitForm")
    monkeypatch.setitem(registry.SCREENS, "problem_detail", f"{__name__}:StubProblem")


@dataclass
class Week:
    me: str
    other: str
    never: str
    """Assigned, never visited."""
    colleague: str
    """Assigned, visited by a colleague 9 days ago."""
    recent: str
    """Assigned, visited by me 5 days ago and again 2 days ago (that visit still a draft)."""
    late: str
    """My problem, overdue."""
    soon: str
    """My problem, due in a month."""
    draft: str
    """My draft visit."""
    breach_visit: str
    """A visit of the colleague with a negative-list breach."""


def seed_week(store: Store, *, names: tuple[str, str, str] | None = None) -> Week:
    """Three assigned enterprises, two problems, a draft, a breach; the duty list answered
    in part for this month."""
    s = store
    names = names or ("广东浩海环保设备有限公司", "肇庆博俊科技有限公司", "华音电器有限公司")
    with s.batch():
        me = s.officers.create(Officer(name="张三", unit="经发局")).id
        other = s.officers.create(Officer(name="李四", unit="招商科")).id
        ents = [s.enterprises.create(Enterprise(name=n)).id for n in names]
        elsewhere = s.enterprises.create(Enterprise(name="四会日德机械有限公司")).id
        for e in ents:
            s.assignments.create(Assignment(year=TODAY.year, officer_id=me, enterprise_id=e))
    neg = cl.current_checklist(s, "negative")
    kept = SelfCheckInput(neg.template_id, cl.all_answered(neg))
    save_visit(s, VisitInput(ents[2], TODAY - timedelta(5), (me,), self_check=kept), today=TODAY)
    save_visit(s, VisitInput(ents[1], TODAY - timedelta(9), (other,), self_check=kept), today=TODAY)
    draft = save_visit(s, VisitInput(ents[2], TODAY - timedelta(2), (me,), person="王经理"))
    first = neg.items[0]
    answers = {**cl.all_answered(neg), first.id: Answer("breached", "接受工作午餐一次")}
    breach = save_visit(
        s,
        VisitInput(
            elsewhere,
            TODAY - timedelta(3),
            (other,),
            self_check=SelfCheckInput(neg.template_id, answers),
        ),
        today=TODAY,
    )
    late = ps.create_problem(
        s,
        ps.ProblemInput(
            ents[0],
            "factors",
            "首期用电报装进度慢",
            raised_on=TODAY - timedelta(20),
            deadline=TODAY - timedelta(1),
            officer_id=me,
        ),
        today=TODAY,
    )
    soon = ps.create_problem(
        s,
        ps.ProblemInput(
            ents[1], "approval", "规划验收", deadline=TODAY + timedelta(30), officer_id=me
        ),
        today=TODAY,
    )
    duty = cl.current_checklist(s, "duty")
    cl.save_duty_check(s, me, month_of(TODAY), duty.template_id, {duty.items[0].id: Answer("done")})
    s.set_meta("officer_id", me)
    return Week(
        me=me,
        other=other,
        never=ents[0],
        colleague=ents[1],
        recent=ents[2],
        late=late.id,
        soon=soon.id,
        draft=draft.visit_id,
        breach_visit=breach.visit_id,
    )


def visible(table: Any) -> list[Any]:
    return [r for r in table.visible_rows() if r is not None]
