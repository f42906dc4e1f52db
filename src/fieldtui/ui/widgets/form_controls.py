"""The control of each form widget kind the schema names, built from a field's spec.

:func:`make_control` builds it (its id is the field's name); :func:`control_text` and
:func:`set_control_text` read and fill it as *text*, the same text
:func:`fieldtui.domain.forms.check_field` parses, for every kind:

========================  ============================  =====================================
widget                    control                       text
========================  ============================  =====================================
``input``                 ``Input``                     as typed
``textarea``              ``TextArea``                  as typed
``select``                :class:`CodeSelect`           the code (None: not set)
``multiselect``           :class:`CodesField`           codes joined by 、, in the order chosen
``checkbox``              :class:`FlagBox`              ``yes`` / ``no`` ("" until touched when
                                                        nothing was stored)
``picker``                :class:`RefField`             the chosen record's id ("" for none)
``multipicker``           :class:`RefListField`         ids joined by 、, in the order chosen
========================  ============================  =====================================

So drafts, dirty tracking, outside changes and saving treat every field alike. Every control
is used by keyboard alone, and shows user text (names of chosen records, codes a newer
version sent) as plain content, never markup. The reference fields follow the lists' typing
rule: a character typed on one opens its picker with that character as the search; Enter
opens it too; Delete takes the chosen record (or the highlighted one) away. The custom
controls post :class:`ControlChanged` whenever their text may have changed.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from fieldtui.domain.forms import FieldSpec, join_items, split_items
from fieldtui.i18n import _
from fieldtui.store.pickers import RefName, ref_names
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.record_picker import RecordPicker, picker_search

__all__ = [
    "CodeSelect",
    "CodesField",
    "ControlChanged",
    "FlagBox",
    "RefField",
    "RefFieldBase",
    "RefListField",
    "control_text",
    "make_control",
    "set_control_text",
]


class ControlChanged(Message):
    """A custom control's text may have changed (by the officer or by the form)."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    @property
    def control(self) -> Widget:
        return self.widget


def make_control(spec: FieldSpec, lang: str) -> Widget:
    """The control of a field; its id is the field's name."""
    if spec.widget == "select":
        return CodeSelect(spec, lang)
    if spec.widget == "multiselect":
        return CodesField(spec, lang)
    if spec.widget == "checkbox":
        return FlagBox(spec)
    if spec.widget == "picker":
        return RefField(spec)
    if spec.widget == "multipicker":
        return RefListField(spec)
    if spec.widget == "textarea":
        return TextArea(id=spec.name, soft_wrap=True, tab_behavior="focus", compact=True)
    return Input(
        id=spec.name,
        placeholder=_(spec.placeholder) if spec.placeholder else "",
        max_length=spec.max_length,
        compact=True,
    )


@runtime_checkable
class TextControl(Protocol):
    """A control that reads and shows its field as form text itself (the custom controls
    here, and a screen's own, e.g. the problem form's filtered reference fields)."""

    @property
    def form_text(self) -> str | None: ...

    @form_text.setter
    def form_text(self, text: str | None) -> None: ...


def control_text(widget: Widget) -> str | None:
    """What a control holds now, as form text."""
    if isinstance(widget, TextControl):
        return widget.form_text
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else str(widget.value)
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    raise TypeError(f"not a form control: {widget!r}")


def set_control_text(widget: Widget, text: str | None) -> None:
    """Show form text in a control (what the record holds, or a draft)."""
    if isinstance(widget, TextControl):
        widget.form_text = text
    elif isinstance(widget, TextArea):
        widget.load_text(text or "")
    elif isinstance(widget, Input):
        widget.value = text or ""
    else:
        raise TypeError(f"not a form control: {widget!r}")


def _unknown(code: str) -> Content:
    """A code this version does not know (a newer version's, by sync): shown as it is."""
    return Content.assemble(code, (" ?", "bold red"))


# --------------------------------------------------------------------------- codes


