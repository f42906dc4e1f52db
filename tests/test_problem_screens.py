"""The problem ledger (诉求台账) and the problem screen, driven from the keyboard in the real
app, in Chinese at 80×24: the list (search, filters, overdue marked), a new problem with its
enterprise picked by pinyin, the workflow to resolution with its full history, refused steps
with their messages, and changes made by another process while the screen is open.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Select, Static

from fieldtui.domain import records as rec
from fieldtui.domain.enums import ProblemCategory
from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.store.problem_list import ProblemRow
from fieldtui.store.problems import (
    ProblemInput,
    change_status,
    create_problem,
    problem_history,
)
from fieldtui.store.profile import set_current_officer
from fieldtui.ui.widgets.virtual_table import VirtualTable
from screen_app import (
    burst,
    on_the_ledger,
    op_count,
    screen_text,
    shows,
    wait_for,
    wait_for_screen,
)

HAOHAI = "广东浩海环保设备有限公司"
HUAYIN = "肇庆华音电子有限公司"
TODAY = date.today()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "problems-ui.db") as s:
        zhang = s.officers.create(rec.Officer(name="张伟", unit="经发局"))
        s.officers.create(rec.Officer(name="李强", unit="招商局"))
        set_current_officer(s, "张伟")
        haohai = s.enterprises.create(rec.Enterprise(name=HAOHAI))
        huayin = s.enterprises.create(rec.Enterprise(name=HUAYIN))
        late = create_problem(
            s,
            ProblemInput(
                enterprise_id=haohai.id,
                category="factors",
                description="排污管道接入口未通",
                raised_on=TODAY - timedelta(days=40),
                deadline=TODAY - timedelta(days=3),
                lead_unit="住建局",
            ),
            recorded_by=zhang.id,
            today=TODAY,
        )
        change_status(s, late.id, "assigned", officer_id=zhang.id)
        create_problem(
            s,
            ProblemInput(
                enterprise_id=huayin.id,
                category="approval",
                description="规划验收进度慢",
                raised_on=TODAY - timedelta(days=20),
                deadline=TODAY + timedelta(days=(6 - TODAY.weekday())),  # this Sunday
                lead_unit="自然资源局",
            ),
            recorded_by=zhang.id,
            today=TODAY,
        )
        done = create_problem(
            s,
            ProblemInput(
                enterprise_id=huayin.id,
                category="factors",
                description="首期用电报装",
                raised_on=TODAY - timedelta(days=90),
                deadline=TODAY - timedelta(days=60),
                lead_unit="供电局",
            ),
            recorded_by=zhang.id,
            today=TODAY,
        )
        change_status(s, done.id, "resolved", resolution="已送电", officer_id=zhang.id)
        yield s


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


def problems_table(app: Any) -> VirtualTable[ProblemRow]:
    return app.screen.query_one("#problems-table", VirtualTable)


async def problem_list(pilot: Pilot[Any]) -> Any:
    """Go to the problem ledger (Ctrl+G 3) and wait for its rows."""
    await on_the_ledger(pilot)
    await pilot.press("ctrl+g", "3")
    screen = await wait_for_screen(pilot, "ProblemsScreen")
    await listed(pilot)
    return screen


async def listed(pilot: Pilot[Any]) -> VirtualTable[ProblemRow]:
    def ready() -> bool:
        screen = pilot.app.screen
        if type(screen).__name__ != "ProblemsScreen":
            return False
        table = problems_table(pilot.app)
        return (
            table.is_loaded
            and table.row_count is not None
            and all(table.visible_rows())
            and screen.search_text == screen.filter.text
        )

    await wait_for(pilot, ready, what="the problem list")
    return problems_table(pilot.app)


def descriptions(table: VirtualTable[ProblemRow]) -> list[str]:
    return [row.description for row in table.visible_rows() if row is not None]


def problem_id(store: Store, description: str) -> str:
    row = store.db.execute_sql(
        "SELECT id FROM problem WHERE description = ?", (description,)
    ).fetchone()
    return str(row[0])


def officer_id(store: Store, name: str) -> str:
    row = store.db.execute_sql("SELECT id FROM officer WHERE name = ?", (name,)).fetchone()
    return str(row[0])


def history_kinds(store: Store, pid: str) -> list[tuple[str, str | None]]:
    return [(e.kind, e.status) for e in problem_history(store, pid)]


def rendered(static: Static, width: int = 78) -> str:
    """What a Static shows, as plain text (also the part scrolled out of view)."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(static.content)
    return out.getvalue()


