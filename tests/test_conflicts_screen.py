"""The conflicts screen (冲突, Ctrl+K on the sync screen, or the palette) (issue 11, item 7):
every open conflict with its record, field and kept values; keep one, type a merged value
checked like the form, settle a delete against an edit; merge duplicate enterprises. In
Chinese, at 80×24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.store import Store
from fieldtui.ui.screens.conflict_data import DELETE, DUPLICATE, FIELD, check_typed
from fieldtui.ui.screens.conflicts import ConflictsScreen
from invariants import assert_rows_equal_ops
from screen_app import op_count, screen_text, wait_for, wait_for_screen
from sheet_files import USCC_OK
from sync_support import replica, ship
from sync_ui_support import SIZE, make_app, open_sync

pytestmark = pytest.mark.usefixtures("zh")

HAOHAI = "广东浩海环保设备有限公司"
BOJUN = "肇庆博俊科技有限公司"
HUAYIN = "[red]华音[/red]电器"


class Office:
    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        self.hub = replica(tmp_path / "hub.db", sync.HUB, "office")
        self.hub.officers.create(Officer(name="张三"))
        self.laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "ab[/]c")
        self.n = 0

    def up(self) -> None:
        self.n += 1
        ship(self.laptop, self.hub, self.dir / f"up-{self.n}")

    def down(self) -> None:
        self.n += 1
        ship(self.hub, self.laptop, self.dir / f"down-{self.n}")


@pytest.fixture
def office(tmp_path: Path) -> Any:
    """A hub with four kinds of open conflict and one duplicate enterprise, from a laptop."""
    o = Office(tmp_path)
    hub, laptop = o.hub, o.laptop
    haohai = hub.enterprises.create(Enterprise(name=HAOHAI, address="旧地址", employees=80))
    bojun = hub.enterprises.create(Enterprise(name=BOJUN, address="四会市"))
    o.down()
    hub.enterprises.update(haohai.id, address="中心改的地址", employees=100)
    laptop.enterprises.update(haohai.id, address="笔记本改的地址", employees=90)
    hub.enterprises.delete(bojun.id)
    laptop.enterprises.update(bojun.id, address="大旺大道8号")
    hub.enterprises.create(Enterprise(name="华音电器有限公司", uscc=USCC_OK))
    laptop.enterprises.create(Enterprise(name=HUAYIN, uscc=USCC_OK, phone="13800138000"))
    o.up()
    o.haohai, o.bojun = haohai.id, bojun.id
    yield o
    o.hub.close()
    o.laptop.close()


async def open_conflicts(pilot: Any) -> ConflictsScreen:
    await open_sync(pilot)
    await pilot.press("ctrl+k")
    screen: ConflictsScreen = await wait_for_screen(pilot, "ConflictsScreen")
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.items, what="conflicts")
    return screen


async def pick(pilot: Any, screen: ConflictsScreen, search: str, field: str) -> None:
    """Search the list, then highlight the item of that field."""
    await pilot.press(*search)
    await wait_for(pilot, lambda: screen.shown, what=f"search {search}")
    index = next(n for n, i in enumerate(screen.shown) if i.field == field)
    for _ in range(index):
        await pilot.press("down")
    await wait_for(
        pilot,
        lambda: screen.current is not None and screen.current.field == field,
        what=f"{field} highlighted",
    )


async def move_to(pilot: Any, screen: ConflictsScreen, row: int) -> None:
    """Up or Down until the values list highlights ``row``."""
    table = screen.values_table
    while table.cursor_row != row:
        await pilot.press("down" if table.cursor_row < row else "up")


def conflicts(store: Store) -> set[tuple[str, str]]:
    return {(c.row_id, c.field) for c in sync.list_conflicts(store.db)}


async def test_lists_every_conflict_with_its_record_field_and_values(
    office: Any, tmp_path: Path
) -> None:
    app = make_app(office.hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        kinds = sorted((i.kind, i.field) for i in screen.items)
        assert kinds == [
            (DELETE, "_deleted"),
            (DUPLICATE, ""),
            (FIELD, "address"),
            (FIELD, "employees"),
        ]
        text = screen_text(app)
        for seen in ("冲突", "冲突3个 · 可能重复1组", "类型", "记录", HAOHAI, "可能重复", "地址"):
            assert seen in text, seen
        # The duplicates' line shows their whole credit code at 80 columns.
        (line,) = [row for row in text.splitlines() if row.startswith("可能重复")]
        assert USCC_OK in line, line
        await pick(pilot, screen, "hhhb", "address")
        await wait_for(pilot, lambda: "笔记本改的地址" in screen_text(app), what="values")
        text = screen_text(app)
        # Each kept value with who wrote it (this database, or the laptop by name) and when.
        assert "中心改的地址" in text and "本数据库" in text and "ab[/]c" in text
        assert f"企业“{HAOHAI}” · 地址" in text
        assert "Enter 保留所选的值 · F2 输入合并后的值" in text
        # Escape clears the search; from the values, back to the list; then to the sync area.
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 4, what="search cleared")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.focused is screen.values_table, what="values")
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.focused is screen.table, what="back to the list")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")


async def test_enter_on_a_value_keeps_it_and_the_resolution_is_an_op_that_syncs(
    office: Any, tmp_path: Path
) -> None:
    hub = office.hub
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        await pick(pilot, screen, "hhhb", "address")
        ops = op_count(hub)
        await pilot.press("enter")  # to the values
        await wait_for(pilot, lambda: screen.focused is screen.values_table, what="values")
        laptop_value = next(
            n for n, c in enumerate(screen.current.choices) if c.text == "笔记本改的地址"
        )
        await move_to(pilot, screen, laptop_value)
        await pilot.press("enter")
        await wait_for(pilot, lambda: (office.haohai, "address") not in conflicts(hub))
        await wait_for(pilot, lambda: len(screen.items) == 3, what="list reloaded")
        assert screen.focused is screen.table  # back on the conflicts, for the next one
        assert hub.enterprises.require(office.haohai).address == "笔记本改的地址"
        assert op_count(hub) == ops + 1
        assert any("已解决" in n.message and "地址" in n.message for n in app._notifications)
    assert_rows_equal_ops(hub)
    office.down()
    assert (office.haohai, "address") not in conflicts(office.laptop)
    assert office.laptop.enterprises.require(office.haohai).address == "笔记本改的地址"


async def test_a_typed_value_is_checked_like_the_form(office: Any, tmp_path: Path) -> None:
    hub = office.hub
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        await pick(pilot, screen, "hhhb", "employees")
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen.focused is screen.value_input, what="the field")
        assert screen.value_input.value in ("100", "90")  # the value highlighted, to edit
        ops = op_count(hub)
        screen.value_input.value = ""
        await pilot.press(*"abc")
        expected = "从业人员：应为整数，当前为“abc”"  # names the field, says why, as the form does
        assert check_typed("enterprise", "employees", "abc") == expected
        await wait_for(pilot, lambda: screen.value_message == expected, what="inline message")
        assert expected in screen_text(app)
        await pilot.press("enter")  # refused: nothing written, the field stays open
        await wait_for(pilot, lambda: screen.value_message == expected)
        assert op_count(hub) == ops and (office.haohai, "employees") in conflicts(hub)
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"95")
        await wait_for(pilot, lambda: screen.value_message == "", what="message gone")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (office.haohai, "employees") not in conflicts(hub))
        assert hub.enterprises.require(office.haohai).employees == 95
        assert op_count(hub) == ops + 1
        await wait_for(pilot, lambda: not screen.query_one("#conflict-merge").display)
        # Escape in the field gives up without writing.
        await pick(pilot, screen, "", "address")
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen.focused is screen.value_input)
        await pilot.press(*"xyz", "escape")
        await wait_for(pilot, lambda: screen.focused is screen.values_table, what="back")
        assert op_count(hub) == ops + 1
    office.down()
    assert office.laptop.enterprises.require(office.haohai).employees == 95


async def test_the_footer_keeps_ctrl_g_while_a_merged_value_is_typed(
    office: Any, tmp_path: Path
) -> None:
    """With the merged-value field open at 80 columns, the footer used to end in "^g" cut
    off (F2 was still listed), and F2 pressed again put the highlighted value back over what
    was typed."""
    app = make_app(office.hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        await pick(pilot, screen, "hhhb", "address")
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen.focused is screen.value_input, what="the field")
        screen.value_input.value = ""
        await pilot.press(*"dwdd", "f2")
        await wait_for(pilot, lambda: screen.value_input.value == "dwdd", what="typed")

        def footer() -> str:
            return screen_text(app).splitlines()[-1]

        await wait_for(pilot, lambda: "前往其他功能区" in footer(), what=footer)
        assert "^s 保留输入的值" in footer() and "输入合并后的值" not in footer()
        await pilot.press("escape")
        await wait_for(pilot, lambda: "输入合并后的值" in footer(), what="F2 back")
        assert (office.haohai, "address") in conflicts(office.hub)  # nothing was written


@pytest.mark.parametrize("keep", ["delete", "restore"])
async def test_a_delete_against_an_edit_keeps_the_delete_or_restores_with_the_edit(
    office: Any, tmp_path: Path, keep: str
) -> None:
    hub = office.hub
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        await pick(pilot, screen, "bjkj", "_deleted")
        text = screen_text(app)
        assert "保持删除" in text and "恢复记录，并保留此修改：地址：大旺大道8号" in text
        assert "一方删除了记录，另一方修改了它" in text
        await pilot.press("f2")  # nothing to type for a delete
        await wait_for(pilot, lambda: app._notifications, what="told")
        assert screen.focused is not screen.value_input
        await pilot.press("enter")
        kind = "delete" if keep == "delete" else "edit"
        wanted = next(n for n, c in enumerate(screen.current.choices) if c.kind == kind)
        await move_to(pilot, screen, wanted)
        await pilot.press("enter")
        await wait_for(pilot, lambda: (office.bojun, "_deleted") not in conflicts(hub))
    bojun = hub.enterprises.require(office.bojun)
    assert bojun.deleted == (keep == "delete")
    assert bojun.address == "大旺大道8号"
    office.down()
    assert office.laptop.enterprises.require(office.bojun).deleted == (keep == "delete")


async def test_duplicate_enterprises_are_merged_after_a_question_with_cancel_focused(
    office: Any, tmp_path: Path
) -> None:
    hub = office.hub
    (dup,) = [e for e in hub.enterprises.list() if e.name == HUAYIN]
    (own,) = [e for e in hub.enterprises.list() if e.name == "华音电器有限公司"]
    hub.visits.create(Visit(enterprise_id=dup.id, summary="走访"))
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_conflicts(pilot)
        await pick(pilot, screen, "hy", "")
        assert screen.current is not None and screen.current.kind == DUPLICATE
        text = screen_text(app)
        assert HUAYIN in text and USCC_OK in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.focused is screen.values_table)
        # The highlighted enterprise in full, with what hangs off it, its markup literal.
        other = next(n for n, c in enumerate(screen.current.choices) if c.enterprise_id == dup.id)
        await move_to(pilot, screen, other)
        await wait_for(
            pilot, lambda: f"所选：{HUAYIN} · 1次走访" in screen_text(app), what="detail"
        )
        wanted = next(n for n, c in enumerate(screen.current.choices) if c.enterprise_id == own.id)
        await move_to(pilot, screen, wanted)
        ops = op_count(hub)
        await pilot.press("enter")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert dialog.focused is not None and dialog.focused.id == "no"
        # The question names both, markup literal (the dialog wraps it after 合并到).
        assert f"确定保留“华音电器有限公司”并将“{HUAYIN}”合并到" in screen_text(app)
        await pilot.press("enter")  # Cancel
        await wait_for_screen(pilot, "ConflictsScreen")
        assert op_count(hub) == ops
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: hub.enterprises.require(dup.id).deleted, what="merged")
        await wait_for(pilot, lambda: all(i.kind != DUPLICATE for i in screen.items))
    kept = hub.enterprises.require(own.id)
    assert kept.phone == "13800138000"
    assert [v.enterprise_id for v in hub.visits.list()] == [own.id]
    assert_rows_equal_ops(hub)
    office.down()
    assert office.laptop.enterprises.require(dup.id).deleted
    assert [v.enterprise_id for v in office.laptop.visits.list()] == [own.id]


async def test_the_palette_opens_the_conflicts_from_another_area(
    office: Any, tmp_path: Path
) -> None:
    app = make_app(office.hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, "CommandPalette")
        await pilot.press(*"同步：冲突")
        await wait_for(pilot, lambda: "同步：冲突" in screen_text(app), what="the command")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, "ConflictsScreen")
        await wait_for(pilot, lambda: len(screen.items) == 4, what="listed")
        assert app.current_area == "sync"
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")


async def test_synced_text_with_markup_is_shown_as_typed(tmp_path: Path) -> None:
    """A record's name and both kept values look like markup; each shows as it was typed,
    and a typed merged value that looks like markup is kept as typed."""
    office = Office(tmp_path)
    hub, laptop = office.hub, office.laptop
    name = "[bold]浩海[/]环保"
    row = hub.enterprises.create(Enterprise(name=name, address="旧"))
    office.down()
    hub.enterprises.update(row.id, address="[red]中心")
    laptop.enterprises.update(row.id, address="地址[/]b")
    office.up()
    app = make_app(hub, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_conflicts(pilot)
            await wait_for(pilot, lambda: "地址[/]b" in screen_text(app), what="values")
            text = screen_text(app)
            assert name in text and "[red]中心" in text and "ab[/]c" in text
            await pilot.press("f2")
            await wait_for(pilot, lambda: screen.focused is screen.value_input)
            screen.value_input.value = ""
            await pilot.press(*"[i]新[/i]", "enter")
            await wait_for(pilot, lambda: not conflicts(hub), what="settled")
            assert hub.enterprises.require(row.id).address == "[i]新[/i]"
            # The note names the record as typed, and is not read as markup.
            toasts = [n for n in app._notifications if name in n.message]
            assert toasts and not toasts[0].markup
    finally:
        hub.close()
        laptop.close()
