"""F1: every key of the focused screen and widget, with what it does and its binding id.

The rows are collected by the app from the screen's active bindings before this screen is
pushed (see :mod:`fieldtui.ui.keys`); the id column is what the settings file's ``[keys]``
table remaps.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from fieldtui.i18n import _
from fieldtui.ui.keys import KeyRow


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: closed before the keys typed after it are sent on (to the list behind).
        Binding("escape,f1,q", "dismiss", _("Close"), id="help.close", priority=True),
    ]

    def __init__(self, rows: list[KeyRow], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.help_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text(_("Keys: {title}").format(title=self.help_title)), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(self._table(), id="help-table")
            yield Static(
                Text(
                    _('Remap a key in the settings file: [keys] binding-id = "key"'),
                    style="dim",
                ),
                id="help-hint",
            )

    def _table(self) -> Table:
        # The key and the binding id are what a user copies into the settings file: they
        # are never cut (at 80 columns the action and place wrap instead).
        table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
        keys = [", ".join(row.keys) for row in self.rows]
        ids = [row.binding_id or "" for row in self.rows]
        table.add_column(_("Key"), no_wrap=True, style="bold", min_width=_widest(keys))
        table.add_column(_("Action"), ratio=3, overflow="fold")
        table.add_column(_("Where"), ratio=2, overflow="fold")
        table.add_column(_("Binding id"), no_wrap=True, style="dim", min_width=_widest(ids))
        for row in self.rows:
            table.add_row(
                Text(", ".join(row.keys)),
                Text(row.description, style="" if row.enabled else "dim"),
                Text(row.group),
                Text(row.binding_id or ""),
            )
        return table


def _widest(texts: list[str]) -> int:
    return max((cell_len(text) for text in texts), default=0)