class CodeSelect(Select[str]):
    """One code of a code list. A stored code this version does not know is offered as it
    is (marked), so opening the form neither fails nor changes it."""

    def __init__(self, spec: FieldSpec, lang: str) -> None:
        self.spec = spec
        self.options = [(Text(label), code) for label, code in (spec.choices or _none)(lang)]
        super().__init__(
            self.options,
            prompt=_("(not set)"),
            allow_blank=not spec.required,
            value=spec.default if spec.default is not None else Select.NULL,
            id=spec.name,
            compact=True,
        )

    @property
    def form_text(self) -> str | None:
        return None if self.value is Select.NULL else str(self.value)

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        code = text or self.spec.default
        if not code:
            self.value = Select.NULL
            return
        if code not in {value for _label, value in self.options}:
            self.set_options([*self.options, (Text.assemble(code, (" ?", "bold red")), code)])
        self.value = code


def _none(lang: str) -> list[tuple[str, str]]:
    return []


class CodesField(SelectionList[str]):
    """Several codes of one code list (a visit's topics): Up/Down move, Space or Enter ticks.

    The text lists the codes in the order they were ticked (a stored list keeps its order).
    """

    DEFAULT_CSS = """
    CodesField {
        height: auto;
        max-height: 10;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Tick or untick"), id="form.tick", show=False),
    ]

    def __init__(self, spec: FieldSpec, lang: str) -> None:
        self.spec = spec
        choices = (spec.choices or _none)(lang)
        super().__init__(*((Content(label), code) for label, code in choices), id=spec.name)
        self._codes = [code for _label, code in choices]

    @property
    def form_text(self) -> str:
        return join_items(self.selected)

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        wanted = split_items(text)
        extra = [code for code in wanted if code not in self._codes]
        if extra:
            self.add_options([(_unknown(code), code) for code in extra])
            self._codes.extend(extra)
        self.deselect_all()
        for code in wanted:  # in order: ``selected`` keeps the order of selecting
            self.select(code)
        self.post_message(ControlChanged(self))

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.post_message(ControlChanged(self))


# --------------------------------------------------------------------------- yes / no


class FlagBox(Checkbox):
    """Yes or no: Space or Enter toggles. A field stored empty reads "" until toggled, so
    opening a form changes nothing."""

    # Without a label, the auto width is the box's three cells and the label's separating
    # space overflows it: the default ellipsis then cut the box's right edge (▐X…).
    DEFAULT_CSS = """
    FlagBox {
        text-overflow: clip;
    }
    """

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.blank = spec.default is None
        super().__init__("", value=spec.default == "yes", id=spec.name, compact=True)

    @property
    def form_text(self) -> str:
        if self.blank:
            return ""
        return "yes" if self.value else "no"

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        self.blank = not text
        with self.prevent(Checkbox.Changed):
            self.value = text == "yes"
        self.post_message(ControlChanged(self))

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.blank = False
        self.post_message(ControlChanged(self))


# --------------------------------------------------------------------------- references


class RefFieldBase(Widget, can_focus=True):
    """What both reference fields share: the picker, the names of chosen ids, typing."""

    DEFAULT_CSS = """
    RefFieldBase {
        height: auto;
        width: 1fr;
        background: $boost;
    }
    RefFieldBase:focus {
        background: $block-cursor-blurred-background;
    }
    """

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(id=spec.name)
        self.spec = spec
        self.table = spec.table or ""
        self.names: dict[str, RefName] = {}
        """Names of the ids shown (read in a worker; picked ones come with the choice)."""
        self.picker: RecordPicker | None = None
        """The picker this field opened, while it is open."""

    # -- names ------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        raise NotImplementedError

    def name_of(self, row_id: str) -> Content:
        found = self.names.get(row_id)
        if found is None:
            return Content("…")
        if found.deleted:
            return Content.assemble(found.name, ("  " + _("(deleted)"), "red"))
        return Content(found.name)

    def _want_names(self) -> None:
        missing = [i for i in self.ids() if i not in self.names]
        if missing and self.is_mounted:
            self._read_names(missing)

    def on_mount(self) -> None:
        self._want_names()

    @work(thread=True, group="ref-names")
    def _read_names(self, ids: list[str]) -> None:
        found = ref_names(ctx(self).store, self.table, ids)
        for row_id in ids:  # an id that is not there at all is shown as it is, marked
            found.setdefault(row_id, RefName(row_id, deleted=True))
        self.app.call_from_thread(self._names_read, found)

    def _names_read(self, found: dict[str, RefName]) -> None:
        self.names.update(found)
        self.refresh(layout=True)

    # -- choosing ---------------------------------------------------------------------------

    def open_picker(self, text: str = "") -> None:
        """Open the picker (with ``text`` as the start of its search)."""
        if self.picker is not None and self.picker.is_attached:
            self.picker.type_text(text)
            return
        picker = RecordPicker(_(self.spec.label), picker_search(self.table), initial=text)
        self.picker = picker

        def picked(row_id: str | None) -> None:
            self.picker = None
            if row_id:
                item = next((i for i in picker.items if i.id == row_id), None)
                if item is not None:
                    self.names[row_id] = RefName(item.label)
                self.chosen(row_id)
            self.focus()

        self.app.push_screen(picker, picked)

    def chosen(self, row_id: str) -> None:
        raise NotImplementedError

    def type_char(self, char: str) -> None:
        """A character typed on the field: the picker opens searching it (typing is searching)."""
        self.open_picker(char)

    def action_choose(self) -> None:
        self.open_picker()

    def on_key(self, event: events.Key) -> None:
        """Characters that reach the field itself (a host app that does not hand keys to the
        form first, see :meth:`FormInput.take_key`)."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.type_char(event.character)

    def _changed(self) -> None:
        self._want_names()
        self.refresh(layout=True)
        self.post_message(ControlChanged(self))


