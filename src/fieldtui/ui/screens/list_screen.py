"""One base for every list area (my week, ledger, visits, problems, checklists, officers, plan,
sync, deleted records …): loading, reloading, outside changes, and typing on the list as its
search. The areas paged from SQL share their layout too (:mod:`.paged_list`).

The keys are the app's list scheme (README "Keys"): a printable key never runs a command on a
list. Every character typed while a list has focus goes into the screen's search box, in the
order typed, however fast. Textual sends a key to the focused widget's queue and resolves its
binding only after it has bubbled back up to the app; a burst of keys then overtakes itself
(a character typed after Escape reached the search before the Escape cleared it, keys queued
on a list were handled after Ctrl+G had switched area or Delete had opened a question). So
the app hands every key to the list screen in front *as it arrives*
(:meth:`ListScreen.take_key`, called by ``FieldApp.on_event``): a character is typed into the
search and applied at once, a command's binding runs there and then, focus changes are
immediate. A burst like ``hhhb`` Escape ``zq`` Enter therefore searches ``zq`` and opens its
first match, whatever the timing. Commands use keys that cannot be typed into a search:
:func:`list_bindings` gives every list the same ones.

A subclass provides:

- ``compose``: a :class:`SearchBox` and one or more :class:`ListTable` (typing on them
  searches; the first one has the focus when the screen opens);
- :meth:`ListScreen.fetch` (runs in a thread worker) and :meth:`ListScreen.show` (UI thread),
  or its own :meth:`ListScreen.load` when the table pages from SQL itself (the ledger, visits,
  problems);
- :meth:`ListScreen.show_search`: show the rows matching the search text;
- the actions its bindings name (``action_new``, ``action_edit``…).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import N_, _
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

DataT = TypeVar("DataT")
RowT = TypeVar("RowT")

SEARCHABLE = "searchable"
"""CSS class of the widgets on which typing goes to the search box."""

LIST_KEYS: dict[str, str] = {
    "new": "ctrl+n",
    "edit": "f2",
    "delete": "delete",
    "filter": "ctrl+f",
    "clear_filters": "ctrl+x",
    "sort": "f6",
    "sort_reverse": "ctrl+r",
    "import": "ctrl+o",
    "reload": "f5",
    "clear_search": "escape",
}
"""The default key of each common list command, by the last part of its binding id."""

MOVE_KEYS = {
    "down": "cursor_down",
    "up": "cursor_up",
    "pagedown": "page_down",
    "pageup": "page_up",
}
"""Keys that, typed in the search box, go on to move the list (and give it the focus)."""


def list_bindings(
    prefix: str,
    *,
    new: str | None = N_("New"),
    edit: str | None = N_("Edit"),
    delete: str | None = N_("Delete"),
    filters: bool = False,
    sort: bool = False,
    import_sheet: str | None = None,
) -> list[Binding]:
    """The common list commands with their keys (:data:`LIST_KEYS`) and ids ``prefix.name``.

    Descriptions are English msgids (marked ``N_`` by the caller), translated here; ``None``
    leaves a command out. Enter, the list's own binding, opens the highlighted record.
    """

    def bind(name: str, action: str, description: str, *, show: bool = True) -> Binding:
        return Binding(LIST_KEYS[name], action, _(description), id=f"{prefix}.{name}", show=show)

    bindings: list[Binding] = []
    if new:
        bindings.append(bind("new", "new", new))
    if edit:
        bindings.append(bind("edit", "edit", edit))
    if delete:
        bindings.append(bind("delete", "delete", delete))
    if filters:
        bindings.append(bind("filter", "filters", N_("Filter")))
        bindings.append(bind("clear_filters", "clear_filters", N_("Clear filters"), show=False))
    if sort:
        bindings.append(bind("sort", "sort_next", N_("Sort")))
        bindings.append(bind("sort_reverse", "sort_reverse", N_("Reverse order"), show=False))
    if import_sheet:
        bindings.append(bind("import", "import_sheet", import_sheet))
    bindings.append(bind("reload", "reload", N_("Refresh"), show=False))
    bindings.append(bind("clear_search", "clear_search", N_("Clear search"), show=False))
    return bindings


class SearchBox(Input):
    """A list screen's search box: typing in it repaints it, without laying the screen out.

    ``Input`` sets its ``virtual_size`` (a layout reactive) to the text's width on every
    change, which re-lays-out the whole screen per keystroke (~10 ms at 120×40). The box's
    size is fixed by CSS and it shows no scrollbars, so a repaint is all it needs.

    Up, Down, PgUp and PgDn typed here move the list instead (and give it the focus), so
    ``hhhb`` Down Enter opens the second match whether the box or the list had the focus.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, select_on_focus=False, id=id)

    async def take_key(self, screen: ListScreen[Any], event: events.Key) -> bool:
        """A key typed in the box, handled as it arrives (see the module docstring)."""
        action = MOVE_KEYS.get(event.key)
        if action is not None:
            screen.leave_search(action)
        elif event.is_printable and event.character:
            if self.selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *self.selection)
        elif not await screen.run_binding_now(event):  # Backspace, Escape, Enter, Left…
            return False
        screen.search_edited(self.value)
        return True

    def _on_paste(self, event: events.Paste) -> None:
        super()._on_paste(event)
        event.prevent_default()  # or Input's handler, next in the class chain, pastes again
        screen = self.screen
        if isinstance(screen, ListScreen):
            screen.search_edited(self.value)


