"""Small form controls built for one-key entry: a code chosen by its digit, codes toggled by
their digits, and a reference (one record, or several) picked by typing its name.

An officer filling in a visit on a laptop in a factory types text and presses as few other
keys as possible. So a short code list (a visit's kind, a problem's category) is one digit
(and the cursor moves on), a visit's topics are their digits, and a record field opens the
picker on the first letter typed into it (the letter starts the search).

These are not lists: a digit typed here chooses, which is what the field is for (typing on a
*list* is always its search). Each control has ``take_key`` so a form that handles keys as
they arrive (``VisitFormScreen.take_key``) runs them in the order typed; Textual's own key
path reaches the same code through ``on_key``. Labels are code-list labels and record names:
drawn as plain content, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from fieldtui.i18n import _

__all__ = ["CodeChooser", "CodeToggles", "RefField", "RefListField"]

Choices = Sequence[tuple[str, str]]
"""``(label, code)`` pairs, in the order their digits (1, 2, …) choose them."""

_CSS = """
{name} {{
    height: auto;
    width: 1fr;
    background: $boost;
}}
{name}:focus {{
    background: $block-cursor-blurred-background;
}}
"""


def _digit(event: events.Key, count: int) -> int | None:
    """The option a digit key names (0-based), if the key is one."""
    char = event.character or ""
    if len(char) == 1 and char.isdigit() and 1 <= int(char) <= min(count, 9):
        return int(char) - 1
    return None


class CodeChooser(Widget, can_focus=True):
    """One code of a short list: its digit chooses it and moves on; Left/Right step.

    Unfocused it shows the chosen label only; focused, every option with its digit.
    """

    DEFAULT_CSS = _CSS.format(name="CodeChooser")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", _("Previous choice"), id="choice.previous", show=False),
        Binding("right", "step(1)", _("Next choice"), id="choice.next", show=False),
    ]

    class Changed(Message):
        def __init__(self, chooser: CodeChooser, value: str) -> None:
            super().__init__()
            self.chooser = chooser
            self.value = value

        @property
        def control(self) -> CodeChooser:
            return self.chooser

    def __init__(
        self,
        choices: Choices,
        value: str | None = None,
        *,
        advance: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = list(choices)
        codes = [code for _label, code in self.choices]
        self.value: str = value if value in codes else (codes[0] if codes else "")
        self.advance = advance
        """A digit also moves the cursor to the next field (the choice is made)."""

    def set_value(self, code: str, *, announce: bool = True) -> None:
        """Choose ``code`` (a code this version does not know is kept and shown as it is)."""
        if code == self.value:
            return
        self.value = code
        self.refresh(layout=True)
        if announce:
            self.post_message(self.Changed(self, code))

    def _index(self) -> int:
        codes = [code for _label, code in self.choices]
        return codes.index(self.value) if self.value in codes else -1

    def action_step(self, delta: int) -> None:
        if self.choices:
            index = (self._index() + delta) % len(self.choices)
            self.set_value(self.choices[index][1])

    def take_key(self, event: events.Key) -> bool:
        index = _digit(event, len(self.choices))
        if index is None:
            return False
        self.set_value(self.choices[index][1])
        if self.advance:
            self.screen.focus_next()
        return True

    def on_key(self, event: events.Key) -> None:
        if self.take_key(event):
            event.stop()
            event.prevent_default()

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)

    @property
    def label(self) -> str:
        return next((label for label, code in self.choices if code == self.value), self.value)

    def render(self) -> Content:
        if not self.has_focus:
            return Content.assemble(self.label)
        parts: list[Content | tuple[str, str] | str] = []
        for number, (label, code) in enumerate(self.choices, 1):
            if parts:
                parts.append("  ")
            parts.append((str(number), "dim"))
            parts.append((label, "reverse bold") if code == self.value else label)
        return Content.assemble(*parts)


class CodeToggles(Widget, can_focus=True):
    """Several codes of a short list (a visit's topics): each digit toggles its option;
    Left/Right move, Space toggles the highlighted one."""

    DEFAULT_CSS = _CSS.format(name="CodeToggles")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", _("Previous choice"), id="toggles.previous", show=False),
        Binding("right", "move(1)", _("Next choice"), id="toggles.next", show=False),
        Binding("space", "flip", _("Choose"), id="toggles.toggle", show=False),
    ]

    class Changed(Message):
        def __init__(self, toggles: CodeToggles, values: tuple[str, ...]) -> None:
            super().__init__()
            self.toggles = toggles
            self.values = values

        @property
        def control(self) -> CodeToggles:
            return self.toggles

    def __init__(self, choices: Choices, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = list(choices)
        self.values: tuple[str, ...] = ()
        """Chosen codes in the list's order (unknown stored codes kept at the end)."""
        self.cursor = 0

    def set_values(self, codes: Sequence[str], *, announce: bool = True) -> None:
        order = [code for _label, code in self.choices]
        known = [c for c in order if c in codes]
        values = (*known, *(c for c in dict.fromkeys(codes) if c not in order))
        if values == self.values:
            return
        self.values = values
        self.refresh(layout=True)
        if announce:
            self.post_message(self.Changed(self, values))

    def toggle(self, index: int) -> None:
        code = self.choices[index][1]
        chosen = [c for c in self.values if c != code]
        if code not in self.values:
            chosen.append(code)
        self.cursor = index
        self.set_values(chosen)

    def action_move(self, delta: int) -> None:
        if self.choices:
            self.cursor = (self.cursor + delta) % len(self.choices)
            self.refresh()

    def action_flip(self) -> None:
        if self.choices:
            self.toggle(self.cursor)

    def take_key(self, event: events.Key) -> bool:
        if event.key == "space":
            self.action_flip()
            return True
        index = _digit(event, len(self.choices))
        if index is None:
            return False
        self.toggle(index)
        return True

    def on_key(self, event: events.Key) -> None:
        if self.take_key(event):
            event.stop()
            event.prevent_default()

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)

    def render(self) -> Content:
        labels = dict((code, label) for label, code in self.choices)
        if not self.has_focus:
            if not self.values:
                return Content.assemble((_("none (digits choose)"), "dim"))
            return Content("、".join(labels.get(c, c) for c in self.values))
        parts: list[Content | tuple[str, str] | str] = []
        for number, (label, code) in enumerate(self.choices, 1):
            if parts:
                parts.append("  ")
            mark = "■" if code in self.values else "□"
            style = "reverse" if number - 1 == self.cursor else ""
            parts.append((str(number), "dim"))
            parts.append((f"{mark}{label}", style) if style else f"{mark}{label}")
        return Content.assemble(*parts)


