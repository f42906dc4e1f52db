"""Conflicts (冲突): settle what two databases changed differently, and merge duplicates.

Opened from the sync screen (Ctrl+K) or the palette ("同步：冲突"). The upper list holds every
open conflict (its record by name, its field by the schema's label) and every group of
possible duplicate enterprises (one USCC entered on two laptops); the lower list, the values
of the highlighted one, each with the database that wrote it, its device and when (● marks
what the record shows until someone decides). Enter on a value keeps it; F2 types a merged
value instead, checked as the form checks the field, its message under it; a delete against
an edit offers "keep it deleted" or "restore it, with this change". For duplicates, Enter on
an enterprise keeps it and merges the others into it, after a question whose Cancel has the
focus. Each resolution is an op (:func:`fieldtui.sync.resolve`, or
:func:`fieldtui.store.duplicates.merge_enterprises`), so it travels with the next sync files
and the conflict closes on every database.

Both lists follow the list rules: typing searches (record, field, database), commands are
on keys that cannot be typed; Escape clears the search, and with no search goes back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Input, Label, Static

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _, ngettext
from fieldtui.store import WriteError
from fieldtui.store.duplicates import MergeError, merge_enterprises
from fieldtui.store.pinyin import name_matches
from fieldtui.sync import SyncError, resolve
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.conflict_data import (
    DELETE,
    DUPLICATE,
    Choice,
    Item,
    check_typed,
    load_items,
)
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.sync_text import list_joiner, local_time, named, quoted
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

SHOWN_MARK = "●"


def _kind_cell(item: Item) -> Text:
    if item.kind == DUPLICATE:
        return Text(item.what, style="magenta")
    return Text(item.what)


def item_columns() -> list[TableColumn[Item]]:
    kind_width = max(cell_len(_("Kind")), cell_len(_("Possible duplicate")), 6)
    return [
        TableColumn("kind", _("Kind"), _kind_cell, width=min(kind_width, 10)),
        TableColumn("record", _("Record"), lambda i: i.record, min_width=12, want_width=16),
        TableColumn(
            # 18: a unified social credit code (a duplicate group's "field") shows whole.
            "field",
            _("Field of the record"),
            lambda i: i.field_label,
            width=18,
            drop_order=2,
        ),
        TableColumn(
            "values",
            _("Values"),
            lambda i: str(len(i.choices)),
            width=max(4, cell_len(_("Values"))),
            align="right",
            drop_order=1,
        ),
    ]


def _value_cell(choice: Choice) -> Text:
    mark = SHOWN_MARK + " " if choice.shown else "  "
    text = mark + choice.text
    if choice.detail:
        text += " · " + choice.detail
    if not choice.ok:
        return Text(text + " ?", style="red")
    return Text(text)


def choice_columns() -> list[TableColumn[Choice]]:
    return [
        TableColumn("value", _("Value"), _value_cell, min_width=14, want_width=24),
        TableColumn("by", _("Written by"), lambda c: c.by, width=12),
        TableColumn("at", _("Time"), lambda c: local_time(c.at), width=16),
        TableColumn("device", _("Device"), lambda c: c.device, width=19, drop_order=1),
    ]


class ChoiceTable(ListTable[Choice]):
    """The values of the highlighted conflict: Enter keeps the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Keep this value"), id="conflicts.keep"),
    ]


