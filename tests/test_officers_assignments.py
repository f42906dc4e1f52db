"""Officer roster and the yearly assignment plan, driven by the keyboard."""

from __future__ import annotations

from textual.widgets import DataTable

from fieldtui.domain.records import Enterprise, Officer, Project
from fieldtui.store import Store
from fieldtui.store.assignments import assign, plan_for_year
from fieldtui.ui.screens.assignments import AssignmentsScreen
from fieldtui.ui.screens.officer_form import OfficerFormScreen
from fieldtui.ui.screens.officers import OfficersScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog
from fieldtui.ui.widgets.record_picker import RecordPicker
from screen_app import ScreenApp, op_count, settle, shows, type_text

# --------------------------------------------------------------------------- roster


async def test_add_officer_by_keyboard(tmp_store: Store) -> None:
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, OfficerFormScreen)
        await pilot.press("ctrl+s")  # empty name: refused, message shown
        await settle(pilot)
        assert isinstance(app.screen, OfficerFormScreen)
        await type_text(pilot, "王敏")
        await pilot.press("tab")
        await type_text(pilot, "12345")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OfficerFormScreen)  # bad phone
        assert app.screen.query_one("#msg-phone").display  # bad phone: message shown
        await pilot.press("backspace", *["backspace"] * 5)
        await type_text(pilot, "13800138000")
        await pilot.press("tab")
        await type_text(pilot, "投资促进服务中心")
        await pilot.press("tab", "enter", "down", "enter")  # role: leader
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OfficersScreen)
        assert await shows(pilot, "王敏")
    [officer] = tmp_store.officers.list()
    assert (officer.name, officer.phone, officer.unit, officer.role) == (
        "王敏",
        "13800138000",
        "投资促进服务中心",
        "leader",
    )


async def test_edit_officer_writes_only_changes(tmp_store: Store) -> None:
    officer = tmp_store.officers.create(Officer(name="李强", phone="13800138000", unit="招商科"))
    before = op_count(tmp_store, officer.id)
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the highlighted officer opens for editing
        await settle(pilot)
        assert isinstance(app.screen, OfficerFormScreen)
        await pilot.press("tab", "tab", "end")  # a focused input selects its text
        await type_text(pilot, "一科")
        await pilot.press("escape")  # unsaved changes: asks
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, OfficersScreen)
    assert tmp_store.officers.require(officer.id).unit == "招商科一科"
    assert op_count(tmp_store, officer.id) == before + 1


async def test_delete_officer_is_a_tombstone(tmp_store: Store) -> None:
    officer = tmp_store.officers.create(Officer(name="[red]赵[/]"))
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert await shows(pilot, "[red]赵[/]")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert await shows(pilot, "[red]赵[/]")
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#officers", DataTable).row_count == 0
    assert tmp_store.officers.require(officer.id).deleted


# --------------------------------------------------------------------------- plan


def seed_plan(store: Store) -> tuple[str, str, list[str], str]:
    wang = store.officers.create(Officer(name="王敏")).id
    li = store.officers.create(Officer(name="李强")).id
    names = ["博俊科技", "华音电器", "日德实业"]
    enterprises = [store.enterprises.create(Enterprise(name=n)).id for n in names]
    project = store.projects.create(Project(name="阿尔卑斯家居新厂房")).id
    assign(store, 2024, wang, enterprise_id=enterprises[0])
    assign(store, 2024, wang, enterprise_id=enterprises[1], role="assist")
    assign(store, 2024, li, enterprise_id=enterprises[2])
    assign(store, 2024, li, project_id=project)
    return wang, li, enterprises, project


def plan_app(store: Store, year: int) -> ScreenApp:
    return ScreenApp(store, lambda: AssignmentsScreen(year=year))


async def test_build_next_years_plan_from_last_year(tmp_store: Store) -> None:
    seed_plan(tmp_store)
    app = plan_app(tmp_store, 2025)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert await shows(pilot, "Press C")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert await shows(pilot, "日德实业")  # 李强 sorts first: his rows show
        ops_after = op_count(tmp_store)
        await pilot.press("c", "y")  # again: nothing to add
        await settle(pilot)
        assert op_count(tmp_store) == ops_after
    plan_2025 = {(r.officer_name, r.target_name, r.role) for r in plan_for_year(tmp_store, 2025)}
    plan_2024 = {(r.officer_name, r.target_name, r.role) for r in plan_for_year(tmp_store, 2024)}
    assert plan_2025 == plan_2024
    assert len(plan_2025) == 4


async def test_assign_reassign_toggle_remove_by_keyboard(tmp_store: Store) -> None:
    wang, li, _enterprises, _project = seed_plan(tmp_store)
    tmp_store.enterprises.create(Enterprise(name="广上不锈钢"))
    app = plan_app(tmp_store, 2024)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssignmentsScreen)
        assert screen.officer_id == li  # 李强 sorts before 王敏
        # assign 广上不锈钢 to 李强 through the picker
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RecordPicker)
        await type_text(pilot, "广上")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        li_rows = plan_for_year(tmp_store, 2024, li)
        assert "广上不锈钢" in {r.target_name for r in li_rows}
        # move to the right-hand table and reassign the first row to 王敏
        await pilot.press("tab")
        first = screen.current_row()
        assert first is not None
        await pilot.press("o")
        await settle(pilot)
        await type_text(pilot, "王")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tmp_store.assignments.require(first.id).officer_id == wang
        # toggle the role of the highlighted row, then remove it
        row = screen.current_row()
        assert row is not None
        await pilot.press("t")
        await settle(pilot)
        assert tmp_store.assignments.require(row.id).role != row.role
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert tmp_store.assignments.require(row.id).deleted


async def test_past_years_stay_viewable(tmp_store: Store) -> None:
    seed_plan(tmp_store)
    app = plan_app(tmp_store, 2025)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssignmentsScreen)
        assert screen.query_one("#plan-rows", DataTable).row_count == 0
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.year == 2024
        assert screen.query_one("#plan-rows", DataTable).row_count == 2
        assert await shows(pilot, "2024")
