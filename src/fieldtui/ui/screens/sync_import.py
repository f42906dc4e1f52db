"""Import from the app (Ctrl+O on the sync screen): one or many sync files, with progress.

The files to import are gathered first: Enter on a removable drive adds its sync files, Enter
in the path field adds a file or every sync file of a folder (→ completes the path), Delete
takes the highlighted file off the list. Ctrl+S imports them all with
:func:`fieldtui.sync.import_files` in a thread worker, showing each phase (files verified,
the backup, the merge). Escape cancels: the import stops at its next step and rolls back, so
the database is exactly as before. Then a summary says what changed: records created,
changed, deleted and restored per kind (with their measure words), conflicts opened and
settled, files imported before, values held aside, and each file's fate.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Static

from fieldtui.domain.printable import printable
from fieldtui.i18n import _, ngettext
from fieldtui.store.dberrors import explain
from fieldtui.sync import ImportReport, SyncError, import_files
from fieldtui.sync.fileformat import SUFFIX
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.sync_data import Place, sync_files_in
from fieldtui.ui.screens.sync_export import DIALOG_CSS
from fieldtui.ui.screens.sync_places import PlacesFound, fill_places, look_for_places
from fieldtui.ui.screens.sync_text import report_text, size_text
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.path_suggester import PathSuggester
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

FILES_SHOWN = 4


def _size(path: Path) -> str:
    try:
        return size_text(path.stat().st_size)
    except OSError:
        return ""


class FileList(VirtualTable[Path]):
    """The files to import; Delete takes the highlighted one off the list (the file stays)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "screen.remove_file", _("Take off the list"), id="sync_import.remove"),
    ]


