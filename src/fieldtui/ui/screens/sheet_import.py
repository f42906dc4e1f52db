"""Import a spreadsheet from the app: pick the kind and the file, preview, then confirm.

The same :func:`fieldtui.sheets.import_sheet` as ``fieldtui sheet import``. The first pass
is a dry run so the officer sees what would be created, updated and refused before anything
is written; the second pass writes (it reads the file again, so a file fixed in between is
taken as it is now). Both run in a thread worker with a progress bar; Escape cancels, and a
cancelled import rolls back completely. Cell text from the file is shown as plain text,
never as markup.

The screen dismisses with the written :class:`ImportSummary`, or None when nothing was
written, so the caller can refresh its list.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from fieldtui.i18n import _
from fieldtui.sheets import KINDS, ImportCancelled, ImportSummary, SheetFileError, import_sheet
from fieldtui.sheets.readers import CSV_SUFFIXES, XLSX_SUFFIXES
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.path_suggester import PathSuggester

MAX_LISTED = 300
"""Row errors shown on screen; the rest are counted (the CLI's --json has them all)."""


class SheetImportScreen(ModalScreen[ImportSummary | None]):
    """Modal import dialog; ``kind`` preselects the record kind (e.g. from the ledger)."""

    CSS_PATH = "sheet_import.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "check", _("Check file"), id="sheet_import.check"),
        Binding("ctrl+s", "confirm", _("Import"), id="sheet_import.confirm"),
        Binding("escape", "cancel", _("Cancel / close"), id="sheet_import.cancel"),
    ]

    class Progressed(Message):
        def __init__(self, phase: str, done: int, total: int) -> None:
            super().__init__()
            self.phase = phase
            self.done = done
            self.total = total

    class Finished(Message):
        def __init__(self, summary: ImportSummary | None, error: str | None = None) -> None:
            super().__init__()
            self.summary = summary
            self.error = error

    def __init__(self, kind: str = "enterprises", path: str | None = None) -> None:
        super().__init__()
        self.initial_kind = kind if kind in KINDS else "enterprises"
        self.initial_path = path if path is not None else str(Path.cwd()) + os.sep
        self.state = "form"
        """form → checking → preview → importing → done (or back to form on an error)."""
        self.preview: ImportSummary | None = None
        self.result: ImportSummary | None = None
        self._cancel = threading.Event()

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="sheet-import"):
            yield Static(_("Import a spreadsheet"), id="sheet-import-title")
            with Horizontal(classes="sheet-import-row"):
                yield Label(_("Kind"), classes="sheet-import-label")
                yield Select(
                    [(k.label, k.name) for k in KINDS.values() if k.importable],
                    value=self.initial_kind,
                    allow_blank=False,
                    id="sheet-kind",
                )
            with Horizontal(classes="sheet-import-row"):
                yield Label(_("File"), classes="sheet-import-label")
                yield Input(
                    placeholder=_(".xlsx or .csv file; → completes the path"),
                    suggester=PathSuggester(XLSX_SUFFIXES | CSV_SUFFIXES),
                    select_on_focus=False,  # the path is continued, not replaced
                    id="sheet-path",
                )
            yield Static(
                _("Enter or F5 checks the file first; nothing is written until you confirm."),
                id="sheet-import-hint",
            )
            yield Label("", id="sheet-phase")
            yield ProgressBar(total=None, show_eta=False, id="sheet-progress")
            with VerticalScroll(id="sheet-report"):
                yield Static("", id="sheet-summary")
            with Horizontal(id="sheet-import-buttons"):
                yield Button(key_hint(_("Check file"), "F5"), id="check", variant="primary")
                yield Button(key_hint(_("Import"), "Ctrl+S"), id="confirm", variant="success")
                yield Button(key_hint(_("Close"), "Esc"), id="close")
        yield AppFooter()

    def on_mount(self) -> None:
        for busy_only in ("#sheet-phase", "#sheet-progress", "#sheet-report"):
            self.query_one(busy_only).display = False
        self._sync_buttons()
        path_input = self.query_one("#sheet-path", Input)
        path_input.focus()
        # Filled in after the focus event, which clears suggestions: the first → completes.
        self.call_after_refresh(self._fill_path)

    def _fill_path(self) -> None:
        path_input = self.query_one("#sheet-path", Input)
        path_input.value = self.initial_path
        path_input.cursor_position = len(self.initial_path)

    def _sync_buttons(self) -> None:
        busy = self.state in ("checking", "importing")
        self.query_one("#check", Button).disabled = busy
        self.query_one("#confirm", Button).disabled = self.state != "preview" or not _writes(
            self.preview
        )
        self.query_one("#close", Button).label = (
            key_hint(_("Cancel"), "Esc") if busy else key_hint(_("Close"), "Esc")
        )
        self.query_one("#sheet-kind", Select).disabled = busy
        self.query_one("#sheet-path", Input).disabled = busy

    # -- actions ------------------------------------------------------------------------

    @on(Input.Submitted, "#sheet-path")
    def _submitted(self) -> None:
        self.action_check()

    @on(Select.Changed, "#sheet-kind")
    @on(Input.Changed, "#sheet-path")
    def _inputs_changed(self) -> None:
        # A preview describes one kind and one file; after a change it must be made again.
        if self.state in ("preview", "done"):
            self.state = "form"
            self.preview = None
            self._sync_buttons()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"check": self.action_check, "confirm": self.action_confirm}
        actions.get(event.button.id or "", self.action_cancel)()

    def action_check(self) -> None:
        if self.state in ("checking", "importing"):
            return
        path = self.query_one("#sheet-path", Input).value.strip()
        if not path:
            self._show_error(_("Give the file to import."))
            return
        self._start("checking", _("Checking the file…"))
        self._run(self._kind(), os.path.expanduser(path), dry_run=True)

    def action_confirm(self) -> None:
        if self.state != "preview" or self.preview is None:
            if self.state == "form":
                self.notify(_("Check the file first (Enter or F5)."))
            return
        if not _writes(self.preview):
            self.notify(_("Nothing to import: the database already matches the sheet."))
            return
        self._start("importing", _("Importing…"))
        self._run(self.preview.kind, self.preview.file, dry_run=False)

    def action_cancel(self) -> None:
        if self.state in ("checking", "importing"):
            self._cancel.set()
            self.query_one("#sheet-phase", Label).update(_("Cancelling…"))
            return
        self.dismiss(self.result)

    def _kind(self) -> str:
        value = self.query_one("#sheet-kind", Select).value
        return value if isinstance(value, str) else self.initial_kind

    def _start(self, state: str, phase: str) -> None:
        self.state = state
        self._cancel.clear()
        label = self.query_one("#sheet-phase", Label)
        label.update(phase)
        label.display = True
        bar = self.query_one("#sheet-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._sync_buttons()

    # -- the worker ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="sheet-import")
    def _run(self, kind: str, path: str, dry_run: bool) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(self.Progressed(phase, done, total))

        try:
            summary = import_sheet(
                ctx(self).store,
                kind,
                path,
                dry_run=dry_run,
                progress=progress,
                cancel=self._cancel.is_set,
            )
        except SheetFileError as exc:
            self.post_message(self.Finished(None, str(exc)))
        except ImportCancelled:
            self.post_message(self.Finished(None, _("Cancelled: nothing was imported.")))
        except Exception as exc:  # the database refused; shown, and the app goes on
            self.post_message(self.Finished(None, _("Import failed: {error}").format(error=exc)))
        else:
            self.post_message(self.Finished(summary))

    def on_sheet_import_screen_progressed(self, message: Progressed) -> None:
        if self._cancel.is_set():
            return
        label = _("Checking rows") if message.phase == "check" else _("Writing")
        self.query_one("#sheet-phase", Label).update(f"{label} {message.done}/{message.total}")
        self.query_one("#sheet-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def on_sheet_import_screen_finished(self, message: Finished) -> None:
        self.query_one("#sheet-progress").display = False
        self.query_one("#sheet-phase").display = False
        summary = message.summary
        if summary is None:
            self.state = "form"
            self.preview = None
            self._show_error(message.error or "")
        elif summary.dry_run:
            self.state = "preview"
            self.preview = summary
            self._show_summary(summary)
            if _writes(summary):
                self.query_one("#confirm", Button).focus()
        else:
            self.state = "done"
            self.result = summary
            self.preview = None
            self._show_summary(summary)
            self.query_one("#close", Button).focus()
        self._sync_buttons()

    # -- showing results ----------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.query_one("#sheet-report").display = True
        self.query_one("#sheet-summary", Static).update(Text(message, style="bold red"))

    def _show_summary(self, summary: ImportSummary) -> None:
        self.query_one("#sheet-report").display = True
        self.query_one("#sheet-summary", Static).update(summary_text(summary))
        self.query_one("#sheet-report", VerticalScroll).scroll_home(animate=False)


def _writes(summary: ImportSummary | None) -> bool:
    return bool(summary and (summary.created or summary.updated or summary.removed))


def summary_text(summary: ImportSummary) -> Text:
    """The summary as plain text: every piece of file content is appended, never parsed."""
    text = Text()
    where = summary.file
    if summary.sheet:
        where += " · " + _("worksheet {name}").format(name=summary.sheet)
    if summary.encoding == "gb18030":
        where += " · GBK"
    text.append(where + "\n", style="bold")
    counts = [
        _("new {n}").format(n=summary.created),
        _("updated {n}").format(n=summary.updated),
        _("unchanged {n}").format(n=summary.unchanged),
        _("refused {n}").format(n=summary.refused),
    ]
    if summary.removed:
        counts.append(_("removed from the plan {n}").format(n=summary.removed))
    text.append(" · ".join(counts) + "\n")
    if summary.dry_run:
        if _writes(summary):
            text.append(_("Preview only: nothing is written yet. Ctrl+S imports.") + "\n", "cyan")
        else:
            text.append(_("Nothing to import: the database already matches the sheet.") + "\n")
    elif summary.written:
        text.append(_("Imported.") + "\n", "green")
    if summary.refused:
        text.append(
            "\n" + _("Refused rows (nothing of them is imported; the other rows are):") + "\n",
            "bold red",
        )
        _append_issues(text, summary.errors)
    if summary.warnings:
        text.append("\n" + _("Warnings:") + "\n", "bold yellow")
        _append_issues(text, summary.warnings)
    return text


def _append_issues(text: Text, issues: Sequence[object]) -> None:
    for issue in issues[:MAX_LISTED]:
        text.append("  " + str(issue) + "\n")
    if len(issues) > MAX_LISTED:
        text.append("  " + _("… and {n} more").format(n=len(issues) - MAX_LISTED) + "\n")