async def open_problem(pilot: Pilot[Any], description: str) -> Any:
    """From the list: search the description, Enter; wait for the problem and its history."""
    burst(pilot, *description)
    await wait_for(
        pilot, lambda: descriptions(problems_table(pilot.app)) == [description], what=description
    )
    await pilot.press("enter")
    screen = await wait_for_screen(pilot, "ProblemScreen")
    await wait_for(pilot, lambda: screen.ready and screen.problem is not None and screen.history)
    return screen


def notified(app: Any, text: str) -> bool:
    return any(text in n.message for n in app._notifications)


# --------------------------------------------------------------------------- the list


async def test_the_list_at_80x24_marks_overdue_and_filters_from_the_keyboard(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await problem_list(pilot)
        table = problems_table(pilot.app)
        assert table.row_count == 3
        # The enterprise, the description, the status (超期 first) and the deadline fit;
        # the footer has the quick filters.
        expected = ["诉求台账", "3条", HAOHAI[:8], "排污管道接入口", "超期 已交办", "已办结"]
        expected += ["规划验收进度慢", "f3 超期", "f4 本周到期"]
        await wait_for(
            pilot,
            lambda: all(part in screen_text(pilot.app) for part in expected),
            what=f"{expected} in {screen_text(pilot.app)}",
        )
        late = next(r for r in table.visible_rows() if r and r.overdue)
        status = next(c for c in table.columns if c.key == "status").cell(late)
        assert not isinstance(status, str) and "red" in str(status.style)

        # Typing searches: pinyin initials of the enterprise.
        burst(pilot, *"hhhb")
        await wait_for(
            pilot, lambda: descriptions(problems_table(pilot.app)) == ["排污管道接入口未通"]
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: problems_table(pilot.app).row_count == 3)

        # F3: overdue only (the resolved one, past its deadline, is not overdue); F3 again: all.
        await pilot.press("f3")
        await wait_for(
            pilot, lambda: descriptions(problems_table(pilot.app)) == ["排污管道接入口未通"]
        )
        assert await shows(pilot, "筛选：超期")
        await pilot.press("f3", "f4")
        await wait_for(pilot, lambda: descriptions(problems_table(pilot.app)) == ["规划验收进度慢"])
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: problems_table(pilot.app).row_count == 3)

        # Ctrl+F: the dialog; a lead unit and the unresolved ones.
        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "ProblemFilterScreen")
        unit = dialog.query_one("#filter-unit", Select)
        await wait_for(pilot, lambda: len(unit._options) == 4)  # the prompt and 3 units
        unit.value = "供电局"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemsScreen")
        await wait_for(pilot, lambda: descriptions(problems_table(pilot.app)) == ["首期用电报装"])
        assert await shows(pilot, "主办单位：供电局")
        assert screen.filter.lead_unit == "供电局"

        # Enter opens the problem.
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: detail.problem is not None)
        assert detail.problem.description == "首期用电报装"


# --------------------------------------------------------------------------- new, and the workflow


