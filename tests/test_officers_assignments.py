"""Officer roster and the yearly assignment plan, driven by the keyboard."""

from __future__ import annotations

from textual.widgets import Button

from fieldtui.domain.records import Enterprise, Officer, Project
from fieldtui.store import Store
from fieldtui.store.assignments import (
    assign,
    officer_loads,
    pick_officers,
    pick_projects,
    plan_for_year,
)
from fieldtui.ui.screens.assignments import AssignmentsScreen
from fieldtui.ui.screens.officer_form import OfficerFormScreen
from fieldtui.ui.screens.officers import OfficersScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog
from fieldtui.ui.widgets.record_picker import RecordPicker
from fieldtui.ui.widgets.virtual_table import VirtualTable
from screen_app import (
    ScreenApp,
    burst,
    op_count,
    screen_text,
    settle,
    shows,
    type_text,
    wait_for,
    wait_for_screen,
)

# --------------------------------------------------------------------------- roster


def roster(app: ScreenApp) -> VirtualTable[object]:
    return app.screen.query_one("#officers", VirtualTable)


async def test_add_officer_by_keyboard(tmp_store: Store) -> None:
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "OfficerFormScreen")
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
        await wait_for_screen(pilot, "OfficersScreen")
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
        await wait_for(pilot, lambda: roster(app).cursor_data is not None)
        await pilot.press("enter")  # the highlighted officer opens for editing
        await wait_for_screen(pilot, "OfficerFormScreen")
        await settle(pilot)
        await pilot.press("tab", "tab", "end")  # a focused input selects its text
        await type_text(pilot, "一科")
        await pilot.press("escape")  # unsaved changes: asks
        dialog = await wait_for_screen(pilot, "UnsavedChangesDialog")
        assert isinstance(dialog, UnsavedChangesDialog)
        assert app.focused is dialog.query_one("#keep", Button)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "OfficersScreen")
        await settle(pilot)
    assert tmp_store.officers.require(officer.id).unit == "招商科一科"
    assert op_count(tmp_store, officer.id) == before + 1


async def test_delete_officer_is_a_tombstone(tmp_store: Store) -> None:
    officer = tmp_store.officers.create(Officer(name="[red]赵[/]"))
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: roster(app).cursor_data is not None)
        assert await shows(pilot, "[red]赵[/]")
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        assert await shows(pilot, "[red]赵[/]")
        await pilot.press("y")  # no letter confirms
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: tmp_store.officers.require(officer.id).deleted)
        await wait_for(pilot, lambda: roster(app).row_count == 0)


async def test_typing_on_the_roster_searches_by_name_pinyin_unit_and_phone(
    tmp_store: Store,
) -> None:
    for name, unit, phone in [
        ("张伟", "经济发展局", "13800138000"),
        ("李强", "招商科", "0758-2722284"),
        ("王敏", "投资促进服务中心", None),
    ]:
        tmp_store.officers.create(Officer(name=name, unit=unit, phone=phone))
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: roster(app).row_count == 3)
        screen = app.screen
        assert isinstance(screen, OfficersScreen)
        # pinyin order: 李 li, 王 wang, 张 zhang (code points would put 张 before 王)
        assert [o.name for o in screen.shown] == ["李强", "王敏", "张伟"]
        # Old command letters (n, e, d, r) are search text now.
        burst(pilot, *"zw")
        await wait_for(pilot, lambda: [o.name for o in screen.shown] == ["张伟"])
        burst(pilot, "escape", *"0758")
        await wait_for(pilot, lambda: [o.name for o in screen.shown] == ["李强"])
        burst(pilot, "escape", *"投资")
        await wait_for(pilot, lambda: [o.name for o in screen.shown] == ["王敏"])
        burst(pilot, "escape", *"dner")
        await wait_for(pilot, lambda: screen.search_text == "dner")
        assert screen.shown == []
        assert isinstance(app.screen, OfficersScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 3)


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


def plan_screen(app: ScreenApp) -> AssignmentsScreen:
    screen = app.screen
    assert isinstance(screen, AssignmentsScreen)
    return screen


async def plan_loaded(pilot: object, app: ScreenApp) -> AssignmentsScreen:
    await wait_for(
        pilot,  # type: ignore[arg-type]
        lambda: (
            isinstance(app.screen, AssignmentsScreen)
            and app.screen.officer_table.is_loaded
            and app.screen.row_table.is_loaded
        ),
    )
    return plan_screen(app)


