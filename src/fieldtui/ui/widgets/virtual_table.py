"""A table over any number of rows: draws only the visible lines, fetches pages on demand.

Textual's ``DataTable`` holds every row as widgets' data and takes ~12 s to show 100,000, so
lists of records use this instead. It is a Line-API widget (``ScrollView`` + ``render_line``,
as Textualize's toolong does for huge logs): the virtual height is the row count, and each
visible line is drawn from a page cache that thread workers fill from a :class:`TableSource`
(``count()`` and ``fetch(offset, limit)``; ``fieldtui.store.ledger.LedgerQuery`` is one). A
row not fetched yet shows a placeholder until its page arrives.

A new source shows its first page before it is counted (a count can cost tens of ms on a
big search), and keeps the previous rows on screen until then, so typing into a search box
never flashes an empty list. While its first page and count are read (a few ms, in one
worker) the screen is not updated (at most :data:`HOLD_S`): the keystroke that made the
source, the rows it finds and their count are drawn in one frame. A frame for the search box
alone, then one for the rows, then one for the count would triple the keystroke's drawing
and push each later frame back to the next slot of Textual's 60 Hz refresh.

Cells are user text: they are drawn as plain segments, never parsed as markup, with control
characters replaced, and are cut and padded by terminal cells (CJK characters are two wide).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.message_pump import MessagePump
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.timer import Timer

from fieldtui.i18n import N_, _
from fieldtui.ui.widgets.table_model import (
    Cell,
    ListSource,
    TableColumn,
    TableSource,
    fit,
    plain,
)

__all__ = ["ListSource", "TableColumn", "TableSource", "VirtualTable", "fit"]

RowT = TypeVar("RowT")

PAGE_SIZE = 100
"""Rows per fetch: a screenful or three, so one query serves several PageDowns."""

MAX_PAGES = 40
"""Pages kept in memory (4,000 rows); the farthest from the view are dropped first."""

CELL_CACHE = 2000
"""Rows whose fitted cells are remembered (forgotten all at once when full)."""

SETTLE_STEPS = 3
"""Event-loop turns a held screen waits, once the rows and count are in, for the widgets
they changed to ask for their repaint."""

HOLD_S = 0.05
"""Longest a new source holds the screen's updates back while its first page and count
are read."""


@dataclass(frozen=True, slots=True)
class _Pass(Generic[RowT]):
    """Geometry shared by the lines of one render pass."""

    top: int
    scroll_x: int
    view: int
    """Cells not under the vertical scrollbar."""
    width: int
    """The content's width, scrollbar included."""
    total: int
    """The columns' width."""
    shown: list[tuple[TableColumn[RowT], int]]