async def test_a_problem_recorded_and_followed_to_resolution_from_the_keyboard(
    store: Store, zh: None
) -> None:
    deadline = TODAY + timedelta(days=10)
    later = deadline + timedelta(days=14)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await problem_list(pilot)
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "ProblemFormScreen")
        await wait_for(pilot, lambda: form.ready)
        # The enterprise: typed on its field, the picker searches by pinyin; Enter chooses.
        burst(pilot, *"hhhb")
        picker = await wait_for_screen(pilot, "TypedPicker")
        await wait_for(pilot, lambda: picker.results_for == "hhhb" and picker.items)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ProblemFormScreen")
        await wait_for(pilot, lambda: HAOHAI in screen_text(pilot.app))
        # Category: open the list, first category, Enter.
        await pilot.press("tab", "enter", "down", "enter")
        await pilot.press("tab")
        burst(pilot, *"迁移高压线")
        await pilot.press("tab", "tab", "tab", "tab")  # raised today; lead and assisting units
        burst(pilot, *deadline.isoformat())
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemsScreen")
        await listed(pilot)

        pid = problem_id(store, "迁移高压线")
        problem = store.problems.get(pid)
        assert problem is not None
        assert problem.status == "new" and problem.deadline == deadline
        assert problem.category == next(iter(ProblemCategory)).code
        assert problem.officer_id == officer_id(store, "张伟")  # who uses this laptop
        assert problem.raised_on == TODAY

        screen = await open_problem(pilot, "迁移高压线")
        assert await shows(pilot, "待交办")

        # F3: assigned (offered first), with the lead unit.
        await pilot.press("f3")
        dialog = await wait_for_screen(pilot, "StatusDialog")
        assert dialog.choices == ("assigned", "in_progress", "resolved", "unresolvable")
        await pilot.press("tab")
        burst(pilot, *"供电局")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem.status == "assigned")
        # F3: in progress (the first step from assigned).
        await pilot.press("f3")
        await wait_for_screen(pilot, "StatusDialog")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem.status == "in_progress")
        # F4: a later deadline, with its reason.
        await pilot.press("f4")
        await wait_for_screen(pilot, "ExtendDialog")
        burst(pilot, *later.isoformat())
        await pilot.press("tab")
        burst(pilot, *"线路改造需停电审批")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem.deadline == later)
        # The form shows the extended deadline at once (it was not touched there).
        assert form_value(screen, "deadline") == later.isoformat()
        # F6: a note.
        await pilot.press("f6")
        await wait_for_screen(pilot, "NoteDialog")
        burst(pilot, *"已电话催办")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        # F3: resolved (first from in progress), with the resolution.
        await pilot.press("f3")
        dialog = await wait_for_screen(pilot, "StatusDialog")
        assert dialog.choices[0] == "resolved"
        await pilot.press("tab")
        burst(pilot, *"高压线已迁移")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem.status == "resolved")
        # F7: the follow-up call, satisfied (offered first).
        await pilot.press("f7")
        await wait_for_screen(pilot, "FollowUpDialog")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem.satisfaction == "satisfied")

        stored = store.problems.get(pid)
        assert stored is not None
        assert (stored.status, stored.lead_unit, stored.deadline) == ("resolved", "供电局", later)
        assert (stored.resolved_on, stored.resolution) == (TODAY, "高压线已迁移")
        assert stored.satisfaction == "satisfied"
        assert history_kinds(store, pid) == [
            ("status", "new"),
            ("status", "assigned"),
            ("status", "in_progress"),
            ("extension", None),
            ("note", None),
            ("status", "resolved"),
            ("follow_up", None),
        ]
        assert not store.problems.conflict_fields(pid)
        assert not screen.dirty

        # The history on screen, newest first, every entry dated and signed.
        await wait_for(pilot, lambda: len(screen.history) == 7)
        shown = rendered(screen.query_one("#problem-history", Static))
        order = ["回访：满意", "高压线已迁移", "已电话催办", f"延期至{later.isoformat()}"]
        order += ["线路改造需停电审批", "办理中", "已交办", "待交办"]
        positions = [shown.index(part) for part in order]
        assert positions == sorted(positions), shown
        assert shown.count(TODAY.isoformat()) == 7 and "张伟" in shown
        state = rendered(screen.query_one("#problem-state", Static))
        assert "已办结" in state and "满意" in state


def form_value(screen: Any, name: str) -> str | None:
    return screen.raw().get(name)


# --------------------------------------------------------------------------- refusals