async def test_build_next_years_plan_from_last_year(tmp_store: Store) -> None:
    seed_plan(tmp_store)
    app = plan_app(tmp_store, 2025)
    async with app.run_test(size=(120, 36)) as pilot:
        await plan_loaded(pilot, app)
        assert await shows(pilot, "Ctrl+L")
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("left", "enter")
        await wait_for(pilot, lambda: len(plan_for_year(tmp_store, 2025)) == 4)
        assert await shows(pilot, "日德实业")  # 李强 sorts first: his rows show
        ops_after = op_count(tmp_store)
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("left", "enter")  # again: nothing to add
        await wait_for_screen(pilot, "AssignmentsScreen")
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
        screen = await plan_loaded(pilot, app)
        assert screen.officer_id == li  # 李强 sorts before 王敏
        # assign 广上不锈钢 to 李强 through the picker
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "RecordPicker")
        burst(pilot, *"广上", "enter")
        await wait_for_screen(pilot, "AssignmentsScreen")
        await wait_for(
            pilot,
            lambda: "广上不锈钢" in {r.target_name for r in plan_for_year(tmp_store, 2024, li)},
        )
        await plan_loaded(pilot, app)
        await wait_for(pilot, lambda: len(screen.shown.get(li, [])) == 3)
        # move to the right-hand table and reassign its first row to 王敏
        await pilot.press("tab")
        await wait_for(pilot, lambda: screen.current_row() is not None)
        first = screen.current_row()
        assert first is not None
        await pilot.press("f2")
        await wait_for_screen(pilot, "RecordPicker")
        burst(pilot, "王", "enter")
        await wait_for(pilot, lambda: tmp_store.assignments.require(first.id).officer_id == wang)
        await plan_loaded(pilot, app)
        await wait_for(pilot, lambda: len(screen.shown.get(li, [])) == 2)
        # toggle the role of the highlighted row, then remove it
        await wait_for(pilot, lambda: screen.current_row() is not None)
        row = screen.current_row()
        assert row is not None
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: tmp_store.assignments.require(row.id).role != row.role)
        await plan_loaded(pilot, app)
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press(*"yx")  # no letter confirms
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("left", "enter")
        await wait_for(pilot, lambda: tmp_store.assignments.require(row.id).deleted)


async def test_past_years_stay_viewable(tmp_store: Store) -> None:
    seed_plan(tmp_store)
    app = plan_app(tmp_store, 2025)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await plan_loaded(pilot, app)
        assert screen.row_table.row_count == 0
        await pilot.press("f3")
        await wait_for(pilot, lambda: screen.year == 2024)
        await wait_for(pilot, lambda: screen.row_table.row_count == 2)
        assert await shows(pilot, "2024")


async def test_typing_on_the_plan_finds_officers_and_what_they_look_after(
    tmp_store: Store,
) -> None:
    wang, li, _enterprises, _project = seed_plan(tmp_store)
    app = plan_app(tmp_store, 2024)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await plan_loaded(pilot, app)
        assert list(screen.shown) == [li, wang]
        # an enterprise's pinyin initials: the officer holding it, with just that row
        burst(pilot, *"hydq")
        await wait_for(pilot, lambda: screen.search_text == "hydq")
        await plan_loaded(pilot, app)
        assert list(screen.shown) == [wang]
        assert [r.target_name for r in screen.shown[wang]] == ["华音电器"]
        assert screen.officer_id == wang
        # an officer's name: all of their rows
        burst(pilot, "escape", *"lq")
        await wait_for(pilot, lambda: screen.search_text == "lq")
        await plan_loaded(pilot, app)
        assert list(screen.shown) == [li]
        assert len(screen.shown[li]) == 2
        # typed on the right-hand table too
        await pilot.press("tab")
        burst(pilot, "backspace", "backspace", *"博俊")
        await wait_for(pilot, lambda: screen.search_text == "博俊")
        assert list(screen.shown) == [wang]


# --------------------------------------------------------------------------- sort and pick


def test_officers_plan_and_pickers_sort_by_pinyin(tmp_store: Store) -> None:
    """Code-point order puts 张 (U+5F20) before 王 (U+738B) and 李 (U+674E); pinyin order,
    as the ledger sorts, is 李 li, 王 wang, 张 zhang."""
    zhang = tmp_store.officers.create(Officer(name="张伟", unit="经济发展局")).id
    wang = tmp_store.officers.create(Officer(name="王敏")).id
    li = tmp_store.officers.create(Officer(name="李强")).id
    projects = ["中山项目", "阿尔卑斯家居新厂房", "博俊二期"]
    for name in projects:
        tmp_store.projects.create(Project(name=name))
    targets = [tmp_store.enterprises.create(Enterprise(name=n)).id for n in ["中兴", "华音"]]
    for officer in (zhang, wang, li):
        for target in targets:
            assign(tmp_store, 2024, officer, enterprise_id=target)
    assert [o.name for o in officer_loads(tmp_store, 2024)] == ["李强", "王敏", "张伟"]
    rows = plan_for_year(tmp_store, 2024)
    assert [(r.officer_name, r.target_name) for r in rows] == [
        ("李强", "华音"),
        ("李强", "中兴"),
        ("王敏", "华音"),
        ("王敏", "中兴"),
        ("张伟", "华音"),
        ("张伟", "中兴"),
    ]
    assert [name for _i, name, _u in pick_officers(tmp_store, "")] == ["李强", "王敏", "张伟"]
    assert [name for _i, name, _u in pick_officers(tmp_store, "zw")] == ["张伟"]
    assert [name for _i, name, _u in pick_officers(tmp_store, "经济")] == ["张伟"]
    assert [name for _i, name, _e in pick_projects(tmp_store, "")] == [
        "阿尔卑斯家居新厂房",
        "博俊二期",
        "中山项目",
    ]
    assert [name for _i, name, _e in pick_projects(tmp_store, "bj")] == ["博俊二期"]


