"""A form field holding a reference to one record (an enterprise, a project, an officer),
chosen with the record picker.

The field shows the record's name. Enter opens the picker; so does typing, which becomes
the picker's search (``hhhb`` on the enterprise field opens the picker searching ``hhhb``,
no key lost while it opens: the form hands each key over as it arrives, see
:meth:`RefField.take_key`); Delete or Backspace empties an optional field. The value is the
record's id; its name is read in a thread worker when a value is set without one (a loaded
record), and shown as plain content (a name like ``ab[/]c`` is data, not markup).

Kept small and local to the problem form until the forms built from the field schema bring
their own picker field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from fieldtui.i18n import _
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.record_picker import RecordPicker, SearchFn

if TYPE_CHECKING:
    from fieldtui.store import Store

Describe = Callable[["Store", str], str | None]
"""A record's name by id (None: no such live record)."""


class TypedPicker(RecordPicker):
    """The record picker opened by typing: the first character is its search already, and
    characters typed while it opens (before its search box exists) are kept for it."""

    def __init__(self, title: str, search: SearchFn, initial: str = "") -> None:
        super().__init__(title, search)
        self._early = initial

    def on_mount(self) -> None:
        # Runs before RecordPicker.on_mount (Textual calls both), which searches the box.
        if self._early:
            box = self.query_input
            box.value, self._early = self._early + box.value, ""
            box.cursor_position = len(box.value)

    async def take_key(self, event: events.Key) -> bool:
        if not self.is_mounted:
            if event.is_printable and event.character:
                self._early += event.character
                return True
            return False
        return await super().take_key(event)


class RefField(Static, can_focus=True):
    """One record chosen with a picker; ``value`` is its id (None: not chosen)."""

    DEFAULT_CSS = """
    RefField {
        width: 1fr;
        height: 1;
        background: $boost;
    }
    RefField:focus {
        background: $block-cursor-blurred-background;
        text-style: bold;
    }
    RefField.-empty {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", _("Choose"), id="ref_field.pick"),
        Binding("delete,backspace", "clear", _("Clear"), id="ref_field.clear", show=False),
    ]

    class Changed(Message):
        def __init__(self, field: RefField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> RefField:
            return self.field

    class _Named(Message):
        def __init__(self, value: str, label: str | None) -> None:
            super().__init__()
            self.value = value
            self.label = label

    def __init__(
        self,
        *,
        title: str,
        search: SearchFn,
        describe: Describe,
        id: str,
        required: bool = False,
        value: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self.picker_title = title
        self.search = search
        self.describe = describe
        self.required = required
        self.value: str | None = value or None
        """Set at once (a form reads it before this field has mounted); named on mount."""
        self.label = ""

    def on_mount(self) -> None:
        self.set_value(self.value)

    # -- value --------------------------------------------------------------------------

    def set_value(self, value: str | None, label: str | None = None) -> None:
        """Show ``value`` (an id); its name is looked up unless given."""
        self.value = value or None
        self.label = label or ""
        self._render_label()
        if self.value and label is None:
            self._lookup(self.value)

    @property
    def form_text(self) -> str:
        """The id as form text ("" when none, as a stored record's text is)."""
        return self.value or ""

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        if (text or None) != self.value:
            self.set_value(text)

    def _render_label(self) -> None:
        if self.value is None:
            self.update(Content(_("(not chosen; Enter or type to search)")))
        elif self.label:
            self.update(Content(self.label))
        else:
            self.update(Content("…"))
        self.set_class(self.value is None, "-empty")

    @work(thread=True, group="ref-field-name")
    def _lookup(self, value: str) -> None:
        self.post_message(self._Named(value, self.describe(ctx(self).store, value)))

    def on_ref_field__named(self, message: _Named) -> None:
        message.stop()
        if message.value == self.value:
            self.label = message.label or _("(deleted record {id})").format(id=message.value[-8:])
            self._render_label()

    # -- choosing -----------------------------------------------------------------------

    def action_pick(self, initial: str = "") -> None:
        def chosen(picked: str | None) -> None:
            if picked is not None and picked != self.value:
                label = next((i.label for i in picker.items if i.id == picked), None)
                self.set_value(picked, label)
                self.post_message(self.Changed(self))
            self.focus()

        picker = TypedPicker(self.picker_title, self.search, initial)
        self.app.push_screen(picker, chosen)

    def action_clear(self) -> None:
        if self.value is not None and not self.required:
            self.set_value(None)
            self.post_message(self.Changed(self))

    def take_key(self, event: events.Key) -> bool:
        """A key typed on the field, as it arrives (the form calls this from its own
        ``take_key``, before Textual queues the key): a character opens the picker at once,
        so the characters after it reach the picker, in order. True if handled."""
        if event.is_printable and event.character:
            self.action_pick(event.character)
            return True
        return False

    async def on_key(self, event: events.Key) -> None:
        """Keys that reach the field the ordinary way (a screen that does not hand them
        over as they arrive)."""
        if self.take_key(event):
            event.stop()
            event.prevent_default()
