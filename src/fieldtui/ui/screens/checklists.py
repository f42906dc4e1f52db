"""Checklists (area 6): the duty list (职责清单) and the negative list (负面清单), every version.

The versions of both lists on top (the current one of each first, marked 现行), the items of
the highlighted version below. The office revises a list: ``F2`` opens the current version's
wording as text, one item per line (:mod:`fieldtui.ui.screens.checklist_editor`), ``Ctrl+N``
adds an item there, ``Delete`` retires the highlighted item; each save makes the next version
and answers already given keep the version they answered. Revising belongs to the office's
hub: on an officer's laptop the lists are read-only (a note says so), unless the database
has no sync role yet (a single database used alone).

From here ``Ctrl+D`` opens the current officer's duty self-check for this month and ``F7``
the office's breach list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Static

from fieldtui.domain.checklists import month_of
from fieldtui.domain.enums import ChecklistKind
from fieldtui.i18n import N_, _
from fieldtui.store.checklists import Checklist, Item, checklist_versions, revise_checklist
from fieldtui.store.pinyin import name_matches
from fieldtui.store.service import InputError
from fieldtui.sync.peers import LAPTOP, identity
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.registry import make_screen
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

KINDS = (ChecklistKind.DUTY.code, ChecklistKind.NEGATIVE.code)


@dataclass(frozen=True, slots=True)
class Version:
    checklist: Checklist
    current: bool


@dataclass(frozen=True, slots=True)
class ChecklistData:
    versions: list[Version]
    """Both lists, each newest first."""
    may_revise: bool
    """The hub, or a database with no sync role: the office's own lists."""


def kind_label(kind: str, lang: str) -> str:
    try:
        return ChecklistKind(kind).label(lang)
    except ValueError:
        return kind


def version_text(version: int) -> str:
    return _("version {n}").format(n=version)


def version_columns(lang: str) -> list[TableColumn[Version]]:
    list_width = max(cell_len(kind_label(k, lang)) for k in KINDS)

    def state(v: Version) -> Text | str:
        return Text(_("current"), style="bold") if v.current else ""

    return [
        TableColumn(
            "kind",
            _("List"),
            lambda v: kind_label(v.checklist.kind, lang),
            width=max(list_width, cell_len(_("List"))),
        ),
        TableColumn(
            "version",
            _("Version"),
            lambda v: version_text(v.checklist.version),
            width=max(cell_len(version_text(99)), cell_len(_("Version"))),
        ),
        TableColumn(
            "state", _("State"), state, width=max(cell_len(_("current")), cell_len(_("State")))
        ),
        TableColumn(
            "items", _("Items"), lambda v: str(len(v.checklist.items)), width=5, align="right"
        ),
        TableColumn(
            "from",
            _("Effective from"),
            lambda v: v.checklist.effective_from.isoformat() if v.checklist.effective_from else "",
            width=max(10, cell_len(_("Effective from"))),
            drop_order=1,
        ),
        TableColumn("title", _("Title"), lambda v: v.checklist.title, min_width=8),
    ]


def item_columns() -> list[TableColumn[Item]]:
    return [
        TableColumn("n", _("No."), lambda i: str(i.position), width=4, align="right"),
        TableColumn("text", _("Item"), lambda i: i.text, min_width=16),
    ]


def version_matches(text: str, version: Version, lang: str) -> bool:
    c = version.checklist
    return name_matches(text, kind_label(c.kind, lang), c.title) or any(
        name_matches(text, i.text) for i in c.items
    )


