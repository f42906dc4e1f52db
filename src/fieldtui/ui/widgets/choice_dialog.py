"""Small modal questions: confirm a destructive action, or decide about unsaved changes.

The safe answer has the focus from the first moment (``AUTO_FOCUS``, so even keys that arrive
while the dialog opens meet it), Escape gives the safe answer, and no printable key answers:
an officer typing fast into a list who hits Delete by mistake can type on, press Enter or
Escape, and lose nothing. The destructive button is reached with Tab or the arrow keys and
pressed with Enter. The message may quote a record's name, so it is plain content, never
markup.
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


def key_hint(label: str, key: str) -> str:
    """A button's label with its key, the way the UI language writes it: "Save (Ctrl+S)",
    "保存(Ctrl+S)"."""
    return _("{label} ({key})").format(label=label, key=key)


_MOVE_BINDINGS: list[BindingType] = [
    Binding(
        "left,up", "app.focus_previous", _("Previous button"), id="dialog.previous", show=False
    ),
    Binding("right,down", "app.focus_next", _("Next button"), id="dialog.next", show=False),
]


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no; dismisses with True only when the confirm button is pressed.

    Cancel has the focus; Escape cancels; the confirm button is reached with Tab or an arrow
    key and pressed with Enter. No letter answers (``y``/``n`` used to: typing "dy" on a
    list deleted the highlighted enterprise).
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog")
    AUTO_FOCUS: ClassVar[str | None] = "#no"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the dialog is gone before the keys typed after Escape are sent on.
        Binding("escape", "answer(False)", _("Cancel"), id="confirm.cancel", priority=True),
        *_MOVE_BINDINGS,
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
                yield Button(Content(self.confirm_label), variant="error", id="yes")
                yield Button(Content(key_hint(_("Cancel"), "Esc")), id="no")

    def on_mount(self) -> None:
        # (Already answered, by a key typed before it was up: nothing left to focus.)
        for button in self.query("#no"):
            self.set_focus(button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class UnsavedChangesDialog(ModalScreen[str]):
    """Leaving a form with changes: ``"save"``, ``"discard"`` or ``"keep"`` (keep editing).

    Keep editing has the focus and is Escape's answer; Ctrl+S saves (as in the form); discarding
    takes Tab or an arrow key to its button, then Enter.
    """

    DEFAULT_CSS = _DIALOG_CSS.format(name="UnsavedChangesDialog")
    AUTO_FOCUS: ClassVar[str | None] = "#keep"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "answer('save')", _("Save"), id="unsaved.save"),
        Binding("escape", "answer('keep')", _("Keep editing"), id="unsaved.keep", priority=True),
        *_MOVE_BINDINGS,
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Unsaved changes"), classes="dialog-title")
            yield Static(_("This form has changes that are not saved yet."))
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(key_hint(_("Save"), "Ctrl+S")), variant="primary", id="save")
                yield Button(Content(_("Discard changes")), variant="error", id="discard")
                yield Button(Content(key_hint(_("Keep editing"), "Esc")), id="keep")

    def on_mount(self) -> None:
        # (Already answered, by a key typed before it was up: nothing left to focus.)
        for button in self.query("#keep"):
            self.set_focus(button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "keep")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