class VirtualTable(ScrollView, Generic[RowT], can_focus=True):
    """A keyboard-driven list of rows from a :class:`TableSource`."""

    BINDING_GROUP_TITLE = N_("Table")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", _("Previous row"), id="table.up", show=False),
        Binding("down", "cursor_down", _("Next row"), id="table.down", show=False),
        Binding("pageup", "page_up", _("Page up"), id="table.page_up", show=False),
        Binding("pagedown", "page_down", _("Page down"), id="table.page_down", show=False),
        Binding("home", "first", _("First row"), id="table.first", show=False),
        Binding("end", "last", _("Last row"), id="table.last", show=False),
        Binding("left", "scroll_columns(-8)", _("Scroll left"), id="table.left", show=False),
        Binding("right", "scroll_columns(8)", _("Scroll right"), id="table.right", show=False),
        Binding("ctrl+pageup", "page_left", _("Page Left"), id="table.page_left", show=False),
        Binding("ctrl+pagedown", "page_right", _("Page Right"), id="table.page_right", show=False),
        Binding("enter", "select", _("Open"), id="table.select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }
    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: auto;
        overflow-y: scroll;
    }
    VirtualTable > .virtual-table--header {
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    VirtualTable > .virtual-table--cursor {
        background: $secondary 40%;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--placeholder {
        color: $text-muted;
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowSelected(Message):
        """Enter (or a click on the cursor row) on a loaded row.

        Enter pressed while a new source's first page is still on its way (a search typed
        and Enter pressed at once) selects the cursor row of that page when it arrives, so
        the record opened is one the search found, never a stale row still on screen.
        """

        def __init__(self, table: VirtualTable[Any], index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class CursorMoved(Message):
        """The cursor went to another row (by key, click or a new source)."""

        def __init__(self, table: VirtualTable[Any], index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class DataShown(Message):
        """The first page of a new source is on screen; ``count`` is None until counted."""

        def __init__(self, table: VirtualTable[Any], generation: int, count: int | None) -> None:
            super().__init__()
            self.table = table
            self.generation = generation
            self.count = count

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class Counted(Message):
        """The current source's row count is known."""

        def __init__(self, table: VirtualTable[Any], generation: int, count: int) -> None:
            super().__init__()
            self.table = table
            self.generation = generation
            self.count = count

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class HeaderClicked(Message):
        def __init__(self, table: VirtualTable[Any], column_key: str) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class Failed(Message):
        """A fetch raised; the table keeps what it had."""

        def __init__(self, table: VirtualTable[Any], error: Exception) -> None:
            super().__init__()
            self.table = table
            self.error = error

        @property
        def control(self) -> VirtualTable[Any]:
            return self.table

    class _Page(Message):
        def __init__(
            self, generation: int, page: int, rows: Sequence[Any], first: bool = False
        ) -> None:
            super().__init__()
            self.generation = generation
            self.page = page
            self.rows = rows
            self.first = first

    class _FirstFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class _Count(Message):
        def __init__(self, generation: int, count: int) -> None:
            super().__init__()
            self.generation = generation
            self.count = count

    class _CountFailed(Message):
        def __init__(self, generation: int, error: Exception) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(
        self,
        columns: Sequence[TableColumn[RowT]],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: list[TableColumn[RowT]] = list(columns)
        self._widths: list[int] = []
        self._source: TableSource[RowT] | None = None
        self.generation = 0
        """Incremented by every :meth:`set_source`; results of older ones are dropped."""
        self._pages: dict[int, Sequence[RowT]] = {}
        self._fresh: set[int] = set()
        """Pages of the current generation (others are stale rows shown until replaced)."""
        self._pending: set[int] = set()
        self._count: int | None = None
        self._shown_count = 0
        """Rows the scroll range currently covers (the count, or a provisional one)."""
        self._first_shown = False
        self._first_busy = False
        self._first_queued = False
        self._end_requested = False
        self._keep = False
        self._cursor_target: int | None = None
        """Where the cursor goes once the current source has that many rows."""
        self._select_pending = False
        self._when_loaded: list[Callable[[], None]] = []
        self._sort_key: str | None = None
        self._sort_descending = False
        self.placeholder = "…"
        self._cell_cache: dict[Any, tuple[tuple[str, Style | None], ...]] = {}
        self._drawn: dict[int, tuple[Any, ...]] = {}
        """Screen line → :meth:`_line_key` of what was last drawn there."""
        self._style_cache: dict[str, Style] | None = None
        self._pass: _Pass[RowT] | None = None
        self._hold: AbstractContextManager[None] | None = None
        self._hold_timer: Timer | None = None
        self._ahead: tuple[int, list[int]] | None = None
        """Pages to read ahead once the held frame is drawn: (generation, pages)."""

    # -- public API ---------------------------------------------------------------------

    @property
    def columns(self) -> Sequence[TableColumn[RowT]]:
        return self._columns

    @property
    def row_count(self) -> int | None:
        """The current source's row count, or None while it is being counted."""
        return self._count

    @property
    def is_loaded(self) -> bool:
        """True once the current source's first page is on screen."""
        return self._first_shown

    def set_columns(self, columns: Sequence[TableColumn[RowT]]) -> None:
        self._columns = list(columns)
        self._layout_columns()
        self.refresh()

    def set_sort_indicator(self, column_key: str | None, descending: bool = False) -> None:
        """Show ▲/▼ after a column title (repaints the header line only, and only if it
        changed: every search keystroke sets it)."""
        if (column_key, descending) == (self._sort_key, self._sort_descending):
            return
        self._sort_key = column_key
        self._sort_descending = descending
        self._refresh_header()

    def set_source(
        self, source: TableSource[RowT], *, keep_cursor: bool = False, cursor: int | None = None
    ) -> int:
        """Show another source (a new search or filter, or the same one after a write).

        The rows on screen stay until the new first page arrives. ``keep_cursor`` keeps the
        cursor's position (clamped to the new count), e.g. after editing a row; ``cursor``
        puts it on that row once loaded (a record found again by id after a reload);
        otherwise the cursor goes to the top. Returns the new generation.
        """
        self.generation += 1
        self._cursor_target = cursor
        self._source = source
        self._count = None
        self._fresh.clear()
        self._pending.clear()
        self._first_shown = False
        self._end_requested = False
        self._keep = keep_cursor
        if not keep_cursor:
            # Nothing on screen changes until the first page arrives (then the whole list is
            # repainted once): a search keystroke must not repaint the old rows first.
            if self.cursor_row != 0:
                self.cursor_row = 0
            if self.scroll_y:
                self.scroll_to(y=0, animate=False, immediate=True)
        self._hold_screen()
        if self._first_busy:
            # One first-page query at a time: keystrokes that arrive meanwhile collapse into
            # the latest, started when the running one returns (a debounce with no delay).
            self._first_queued = True
        else:
            self._load_first()
        return self.generation

    def reload(self) -> int:
        """Fetch the current source again, keeping the cursor (after a write)."""
        if self._source is None:
            return self.generation
        return self.set_source(self._source, keep_cursor=True)

    def row_at(self, index: int) -> RowT | None:
        """The loaded row at ``index`` (None if not fetched yet or out of range)."""
        if index < 0 or index >= self._shown_count:
            return None
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def cursor_data(self) -> RowT | None:
        return self.row_at(self.cursor_row)

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now if the current source's first page is shown, else when it is.

        For commands on the highlighted row typed right after a search (F2, Delete): they
        must act on a row the new search shows, not on one left from before it.
        """
        if self._first_shown:
            callback()
        else:
            self._when_loaded.append(callback)

    def visible_rows(self) -> list[RowT | None]:
        """The rows on screen, top to bottom (None for placeholders): for tests and tools."""
        top = int(self.scroll_y)
        return [
            self.row_at(i) for i in range(top, min(top + self._body_height(), self._shown_count))
        ]

    def render_cells(self, row: RowT) -> list[str]:
        """The row's cells as drawn (fitted to the column widths): for tests and tools."""
        if not self._widths:
            self._layout_columns()
        return [
            fit(plain(col.cell(row)), width, col.align)
            for col, width in zip(self._columns, self._widths, strict=True)
        ]

    # -- holding the screen ---------------------------------------------------------------

    def _hold_screen(self) -> None:
        """Hold the app's screen updates until the first page is in (or :data:`HOLD_S`)."""
        if self._hold is not None or not self.is_attached or not self.screen.is_current:
            return
        hold = self.app.batch_update()
        hold.__enter__()
        self._hold = hold
        self._hold_timer = self.set_timer(HOLD_S, self._release_screen, name="table-hold")

    def _release_screen(self) -> None:
        hold, self._hold = self._hold, None
        timer, self._hold_timer = self._hold_timer, None
        if timer is not None:
            timer.stop()
        if hold is not None:
            hold.__exit__(None, None, None)
            # What was refreshed meanwhile is drawn at the screen's next idle.
            self.screen.check_idle()
        if self._ahead is not None:
            self.call_after_refresh(self._read_ahead, *self._ahead)
            self._ahead = None

    def _release_after_bubbling(self) -> None:
        """Release the screen once the messages posted so far (``DataShown``, ``Counted``)
        have bubbled up to the screen and been handled there (the count label beside a
        search box is set by the screen): by a callback queued behind them on each node."""
        if self._hold is None:
            return
        screen = self.screen
        chain: list[MessagePump] = [self]
        for node in self.ancestors:  # up to the screen
            chain.append(node)
            if node is screen:
                break

        async def release() -> None:
            # A widget the screen's handlers changed (the count label) tells the screen
            # from its own task: let the tasks that are ready run first.
            for _step in range(SETTLE_STEPS):
                await asyncio.sleep(0)
            self._release_screen()

        def step(index: int) -> None:
            if index == len(chain):
                chain[-1].call_later(release)
            else:
                chain[index].call_later(step, index + 1)

        step(0)

    def on_unmount(self) -> None:
        self._release_screen()

    # -- loading ------------------------------------------------------------------------

    def _first_page_index(self) -> int:
        return max(0, min(self.cursor_row, int(self.scroll_y))) // PAGE_SIZE

    def _load_first(self) -> None:
        source = self._source
        if source is None:
            return
        generation = self.generation
        page = self._first_page_index()

        def work() -> None:
            try:
                rows = source.fetch(page * PAGE_SIZE, PAGE_SIZE)
            except Exception as exc:  # reported, never fatal: the list keeps its rows
                self.post_message(self._FirstFailed(exc))
                return
            self.post_message(self._Page(generation, page, rows, first=True))
            if (page == 0 and len(rows) < PAGE_SIZE) or generation != self.generation:
                return  # the page is the whole list, or another source replaced this one
            # Counted here, right after the page, rather than by a worker started when the
            # page has reached the UI thread: the count usually arrives before the screen's
            # next refresh, so the rows and their count are painted together.
            try:
                count = source.count()
            except Exception as exc:
                self.post_message(self._CountFailed(generation, exc))
                return
            self.post_message(self._Count(generation, count))

        self._first_busy = True
        self._pending.add(page)
        self.run_worker(work, thread=True, group="virtual-table-first")

    def _first_done(self) -> None:
        self._first_busy = False
        if self._first_queued:
            self._first_queued = False
            self._load_first()

    @on(_FirstFailed)
    def _first_failed(self, message: _FirstFailed) -> None:
        message.stop()
        self._select_pending = False
        self._when_loaded.clear()
        self._first_done()
        self._release_screen()
        self.post_message(self.Failed(self, message.error))

    def _load_page(self, page: int) -> None:
        source = self._source
        if source is None or page in self._pending:
            return
        generation = self.generation
        self._pending.add(page)

        def work() -> None:
            try:
                rows = source.fetch(page * PAGE_SIZE, PAGE_SIZE)
            except Exception as exc:
                self.post_message(self.Failed(self, exc))
                return
            self.post_message(self._Page(generation, page, rows))

        self.run_worker(work, thread=True, group="virtual-table-pages")

    def _want_visible(self) -> None:
        """Request the pages the view (and one page either side) needs."""
        if self._source is None or self._count is None:
            return
        top = int(self.scroll_y)
        bottom = min(top + self._body_height(), self._count) - 1
        if bottom < top:
            return
        first, last = top // PAGE_SIZE, bottom // PAGE_SIZE
        for p in range(first, last + 1):
            if p not in self._fresh:
                self._load_page(p)
        around = [p for p in (first - 1, last + 1) if 0 <= p * PAGE_SIZE < self._count]
        if around:
            # Read ahead once the screen is drawn: a worker building rows now would hold
            # the GIL while the frame that shows the visible ones is being rendered.
            if self._hold is not None:  # the frame is still to come
                self._ahead = (self.generation, around)
            else:
                self.call_after_refresh(self._read_ahead, self.generation, around)

    def _read_ahead(self, generation: int, pages: list[int]) -> None:
        if generation == self.generation:
            for p in pages:
                if p not in self._fresh:
                    self._load_page(p)

    @on(_Page)
    def _page_arrived(self, message: _Page) -> None:
        message.stop()
        if message.first:
            self._first_done()
        if message.generation != self.generation:
            return
        self._pending.discard(message.page)
        self._pages[message.page] = message.rows
        self._fresh.add(message.page)
        if not self._first_shown:
            self._first_shown = True
            for stale in [p for p in self._pages if p not in self._fresh]:
                del self._pages[stale]
            known = message.page * PAGE_SIZE + len(message.rows)
            if message.page == 0 and len(message.rows) < PAGE_SIZE:
                self._apply_count(known)  # a short first page is the whole list
            else:
                # The first page's worker counts next. Until then the scroll range stays
                # what it was (when that is more than the rows known): a reload's view does
                # not jump, and a search does not redraw the scrollbar twice (for the rows
                # known, then for the count) when the count follows in milliseconds.
                self._set_shown_count(max(known, self._shown_count))
            self.post_message(self.DataShown(self, self.generation, self._count))
            self._place_cursor()
            self._run_when_loaded()
        self._refresh_changed()
        self._trim_cache()
        if message.first and self._count is not None:
            self._release_after_bubbling()  # a short first page: the whole list, counted

    def _place_cursor(self) -> None:
        target = self._cursor_target
        if target is None:
            return
        if target < self._shown_count or self._count is not None:
            self._cursor_target = None
            self._move(target)
            self._scroll_cursor_into_view()

    def _run_when_loaded(self) -> None:
        waiting, self._when_loaded = self._when_loaded, []
        for callback in waiting:
            callback()
        if self._select_pending:
            self._select_pending = False
            self.action_select()

    @on(_Count)
    def _count_arrived(self, message: _Count) -> None:
        message.stop()
        if message.generation == self.generation:
            self._apply_count(message.count)
            self._release_after_bubbling()

    @on(_CountFailed)
    def _count_failed(self, message: _CountFailed) -> None:
        """The list shows the rows it has (the scroll range no longer promises more)."""
        message.stop()
        if message.generation == self.generation:
            known = max((p * PAGE_SIZE + len(self._pages[p]) for p in self._fresh), default=0)
            self._set_shown_count(known)
            self._refresh_changed()
            self._release_after_bubbling()
        self.post_message(self.Failed(self, message.error))

    def _apply_count(self, count: int) -> None:
        self._count = count
        self._set_shown_count(count)
        for page in [p for p in self._pages if p * PAGE_SIZE >= count]:
            del self._pages[page]
            self._fresh.discard(page)
        if self.cursor_row >= count:
            self.cursor_row = max(0, count - 1)
        self.post_message(self.Counted(self, self.generation, count))
        if self._end_requested:
            self._end_requested = False
            self.action_last()
        self._place_cursor()
        self._want_visible()
        self._refresh_changed()  # the scrollbar follows the virtual size by itself

    def _set_shown_count(self, count: int) -> None:
        self._shown_count = count
        self._update_virtual_size()

    def _trim_cache(self) -> None:
        if len(self._pages) <= MAX_PAGES:
            return
        centre = int(self.scroll_y) // PAGE_SIZE
        for page in sorted(self._pages, key=lambda p: abs(p - centre), reverse=True):
            if len(self._pages) <= MAX_PAGES:
                break
            del self._pages[page]
            self._fresh.discard(page)

    # -- geometry -----------------------------------------------------------------------

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _layout_columns(self) -> None:
        self._cell_cache.clear()
        available = self.scrollable_content_region.width or self.size.width or 80
        shown = list(self._columns)
        while True:
            gaps = max(0, len(shown) - 1)
            fixed = sum(c.width for c in shown if c.width)
            flexible = [c for c in shown if not c.width]
            share = (available - fixed - gaps) // len(flexible) if flexible else 0
            want = max((c.want_width for c in flexible), default=0)
            droppable = [c for c in shown if c.drop_order]
            if share >= want or not droppable:
                break
            shown.remove(max(droppable, key=lambda c: c.drop_order))
        self._widths = [
            (c.width or max(c.min_width, share)) if c in shown else 0 for c in self._columns
        ]
        self._update_virtual_size()

    def _shown(self) -> list[tuple[TableColumn[RowT], int]]:
        """Columns on screen with their widths (hidden ones, width 0, left out)."""
        return [(c, w) for c, w in zip(self._columns, self._widths, strict=True) if w]

    def _total_width(self) -> int:
        shown = [w for w in self._widths if w]
        return sum(shown) + max(0, len(shown) - 1)

    def _update_virtual_size(self) -> None:
        """Set the scroll range without a screen layout.

        ``virtual_size`` is a layout reactive: assigned normally, every new search result
        count would re-lay-out the whole screen (~15 ms). Only the scrollbars depend on it, so
        they are updated directly; a scrollbar appearing or vanishing still lays out (the
        vertical one is always shown, see ``DEFAULT_CSS``, so that is rare).
        """
        size = Size(self._total_width(), self._shown_count + 1)
        old = self.virtual_size
        if size == old:
            return
        self.set_reactive(VirtualTable.virtual_size, size)
        if size.width == old.width and self._same_scrollbar(old.height, size.height):
            # The list's end moved but the scrollbar looks the same (at 100,000 rows its
            # thumb is one cell for any count of a few hundred or more): tell it the new
            # range (for dragging) without repainting it, as every search keystroke would.
            self.vertical_scrollbar.set_reactive(ScrollBar.window_virtual_size, size.height)
        else:
            self._scroll_update(size)

    def _same_scrollbar(self, old_height: int, new_height: int) -> bool:
        """True if the vertical scrollbar draws the same for both scroll ranges (at the
        current position, which neither range moves)."""
        bar = self.vertical_scrollbar
        if (
            not bar.display
            or not bar.size.height
            or int(self.scroll_y)
            > max(0, min(old_height, new_height) - self.scrollable_content_region.height)
        ):
            return False

        def drawn(virtual: int) -> list[Segment]:
            window = bar.window_size if bar.window_size < virtual else 0
            segments = bar.renderer.render_bar(
                size=bar.size.height,
                virtual_size=virtual,
                window_size=window,
                position=bar.position,
                thickness=bar.thickness,
            )
            return list(segments.segments)

        return drawn(old_height) == drawn(new_height)

    def _line_width(self) -> int:
        return max(self.virtual_size.width, self.size.width)

    def _line_key(self, index: int) -> tuple[Any, ...]:
        """What the line of row ``index`` shows: equal keys, equal lines."""
        if index >= self._shown_count:
            return ()
        return (self.row_at(index), index == self.cursor_row)

    def _refresh_changed(self) -> None:
        """Repaint the lines whose row (or cursor) differs from what was last drawn there.

        A frame costs what it repaints, and a new search often leaves some lines as they
        were (the same first matches, the cursor on the same row); the others keep
        Textual's cached strips. Runs of changed lines are marked with one region each,
        as wide as the rows' view: a region over the scrollbar would redraw it on every
        line too (40 bytes a line to the terminal, a third of a plain row's).
        """
        top = int(self.scroll_y)
        drawn = self._drawn
        key = self._line_key
        regions: list[Region] = []
        width = self.scrollable_content_region.width or self._line_width()
        start = 0
        height = self._body_height()
        for y in range(1, height + 2):
            changed = y <= height and drawn.get(y, self) != key(top + y - 1)
            if changed and not start:
                start = y
            elif not changed and start:
                regions.append(Region(0, start, width, y - start))
                start = 0
        if regions:
            self.refresh(*regions)

    def _refresh_header(self) -> None:
        self.refresh(Region(0, 0, self._line_width(), 1))

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()
        self._want_visible()
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_visible()

    def watch_cursor_row(self, old_row: int, new_row: int) -> None:
        top = int(self.scroll_y)
        self._scroll_cursor_into_view()
        if int(self.scroll_y) == top:  # else scrolling has repainted every line
            self._refresh_changed()
        self.post_message(self.CursorMoved(self, new_row))

    def _scroll_cursor_into_view(self) -> None:
        height = self._body_height()
        top = int(self.scroll_y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    # -- rendering ----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles and geometry come from CSS and region lookups that cost more than drawing
        # a line: once per pass.
        self._style_cache = None
        self._pass = None
        return super().render_lines(crop)

    def _style(self, component: str | None = None) -> Style:
        """The widget's style, with ``component``'s on top (cached for the pass)."""
        cache = self._style_cache
        if cache is None:
            cache = self._style_cache = {"": self.rich_style}
        key = component or ""
        style = cache.get(key)
        if style is None:
            style = cache[key] = cache[""] + self._component_style(key)
        return style

    def _component_style(self, component: str) -> Style:
        """``component``'s own style (cached for the pass)."""
        cache = self._style_cache
        if cache is None:
            cache = self._style_cache = {"": self.rich_style}
        key = "component:" + component
        style = cache.get(key)
        if style is None:
            style = cache[key] = self.get_component_rich_style(component)
        return style

    def _geometry(self) -> _Pass[RowT]:
        """What every line of a render pass needs to know (computed once per pass)."""
        geometry = self._pass
        if geometry is None:
            if not self._widths:
                self._layout_columns()
            geometry = self._pass = _Pass(
                top=int(self.scroll_y),
                scroll_x=int(self.scroll_x),
                view=self.scrollable_content_region.width,
                width=self.size.width,
                total=self._total_width(),
                shown=self._shown(),
            )
        return geometry

    def render_line(self, y: int) -> Strip:
        geometry = self._geometry()
        if y == 0:
            parts = self._header_parts(geometry)
        else:
            index = geometry.top + y - 1
            self._drawn[y] = self._line_key(index)
            parts = self._row_parts(index, geometry)
        return self._strip(parts, geometry)

    def _strip(self, parts: list[tuple[str, Style]], geometry: _Pass[RowT]) -> Strip:
        """One screen line from (text, style) parts laid end to end over the columns.

        Textual's work on a line (filters, cutting it at the scrollbar, writing it out)
        grows with its segments and with the strips made on the way, and a search repaints
        every line. So neighbouring parts of one style become one segment (a plain row is a
        single segment), padded here to the view's width, plus one segment for the column
        under the scrollbar: the line has the content's exact width (Textual would pad it
        into a new strip) and is cut at the scrollbar on a segment boundary (else the
        segment is split cell by cell).
        """
        base = self._style()
        total, view, width = geometry.total, geometry.view, geometry.width
        scroll_x = geometry.scroll_x
        crop = bool(scroll_x) or total > view
        if not crop and total < view:
            parts.append((" " * (view - total), base))
        segments: list[Segment] = []
        text, style = parts[0]
        for next_text, next_style in parts[1:]:
            if next_style is style or next_style == style:
                text += next_text
            else:
                segments.append(Segment(text, style))
                text, style = next_text, next_style
        segments.append(Segment(text, style))
        if crop:
            return Strip(segments, total).crop_extend(scroll_x, scroll_x + width, base)
        if width > view:
            segments.append(Segment(" " * (width - view), base))
        return Strip(segments, max(width, view))

    def _header_parts(self, geometry: _Pass[RowT]) -> list[tuple[str, Style]]:
        style = self._style("virtual-table--header")
        parts: list[tuple[str, Style]] = []
        for n, (col, width) in enumerate(geometry.shown):
            title = col.title
            if col.key == self._sort_key:
                title += " ▼" if self._sort_descending else " ▲"
            if n:
                parts.append((" ", style))
            parts.append((fit(title, width, col.align), style))
        return parts or [("", style)]

    def _row_parts(self, index: int, geometry: _Pass[RowT]) -> list[tuple[str, Style]]:
        base = self._style()
        if index >= self._shown_count:
            return [(" " * geometry.total, base)]
        cursor = index == self.cursor_row
        row_style = self._style("virtual-table--cursor") if cursor else base
        row = self.row_at(index)
        if row is None:
            muted = row_style + self._component_style("virtual-table--placeholder")
            return [(fit(self.placeholder, geometry.total), muted)]
        banner = self.banner(row)
        if banner is not None:
            style = row_style
            if isinstance(banner, Text):
                if banner.style and not cursor:
                    own = banner.style
                    style = row_style + (own if isinstance(own, Style) else Style.parse(str(own)))
                banner = banner.plain
            return [(fit(banner, geometry.total), style)]
        parts: list[tuple[str, Style]] = []
        for n, (text, extra) in enumerate(self._cells(row, geometry.shown)):
            if n:
                parts.append((" ", row_style))
            parts.append(
                (text, row_style + extra if extra is not None and not cursor else row_style)
            )
        return parts or [("", row_style)]

    def _cells(
        self, row: RowT, shown: list[tuple[TableColumn[RowT], int]]
    ) -> tuple[tuple[str, Style | None], ...]:
        """The row's cells fitted to their columns, each with its own style (None: the
        row's). Remembered by row value: a row drawn again (the list after Escape, a match
        that moved up a line as the search grew) is not measured and cut again."""
        try:
            cells = self._cell_cache.get(row)
        except TypeError:  # an unhashable row type: fitted every time
            return self._fit_cells(row, shown)
        if cells is None:
            if len(self._cell_cache) >= CELL_CACHE:
                self._cell_cache.clear()
            cells = self._cell_cache[row] = self._fit_cells(row, shown)
        return cells

    @staticmethod
    def _fit_cells(
        row: RowT, shown: list[tuple[TableColumn[RowT], int]]
    ) -> tuple[tuple[str, Style | None], ...]:
        cells: list[tuple[str, Style | None]] = []
        for col, width in shown:
            value = col.cell(row)
            extra: Style | None = None
            if isinstance(value, Text):
                if value.style:
                    style = value.style
                    extra = style if isinstance(style, Style) else Style.parse(str(style))
                value = value.plain
            cells.append((fit(value, width, col.align), extra))
        return tuple(cells)

    def banner(self, row: RowT) -> Cell | None:
        """A row drawn across every column instead of in them (a section heading in a list
        of several kinds of rows), or None for an ordinary row. Override in a subclass."""
        return None

    # -- keys and mouse -----------------------------------------------------------------

    def _move(self, row: int) -> None:
        limit = self._shown_count
        self.cursor_row = max(0, min(row, limit - 1)) if limit else 0

    def action_cursor_up(self) -> None:
        self._move(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor_row + 1)

    def action_page_up(self) -> None:
        height = self._body_height()
        self.scroll_to(y=max(0, int(self.scroll_y) - height), animate=False, immediate=True)
        self._move(self.cursor_row - height)

    def action_page_down(self) -> None:
        height = self._body_height()
        self.scroll_to(y=int(self.scroll_y) + height, animate=False, immediate=True)
        self._move(self.cursor_row + height)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        if self._count is None:
            self._end_requested = True  # done when the count arrives
            return
        self._move(self._count - 1)

    def action_scroll_columns(self, cells: int) -> None:
        self.scroll_to(x=max(0, int(self.scroll_x) + cells), animate=False, immediate=True)

    def action_select(self) -> None:
        if not self._first_shown:
            self._select_pending = True  # done when the current source's first page is in
            return
        row = self.cursor_data
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    def on_click(self, event: events.Click) -> None:
        y = event.y - self.scrollable_content_region.y + self.region.y
        if y <= 0:
            key = self._column_at(event.x + int(self.scroll_x))
            if key is not None:
                self.post_message(self.HeaderClicked(self, key))
            return
        index = int(self.scroll_y) + y - 1
        if index < self._shown_count:
            if index == self.cursor_row:
                self.action_select()
            else:
                self.cursor_row = index

    def _column_at(self, x: int) -> str | None:
        left = 0
        for col, width in self._shown():
            if left <= x < left + width + 1:
                return col.key
            left += width + 1
        return None