class ChecklistsScreen(ListScreen[ChecklistData]):
    DEFAULT_CSS = """
    ChecklistsScreen #checklists-top {
        height: 3;
    }
    ChecklistsScreen #checklists-search {
        width: 1fr;
        height: 3;
    }
    ChecklistsScreen #checklists-note {
        width: auto;
        max-width: 50%;
        height: 3;
        padding: 1 1 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ChecklistsScreen #checklist-versions {
        height: 4;
        max-height: 9;
        margin-bottom: 1;
    }
    ChecklistsScreen #checklist-items {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            "checklists", new=N_("Add item"), edit=N_("Revise"), delete=N_("Retire item")
        ),
        Binding("ctrl+d", "duty_check", _("Duty self-check"), id="checklists.duty_check"),
        Binding("f7", "breaches", _("Breach list"), id="checklists.breaches"),
    ]
    RELOAD_ON_RESUME = True

    class Revised(Message):
        def __init__(self, result: Checklist | None, error: str | None = None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.data: ChecklistData | None = None
        self.shown: list[Version] = []
        self.items: list[Item] = []
        self.select_after_load: str | None = None
        """A template id to highlight once read again (the version just made)."""
        self._items_for: str | None = None
        """The version whose items the lower table shows."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="checklists-top"):
            yield SearchBox(_("Search: list, item, pinyin initials"), id="checklists-search")
            yield Static("", id="checklists-note")
        yield ListTable(version_columns(ctx(self).lang), id="checklist-versions")
        yield ListTable(item_columns(), id="checklist-items")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Checklists")

    @property
    def versions_table(self) -> VirtualTable[Version]:
        return self.query_one("#checklist-versions", VirtualTable)

    @property
    def items_table(self) -> VirtualTable[Item]:
        return self.query_one("#checklist-items", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> ChecklistData:
        store = ctx(self).store
        versions: list[Version] = []
        for kind in KINDS:
            for n, checklist in enumerate(checklist_versions(store, kind)):
                versions.append(Version(checklist, n == 0))
        return ChecklistData(versions, identity(store).role != LAPTOP)

    def show(self, data: ChecklistData) -> None:
        keep = self.select_after_load or self._current_template()
        self.select_after_load = None
        self.data = data
        note = (
            Text(_("Revised by the office: read-only on a laptop."))
            if not data.may_revise
            else Text("")
        )
        self.query_one("#checklists-note", Static).update(note)
        self._fill(keep)
        self.refresh_bindings()

    def show_search(self, text: str) -> None:
        self._fill(self._current_template())

    def _fill(self, keep: str | None) -> None:
        data = self.data
        lang = ctx(self).lang
        versions = data.versions if data else []
        self.shown = [v for v in versions if version_matches(self.search_text, v, lang)]
        ids = [v.checklist.template_id for v in self.shown]
        cursor = ids.index(keep) if keep in ids else 0
        # As tall as its rows (a header and a line per version), the items get the rest.
        self.versions_table.styles.height = max(2, len(self.shown) + 1)
        self.versions_table.set_source(ListSource(self.shown), cursor=cursor)
        self._fill_items(self.shown[cursor] if self.shown else None)

    def _fill_items(self, version: Version | None) -> None:
        self._items_for = version.checklist.template_id if version else None
        items = list(version.checklist.items) if version else []
        self.items = [i for i in items if name_matches(self.search_text, i.text)]
        self.items_table.set_source(ListSource(self.items))

    def _current_template(self) -> str | None:
        row = self.versions_table.cursor_data
        return row.checklist.template_id if row is not None else None

    @on(VirtualTable.CursorMoved, "#checklist-versions")
    def _version_moved(self, event: VirtualTable.CursorMoved) -> None:
        row = self.versions_table.row_at(event.index)
        if row is not None and row.checklist.template_id != self._items_for:
            self._fill_items(row)

    @on(VirtualTable.RowSelected, "#checklist-versions")
    def _version_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.set_focus(self.items_table)

    @on(VirtualTable.RowSelected, "#checklist-items")
    def _item_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # -- revising -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit", "delete"):
            return self.data is not None and self.data.may_revise
        return True

    def _version(self) -> Version | None:
        return self.versions_table.cursor_data

    def _current_of(self, kind: str) -> Version | None:
        versions = self.data.versions if self.data else []
        return next((v for v in versions if v.current and v.checklist.kind == kind), None)

    def _open_editor(self, *, line: int | None = None, add: bool = False) -> None:
        version = self._version()
        if version is None or self.data is None or not self.data.may_revise:
            return
        current = self._current_of(version.checklist.kind)
        if current is None:
            return
        if not version.current:
            self.notify(
                _("Revising starts from the current version ({version}).").format(
                    version=version_text(current.checklist.version)
                )
            )
            line = None

        def done(result: Any) -> None:
            if isinstance(result, str):
                self.select_after_load = result
            self.load()

        self.app.push_screen(
            make_screen(
                "checklist_editor",
                current.checklist.kind,
                current.checklist.template_id,
                line=line,
                add=add,
            ),
            done,
        )

    def action_edit(self) -> None:
        """F2 (or Enter on an item): revise the list, the cursor on the highlighted item."""

        def edit() -> None:
            item = self.items_table.cursor_data if self.focused is self.items_table else None
            self._open_editor(line=item.position - 1 if item else None)

        self.when_ready(edit)

    def action_new(self) -> None:
        """Ctrl+N: revise the list with a new item at its end."""
        self.when_ready(lambda: self._open_editor(add=True))

    def action_delete(self) -> None:
        """Delete: retire the highlighted item (a new version without it), after asking."""
        self.when_ready(self._ask_retire)

    def _ask_retire(self) -> None:
        version = self._version()
        item = self.items_table.cursor_data
        if version is None or item is None or self.data is None or not self.data.may_revise:
            return
        if not version.current:
            self.notify(_("Only items of the current version can be retired."), severity="warning")
            return
        checklist = version.checklist
        if len(checklist.items) == 1:
            self.notify(_("A checklist needs at least one item"), severity="warning")
            return
        lang = ctx(self).lang
        message = _(
            "Retire item {n} “{text}” of the {list}? It becomes {version}; answers already "
            "given keep the version they answered."
        ).format(
            n=item.position,
            text=item.text,
            list=kind_label(checklist.kind, lang),
            version=version_text(checklist.version + 1),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                texts = [i.text for i in checklist.items if i.id != item.id]
                self._revise(checklist.kind, checklist.template_id, texts)

        self.app.push_screen(
            ConfirmDialog(_("Retire item"), message, confirm_label=_("Retire")), answered
        )

    @work(thread=True, exclusive=True, group="checklists-revise")
    def _revise(self, kind: str, base: str, texts: list[str]) -> None:
        try:
            result = revise_checklist(ctx(self).store, kind, texts, base_template_id=base)
        except InputError as exc:
            self.post_message(self.Revised(None, str(exc)))
            return
        except Exception as exc:  # a read-only or damaged database: say so
            self.post_message(self.Revised(None, str(exc)))
            return
        self.post_message(self.Revised(result))

    def on_checklists_screen_revised(self, message: Revised) -> None:
        if message.error or message.result is None:
            self.notify(message.error or "", title=_("Not saved"), severity="error")
        else:
            result = message.result
            self.notify(
                _("Saved the {list} as {version}.").format(
                    list=kind_label(result.kind, ctx(self).lang),
                    version=version_text(result.version),
                )
            )
            self.select_after_load = result.template_id
        self.load()

    # -- elsewhere ------------------------------------------------------------------------

    def action_duty_check(self) -> None:
        """Ctrl+D: the current officer's duty self-check for this month."""
        officer_id = ctx(self).officer_id
        if not officer_id:
            self.notify(_("Choose your officer profile first."), severity="warning")
            return
        self._push("duty_check", officer_id, month_of(date.today()))

    def action_breaches(self) -> None:
        """F7: the office's breach list."""
        self._push("breaches")

    def _push(self, name: str, *args: Any) -> None:
        try:
            screen = make_screen(name, *args)
        except Exception as exc:  # a screen still being built must not crash the app
            self.notify(str(exc), severity="error")
            return
        self.app.push_screen(screen)
