"""A labelled form row: label, control, and the inline message under the control.

Forms (enterprise, officer, and later visits and problems) share it so every form shows its
validation the same way: red for an error that blocks saving, yellow for a warning that does
not. Messages can quote what the user typed, so they are shown as plain content, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea


def read_fields(form: DOMNode, fields: Iterable[str]) -> dict[str, str | None]:
    """What a form holds now, as typed, by control id (select fields as codes, none as None).

    Forms compare this with what they loaded to know whether leaving would lose changes.
    """
    values: dict[str, str | None] = {}
    for field in fields:
        widget = form.query_one(f"#{field}")
        if isinstance(widget, Select):
            values[field] = None if widget.value is Select.NULL else str(widget.value)
        elif isinstance(widget, TextArea):
            values[field] = widget.text
        elif isinstance(widget, Input):
            values[field] = widget.value
    return values


class FormField(Horizontal):
    """``label | control`` with a message line below the control, hidden while empty."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin: 0 0 1 0;
    }
    FormField > .form-label {
        width: 18;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    FormField > .form-body {
        height: auto;
        width: 1fr;
    }
    FormField .form-message {
        display: none;
        height: auto;
    }
    FormField .form-message.-error {
        display: block;
        color: $text-error;
    }
    FormField .form-message.-warning {
        display: block;
        color: $text-warning;
    }
    """

    def __init__(self, label: str, control: Widget, *, field: str, required: bool = False) -> None:
        super().__init__(id=f"field-{field}")
        self.field = field
        self.label_text = f"{label} *" if required else label
        self.control = control
        self._shown: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        yield Label(Content(self.label_text), classes="form-label")
        with Vertical(classes="form-body"):
            yield self.control
            yield Static("", classes="form-message", id=f"msg-{self.field}")

    def set_label(self, label: str, *, required: bool = False) -> None:
        """Name the field anew (a dialog whose field means another thing per choice)."""
        self.label_text = f"{label} *" if required else label
        for shown in self.query(".form-label").results(Label):
            shown.update(Content(self.label_text))

    @property
    def message(self) -> str:
        """The message shown now (empty when none): what tests and screenshots check."""
        return str(self.query_one(".form-message", Static).content)

    def show(self, error: str | None = None, warning: str | None = None) -> None:
        """Show an error, else a warning, else nothing.

        Called on every keystroke; an update re-lays out the whole form, so nothing is
        touched when the message stays the same (the usual case while typing).
        """
        state = (error or "", "" if error else warning or "")
        if state == self._shown:
            return
        self._shown = state
        static = self.query_one(".form-message", Static)
        static.update(Content(error or warning or ""))
        static.set_class(bool(error), "-error")
        static.set_class(bool(warning) and not error, "-warning")
