"""Small modal questions: confirm a destructive action, or decide about unsaved changes.

Each answer is a button *and* a key, so the dialogs work from the keyboard alone; the message
may quote a record's name, so it is shown as plain content, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fieldtui.i18n import _

_DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 64;
    max-width: 90%;
    height: auto;
    border: thick $primary;
    background: $surface;
    padding: 1 2;
}}
{name} .dialog-title {{
    text-style: bold;
    margin-bottom: 1;
}}
{name} .dialog-buttons {{
    height: auto;
    margin-top: 1;
    align-horizontal: right;
}}
{name} .dialog-buttons Button {{
    margin-left: 1;
}}
"""


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no; dismisses with True only on an explicit yes (Escape and "no" are False).

    The safe answer has the focus, so a stray Enter never deletes anything.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", _("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm.no"),
    ]

    def __init__(self, title: str, message: str, *, confirm_label: str | None = None) -> None:
        super().__init__()
        self.dialog_title = title
        self.message = message
        self.confirm_label = confirm_label or _("Yes")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.dialog_title), classes="dialog-title")
            yield Static(Content(self.message), id="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (Y)", variant="error", id="yes")
                yield Button(f"{_('Cancel')} (N)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class UnsavedChangesDialog(ModalScreen[str]):
    """Leaving a form with changes: ``"save"``, ``"discard"`` or ``"keep"`` (keep editing)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="UnsavedChangesDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", _("Save"), id="unsaved.save"),
        Binding("d", "answer('discard')", _("Discard changes"), id="unsaved.discard"),
        Binding("k,escape", "answer('keep')", _("Keep editing"), id="unsaved.keep"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Unsaved changes"), classes="dialog-title")
            yield Static(_("This form has changes that are not saved yet."))
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{_('Save')} (S)", variant="primary", id="save")
                yield Button(f"{_('Discard changes')} (D)", variant="error", id="discard")
                yield Button(f"{_('Keep editing')} (K)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "keep")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