class ImportDialog(ModalScreen[ImportReport | None]):
    """Dismisses with the import's report (None when nothing was imported)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ImportDialog")
        + """
    ImportDialog #import-files {
        height: 5;
    }
    ImportDialog #import-progress {
        height: 1;
    }
    ImportDialog .sync-report {
        max-height: 14;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", _("Import"), id="sync_import.start"),
        Binding("escape", "cancel", _("Cancel / close"), id="sync_import.cancel"),
    ]

    class Progressed(Message):
        def __init__(self, phase: str, done: int, total: int) -> None:
            super().__init__()
            self.phase = phase
            self.done = done
            self.total = total

    class Finished(Message):
        def __init__(self, report: ImportReport | None, error: str | None = None) -> None:
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, paths: list[Path] | None = None) -> None:
        super().__init__()
        self.files: list[Path] = list(paths or [])
        self.places: list[Place] = []
        self.state = "choose"
        """choose → importing → done."""
        self.report: ImportReport | None = None
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Import sync files")), classes="sync-title")
            yield OptionList(id="import-places", classes="sync-places", markup=False, compact=True)
            with Horizontal(classes="sync-row", id="import-path-row"):
                yield Label(_("File"), classes="sync-label")
                yield Input(
                    placeholder=_("A sync file or a folder; → completes, Enter adds"),
                    suggester=PathSuggester((SUFFIX,)),
                    select_on_focus=False,
                    compact=True,
                    id="import-path",
                    classes="sync-field",
                )
            yield Static("", id="import-message", classes="sync-message")
            yield Static("", id="import-count", classes="sync-hint")
            yield FileList(
                [
                    TableColumn("name", _("File"), lambda p: printable(p.name), min_width=20),
                    TableColumn("size", _("Size"), _size, width=9, align="right"),
                    TableColumn(
                        "folder", _("Folder"), lambda p: printable(p.parent), width=22, drop_order=1
                    ),
                ],
                id="import-files",
            )
            yield Static(
                _(
                    "Enter on a drive or in the path adds files; Delete takes one off the "
                    "list; Ctrl+S imports."
                ),
                id="import-hint",
                classes="sync-hint",
            )
            yield Label("", id="import-phase")
            yield ProgressBar(total=None, show_eta=False, id="import-progress")
            with VerticalScroll(id="import-report", classes="sync-report"):
                yield Static("", id="import-summary")
            with Horizontal(classes="sync-buttons"):
                yield Button(
                    Content(key_hint(_("Import"), "Ctrl+S")),
                    variant="primary",
                    id="import-start",
                    compact=True,
                )
                yield Button(Content(key_hint(_("Close"), "Esc")), id="import-close", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        for hidden in (
            "#import-places",
            "#import-message",
            "#import-phase",
            "#import-progress",
            "#import-report",
        ):
            self.query_one(hidden).display = False
        self.query_one("#import-path", Input).focus()
        self._show_files()
        look_for_places(self)

    def on_places_found(self, message: PlacesFound) -> None:
        message.stop()
        self.places = message.found
        options = self.query_one("#import-places", OptionList)
        fill_places(options, message.found, files=True)
        if self.state != "choose":
            options.display = False
        elif message.found and not self.files:
            options.focus()

    @property
    def table(self) -> FileList:
        return self.query_one("#import-files", FileList)

    # -- choosing files -------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#import-places")
    def _place_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.add(self.places[event.option_index].path)

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            if self.files:
                self.action_start()
            else:
                self._message(_("Give a sync file or a folder (or choose a drive above)."))
            return
        if self.add(Path(os.path.expanduser(raw))):
            event.input.value = ""

    def add(self, path: Path) -> bool:
        """Add a file, or a folder's sync files, to the list; False (and one line) if none."""
        if path.is_dir():
            found = sync_files_in(path)
            if not found:
                self._message(_("No sync files in {path}").format(path=printable(path)))
                return False
        elif path.is_file():
            found = [path]
        else:
            self._message(_("No such file or folder: {path}").format(path=printable(path)))
            return False
        known = {p.resolve() for p in self.files}
        self.files += [p for p in found if p.resolve() not in known]
        self._message("")
        self._show_files()
        return True

    def action_remove_file(self) -> None:
        if self.state != "choose":
            return
        path = self.table.cursor_data
        if path is not None and path in self.files:
            index = self.files.index(path)
            self.files.remove(path)
            self._show_files(cursor=min(index, len(self.files) - 1) if self.files else None)

    def _show_files(self, cursor: int | None = None) -> None:
        self.table.set_source(ListSource(self.files), cursor=cursor)
        n = len(self.files)
        count = (
            ngettext("{n} file to import:", "{n} files to import:", n).format(n=n)
            if n
            else _("No file chosen yet.")
        )
        self.query_one("#import-count", Static).update(Text(count))
        self.query_one("#import-start", Button).disabled = self.state != "choose" or not n

    # -- importing ------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-start":
            self.action_start()
        else:
            self.action_cancel()

    def action_start(self) -> None:
        if self.state != "choose":
            return
        if not self.files:
            self._message(_("Add the files to import first."))
            return
        self.state = "importing"
        self._cancel.clear()
        self._message("")
        for chooser in ("#import-places", "#import-path-row", "#import-hint"):
            self.query_one(chooser).display = False
        phase = self.query_one("#import-phase", Label)
        phase.update(_("Reading sync files…"))
        phase.display = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import-close", Button).label = Content(key_hint(_("Cancel"), "Esc"))
        self.query_one("#import-start", Button).disabled = True
        self.table.focus()
        self._run(list(self.files))

    @work(thread=True, exclusive=True, group="sync-import")
    def _run(self, paths: list[Path]) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(self.Progressed(phase, done, total))

        try:
            report = import_files(
                ctx(self).store, paths, progress=progress, cancel=self._cancel.is_set
            )
        except SyncError as exc:  # no role yet, a lock held too long
            self.post_message(self.Finished(None, str(exc)))
        except Exception as exc:  # the database refused (disk full…): one line, app goes on
            error = explain(exc) or str(exc)
            self.post_message(self.Finished(None, _("Import failed: {error}").format(error=error)))
        else:
            self.post_message(self.Finished(report))

    def on_import_dialog_progressed(self, message: Progressed) -> None:
        message.stop()
        if self._cancel.is_set() or self.state != "importing":
            return
        bar = self.query_one("#import-progress", ProgressBar)
        if message.phase == "read" and message.total:
            name = self.files[message.done].name if message.done < len(self.files) else ""
            text = _("Verifying {file} ({n}/{total})").format(
                file=printable(name), n=message.done + 1, total=message.total
            )
            bar.update(total=message.total, progress=message.done)
        elif message.phase == "backup":
            text = _("Backing up the database")
            bar.update(total=None)
        else:
            text = ngettext("Merging {n} change", "Merging {n} changes", message.total).format(
                n=message.total
            )
            bar.update(total=None)
        self.query_one("#import-phase", Label).update(Text(text))

    def on_import_dialog_finished(self, message: Finished) -> None:
        message.stop()
        self.state = "done"
        self.query_one("#import-progress").display = False
        self.query_one("#import-phase").display = False
        self.query_one("#import-close", Button).label = Content(key_hint(_("Close"), "Esc"))
        if message.report is None:
            self._message(message.error or "")
        else:
            self.report = message.report
            self.table.display = False
            self.query_one("#import-count").display = False
            self.query_one("#import-report").display = True
            self.query_one("#import-summary", Static).update(report_text(message.report))
            self.query_one("#import-start").display = False
        self.query_one("#import-close", Button).focus()

    def action_cancel(self) -> None:
        """Escape: while importing, stop it (it rolls back); otherwise close."""
        if self.state == "importing":
            if not self._cancel.is_set():
                self._cancel.set()
                self.query_one("#import-phase", Label).update(Text(_("Cancelling…")))
            return
        self.dismiss(self.report)

    # -- messages -------------------------------------------------------------------------

    def _message(self, text: str) -> None:
        message = self.query_one("#import-message", Static)
        message.update(Text(text))
        message.display = bool(text)

    @property
    def message(self) -> str:
        """The one-line message shown now ("" when none): for tests."""
        return str(self.query_one("#import-message", Static).render())

    @property
    def summary(self) -> str:
        """The summary as shown: for tests."""
        return str(self.query_one("#import-summary", Static).render())