async def test_picker_takes_a_burst_typed_as_it_opens_and_enter_waits_for_its_results(
    tmp_store: Store,
) -> None:
    """Keys typed right after the picker opens (before its box has the focus) are search
    text, and Enter picks from the results of everything typed, not from older results."""
    for name in ["广上不锈钢", "广东浩海环保设备有限公司", "博俊科技"]:
        tmp_store.enterprises.create(Enterprise(name=name))
    from fieldtui.ui.screens.assignments import search_enterprises

    app = ScreenApp(tmp_store, lambda: RecordPicker("pick", search_enterprises))
    async with app.run_test(size=(100, 30)) as pilot:
        burst(pilot, *"hhhb", "enter")
        await wait_for(pilot, lambda: app.results != [])
    [picked] = app.results
    assert tmp_store.enterprises.require(picked).name == "广东浩海环保设备有限公司"


async def test_picker_typing_on_the_results_goes_to_the_search(tmp_store: Store) -> None:
    for name in ["广上不锈钢", "博俊科技"]:
        tmp_store.enterprises.create(Enterprise(name=name))
    from fieldtui.ui.screens.assignments import search_enterprises

    app = ScreenApp(tmp_store, lambda: RecordPicker("pick", search_enterprises))
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: len(picker.items) == 2)
        await pilot.press("tab")  # onto the results
        assert app.focused is not picker.query_input
        burst(pilot, *"bj")
        await wait_for(pilot, lambda: picker.results_for == "bj")
        assert [i.label for i in picker.items] == ["博俊科技"]


async def test_long_names_are_cut_with_an_ellipsis_at_80_columns(tmp_store: Store) -> None:
    """At 80×24 a name too long for its column ends in "…" instead of being clipped by the
    screen's edge (issue 7: the plan's right-hand table ran off the screen)."""
    long_name = "广东阿尔卑斯家居智能制造股份有限公司新厂房建设项目"
    officer = tmp_store.officers.create(
        Officer(name="欧阳晓明", unit="肇庆高新技术产业开发区投资促进服务中心", phone="13800138000")
    ).id
    enterprise = tmp_store.enterprises.create(Enterprise(name=long_name)).id
    assign(tmp_store, 2024, officer, enterprise_id=enterprise)
    app = plan_app(tmp_store, 2024)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_loaded(pilot, app)
        await wait_for(pilot, lambda: "广东阿尔卑斯" in screen_text(app))
        line = next(x for x in screen_text(app).splitlines() if "广东阿尔卑斯" in x)
        assert long_name not in line and "…" in line
        assert line.rstrip().endswith("…") or "… " in line  # cut inside its column
    app = ScreenApp(tmp_store, OfficersScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "欧阳晓明" in screen_text(app))
        text = screen_text(app)
        assert "13800138000" in text  # whole, or its column is left out: never clipped
        unit_lines = [x for x in text.splitlines() if "肇庆高新" in x]
        assert all("…" in x for x in unit_lines)


async def test_pasting_a_phone_or_a_uscc_into_a_field_or_a_picker(tmp_store: Store) -> None:
    """A phone number pasted into the officer form's phone field, a USCC pasted into a
    picker's search (also while its results have the focus) arrive whole."""
    from textual import events
    from textual.widgets import Input

    app = ScreenApp(tmp_store, OfficerFormScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await wait_for_screen(pilot, "OfficerFormScreen")
        phone = form.query_one("#phone", Input)
        form.set_focus(phone)
        app.post_message(events.Paste("0758-2722284\n"))
        await wait_for(pilot, lambda: phone.value == "0758-2722284")

    uscc = "91350100M000100Y43"
    tmp_store.enterprises.create(Enterprise(name="博俊科技", uscc=uscc))
    tmp_store.enterprises.create(Enterprise(name="华音电器"))
    from fieldtui.ui.screens.assignments import search_enterprises

    app = ScreenApp(tmp_store, lambda: RecordPicker("pick", search_enterprises))
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: len(picker.items) == 2)
        await pilot.press("tab")  # the results have the focus
        app.post_message(events.Paste(uscc))
        await wait_for(pilot, lambda: picker.results_for == uscc)
        assert [item.label for item in picker.items] == ["博俊科技"]