class RefField(RefFieldBase):
    """One record of another table (a visit's enterprise): Enter or typing opens the picker,
    Delete or Backspace empties the field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", _("Choose"), id="form.choose"),
        Binding("delete,backspace", "clear", _("Clear"), id="form.clear"),
    ]

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.row_id: str | None = None

    def ids(self) -> list[str]:
        return [self.row_id] if self.row_id else []

    @property
    def form_text(self) -> str:
        return self.row_id or ""

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        self.row_id = (text or "").strip() or None
        self._changed()

    def chosen(self, row_id: str) -> None:
        self.row_id = row_id
        self._changed()

    def action_clear(self) -> None:
        if self.row_id is not None:
            self.row_id = None
            self._changed()

    def render(self) -> Content:
        if self.row_id is None:
            return Content.styled(_("(none) · Enter or type to choose"), "dim")
        return self.name_of(self.row_id)


class RefListField(RefFieldBase):
    """Several records of another table (a visit's officers): one per line; Up/Down move,
    Enter or typing adds one through the picker, Delete or Backspace removes the highlighted
    one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", _("Add"), id="form.add"),
        Binding("delete,backspace", "remove", _("Remove"), id="form.remove"),
        Binding("up", "move(-1)", _("Previous"), id="form.previous_item", show=False),
        Binding("down", "move(1)", _("Next"), id="form.next_item", show=False),
    ]

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.items: list[str] = []
        self.cursor = 0
        """The highlighted line; ``len(items)`` is the "add" line."""

    def ids(self) -> list[str]:
        return list(self.items)

    @property
    def form_text(self) -> str:
        return join_items(self.items)

    @form_text.setter
    def form_text(self, text: str | None) -> None:
        self.items = list(dict.fromkeys(split_items(text)))
        self.cursor = min(self.cursor, len(self.items))
        self._changed()

    def chosen(self, row_id: str) -> None:
        if row_id not in self.items:
            self.items.append(row_id)
        self.cursor = self.items.index(row_id)
        self._changed()

    def action_remove(self) -> None:
        if self.cursor < len(self.items):
            del self.items[self.cursor]
            self.cursor = min(self.cursor, len(self.items))
            self._changed()

    def action_move(self, delta: int) -> None:
        self.cursor = max(0, min(len(self.items), self.cursor + delta))
        self.refresh()

    def render(self) -> Content:
        lines = [self.name_of(i) for i in self.items]
        lines.append(Content.styled(_("＋ Enter or type to add"), "dim"))
        if self.has_focus:
            lines[self.cursor] = lines[self.cursor].stylize("reverse")
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