class ListTable(VirtualTable[RowT]):
    """A list of a :class:`ListScreen`: typing on it is its screen's search."""

    def __init__(self, columns: Sequence[TableColumn[RowT]], *, id: str | None = None) -> None:
        super().__init__(columns, id=id, classes=SEARCHABLE)


class ListScreen(Screen[None], Generic[DataT]):
    """Base of the list areas; see the module docstring for what a subclass provides."""

    AUTO_FOCUS: ClassVar[str | None] = f".{SEARCHABLE}"
    RELOAD_ON_RESUME: ClassVar[bool] = False
    """Read again whenever the screen comes back into view (short lists: it costs little and
    shows what a form or import just changed); long lists reload where they know they must."""

    class Fetched(Message):
        def __init__(self, generation: int, data: Any) -> None:
            super().__init__()
            self.generation = generation
            self.data = data

    class FetchFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""
        """The search as applied (cleaned: no control characters, spaces trimmed)."""
        self._early_text = ""
        """Typed before the search box existed (keys right after the area opened)."""
        self._load_generation = 0
        self._loaded_once = False
        self._stale = False
        self._status_text: Text | None = None

    # -- the status line -------------------------------------------------------------------

    def show_status_line(self, selector: str, sort: str, filters: Sequence[str]) -> None:
        """The line under the search: the filters in force, then the order. Plain text (the
        filters name officers, units, tags: user data); redrawn only when it changes, without
        a layout (it is one line of fixed height)."""
        text = Text(sort, style="dim")
        if filters:
            text = Text(_("Filter: ") + " · ".join(filters) + "   ", style="bold") + text
        if text != self._status_text:
            self._status_text = text
            self.query_one(selector, Static).update(text, layout=False)

    # -- what subclasses provide ------------------------------------------------------------

    def fetch(self) -> DataT:
        """Read what the list shows (in a thread worker: the database, never the widgets)."""
        raise NotImplementedError

    def show(self, data: DataT) -> None:
        """Show freshly fetched data (UI thread), with the current search applied."""
        raise NotImplementedError

    def show_search(self, text: str) -> None:
        """Show the rows matching ``text`` (cleaned; "" = all). Called once per change."""
        raise NotImplementedError

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Read the list again and show it, keeping the search and the highlighted record."""
        self._load_generation += 1
        self._fetch(self._load_generation)

    @work(thread=True, exclusive=True, group="list-load")
    def _fetch(self, generation: int) -> None:
        try:
            data = self.fetch()
        except Exception as exc:  # a damaged database: say so, keep what is shown
            self.post_message(self.FetchFailed(str(exc)))
            return
        self.post_message(self.Fetched(generation, data))

    @on(Fetched)
    def _fetched(self, message: Fetched) -> None:
        message.stop()
        if message.generation == self._load_generation:  # an older read: superseded
            self.show(message.data)

    @on(FetchFailed)
    def _fetch_failed(self, message: FetchFailed) -> None:
        message.stop()
        self.notify(message.error, title=_("Cannot read the database"), severity="error")

    def on_mount(self) -> None:
        self._loaded_once = True
        self.focus_list()
        if self._early_text:
            text, self._early_text = self._early_text, ""
            self.type_into_search(text)
        self.load()

    def on_screen_resume(self) -> None:
        # Also sent on the first show, possibly before on_mount: on_mount loads first.
        if self._loaded_once and (self._stale or self.RELOAD_ON_RESUME):
            self._stale = False
            self.load()

    def refresh_from_outside(self) -> None:
        """The database changed behind the app's back (another process, an import): show it.

        Called by the app's database watcher on the UI thread. The screen in front reloads
        now, keeping the search and the highlighted record; one in the background reloads
        when it is shown again.
        """
        if not self._loaded_once:
            return
        if self.is_active:
            self._stale = False
            self.load()
        else:
            self._stale = True

    def action_reload(self) -> None:
        self.load()

    # -- the lists ------------------------------------------------------------------------

    def list_widgets(self) -> list[Widget]:
        return list(self.query(f".{SEARCHABLE}"))

    @property
    def main_list(self) -> Widget | None:
        lists = self.list_widgets()
        return lists[0] if lists else None

    def focus_list(self) -> None:
        """Give the list the focus now (not after the queued keys, as ``focus()`` would)."""
        focused = self.focused
        if focused is not None and focused.has_class(SEARCHABLE):
            return
        target = self.main_list
        if target is not None:
            self.set_focus(target)

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run a command on the highlighted row once every list shows the current search.

        F2 or Delete typed right after a search must act on a row the search found, not on
        one still drawn from before it.
        """
        tables = [w for w in self.list_widgets() if isinstance(w, VirtualTable)]

        def step(index: int) -> None:
            if index == len(tables):
                callback()
            else:
                tables[index].when_loaded(lambda: step(index + 1))

        step(0)

    # -- typing is searching ----------------------------------------------------------------

    @property
    def search_box(self) -> SearchBox | None:
        boxes = self.query(SearchBox)
        return boxes.first() if boxes else None

    def _types_into_search(self) -> bool:
        focused = self.focused
        return focused is None or focused.has_class(SEARCHABLE)

    async def take_key(self, event: events.Key) -> bool:
        """Handle a key as it arrives, before Textual sends it on (called by the app for
        every key while this screen is in front). True if handled; False leaves it to
        Textual: keys of other widgets (a year selector, the sidebar) and priority keys.
        """
        focused = self.focused
        if isinstance(focused, SearchBox):
            return await focused.take_key(self, event)
        if not self._types_into_search():
            return False
        char = event.character
        if event.key == "backspace":
            box = self.search_box
            if box is not None and box.value:
                self._set_search(box.value[:-1])
            return True
        if event.is_printable and char:
            self.type_into_search(char)
            return True
        return await self.run_binding_now(event)

    async def on_key(self, event: events.Key) -> None:
        """Keys that reach the screen another way (the sidebar hands typing back)."""
        if self._types_into_search() and await self.take_key(event):
            event.stop()
            event.prevent_default()

    async def run_binding_now(self, event: events.Key) -> bool:
        """Run the key's binding now, in the order typed, rather than after it has bubbled
        to the app (by then the keys after it may have been handled). False if unbound or
        a priority binding (the app runs those itself, first)."""
        active = self.active_bindings.get(event.key)
        if active is None or not active.enabled or active.binding.priority:
            return False
        await self.app.run_action(active.binding.action, active.node)
        return True

    def on_paste(self, event: events.Paste) -> None:
        if self._types_into_search():
            event.stop()
            self.take_paste(event)

    def take_paste(self, event: events.Paste) -> bool:
        """A paste, handled as it arrives like a key (called by the app): its first line goes
        into the search at once, so keys typed after it come after it. False: not a list's
        (a form field of another widget has the focus)."""
        focused = self.focused
        if not (isinstance(focused, SearchBox) or self._types_into_search()):
            return False
        line = next((line for line in event.text.splitlines() if line.strip()), "")
        if not line:
            return True
        if isinstance(focused, SearchBox):
            if focused.selection.is_empty:
                focused.insert_text_at_cursor(line)
            else:
                focused.replace(line, *focused.selection)
            self.search_edited(focused.value)
        else:
            self.type_into_search(line)
        return True

    def type_into_search(self, text: str) -> None:
        """Append ``text`` to the search and apply it at once (before any later key)."""
        box = self.search_box
        if box is None:
            self._early_text += text
            return
        self._set_search(box.value + text)

    def _set_search(self, value: str) -> None:
        box = self.search_box
        if box is not None and box.value != value:
            box.value = value
            box.cursor_position = len(value)
        self.search_edited(value)

    def search_edited(self, value: str) -> None:
        """The search box's text is now ``value``: show its matches (no-op if unchanged)."""
        text = clean_line(value)
        if text != self.search_text:
            self.search_text = text
            self.show_search(text)

    @on(Input.Changed)
    def _search_box_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, SearchBox):
            event.stop()
            # The box's text now, not the event's: a burst of keys has queued one Changed
            # per key, and an older text must not be searched again after a newer one.
            self.search_edited(event.input.value)

    @on(Input.Submitted)
    def _search_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, SearchBox):
            event.stop()
            self.focus_list()

    def leave_search(self, action: str) -> None:
        """Up/Down/PgUp/PgDn typed in the search box: the list moves and takes the focus."""
        self.focus_list()
        target = self.focused
        if target is not None:
            method = getattr(target, f"action_{action}", None)
            if method is not None:
                method()

    def action_clear_search(self) -> None:
        """Escape: an empty search, the focus back on the list."""
        self._set_search("")
        self.focus_list()
