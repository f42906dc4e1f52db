"""The ledger screen in the real app: list, search as you type, End, sort, user text as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store.ledger import LedgerRow
from fieldtui.ui.widgets.virtual_table import VirtualTable, fit
from screen_app import screen_text

TRICKY = ["ab[/]c", "[red]x", "back\\slash", "emoji 😀 公司", "[bold]粗体[/bold]"]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "ledger-ui.db")
    with s.batch():
        s.enterprises.create(rec.Enterprise(name="广东浩海环保设备有限公司", status="building"))
        for i in range(150):
            s.enterprises.create(rec.Enterprise(name=f"肇庆第{i:03d}号实业有限公司"))
        for name in TRICKY:
            s.enterprises.create(rec.Enterprise(name=name, status="lead"))
    return s


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


def table_of(app: Any) -> VirtualTable[LedgerRow]:
    return app.screen.query_one("#ledger-table", VirtualTable)


async def settled(pilot: Pilot[Any]) -> VirtualTable[LedgerRow]:
    """Wait until the ledger shows its rows and has counted them."""
    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if type(screen).__name__ != "LedgerScreen":
            continue
        table = table_of(pilot.app)
        if table.is_loaded and table.row_count is not None and all(table.visible_rows()):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            return table
    raise AssertionError("the ledger did not load")


def shown_names(table: VirtualTable[LedgerRow]) -> list[str]:
    return [row.name for row in table.visible_rows() if row is not None]


async def test_list_shows_rows_in_pinyin_order(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        table = await settled(pilot)
        assert table.row_count == 156
        names = shown_names(table)
        assert names[:2] == ["ab[/]c", "back\\slash"]  # by pinyin: a, b, … guang, zhao
        assert "广东浩海环保设备有限公司" in names
        text = screen_text(pilot.app)
        assert "广东浩海环保设备有限公司" in text
        assert "156" in text  # the count


async def test_typing_filters_the_list(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        table = await settled(pilot)
        await pilot.press("/", "h", "h", "h", "b")
        table = await settled(pilot)
        assert shown_names(table) == ["广东浩海环保设备有限公司"]
        assert table.row_count == 1
        # Clearing the search brings everything back; two Chinese characters work too.
        await pilot.press("escape")
        table = await settled(pilot)
        assert table.row_count == 156
        await pilot.press("/", *"环保")
        table = await settled(pilot)
        assert shown_names(table) == ["广东浩海环保设备有限公司"]


async def test_typing_on_the_list_starts_a_search(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("浩", "海")
        table = await settled(pilot)
        assert pilot.app.screen.search_input.value == "浩海"
        assert shown_names(table) == ["广东浩海环保设备有限公司"]


async def test_bound_keys_are_not_typed_into_the_search(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("0")  # the app's key for the overview area
        await pilot.pause(0.2)
        assert type(pilot.app.screen).__name__ != "LedgerScreen"
        await pilot.press("1")
        table = await settled(pilot)
        assert pilot.app.screen.search_input.value == ""
        await pilot.press("/", "0", "4", "9")
        table = await settled(pilot)
        assert shown_names(table) == ["肇庆第049号实业有限公司"]


async def test_end_jumps_to_the_last_row_and_home_back(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        table = await settled(pilot)
        last = table.row_count - 1 if table.row_count else 0
        await pilot.press("end")
        table = await settled(pilot)
        assert table.cursor_row == last
        assert table.cursor_data is not None
        assert table.cursor_data.name == "肇庆第149号实业有限公司"
        assert "肇庆第149号实业有限公司" in screen_text(pilot.app)
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row > 10


async def test_sort_changes_order(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("s")  # next column: status (workflow order: 洽谈中 first)
        table = await settled(pilot)
        rows = [r for r in table.visible_rows() if r is not None]
        assert [r.status for r in rows[: len(TRICKY)]] == ["lead"] * len(TRICKY)
        assert "状态 ▲" in screen_text(pilot.app)
        await pilot.press("r")
        table = await settled(pilot)
        rows = [r for r in table.visible_rows() if r is not None]
        assert rows[0].status == "operating"
        assert "状态 ▼" in screen_text(pilot.app)


async def test_user_text_is_shown_exactly(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(120, 40)) as pilot:
        table = await settled(pilot)
        text = screen_text(pilot.app)
        for name in TRICKY:
            assert name in text, name
        # And cell by cell, as drawn: nothing parsed, nothing dropped.
        rows = {r.name: r for r in table.visible_rows() if r is not None}
        for name in TRICKY:
            assert table.render_cells(rows[name])[0].rstrip() == name


async def test_enter_opens_detail_and_n_opens_the_form(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert type(pilot.app.screen).__name__ == "EnterpriseDetailScreen"
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("n")
        await pilot.pause(0.2)
        assert type(pilot.app.screen).__name__ == "EnterpriseFormScreen"


async def test_delete_asks_and_tombstones(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        table = await settled(pilot)
        first = table.cursor_data
        assert first is not None
        await pilot.press("d")
        await pilot.pause(0.1)
        await pilot.press("n")  # no: nothing happens
        table = await settled(pilot)
        assert table.row_count == 156
        await pilot.press("d")
        await pilot.pause(0.1)
        await pilot.press("y")
        for _ in range(100):
            await pilot.pause(0.02)
            if table_of(pilot.app).row_count == 155:
                break
        table = await settled(pilot)
        assert table.row_count == 155
        assert store.enterprises.require(first.id).deleted
        assert first.name not in shown_names(table)
        # The toast names the enterprise exactly as typed: "ab[/]c" is text, not markup.
        assert first.name == "ab[/]c"
        toasts = [n for n in pilot.app._notifications if "ab[/]c" in n.message]
        assert toasts and not toasts[0].markup


async def test_filters_combine_with_search(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("f")
        for _ in range(50):
            await pilot.pause(0.02)
            if type(pilot.app.screen).__name__ == "LedgerFilterScreen":
                break
        from textual.widgets import Select

        pilot.app.screen.query_one("#filter-status", Select).value = "lead"
        await pilot.press("ctrl+s")
        table = await settled(pilot)
        assert table.row_count == len(TRICKY)
        assert "洽谈中" in screen_text(pilot.app)
        await pilot.press("/", "a", "b")
        table = await settled(pilot)
        assert shown_names(table) == ["ab[/]c"]
        await pilot.press("escape", "x")  # clear the search, then the filters
        table = await settled(pilot)
        assert table.row_count == 156


def test_fit_cuts_by_terminal_cells() -> None:
    assert fit("浩海环保", 5) == "浩海…"
    assert fit("浩海", 5) == "浩海 "
    assert fit("a\tb\nc", 6) == "a b c "
    assert fit("12", 4, "right") == "  12"


async def test_i_opens_the_sheet_import_and_the_list_reloads_after(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SheetImportScreen"
        await pilot.press("escape")
        table = await settled(pilot)
        assert table.row_count == 156


async def test_narrow_terminal_hides_minor_columns_before_cutting_names(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        text = screen_text(pilot.app)
        assert "统一社会信用代码" not in text  # USCC column hidden at 80 columns
        assert "广东浩海环保设备有限…" in text or "广东浩海环保设备有限公司" in text
    async with make_app(store).run_test(size=(160, 30)) as pilot:
        await settled(pilot)
        text = screen_text(pilot.app)
        assert "统一社会信用代码" in text
        assert "广东浩海环保设备有限公司" in text
