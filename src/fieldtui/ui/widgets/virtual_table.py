"""A table over any number of rows: draws only the visible lines, fetches pages on demand.

Textual's ``DataTable`` holds every row as widgets' data and takes ~12 s to show 100,000, so
lists of records use this instead. It is a Line-API widget (``ScrollView`` + ``render_line``,
as Textualize's toolong does for huge logs): the virtual height is the row count, and each
visible line is drawn from a page cache that thread workers fill from a :class:`TableSource`
(``count()`` and ``fetch(offset, limit)``; ``fieldtui.store.ledger.LedgerQuery`` is one). A
row not fetched yet shows a placeholder until its page arrives.

A new source shows its first page before it is counted (a count can cost tens of ms on a
big search), and keeps the previous rows on screen until then, so typing into a search box
never flashes an empty list.

Cells are user text: they are drawn as plain segments, never parsed as markup, with control
characters replaced, and are cut and padded by terminal cells (CJK characters are two wide).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from fieldtui.i18n import N_, _
from fieldtui.ui.widgets.table_model import (
    Align,
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
        self._style_cache: dict[str, Style] | None = None

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
        """Show ▲/▼ after a column title."""
        self._sort_key = column_key
        self._sort_descending = descending
        self.refresh()

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
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False, immediate=True)
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

        self._first_busy = True
        self._pending.add(page)
        self.run_worker(work, thread=True, group="virtual-table-first")

    def _load_count(self) -> None:
        source = self._source
        if source is None:
            return
        generation = self.generation

        def work() -> None:
            try:
                count = source.count()
            except Exception as exc:
                self.post_message(self.Failed(self, exc))
                return
            self.post_message(self._Count(generation, count))

        self.run_worker(work, thread=True, group="virtual-table-count", exclusive=True)

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
        wanted = [p for p in range(first, last + 1)]
        for p in (first - 1, last + 1):
            if 0 <= p * PAGE_SIZE < self._count:
                wanted.append(p)
        for p in wanted:
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
                # Until counted, the scroll range covers the rows known so far (or, on a
                # reload, what it covered before, so the view does not jump meanwhile).
                self._set_shown_count(max(known, self._shown_count) if self._keep else known)
                self._load_count()
            self.post_message(self.DataShown(self, self.generation, self._count))
            self._place_cursor()
            self._run_when_loaded()
        self._trim_cache()
        self.refresh()

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
        self.refresh()

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
        if size == self.virtual_size:
            return
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()
        self._want_visible()
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_visible()

    def watch_cursor_row(self, old_row: int, new_row: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
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
        # Styles come from CSS lookups that cost more than drawing a line: once per pass.
        self._style_cache = None
        return super().render_lines(crop)

    def _style(self, component: str | None = None) -> Style:
        cache = self._style_cache
        if cache is None:
            cache = self._style_cache = {"": self.rich_style}
        key = component or ""
        style = cache.get(key)
        if style is None:
            style = cache[key] = cache[""] + self.get_component_rich_style(key)
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x = int(self.scroll_x)
        width = self.scrollable_content_region.width
        if not self._widths:
            self._layout_columns()
        if y == 0:
            strip = self._header_strip()
        else:
            index = int(self.scroll_y) + y - 1
            strip = self._row_strip(index)
        return strip.crop_extend(scroll_x, scroll_x + width, self._style())

    def _header_strip(self) -> Strip:
        style = self._style("virtual-table--header")
        segments: list[Segment] = []
        for n, (col, width) in enumerate(self._shown()):
            title = col.title
            if col.key == self._sort_key:
                title += " ▼" if self._sort_descending else " ▲"
            if n:
                segments.append(Segment(" ", style))
            segments.append(Segment(fit(title, width, col.align), style))
        return Strip(segments, self._total_width())

    def _row_strip(self, index: int) -> Strip:
        base = self._style()
        if index >= self._shown_count:
            return Strip.blank(self._total_width(), base)
        cursor = index == self.cursor_row
        row_style = base
        if cursor:
            row_style = self._style("virtual-table--cursor")
        row = self.row_at(index)
        total = self._total_width()
        if row is None:
            muted = row_style + self.get_component_rich_style("virtual-table--placeholder")
            return Strip([Segment(fit(self.placeholder, total), muted)], total)
        banner = self.banner(row)
        if banner is not None:
            return Strip([self._cell_segment(banner, total, "left", row_style, cursor)], total)
        segments: list[Segment] = []
        for n, (col, width) in enumerate(self._shown()):
            if n:
                segments.append(Segment(" ", row_style))
            segments.append(self._cell_segment(col.cell(row), width, col.align, row_style, cursor))
        return Strip(segments, total)

    def _cell_segment(
        self, value: Cell, width: int, align: Align, row_style: Style, cursor: bool
    ) -> Segment:
        style = row_style
        if isinstance(value, Text):
            if value.style and not cursor:
                extra = value.style
                style = row_style + (extra if isinstance(extra, Style) else Style.parse(str(extra)))
            value = value.plain
        return Segment(fit(value, width, align), style)

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
