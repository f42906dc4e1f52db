"""Deleted records (回收站): what the delete dialogs promise, restoring a record in the app.

A delete is a tombstone, so every deleted record is still in the database. This area lists
them, of every kind, the most recently deleted first, with when and by which database each
was deleted (:func:`fieldtui.store.deleted.list_deleted`, read whole in a thread worker: a
zone deletes a few records a week). Typing searches; Ctrl+F shows one kind. Enter or F2 asks
to restore the highlighted record (Cancel focused) and
:func:`~fieldtui.store.deleted.restore_deleted` brings it back through the writer, as an op,
so the restore travels with the next sync files and the other lists show it again (the app's
database watcher refreshes them). A restore the store refuses (an enterprise whose USCC a live
one now holds) is shown in one line.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Static

from fieldtui.domain.enums import ActivityKind, AssignmentRole, CodedEnum
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.deleted import KINDS, DeletedRecord, restore_deleted
from fieldtui.store.deleted import list_deleted as read_deleted
from fieldtui.store.pinyin import name_matches
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.enterprise_detail import label_of
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.pick_one import PickOneDialog
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

ID_SHOWN = 8
"""Characters of a replica id shown when its name is unknown (its end, as the CLI shows)."""

DETAIL_CODES: dict[str, type[CodedEnum]] = {
    "assignments": AssignmentRole,
    "activities": ActivityKind,
}
"""Kinds whose detail is a code: shown by its label in the UI language."""


KIND_NAMES: dict[str, str] = {
    "enterprises": N_("Enterprise"),
    "officers": N_("Officer"),
    "assignments": N_("Assignment"),
    "projects": N_("Project"),
    "visits": N_("Visit"),
    "problems": N_("Problem"),
    "meetings": N_("Meeting"),
    "activities": N_("Investment activity"),
}
"""What one record of each kind of ``KINDS`` is called (English msgids)."""


def kind_title(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def detail_of(record: DeletedRecord, lang: str) -> str:
    enum = DETAIL_CODES.get(record.kind)
    if enum is not None:
        return label_of(enum, record.detail, lang)
    return record.detail or ""


def when_of(record: DeletedRecord) -> str:
    """Local time, ISO as tables show dates (zh-style.md)."""
    if not record.deleted_at:
        return ""
    return datetime.fromisoformat(record.deleted_at).astimezone().strftime("%Y-%m-%d %H:%M")


def deleted_by(record: DeletedRecord) -> str:
    """Which database deleted it: this one, a named laptop or hub, or the end of its id."""
    if record.deleted_here:
        return _("This database")
    return record.deleted_by_name or (record.deleted_by or "")[-ID_SHOWN:]


def deleted_columns(lang: str) -> list[TableColumn[DeletedRecord]]:
    """The record's name takes the room left; on a narrow terminal the detail, then the
    database give way before it is cut (at 80 columns all but the detail show; without the
    sidebar, all)."""
    kind_width = min(11, max(cell_len(t) for t in (_("Kind"), *map(kind_title, KINDS))))
    by_width = min(14, max(10, cell_len(_("Deleted by")), cell_len(_("This database"))))
    return [
        TableColumn("kind", _("Kind"), lambda r: kind_title(r.kind), width=kind_width),
        TableColumn("label", _("Record"), lambda r: r.label, min_width=12, want_width=20),
        TableColumn(
            "detail",
            _("Details"),
            lambda r: detail_of(r, lang),
            width=18,
            drop_order=2,
        ),
        TableColumn("deleted_at", _("Deleted at"), when_of, width=16),
        TableColumn(
            "deleted_by",
            _("Deleted by"),
            deleted_by,
            width=by_width,
            drop_order=1,
        ),
    ]


class DeletedScreen(ListScreen[list[DeletedRecord]]):
    DEFAULT_CSS = """
    DeletedScreen #deleted-top {
        height: 3;
    }
    DeletedScreen #deleted-search {
        width: 1fr;
        height: 3;
    }
    DeletedScreen #deleted-count {
        width: 24;
        height: 3;
        padding: 1 1 0 1;
        text-align: right;
        color: $text-muted;
    }
    DeletedScreen #deleted {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "restore", _("Restore"), id="deleted.restore"),
        *list_bindings("deleted", new=None, edit=None, delete=None, filters=True),
    ]
    RELOAD_ON_RESUME = True
    """Records deleted in another area since this one was last shown appear at once."""

    class Restored(Message):
        def __init__(self, record: DeletedRecord, error: str | None = None) -> None:
            super().__init__()
            self.record = record
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.records: list[DeletedRecord] = []
        """Every deleted record read, newest first; the table shows the matching ones."""
        self.shown: list[DeletedRecord] = []
        self.kind: str | None = None
        """The kind filter (a key of ``KINDS``), or None for every kind."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="deleted-top"):
            yield SearchBox(_("Search: name, details, who deleted it"), id="deleted-search")
            yield Static("", id="deleted-count")
        yield ListTable(deleted_columns(ctx(self).lang), id="deleted")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Deleted records")

    @property
    def table(self) -> VirtualTable[DeletedRecord]:
        return self.query_one("#deleted", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> list[DeletedRecord]:
        return read_deleted(ctx(self).store)

    def show(self, data: list[DeletedRecord]) -> None:
        self.records = data
        self._fill()

    def show_search(self, text: str) -> None:
        self._fill(top=True)

    def _matches(self, record: DeletedRecord, text: str) -> bool:
        lang = ctx(self).lang
        return name_matches(
            text,
            record.label,
            detail_of(record, lang),
            deleted_by(record),
            kind_title(record.kind),
        )

    def _fill(self, *, top: bool = False) -> None:
        """Show the matching records; the highlighted one stays highlighted (or, once it is
        gone, restored, the one that took its place)."""
        keep = None if top else self.table.cursor_data
        index = None if top else self.table.cursor_row
        text = self.search_text
        self.shown = [
            r
            for r in self.records
            if (self.kind is None or r.kind == self.kind) and self._matches(r, text)
        ]
        keys = [(r.table, r.id) for r in self.shown]
        cursor: int | None = None
        if keep is not None and (keep.table, keep.id) in keys:
            cursor = keys.index((keep.table, keep.id))
        elif index is not None and self.shown:
            cursor = min(index, len(self.shown) - 1)
        self.table.set_source(ListSource(self.shown), cursor=cursor)
        count = len(self.shown)
        text_count = ngettext("{n} record", "{n} records", count).format(n=count)
        if self.kind is not None:
            text_count = f"{_(KINDS[self.kind].title)} · {text_count}"
        self.query_one("#deleted-count", Static).update(Text(text_count))

    # -- filter ---------------------------------------------------------------------------

    def action_filters(self) -> None:
        """Ctrl+F: one kind, or every kind (""), each with how many of it are deleted."""
        counts = {name: 0 for name in KINDS}
        for record in self.records:
            counts[record.kind] = counts.get(record.kind, 0) + 1
        count_of = _("{kind} ({n})")
        choices: list[tuple[str | Text, str]] = [
            (count_of.format(kind=_("Every kind"), n=len(self.records)), "")
        ]
        choices += [(count_of.format(kind=_(v.title), n=counts[k]), k) for k, v in KINDS.items()]

        def chosen(kind: str | None) -> None:
            if kind is not None:  # None: cancelled
                self.kind = kind or None
                self._fill(top=True)
            self.focus_list()

        self.app.push_screen(PickOneDialog(_("Filter by kind"), choices, self.kind or ""), chosen)

    def action_clear_filters(self) -> None:
        if self.kind is not None:
            self.kind = None
            self._fill(top=True)

    # -- restoring ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#deleted")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self._ask_restore()

    def action_restore(self) -> None:
        self.when_ready(self._ask_restore)

    def _ask_restore(self) -> None:
        record = self.table.cursor_data
        if record is None:
            return
        message = _(
            "Restore {label} ({kind})? It shows in its list again, and the restore travels "
            "with the next sync files."
        ).format(kind=kind_title(record.kind), label=record.label)

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(record)

        self.app.push_screen(
            ConfirmDialog(_("Restore record"), message, confirm_label=_("Restore")), answered
        )

    @work(thread=True, exclusive=True, group="deleted-restore")
    def _restore(self, record: DeletedRecord) -> None:
        try:
            restore_deleted(ctx(self).store, record.kind, record.id)
        except Exception as exc:  # refused (RestoreError) or the database failed: one line
            self.post_message(self.Restored(record, str(exc)))
            return
        self.post_message(self.Restored(record))

    def on_deleted_screen_restored(self, message: Restored) -> None:
        if message.error:
            self.notify(message.error, title=_("Restore failed"), severity="error", timeout=10)
        else:
            self.notify(
                _("Restored {label} ({kind}).").format(
                    kind=kind_title(message.record.kind), label=message.record.label
                )
            )
        self.load()
