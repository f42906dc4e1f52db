"""A one-line note for a checklist answer: why a duty was not met, what a breach was.

The item's text is the office's wording and the note the officer's: both are plain content,
never markup. Enter keeps the note, Escape leaves it as it was; a required note cannot be
kept empty (the message says so under the field).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _
from fieldtui.ui.widgets.choice_dialog import key_hint

NOTE_MAX_LEN = 500


class NoteDialog(ModalScreen[str | None]):
    """Dismisses with the note (cleaned; "" when emptied and not required), or None."""

    DEFAULT_CSS = """
    NoteDialog {
        align: center middle;
    }
    NoteDialog > Vertical {
        width: 70;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    NoteDialog #note-title {
        text-style: bold;
    }
    NoteDialog #note-item {
        margin-bottom: 1;
    }
    NoteDialog #note-error {
        color: $error;
        height: auto;
        display: none;
    }
    NoteDialog #note-error.-shown {
        display: block;
    }
    NoteDialog .dialog-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    NoteDialog .dialog-buttons Button {
        margin-left: 1;
    }
    """
    AUTO_FOCUS: ClassVar[str | None] = "#note-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="note.cancel", priority=True),
        Binding("ctrl+s", "keep", _("OK"), id="note.ok"),
    ]

    def __init__(self, title: str, item: str, note: str = "", *, required: bool = False) -> None:
        super().__init__()
        self.dialog_title = title
        self.item = item
        self.note = note
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.dialog_title), id="note-title")
            yield Static(Content(self.item), id="note-item")
            yield Input(
                self.note,
                placeholder=_("Note, e.g. what happened and what was done"),
                max_length=NOTE_MAX_LEN,
                id="note-input",
            )
            yield Static("", id="note-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(key_hint(_("OK"), "Enter")), variant="primary", id="ok")
                yield Button(Content(key_hint(_("Cancel"), "Esc")), id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_keep()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_keep()
        else:
            self.action_cancel()

    def action_keep(self) -> None:
        note = clean_line(self.query_one("#note-input", Input).value)
        if self.required and not note:
            error = self.query_one("#note-error", Static)
            error.update(Content(_("A note is required here.")))
            error.add_class("-shown")
            self.query_one("#note-input", Input).focus()
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
