"""Export from the app (Ctrl+E on the sync screen): write sync files to a drive or a folder.

The mounted removable drives come first (Enter on one writes there at once); any other folder
is typed with completion (→). At the hub a choice says for whom: one file per laptop (what
each lacks), one laptop's file, or a file with everything for a new laptop. The same
:func:`fieldtui.sync.export` as ``fieldtui sync export``, in a thread worker. The folder must
exist: a mistyped drive path must not quietly become a new folder on the laptop's own disk.
A folder that is missing, full or write-protected gives one line, and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from fieldtui.domain.printable import printable
from fieldtui.i18n import _
from fieldtui.sync import HUB, Exported, Skipped, SyncError, export
from fieldtui.sync.fileformat import SUFFIX
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.sync_data import PeerRow, Place
from fieldtui.ui.screens.sync_places import PlacesFound, fill_places, look_for_places
from fieldtui.ui.screens.sync_text import exported_text, write_error
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.path_suggester import PathSuggester

EVERY = "every"
FULL = "full"

DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 84;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .sync-title {{
    text-style: bold;
    color: $primary;
    margin-bottom: 1;
}}
{name} .sync-row {{
    height: auto;
}}
{name} .sync-label {{
    width: 10;
    color: $text-muted;
}}
{name} .sync-places {{
    height: auto;
    max-height: 4;
    margin-bottom: 1;
}}
{name} .sync-field {{
    width: 1fr;
}}
{name} .sync-message {{
    color: $text-error;
    height: auto;
    margin-left: 10;
}}
{name} .sync-hint {{
    color: $text-muted;
    height: auto;
}}
{name} .sync-report {{
    height: auto;
    max-height: 12;
    border: round $panel;
}}
{name} .sync-buttons {{
    height: auto;
    align-horizontal: right;
    margin-top: 1;
}}
{name} .sync-buttons Button {{
    margin-left: 1;
}}
"""