class MergedValue(Input):
    """A merged value typed by a person: Enter or Ctrl+S keeps it, Escape gives up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "screen.save_value", _("Keep the typed value"), id="conflicts.save"),
        Binding("escape", "screen.cancel_value", _("Cancel"), id="conflicts.cancel_value"),
    ]


class ConflictsScreen(ListScreen[list[Item]]):
    DEFAULT_CSS = """
    ConflictsScreen #conflicts-top {
        height: 3;
    }
    ConflictsScreen #conflicts-search {
        width: 1fr;
        height: 3;
    }
    ConflictsScreen #conflicts-count {
        width: auto;
        max-width: 30;
        height: 3;
        padding: 1 1 0 1;
        color: $text-muted;
    }
    ConflictsScreen #conflicts {
        height: 1fr;
        min-height: 4;
    }
    ConflictsScreen #conflict-detail {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    ConflictsScreen #conflict-values {
        height: 1fr;
        min-height: 3;
    }
    ConflictsScreen #conflict-merge {
        height: auto;
        padding: 0 1;
    }
    ConflictsScreen #conflict-merge-row {
        height: auto;
    }
    ConflictsScreen #conflict-merge-label {
        width: auto;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    ConflictsScreen #conflict-value-input {
        width: 1fr;
    }
    ConflictsScreen #conflict-value-message {
        height: auto;
        color: $text-error;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "type_value", _("Type a merged value"), id="conflicts.value"),
        *list_bindings("conflicts", new=None, edit=None, delete=None),
    ]
    RELOAD_ON_RESUME = True

    class Settled(Message):
        def __init__(
            self, item: Item, note: str | None, error: str | None = None, typed: bool = False
        ) -> None:
            super().__init__()
            self.item = item
            self.note = note
            self.error = error
            self.typed = typed

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.shown: list[Item] = []
        self.editing: Item | None = None
        """The conflict whose merged value is being typed (F2), if any."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="conflicts-top"):
            yield SearchBox(_("Search: record, field, database"), id="conflicts-search")
            yield Static("", id="conflicts-count")
        yield ListTable(item_columns(), id="conflicts")
        yield Static("", id="conflict-detail")
        yield ChoiceTable(choice_columns(), id="conflict-values")
        with Vertical(id="conflict-merge"):
            with Horizontal(id="conflict-merge-row"):
                yield Label(_("Merged value"), id="conflict-merge-label")
                yield MergedValue(compact=True, id="conflict-value-input")
            yield Static("", id="conflict-value-message")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Conflicts")
        self.query_one("#conflict-merge").display = False

    @property
    def table(self) -> VirtualTable[Item]:
        return self.query_one("#conflicts", VirtualTable)

    @property
    def values_table(self) -> VirtualTable[Choice]:
        return self.query_one("#conflict-values", VirtualTable)

    @property
    def value_input(self) -> MergedValue:
        return self.query_one("#conflict-value-input", MergedValue)

    @property
    def value_message(self) -> str:
        """The message under the merged value ("" when none): what tests check."""
        return str(self.query_one("#conflict-value-message", Static).render())

    @property
    def current(self) -> Item | None:
        return self.table.cursor_data

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> list[Item]:
        return load_items(ctx(self).store, ctx(self).lang)

    def show(self, data: list[Item]) -> None:
        self.items = data
        self._fill(top=False)

    def show_search(self, text: str) -> None:
        self._fill(top=True)

    def _matches(self, item: Item, text: str) -> bool:
        return name_matches(
            text, item.record, item.field_label, item.what, *(c.by for c in item.choices)
        )

    def _fill(self, *, top: bool) -> None:
        keep = None if top else self.table.cursor_data
        index = None if top else self.table.cursor_row
        self.shown = [i for i in self.items if self._matches(i, self.search_text)]
        keys = [i.key for i in self.shown]
        cursor: int | None = None
        if keep is not None and keep.key in keys:
            cursor = keys.index(keep.key)
        elif index is not None and self.shown:
            cursor = min(index, len(self.shown) - 1)
        self.table.set_source(ListSource(self.shown), cursor=cursor)
        conflicts = sum(1 for i in self.shown if i.kind != DUPLICATE)
        duplicates = len(self.shown) - conflicts
        count = ngettext("{n} conflict", "{n} conflicts", conflicts).format(n=conflicts)
        if duplicates:
            count += " · " + ngettext(
                "{n} possible duplicate", "{n} possible duplicates", duplicates
            ).format(n=duplicates)
        self.query_one("#conflicts-count", Static).update(Text(count))
        if not self.shown:
            self._show_item(None)

    @on(VirtualTable.CursorMoved, "#conflicts")
    @on(VirtualTable.DataShown, "#conflicts")
    def _item_moved(self) -> None:
        if self.table.is_loaded:
            self._show_item(self.table.cursor_data)

    def _show_item(self, item: Item | None) -> None:
        if self.editing is not None and (item is None or item.key != self.editing.key):
            self._close_value()
        if item is None:
            self.query_one("#conflict-detail", Static).update(
                Text(_("No open conflicts and no possible duplicates."), style="green")
            )
            self.values_table.set_source(ListSource([]))
            return
        winner = next((n for n, c in enumerate(item.choices) if c.shown), 0)
        self._show_detail(item, item.choices[winner] if item.choices else None)
        self.values_table.set_source(ListSource(list(item.choices)), cursor=winner)

    @on(VirtualTable.CursorMoved, "#conflict-values")
    def _choice_moved(self) -> None:
        item = self.current
        choice = self.values_table.cursor_data
        if item is not None and choice is not None and choice in item.choices:
            self._show_detail(item, choice)

    def _show_detail(self, item: Item, choice: Choice | None) -> None:
        """The highlighted conflict, and the highlighted value in full: the list cuts a long
        value to its column (at 80 columns, about 25 cells), so a person still reads all of
        what they keep before pressing Enter."""
        text = Text()
        if item.kind == DUPLICATE:
            text.append(item.what, style="bold")
            text.append(" · " + _("USCC {code}").format(code=item.field_label))
        else:
            text.append(named(item.what, item.record), style="bold")
            text.append(" · " + item.field_label)
        if item.note:
            text.append("\n" + item.note, style="yellow")
        hint = _("Enter keeps the highlighted value")
        if item.typable:
            hint += " · " + _("F2 types a merged value")
        if choice is not None:
            shown = choice.text + (" · " + choice.detail if choice.detail else "")
            text.append("\n" + _("Highlighted: {value}").format(value=shown))
        text.append("\n" + hint, style="dim")
        self.query_one("#conflict-detail", Static).update(text)

    # -- keeping a value ------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#conflicts")
    def _item_selected(self) -> None:
        self.set_focus(self.values_table)

    @on(VirtualTable.RowSelected, "#conflict-values")
    def _choice_selected(self, event: VirtualTable.RowSelected) -> None:
        item = self.current
        choice: Choice = event.row
        if item is None or choice not in item.choices:
            return
        if item.kind == DUPLICATE:
            self._ask_merge(item, choice)
        elif choice.op_id is not None:
            self._settle(item, take=choice.op_id)

    def _ask_merge(self, item: Item, keep: Choice) -> None:
        others = [c for c in item.choices if c is not keep]
        message = ngettext(
            "Keep {kept} and merge {others} into it? Its visits, problems, projects, "
            "assignments, meetings and activities move to the one kept, its empty fields are "
            "filled from it, and it is deleted (it can be restored from the deleted records).",
            "Keep {kept} and merge {others} into it? Their visits, problems, projects, "
            "assignments, meetings and activities move to the one kept, its empty fields are "
            "filled from them, and they are deleted (they can be restored from the deleted "
            "records).",
            len(others),
        ).format(kept=quoted(keep.text), others=list_joiner().join(quoted(c.text) for c in others))

        def answered(yes: bool | None) -> None:
            if yes and keep.enterprise_id is not None:
                drops = [c.enterprise_id for c in others if c.enterprise_id]
                self._settle(item, merge=(keep.enterprise_id, drops))

        self.app.push_screen(
            ConfirmDialog(_("Merge enterprises"), message, confirm_label=_("Merge")), answered
        )

    # -- typing a merged value ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F2 is off while a merged value is being typed: pressed again it would put the
        highlighted value back over what was typed, and its footer entry pushed "Ctrl+G" off
        the footer at 80 columns."""
        if action == "type_value" and self.editing is not None:
            return False
        return super().check_action(action, parameters)

    def action_type_value(self) -> None:
        self.when_ready(self._open_value)

    def _open_value(self) -> None:
        item = self.current
        if item is None:
            return
        if not item.typable:
            reason = item.note or _(
                "A value of this kind is chosen among the kept ones (Enter), not typed."
            )
            self.notify(reason, severity="warning")
            return
        choice = self.values_table.cursor_data
        if choice is None or choice not in item.choices:
            choice = next((c for c in item.choices if c.shown), item.choices[0])
        self.editing = item
        self.refresh_bindings()
        self.query_one("#conflict-merge").display = True
        box = self.value_input
        box.value = choice.edit or ""
        box.cursor_position = len(box.value)
        self._show_value_message(None)
        self.set_focus(box)

    @on(Input.Changed, "#conflict-value-input")
    def _value_changed(self, event: Input.Changed) -> None:
        event.stop()
        item = self.editing
        if item is not None:
            self._show_value_message(check_typed(item.table, item.field, event.value))

    @on(Input.Submitted, "#conflict-value-input")
    def _value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_value()

    def action_save_value(self) -> None:
        item = self.editing
        if item is None:
            return
        raw = clean_line(self.value_input.value)
        error = check_typed(item.table, item.field, raw)
        if error is not None:
            self._show_value_message(error)
            return
        self._settle(item, value=raw)

    def action_cancel_value(self) -> None:
        self._close_value()
        self.set_focus(self.values_table)

    def _close_value(self) -> None:
        self.editing = None
        self.refresh_bindings()
        self.query_one("#conflict-merge").display = False
        self._show_value_message(None)

    def _show_value_message(self, error: str | None) -> None:
        self.query_one("#conflict-value-message", Static).update(Text(error or ""))

    # -- writing --------------------------------------------------------------------------

    def _settle(
        self,
        item: Item,
        *,
        take: str | None = None,
        value: str | None = None,
        merge: tuple[str, list[str]] | None = None,
    ) -> None:
        self._write(item, take, value, merge)

    @work(thread=True, exclusive=True, group="conflicts-write")
    def _write(
        self,
        item: Item,
        take: str | None,
        value: str | None,
        merge: tuple[str, list[str]] | None,
    ) -> None:
        store = ctx(self).store
        typed = value is not None
        try:
            if merge is not None:
                merge_enterprises(store, merge[0], merge[1])
                note = _("Merged into {name}.").format(
                    name=quoted(next(c.text for c in item.choices if c.enterprise_id == merge[0]))
                )
            elif take is not None:
                resolve(store, item.table, item.row_id, item.field, take=take)
                note = _settled_note(item, take)
            else:
                resolve(store, item.table, item.row_id, item.field, value=value)
                note = _("Settled: {record}, {field}: the typed value is kept.").format(
                    record=quoted(item.record), field=item.field_label
                )
        except (SyncError, MergeError, WriteError) as exc:
            self.post_message(self.Settled(item, None, str(exc), typed))
        except Exception as exc:  # the database refused: one line, the app goes on
            self.post_message(
                self.Settled(item, None, _("Saving failed: {error}").format(error=exc), typed)
            )
        else:
            self.post_message(self.Settled(item, note))

    def on_conflicts_screen_settled(self, message: Settled) -> None:
        message.stop()
        if message.error is not None:
            if message.typed and self.editing is not None:
                self._show_value_message(message.error)
            else:
                self.notify(message.error, title=_("Saving failed"), severity="error", timeout=10)
            return
        if self.editing is not None:
            self._close_value()
        self.notify(message.note or "")
        self.set_focus(self.table)  # back to the conflicts (focus_list keeps a list focused)
        self.load()

    # -- leaving --------------------------------------------------------------------------

    def action_clear_search(self) -> None:
        """Escape: clears the search; with none, back to where the screen was opened from."""
        box = self.search_box
        if self.search_text or (box is not None and box.value):
            super().action_clear_search()
        elif self.focused is self.values_table:
            self.set_focus(self.table)
        elif len(self.app.screen_stack) > 1:
            self.dismiss()


def _settled_note(item: Item, take: str) -> str:
    choice: Any = next((c for c in item.choices if c.op_id == take), None)
    if item.kind == DELETE and choice is not None and choice.kind == "delete":
        return _("Settled: {record} stays deleted.").format(record=quoted(item.record))
    if item.kind == DELETE:
        return _("Settled: {record} is restored.").format(record=quoted(item.record))
    return _("Settled: {record}, {field}: {value}").format(
        record=quoted(item.record),
        field=item.field_label,
        value=quoted(choice.text if choice else ""),
    )
