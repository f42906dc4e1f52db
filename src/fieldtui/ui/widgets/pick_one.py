"""Choose one of a few fixed values (a list's filter by kind): Up/Down and Enter.

A short menu rather than a form: the values are known and few, so the officer moves to one
and presses Enter. Escape leaves the choice as it was. No printable key chooses (typing is a
list's search everywhere else; here it does nothing). Labels may hold user text and are
plain content, never markup.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.i18n import _

ValueT = TypeVar("ValueT")


class PickOneDialog(ModalScreen[ValueT | None], Generic[ValueT]):
    """Dismisses with the chosen value, or None when cancelled (Escape)."""

    DEFAULT_CSS = """
    PickOneDialog {
        align: center middle;
    }
    PickOneDialog > Vertical {
        width: 44;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    PickOneDialog #pick-one-title {
        text-style: bold;
        margin-bottom: 1;
    }
    PickOneDialog OptionList {
        height: auto;
        max-height: 14;
    }
    """
    AUTO_FOCUS: ClassVar[str | None] = "#pick-one-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: gone before the keys typed after Escape are sent on (to the list behind).
        Binding("escape", "cancel", _("Cancel"), id="pick_one.cancel", priority=True),
    ]

    def __init__(
        self, title: str, choices: list[tuple[str | Text, ValueT]], current: ValueT
    ) -> None:
        super().__init__()
        self.dialog_title = title
        self.labels = [label for label, _value in choices]
        self.values = [value for _label, value in choices]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.dialog_title), id="pick-one-title")
            yield OptionList(
                *(
                    Option(Text(label) if isinstance(label, str) else label)
                    for label in self.labels
                ),
                id="pick-one-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.values.index(self.current) if self.current in self.values else 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