class ExportDialog(ModalScreen[list[Exported] | None]):
    """Dismisses with the files written (None when nothing was)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ExportDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", _("Export"), id="sync_export.write"),
        Binding("escape", "close", _("Close"), id="sync_export.close"),
    ]

    class Done(Message):
        def __init__(
            self, files: list[Exported], skipped: list[Skipped], error: str | None = None
        ) -> None:
            super().__init__()
            self.files = files
            self.skipped = skipped
            self.error = error

    def __init__(
        self,
        *,
        role: str | None,
        laptops: Sequence[PeerRow] = (),
        peer_id: str | None = None,
        path: str = "",
    ) -> None:
        super().__init__()
        self.role = role
        self.laptops = list(laptops)
        self.peer_id = peer_id if any(p.replica_id == peer_id for p in laptops) else None
        self.initial_path = path
        self.places: list[Place] = []
        self.busy = False
        self.written: list[Exported] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Export a sync file")), classes="sync-title")
            if self.role == HUB:
                with Horizontal(classes="sync-row"):
                    yield Label(_("For"), classes="sync-label")
                    yield Select[str](
                        self._targets(),
                        value=self.peer_id or EVERY,
                        allow_blank=False,
                        compact=True,
                        id="export-for",
                        classes="sync-field",
                    )
            else:
                yield Static(
                    _("One file with every change the office has not confirmed receiving."),
                    classes="sync-hint",
                )
            yield OptionList(id="export-places", classes="sync-places", markup=False, compact=True)
            with Horizontal(classes="sync-row"):
                yield Label(_("Folder"), classes="sync-label")
                yield Input(
                    placeholder=_("The folder to write to, e.g. the USB drive; → completes"),
                    suggester=PathSuggester((SUFFIX,)),
                    select_on_focus=False,
                    compact=True,
                    id="export-path",
                    classes="sync-field",
                )
            yield Static("", id="export-message", classes="sync-message")
            with VerticalScroll(id="export-report", classes="sync-report"):
                yield Static("", id="export-result")
            with Horizontal(classes="sync-buttons"):
                yield Button(
                    Content(key_hint(_("Export"), "Ctrl+S")),
                    variant="primary",
                    id="export-write",
                    compact=True,
                )
                yield Button(Content(key_hint(_("Close"), "Esc")), id="export-close", compact=True)
        yield AppFooter()

    def _targets(self) -> list[tuple[Text, str]]:
        targets = [(Text(_("Every laptop, one file each")), EVERY)]
        targets += [(Text(p.name), p.replica_id) for p in self.laptops]
        targets.append((Text(_("Everything, for a new laptop")), FULL))
        return targets

    def on_mount(self) -> None:
        for hidden in ("#export-places", "#export-message", "#export-report"):
            self.query_one(hidden).display = False
        path = self.query_one("#export-path", Input)
        path.focus()
        self.call_after_refresh(self._fill_path)
        look_for_places(self)

    def _fill_path(self) -> None:
        if self.initial_path:
            path = self.query_one("#export-path", Input)
            path.value = self.initial_path
            path.cursor_position = len(self.initial_path)

    def on_places_found(self, message: PlacesFound) -> None:
        message.stop()
        self.places = message.found
        options = self.query_one("#export-places", OptionList)
        fill_places(options, message.found, files=False)
        if message.found and not self.initial_path and not self.busy:
            options.focus()

    # -- writing --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#export-places")
    def _place_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        place = self.places[event.option_index]
        path = self.query_one("#export-path", Input)
        path.value = str(place.path).rstrip(os.sep) + os.sep
        self.action_export()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-write":
            self.action_export()
        else:
            self.action_close()

    def _target(self) -> tuple[str | None, bool]:
        """For whom (a laptop's replica id, or None) and whether everything is written."""
        if self.role != HUB:
            return None, False
        value = self.query_one("#export-for", Select).value
        if value == FULL:
            return None, True
        if isinstance(value, str) and value != EVERY:
            return value, False
        return None, False

    def action_export(self) -> None:
        if self.busy:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._message(_("Give the folder to write to (or choose a drive above)."))
            return
        self._message("")
        for_peer, full = self._target()
        self.busy = True
        self.query_one("#export-write", Button).disabled = True
        self._write(raw, for_peer, full)

    @work(thread=True, exclusive=True, group="sync-export")
    def _write(self, raw: str, for_peer: str | None, full: bool) -> None:
        path = Path(os.path.expanduser(raw))
        folder = path.parent if path.suffix == SUFFIX else path
        if not folder.is_dir():
            self.post_message(
                self.Done([], [], _("No such folder: {path}").format(path=_shown_path(folder)))
            )
            return
        out = str(path) if path.suffix == SUFFIX else str(path).rstrip(os.sep) + os.sep
        skipped: list[Skipped] = []
        try:
            files = export(ctx(self).store, out, full=full, for_peer=for_peer, skipped=skipped)
        except SyncError as exc:
            self.post_message(self.Done([], [], str(exc)))
        except OSError as exc:  # full, write-protected, pulled out
            self.post_message(self.Done([], [], write_error(_shown_path(folder), exc)))
        except Exception as exc:  # the database refused: one line, the app goes on
            self.post_message(self.Done([], [], _("Export failed: {error}").format(error=exc)))
        else:
            self.post_message(self.Done(files, skipped))

    def on_export_dialog_done(self, message: Done) -> None:
        message.stop()
        self.busy = False
        self.query_one("#export-write", Button).disabled = False
        if message.error is not None:
            self._message(message.error)
            return
        self.written = [*(self.written or []), *message.files]
        report = self.query_one("#export-report")
        report.display = True
        self.query_one("#export-result", Static).update(
            exported_text(message.files, message.skipped)
        )
        self.query_one("#export-close", Button).focus()

    def _message(self, text: str) -> None:
        message = self.query_one("#export-message", Static)
        message.update(Text(text))
        message.display = bool(text)

    @property
    def message(self) -> str:
        """The one-line error shown now ("" when none): for tests."""
        return str(self.query_one("#export-message", Static).render())

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.written)


def _shown_path(path: Path) -> str:
    return printable(path)