async def test_refused_steps_keep_the_dialog_open_with_their_message(
    store: Store, zh: None
) -> None:
    pid = problem_id(store, "规划验收进度慢")
    store.problems.update(pid, lead_unit=None)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await problem_list(pilot)
        screen = await open_problem(pilot, "规划验收进度慢")
        ops = op_count(store)

        # Assigning needs the lead unit.
        await pilot.press("f3")
        dialog = await wait_for_screen(pilot, "StatusDialog")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "lead_unit" in dialog.errors_shown())
        assert dialog.errors_shown()["lead_unit"] == _(
            "Give the lead unit the problem is assigned to"
        )
        assert "请" in dialog.errors_shown()["lead_unit"]  # in Chinese
        # Resolving needs the resolution.
        assert pilot.app.focused.id == "lead_unit"  # the field at fault has the focus
        await pilot.press("shift+tab", "down", "down")  # assigned → in progress → resolved
        assert dialog.target == "resolved"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "resolution" in dialog.errors_shown())
        assert op_count(store) == ops
        await pilot.press("escape")
        await wait_for_screen(pilot, "ProblemScreen")

        # Assigned (by another process), going back to 待交办 needs a reason.
        with Store(store.path) as other:
            change_status(other, pid, "assigned", lead_unit="自然资源局")
        await wait_for(pilot, lambda: screen.problem.status == "assigned")
        ops = op_count(store)
        await pilot.press("f3")
        dialog = await wait_for_screen(pilot, "StatusDialog")
        assert dialog.choices == ("in_progress", "resolved", "unresolvable", "new")
        await pilot.press("end")
        assert dialog.target == "new"
        assert await shows(pilot, "原因 *")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "note" in dialog.errors_shown())
        assert dialog.errors_shown()["note"] == _("Give the reason for going back a step")
        assert op_count(store) == ops
        await pilot.press("escape")
        await wait_for_screen(pilot, "ProblemScreen")

        # An extension must be later than the deadline.
        await pilot.press("f4")
        dialog = await wait_for_screen(pilot, "ExtendDialog")
        burst(pilot, *TODAY.isoformat())
        await pilot.press("tab")
        burst(pilot, *"原因")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "deadline" in dialog.errors_shown())
        deadline = store.problems.get(pid).deadline  # type: ignore[union-attr]
        assert dialog.errors_shown()["deadline"] == _(
            "The new deadline {new} is not later than the current one ({old})"
        ).format(new=TODAY.isoformat(), old=deadline.isoformat())
        await pilot.press("escape")
        await wait_for_screen(pilot, "ProblemScreen")

        # The follow-up call is for resolved problems only: said, no dialog.
        await pilot.press("f7")
        refusal = _("Only a resolved problem gets a follow-up call; this one is {status}")
        await wait_for(pilot, lambda: notified(pilot.app, refusal.format(status="已交办")))
        assert type(pilot.app.screen).__name__ == "ProblemScreen"
        assert op_count(store) == ops
        assert history_kinds(store, pid) == [("status", "new"), ("status", "assigned")]


# --------------------------------------------------------------------------- another process


async def test_a_status_changed_elsewhere_is_shown_and_a_concurrent_step_is_a_conflict(
    store: Store, zh: None
) -> None:
    pid = problem_id(store, "规划验收进度慢")
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await problem_list(pilot)
        screen = await open_problem(pilot, "规划验收进度慢")
        # Another process assigns it: the screen follows (state line and history).
        with Store(store.path) as other:
            change_status(other, pid, "assigned", note="办公室交办")
        await wait_for(pilot, lambda: screen.problem.status == "assigned")
        await wait_for(pilot, lambda: len(screen.history) == 2)
        assert "已交办" in rendered(screen.query_one("#problem-state", Static))

        # The dialog is open when another process moves the problem on: our step is kept
        # beside theirs as a conflict, both in the history, nothing lost.
        await pilot.press("f3")
        dialog = await wait_for_screen(pilot, "StatusDialog")
        with Store(store.path) as other:
            change_status(other, pid, "in_progress", note="已开始办理")
        await pilot.press("down")  # in progress → resolved
        assert dialog.target == "resolved"
        await pilot.press("tab")
        burst(pilot, *"验收已通过")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: notified(pilot.app, "冲突"))
        assert "status" in store.problems.conflict_fields(pid)
        values = {
            json.loads(r[0])
            for r in store.db.execute_sql(
                "SELECT value FROM op WHERE tbl = 'problem' AND row_id = ? AND field = 'status'",
                (pid,),
            ).fetchall()
        }
        assert values == {"new", "assigned", "in_progress", "resolved"}  # every one kept
        assert [s for _k, s in history_kinds(store, pid)] == [
            "new",
            "assigned",
            "in_progress",
            "resolved",
        ]


