"""The sync area (同步, Ctrl+G 5): sync from the app instead of the command line.

It shows this database's role and team, what each peer lacks and when files last went each
way, the open conflicts and values held aside, and the history of files in and out. From
here an officer exports (Ctrl+E: to a removable drive or any folder; at the hub one file per
laptop, or Enter on a laptop for just its file) and imports (Ctrl+O: a drive's sync files or
chosen ones, with progress and a working Cancel); Ctrl+K opens the conflicts. The dialogs run
:func:`fieldtui.sync.export` and :func:`fieldtui.sync.import_files` in thread workers; what
an import changes reaches every other open screen through the app's database watcher.

Both lists follow the list rules: typing searches them (a database's name, a file's name),
commands are on keys that cannot be typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Static

from fieldtui.i18n import _, ngettext
from fieldtui.store.pinyin import name_matches
from fieldtui.sync import HUB, LAPTOP
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox, list_bindings
from fieldtui.ui.screens.sync_data import FileRow, PeerRow, SyncView, load_sync_view
from fieldtui.ui.screens.sync_text import local_time, quoted, role_name
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

RowT = TypeVar("RowT")

PEERS_SHOWN = 5
"""Rows of the peers list before it scrolls (an office has a handful of laptops)."""


def _width(*titles: str, least: int = 0) -> int:
    return max(least, *(cell_len(t) for t in titles))


def peer_columns() -> list[TableColumn[PeerRow]]:
    pending = _("Not sent")
    return [
        TableColumn("name", _("Database"), lambda r: r.name, min_width=8, want_width=10),
        TableColumn(
            "pending",
            pending,
            lambda r: f"{r.pending:,}",
            width=_width(pending, least=6),
            align="right",
        ),
        TableColumn("last_in", _("Last file in"), lambda r: local_time(r.last_in), width=16),
        TableColumn("last_out", _("Last file out"), lambda r: local_time(r.last_out), width=16),
        TableColumn("device", _("Device"), lambda r: r.device, width=19, drop_order=1),
    ]


def _direction(row: FileRow) -> Text:
    if row.direction == "in":
        return Text(_("In"), style="green")
    return Text(_("Out"), style="cyan")


def _file_peer(row: FileRow) -> str:
    if row.peer:
        return row.peer
    return _("everyone") if row.full else ""


def _file_name(row: FileRow) -> str:
    return row.path.replace("\\", "/").rsplit("/", 1)[-1]


def file_columns() -> list[TableColumn[FileRow]]:
    way = _width(_("Way"), _("In"), _("Out"))
    changes = _("Changes")
    return [
        TableColumn("at", _("Time"), lambda r: local_time(r.at), width=16),
        TableColumn("direction", _("Way"), _direction, width=way),
        # 16: a Chinese office or laptop name of eight characters shows whole at 80 columns.
        TableColumn("peer", _("Database"), _file_peer, width=16),
        TableColumn(
            "ops", changes, lambda r: f"{r.ops:,}", width=_width(changes, least=6), align="right"
        ),
        TableColumn("file", _("File"), _file_name, min_width=10),
    ]


class SyncScreen(ListScreen[SyncView]):
    DEFAULT_CSS = """
    SyncScreen #sync-status {
        height: auto;
        padding: 0 1;
    }
    SyncScreen #sync-top {
        height: 3;
    }
    SyncScreen #sync-search {
        width: 1fr;
        height: 3;
    }
    SyncScreen #sync-count {
        width: auto;
        max-width: 30;
        height: 3;
        padding: 1 1 0 1;
        color: $text-muted;
    }
    SyncScreen #sync-peers {
        height: 3;
        margin-bottom: 1;
    }
    SyncScreen #sync-files {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", _("Export"), id="sync.export"),
        Binding("ctrl+o", "import_files", _("Import"), id="sync.import"),
        Binding("ctrl+k", "conflicts", _("Conflicts"), id="sync.conflicts"),
        *list_bindings("sync", new=None, edit=None, delete=None),
    ]
    RELOAD_ON_RESUME = True
    """Back from the conflicts or a dialog: what they changed shows at once."""

    def __init__(self) -> None:
        super().__init__()
        self.view: SyncView | None = None
        self.shown_peers: list[PeerRow] = []
        self.shown_files: list[FileRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading…"), id="sync-status")
        with Horizontal(id="sync-top"):
            yield SearchBox(_("Search: database, file"), id="sync-search")
            yield Static("", id="sync-count")
        yield ListTable(peer_columns(), id="sync-peers")
        yield ListTable(file_columns(), id="sync-files")
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Sync")

    @property
    def peers_table(self) -> VirtualTable[PeerRow]:
        return self.query_one("#sync-peers", VirtualTable)

    @property
    def files_table(self) -> VirtualTable[FileRow]:
        return self.query_one("#sync-files", VirtualTable)

    # -- data -----------------------------------------------------------------------------

    def fetch(self) -> SyncView:
        return load_sync_view(ctx(self).store)

    def show(self, data: SyncView) -> None:
        self.view = data
        self.query_one("#sync-status", Static).update(status_text(data))
        self._fill(top=False)

    def show_search(self, text: str) -> None:
        self._fill(top=True)

    def _fill(self, *, top: bool) -> None:
        view = self.view
        if view is None:
            return
        text = self.search_text
        keep_peer = None if top else self.peers_table.cursor_data
        keep_file = None if top else self.files_table.cursor_data
        self.shown_peers = [p for p in view.peers if name_matches(text, p.name, p.device)]
        self.shown_files = [
            f for f in view.files if name_matches(text, f.peer, _file_name(f), _file_peer(f))
        ]
        self.peers_table.styles.height = min(max(len(self.shown_peers), 1), PEERS_SHOWN) + 1
        self.peers_table.set_source(
            ListSource(self.shown_peers),
            cursor=_index(self.shown_peers, keep_peer, lambda p: p.replica_id),
        )
        self.files_table.set_source(
            ListSource(self.shown_files),
            cursor=_index(self.shown_files, keep_file, lambda f: f.file_id),
        )
        count = ngettext("{n} file", "{n} files", len(self.shown_files)).format(
            n=len(self.shown_files)
        )
        self.query_one("#sync-count", Static).update(Text(count))

    # -- commands -------------------------------------------------------------------------

    def action_export(self, peer_id: str | None = None) -> None:
        from fieldtui.ui.screens.sync_export import ExportDialog

        view = self.view
        me = view.overview.status.me if view else None
        laptops = [p for p in (view.peers if view else ()) if p.role == LAPTOP]
        self.app.push_screen(
            ExportDialog(role=me.role if me else None, laptops=laptops, peer_id=peer_id),
            lambda _result: self.load(),
        )

    def action_import_files(self) -> None:
        from fieldtui.ui.screens.sync_import import ImportDialog

        self.app.push_screen(ImportDialog(), lambda _result: self.load())

    def action_conflicts(self) -> None:
        from fieldtui.ui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    @on(VirtualTable.RowSelected, "#sync-peers")
    def _peer_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter on a laptop (at the hub): write just that laptop's file."""
        row: PeerRow = event.row
        self.action_export(row.replica_id if row.role == LAPTOP else None)

    @on(VirtualTable.RowSelected, "#sync-files")
    def _file_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter on a file: where it is, in full (the list shows only its name)."""
        row: FileRow = event.row
        what = _("Imported") if row.direction == "in" else _("Written")
        self.notify(f"{what} {local_time(row.at)}\n{row.path}", timeout=10)


def _index(rows: list[RowT], keep: RowT | None, key: Callable[[RowT], str]) -> int | None:
    """Where the row that was highlighted is now (None: gone, or nothing was)."""
    if keep is None:
        return None
    ids = [key(r) for r in rows]
    wanted = key(keep)
    return ids.index(wanted) if wanted in ids else None


def status_text(view: SyncView) -> Text:
    """This database's role and team, then what needs attention, in two or three lines."""
    seen = view.overview
    me = seen.status.me
    team = seen.team
    text = Text()
    if me.role is None:
        text.append(
            _(
                "This database has no sync role yet: at the office make it the hub (fieldtui "
                "sync init --hub), on an officer's laptop a laptop (fieldtui sync init "
                "--laptop); see the README, Sync workflow."
            ),
            style="yellow",
        )
        return text
    text.append(
        _("This database: the {role} {name}").format(role=role_name(me.role), name=quoted(me.name)),
        style="bold",
    )
    # The team on a line of its own: beside a Chinese name at 80 columns, the line wrapped at
    # the separator and left a "·" hanging at its end.
    text.append("\n")
    if team.in_team:
        text.append(
            _("team {name} (key {epoch})").format(name=quoted(team.team_name), epoch=team.epoch)
        )
    elif team.waiting:
        text.append(_("waiting to join the team: import the hub's file"), style="yellow")
    else:
        text.append(_("no team: files are neither signed nor encrypted"), style="dim")
    if me.role == LAPTOP and not me.hub_id:
        text.append("\n" + _("No hub file imported yet: import the one the office wrote."))
    text.append("\n")
    conflicts = seen.open_conflicts
    if conflicts:
        text.append(
            ngettext("{n} open conflict", "{n} open conflicts", conflicts).format(n=conflicts),
            style="bold yellow",
        )
    else:
        text.append(_("No open conflicts"), style="green")
    if view.duplicates:
        text.append(" · ")
        text.append(
            ngettext(
                "{n} possible duplicate enterprise",
                "{n} possible duplicate enterprises",
                view.duplicates,
            ).format(n=view.duplicates),
            style="bold yellow",
        )
    if seen.held:
        text.append(" · ")
        text.append(
            ngettext("{n} value held aside", "{n} values held aside", seen.held).format(
                n=seen.held
            ),
            style="yellow",
        )
    if conflicts or view.duplicates:
        text.append(" · " + _("Ctrl+K shows them"), style="dim")
    if me.role == HUB and not view.peers:
        text.append(
            "\n" + _("No laptop has sent a file yet: import their files (Ctrl+O)."), style="dim"
        )
    return text
