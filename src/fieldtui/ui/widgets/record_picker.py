"""Pick one record by typing part of its name: an input over a short result list.

The search runs in a thread worker with a ``LIMIT`` (the caller's search function decides the
query), so picking from a 100,000-row ledger is as quick as from a small one. Results are user
text and are shown as plain content.

Typing follows the lists' rule: every printable key goes into the search, in order, wherever
the focus is in the picker (the box, the results, or nowhere yet because the picker has just
opened), and Enter chooses from the results of what was typed, waiting for them if a search
is still running, never from an older search's results. A form's reference field opens it with
the character typed on the field as the start of the search (``initial``).

:func:`picker_search` gives the search of any table a reference field can name
(:mod:`fieldtui.store.pickers`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _
from fieldtui.store.pickers import pick
from fieldtui.ui.context import ctx

if TYPE_CHECKING:
    from fieldtui.store import Store


@dataclass(frozen=True, slots=True)
class PickItem:
    id: str
    label: str
    detail: str | None = None


SearchFn = Callable[["Store", str], list[PickItem]]


def picker_search(table: str) -> SearchFn:
    """The picker's search over one table (enterprise, officer, project, problem …)."""

    def search(store: Store, text: str) -> list[PickItem]:
        return [PickItem(i, name, detail) for i, name, detail in pick(store, table, text)]

    return search


class RecordPicker(ModalScreen[str | None]):
    """Dismisses with the chosen record's id, or None on Escape."""

    DEFAULT_CSS = """
    RecordPicker {
        align: center middle;
    }
    RecordPicker > Vertical {
        width: 72;
        max-width: 95%;
        height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    RecordPicker #picker-title {
        text-style: bold;
        padding: 1 0;
    }
    RecordPicker OptionList {
        height: 1fr;
    }
    RecordPicker #picker-status {
        color: $text-muted;
        height: 1;
    }
    """
    AUTO_FOCUS: ClassVar[str | None] = "#picker-query"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="picker.cancel", priority=True),
        Binding("down", "move(1)", _("Next"), id="picker.next", show=False),
        Binding("up", "move(-1)", _("Previous"), id="picker.previous", show=False),
        Binding("pagedown", "move(10)", _("Page down"), id="picker.page_down", show=False),
        Binding("pageup", "move(-10)", _("Page up"), id="picker.page_up", show=False),
    ]

    class Results(Message):
        def __init__(self, query: str, items: list[PickItem]) -> None:
            super().__init__()
            self.query = query
            self.items = items

    def __init__(self, title: str, search: SearchFn, *, initial: str = "") -> None:
        super().__init__()
        self.picker_title = title
        self.search = search
        self._early = initial
        """Typed before the search box existed (the key that opened the picker, and any typed
        right after it): it starts the search."""
        self.items: list[PickItem] = []
        self.results_for: str | None = None
        """The search text the listed results are for (None before the first results)."""
        self._choose_pending = False
        self._searched: str | None = None
        """The text of the latest search started."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.picker_title), id="picker-title")
            yield Input(placeholder=_("Type to search"), id="picker-query")
            yield OptionList(id="picker-results")
            yield Static("", id="picker-status")

    @property
    def query_input(self) -> Input:
        return self.query_one("#picker-query", Input)

    @property
    def query_text(self) -> str:
        return clean_line(self.query_input.value)

    def on_mount(self) -> None:
        box = self.query_input
        self.set_focus(box)
        if self._early:
            box.value, self._early = box.value + self._early, ""
            box.cursor_position = len(box.value)
        self._search(self.query_text)

    def type_text(self, text: str) -> None:
        """Append typed text to the search, in order, whether or not the picker is up yet."""
        boxes = self.query("#picker-query").results(Input)
        box = next(boxes, None)
        if box is None or not self.is_mounted:
            self._early += text
            return
        box.value += text
        box.cursor_position = len(box.value)
        if self.query_text != self._searched:
            self._search(self.query_text)

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        text = self.query_text  # the box's text now: a burst queues one Changed per key
        if text != self._searched:
            self._search(text)

    async def on_key(self, event: events.Key) -> None:
        """Keys that reach the picker another way (an app that does not hand them over)."""
        if self.focused is not self.query_input and await self.take_key(event):
            event.stop()
            event.prevent_default()

    async def take_key(self, event: events.Key) -> bool:
        """Every key as it arrives, in the order typed (called by the app, as for lists):
        characters go into the search wherever the focus is, Enter chooses from the results
        of everything typed before it, other keys run their binding now. False leaves a key
        to Textual (priority keys such as Escape; keys before the picker is composed)."""
        boxes = self.query("#picker-query").results(Input)
        box = next(boxes, None)
        char = event.character
        if box is None or not self.is_mounted:
            if event.is_printable and char:
                self._early += char  # the picker is still opening: kept for its search
                return True
            return False
        if event.is_printable and char:
            if self.focused is box and not box.selection.is_empty:
                box.replace(char, *box.selection)
            elif self.focused is box:
                box.insert_text_at_cursor(char)
            else:  # typed on the results: appended to the search
                box.value += char
                box.cursor_position = len(box.value)
        elif event.key == "enter":
            self._choose()
            return True
        elif event.key == "backspace" and self.focused is not box:
            box.value = box.value[:-1]
            box.cursor_position = len(box.value)
        else:
            active = self.active_bindings.get(event.key)
            if active is None or not active.enabled or active.binding.priority:
                return False
            await self.app.run_action(active.binding.action, active.node)
        if self.query_text != self._searched:
            self._search(self.query_text)
        return True

    def on_paste(self, event: events.Paste) -> None:
        if self.focused is self.query_input:
            return
        event.stop()
        line = next((line for line in event.text.splitlines() if line.strip()), "")
        self.query_input.value += line
        self._search(self.query_text)

    def _search(self, text: str) -> None:
        self._searched = text
        self._run_search(text)

    @work(thread=True, exclusive=True, group="picker")
    def _run_search(self, text: str) -> None:
        items = self.search(ctx(self).store, text)
        if not get_current_worker().is_cancelled:  # a newer keystroke's search supersedes it
            self.post_message(self.Results(text, items))

    def on_record_picker_results(self, message: Results) -> None:
        if message.query != self._searched:
            return  # an older search's answer, arrived after a newer one was started
        self.results_for = message.query
        self.items = message.items
        options = self.query_one("#picker-results", OptionList)
        options.clear_options()
        for item in message.items:
            prompt = Content(item.label)
            if item.detail:
                prompt = Content.assemble(prompt, ("  " + item.detail, "dim"))
            options.add_option(Option(prompt, id=item.id))
        if message.items:
            options.highlighted = 0
        status = _("No match") if not message.items else _("Enter chooses, Escape cancels")
        self.query_one("#picker-status", Static).update(status)
        if self._choose_pending:
            self._choose_pending = False
            self._choose()

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-results", OptionList)
        if not options.option_count:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        self._choose()

    def _choose(self) -> None:
        """Enter: the highlighted result of the current search (once its results are in)."""
        if self.results_for != self._searched:
            self._choose_pending = True
            return
        options = self.query_one("#picker-results", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.results_for != self._searched:
            self._choose_pending = True
            return
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