class RefField(Widget, can_focus=True):
    """One record (the enterprise visited): Enter, or the first letter of its name typed
    here, opens the picker (the letter starts its search)."""

    DEFAULT_CSS = _CSS.format(name="RefField")

    class Pick(Message):
        """The officer asked to choose (``initial``: what they typed to start the search)."""

        def __init__(self, field: Widget, initial: str) -> None:
            super().__init__()
            self.field = field
            self.initial = initial

        @property
        def control(self) -> Widget:
            return self.field

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.value: str | None = None
        self.name_shown = ""

    def set_ref(self, value: str | None, name: str = "") -> None:
        self.value = value or None
        self.name_shown = name if value else ""
        self.refresh(layout=True)

    def pick_request(self, event: events.Key) -> str | None:
        """What a key asks of the picker: None (not a picking key) or the text it starts."""
        if event.key == "enter":
            return ""
        if event.is_printable and event.character:
            return event.character
        return None

    def on_key(self, event: events.Key) -> None:
        initial = self.pick_request(event)
        if initial is not None:
            event.stop()
            event.prevent_default()
            self.post_message(self.Pick(self, initial))

    def render(self) -> Content:
        if self.value:
            return Content(self.name_shown or self.value)
        return Content.assemble((self.placeholder, "dim"))


class RefListField(RefField):
    """Several records (the visiting officers): Enter or a letter adds one through the
    picker; Backspace or Delete takes off the last one."""

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(placeholder, id=id)
        self.values: list[str] = []
        self.names: dict[str, str] = {}

    class Removed(Message):
        def __init__(self, field: RefListField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> RefListField:
            return self.field

    def set_refs(self, values: Sequence[str], names: dict[str, str] | None = None) -> None:
        self.values = list(dict.fromkeys(v for v in values if v))
        if names:
            self.names.update(names)
        self.refresh(layout=True)

    def add(self, value: str, name: str) -> None:
        self.names[value] = name
        if value not in self.values:
            self.values.append(value)
        self.refresh(layout=True)

    def take_off_last(self) -> bool:
        if not self.values:
            return False
        self.values.pop()
        self.refresh(layout=True)
        self.post_message(self.Removed(self))
        return True

    def on_key(self, event: events.Key) -> None:
        if event.key in ("backspace", "delete"):
            event.stop()
            event.prevent_default()
            self.take_off_last()
            return
        super().on_key(event)

    def render(self) -> Content:
        if not self.values:
            return Content.assemble((self.placeholder, "dim"))
        shown = "、".join(self.names.get(v, "…") for v in self.values)
        return Content.assemble(shown, ("  " + self.placeholder, "dim") if self.has_focus else "")

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)
