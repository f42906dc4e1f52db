"""What the virtual table repaints: only lines whose row changed, and always the right rows.

A search keystroke on the ledger used to repaint every line of the list two or three times
(the old rows when the search was set, the new rows, then again for the count) and the
scrollbar twice; at 100,000 enterprises that was most of a keystroke's CPU time. These
tests count the lines drawn and check that what the table would put on screen is exactly
the current rows, whatever order sources, counts and cursor moves come in.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widgets import Static

from fieldtui.ui.widgets.table_model import ListSource, TableColumn, fit
from fieldtui.ui.widgets.virtual_table import HOLD_S, VirtualTable
from screen_app import wait_for


class CountingTable(VirtualTable[str]):
    """Records which lines were drawn (header = 0)."""

    def __init__(self) -> None:
        super().__init__([TableColumn("name", "Name", lambda row: row, width=30)], id="t")
        self.painted: list[int] = []

    def render_line(self, y: int) -> Strip:
        self.painted.append(y)
        return super().render_line(y)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTable()


def rows(prefix: str, n: int) -> list[str]:
    return [f"{prefix} {i:04d}" for i in range(n)]


async def show(pilot: Pilot[Any], table: CountingTable, data: list[str], **kw: Any) -> None:
    """Set a source and wait until its first page and count are in, and drawn."""
    table.set_source(ListSource(data), **kw)
    await wait_for(pilot, lambda: table.is_loaded and table.row_count == len(data))
    await pilot.pause()
    on_screen(table)  # what the next frame draws (if it has not been drawn yet)


def on_screen(table: CountingTable) -> list[str]:
    """The table's lines as the compositor gets them (cached lines included)."""
    strips = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [strip.text for strip in strips]


def expected(table: CountingTable, data: list[str]) -> list[str]:
    """Each body line: its row (fitted, padded to the line) or blank."""
    width = table.size.width
    top = int(table.scroll_y)
    lines = []
    for index in range(top, top + table.size.height - 1):
        text = fit(data[index], 30) if index < len(data) else ""
        lines.append(text.ljust(width)[:width])
    return lines


def body(table: CountingTable) -> list[str]:
    return [line.ljust(table.size.width)[: table.size.width] for line in on_screen(table)[1:]]


async def test_a_new_source_repaints_only_the_lines_whose_row_changed() -> None:
    async with Host().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one(CountingTable)
        first = rows("row", 3000)
        await show(pilot, table, first)
        height = table.size.height - 1

        table.painted.clear()
        # The same first five rows, then others: a search that kept its first matches.
        second = first[:5] + rows("other", 3000)
        await show(pilot, table, second)
        assert sorted(table.painted) == list(range(6, height + 1))  # each once, not 1-5
        assert body(table) == expected(table, second)

        table.painted.clear()
        await show(pilot, table, list(second))  # equal rows (a reload): nothing to draw
        assert table.painted == []


async def test_a_search_draws_nothing_until_its_rows_arrive() -> None:
    """Setting a source leaves the screen as it is (no repaint of the old rows) until the
    first page is in."""
    async with Host().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one(CountingTable)
        await show(pilot, table, rows("row", 300))
        table.painted.clear()
        table.set_sort_indicator(None)  # unchanged: a keystroke sets it every time
        table.set_source(ListSource(rows("row", 300)))
        assert on_screen(table) and table.painted == []


async def test_the_scrollbar_is_repainted_only_when_it_looks_different(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[int] = []
    render = ScrollBar.render

    def counting(self: ScrollBar) -> Any:
        drawn.append(1)
        return render(self)

    monkeypatch.setattr(ScrollBar, "render", counting)
    async with Host().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one(CountingTable)
        await show(pilot, table, rows("row", 30000))
        await pilot.pause()
        drawn.clear()
        # 29,000 rows: the thumb is still one cell at the top, so nothing to redraw.
        await show(pilot, table, rows("b", 29000))
        await pilot.pause()
        assert drawn == []
        # 40 rows: a thumb half the bar. The scrollbar must show it.
        await show(pilot, table, rows("c", 40))
        await wait_for(pilot, lambda: bool(drawn))


async def test_the_lines_are_the_current_rows_whatever_the_order_of_changes() -> None:
    async with Host().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one(CountingTable)
        steps: list[tuple[str, list[str]]] = [
            ("a", rows("row", 500)),
            ("b", rows("row", 3)),  # fewer rows than lines: blank after them
            ("c", rows("row", 500)[2:]),  # rows move up two lines
            ("d", []),
            ("e", rows("x", 150)),  # a first page and a second one
        ]
        for _name, data in steps:
            await show(pilot, table, data)
            assert body(table) == expected(table, data)

        data = rows("x", 150)
        for key in ["down", "down", "down", "up", "pagedown", "pagedown", "end", "home"]:
            await pilot.press(key)
            await wait_for(pilot, lambda: all(table.visible_rows()))
            await pilot.pause()
            assert body(table) == expected(table, data), key
        # A reload that keeps the cursor where it is, with one row's text changed.
        await pilot.press("down", "down")
        changed = list(data)
        changed[2] = "changed"
        await show(pilot, table, changed, keep_cursor=True)
        assert body(table) == expected(table, changed)


class SlowSource(ListSource[str]):
    """Rows whose first page is read only once ``gate`` is set."""

    def __init__(self, rows: list[str], gate: threading.Event) -> None:
        super().__init__(rows)
        self.gate = gate

    def fetch(self, offset: int, limit: int) -> Sequence[str]:
        self.gate.wait(10)
        return super().fetch(offset, limit)


class HostWithLabel(App[None]):
    """A table and a label (a search box's text) changed together, recording each frame."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="label")
        yield CountingTable()

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and not self._batch_count:
            label = str(self.query_one("#label", Static).render())
            self.frames.append((label, self.query_one(CountingTable).is_loaded))
        super()._display(screen, renderable)


async def test_a_slow_first_page_holds_the_screen_back_only_briefly() -> None:
    """While a new source's first page is read the screen is held (so the change that made
    it and its rows are drawn together), but for HOLD_S at most: what was typed is drawn
    even when the rows are slow to come."""
    async with HostWithLabel().run_test(size=(60, 20)) as pilot:
        app = pilot.app
        table = app.query_one(CountingTable)
        await show(pilot, table, rows("row", 300))
        gate = threading.Event()
        try:
            app.query_one("#label", Static).update("typed")
            table.set_source(SlowSource(rows("found", 300), gate))
            waited = await wait_for(
                pilot, lambda: ("typed", False) in app.frames, what="the label drawn", every=0.02
            )
            assert waited >= HOLD_S * 0.8  # not at once: it was held
        finally:
            gate.set()
        await wait_for(pilot, lambda: table.is_loaded and table.row_count == 300)
        await wait_for(pilot, lambda: ("typed", True) in app.frames, what="the rows drawn")
        assert body(table) == expected(table, rows("found", 300))