async def test_a_form_edit_and_an_outside_edit_of_the_same_field_become_a_conflict(
    store: Store, zh: None
) -> None:
    pid = problem_id(store, "规划验收进度慢")
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await problem_list(pilot)
        screen = await open_problem(pilot, "规划验收进度慢")
        screen.query_one("#lead_unit").focus()
        burst(pilot, *"（市）")
        await wait_for(pilot, lambda: screen.dirty)
        with Store(store.path) as other:
            other.problems.update(pid, lead_unit="住建局")
        await wait_for(pilot, lambda: "主办单位" in screen.notice)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(pilot.app, "冲突"))
        assert "lead_unit" in store.problems.conflict_fields(pid)
        assert screen.is_attached  # a stored problem's screen stays open after saving


# --------------------------------------------------------------------------- the timeline


async def test_a_problem_on_the_enterprise_timeline_opens_the_problem(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await on_the_ledger(pilot)
        burst(pilot, *"hhhb")
        await wait_for(pilot, lambda: pilot.app.screen.filter.text == "hhhb")
        await wait_for(pilot, lambda: pilot.app.screen.table.row_count == 1)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: len(detail.timeline_entries) == 1)
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, "ProblemScreen")
        await wait_for(pilot, lambda: screen.problem is not None)
        assert screen.problem.description == "排污管道接入口未通"
        await pilot.press("escape")
        await wait_for_screen(pilot, "EnterpriseDetailScreen")


# --------------------------------------------------------------------------- drafts


async def test_a_new_problem_left_unsaved_by_a_crash_is_restored_and_saved(
    store: Store, zh: None
) -> None:
    from fieldtui.store.drafts import Draft, list_drafts, save_draft

    haohai = store.db.execute_sql("SELECT id FROM enterprise WHERE name = ?", (HAOHAI,))
    fields: dict[str, str | None] = {
        "enterprise_id": str(haohai.fetchone()[0]),
        "category": "safety",
        "description": "危废暂存间需验收",
        "raised_on": TODAY.isoformat(),
        "lead_unit": "生态环境分局",
    }
    save_draft(
        store,
        Draft(
            id="left",
            kind="problem",
            title="危废暂存间需验收",
            fields=fields,
            base={"raised_on": TODAY.isoformat()},
            owner="another-laptop:4242",
        ),
    )
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "DraftsDialog")
        await pilot.press("enter")
        form = await wait_for_screen(pilot, "ProblemFormScreen")
        await wait_for(pilot, lambda: form.ready and HAOHAI in screen_text(pilot.app))
        assert form.dirty and pilot.app.current_mode == "problems"
        for _round in range(5):  # the Enter that restored it opens nothing on the form
            await pilot.pause()
        assert pilot.app.screen is form
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProblemsScreen")
    pid = problem_id(store, "危废暂存间需验收")
    problem = store.problems.get(pid)
    assert problem is not None and problem.lead_unit == "生态环境分局"
    assert problem.category == "safety" and problem.status == "new"
    assert history_kinds(store, pid) == [("status", "new")]
    assert not list_drafts(store)


async def test_a_new_problem_for_an_enterprise_in_context(store: Store, zh: None) -> None:
    """``problem_form`` opened with an enterprise (from its record or "my week"): the
    enterprise is filled in, the form is not changed yet, and two fields make a problem."""
    from fieldtui.ui.screens.registry import make_screen
    from screen_app import ScreenApp

    huayin = store.db.execute_sql("SELECT id FROM enterprise WHERE name = ?", (HUAYIN,))
    enterprise_id = str(huayin.fetchone()[0])
    app = ScreenApp(store, lambda: make_screen("problem_form", enterprise_id=enterprise_id), "zh")
    app.officer_id = officer_id(store, "李强")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await wait_for_screen(pilot, "ProblemFormScreen")
        await wait_for(pilot, lambda: form.ready and HUAYIN in screen_text(pilot.app))
        assert not form.dirty
        assert await shows(pilot, "李强")  # who follows it: this laptop's officer
        await pilot.press("tab", "enter", "down", "down", "enter", "tab")
        burst(pilot, *"蒸汽管道未接通")
        await wait_for(pilot, lambda: form.dirty)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.results))
    pid = problem_id(store, "蒸汽管道未接通")
    problem = store.problems.get(pid)
    assert problem is not None and app.results == [pid]
    assert (problem.enterprise_id, problem.officer_id) == (enterprise_id, officer_id(store, "李强"))
    assert problem.category == list(ProblemCategory)[1].code
