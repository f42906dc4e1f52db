"""The base of the problem's workflow dialogs: fields with their messages under them,
Ctrl+S to write in a thread worker, and what a written step brings back.

A dialog writes through the problem service with the heads the problem screen showed as
parents (see :mod:`fieldtui.ui.screens.problem_steps`); a refusal (``InputError``) keeps the
dialog open with each message under the field it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from fieldtui.domain.records import Problem
from fieldtui.domain.schema import PROBLEM_EVENT
from fieldtui.domain.validators import clean_text
from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.store.repos import Heads, Loaded
from fieldtui.store.service import InputError
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.form_field import FormField

__all__ = ["STEP_FIELDS", "Refused", "StepDialog", "StepResult", "parse_day"]

STEP_FIELDS: Mapping[str, frozenset[str]] = {
    "status": frozenset({"status", "resolved_on", "satisfaction", "lead_unit", "resolution"}),
    "extension": frozenset({"deadline"}),
    "follow_up": frozenset({"satisfaction"}),
    "note": frozenset(),
}
"""The problem fields each step may write (the screen takes their new heads as its own)."""


@dataclass(slots=True)
class StepResult:
    """A step written: the problem as stored now, and any field left in conflict by it."""

    loaded: Loaded[Problem]
    fields: frozenset[str]
    conflicts: list[str] = field(default_factory=list)


class Refused(Exception):
    """Input the dialog itself refuses before writing (a date that is no date)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values()), ""))
        self.errors = errors


def parse_day(name: str, raw: str) -> date | None:
    """A typed date (empty: None); a bad one is refused naming the field."""
    parsed = PROBLEM_EVENT.get("on").parse(raw)  # type: ignore[union-attr]
    if parsed.blank:
        return None
    if parsed.error:
        raise Refused({name: parsed.error})
    value: date = parsed.value
    return value


class StepDialog(ModalScreen[StepResult | None]):
    """Base of the step dialogs: fields, Ctrl+S to write in a worker, messages by field."""

    DEFAULT_CSS = """
    StepDialog {
        align: center middle;
    }
    StepDialog > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    StepDialog .step-title {
        text-style: bold;
    }
    StepDialog #step-notice {
        display: none;
        height: auto;
        color: $text-error;
    }
    StepDialog #step-notice.-shown {
        display: block;
    }
    StepDialog FormField {
        margin: 0;
    }
    StepDialog FormField > .form-label {
        width: 16;
    }
    StepDialog TextArea {
        height: 3;
    }
    StepDialog OptionList {
        height: auto;
        max-height: 6;
    }
    StepDialog .-hidden {
        display: none;
    }
    StepDialog .step-buttons {
        height: 1;
        align-horizontal: right;
    }
    StepDialog .step-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", _("Record"), id="problem_step.apply"),
        # Priority: gone before the keys typed after Escape are sent on.
        Binding("escape", "cancel", _("Cancel"), id="problem_step.cancel", priority=True),
    ]
    STEP: ClassVar[str] = ""
    STEP_TITLE: ClassVar[str] = ""
    """English msgid of the dialog's title."""
    FIRST: ClassVar[str] = ""
    """The id of the control focused first."""

    class Done(Message):
        def __init__(self, result: StepResult | None, errors: dict[str, str]) -> None:
            super().__init__()
            self.result = result
            self.errors = errors

    def __init__(self, problem: Problem, parents: Heads, **typed: str | None) -> None:
        super().__init__()
        self.problem = problem
        self.parents = {k: tuple(v) for k, v in parents.items()}
        self.typed = typed
        """Text the officer has typed on the problem's form (a lead unit, a resolution)."""
        self.busy = False

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text()), classes="step-title")
            yield Static("", id="step-notice")
            yield from self.compose_fields()
            with Horizontal(classes="step-buttons"):
                yield Button(
                    Content(key_hint(_("Record"), "Ctrl+S")),
                    variant="primary",
                    compact=True,
                    id="step-apply",
                )
                yield Button(Content(key_hint(_("Cancel"), "Esc")), compact=True, id="step-cancel")

    def title_text(self) -> str:
        return _(self.STEP_TITLE)

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError
        yield  # pragma: no cover

    def row(self, name: str, label: str, control: Widget, *, required: bool = False) -> FormField:
        return FormField(label, control, field=name, required=required)

    @staticmethod
    def text_area(name: str, text: str = "") -> TextArea:
        return TextArea(text, id=name, soft_wrap=True, tab_behavior="focus", compact=True)

    @staticmethod
    def day_input(name: str, value: str = "") -> Input:
        return Input(
            value,
            id=name,
            placeholder=_("YYYY-MM-DD, e.g. 2026-12-31"),
            compact=True,
            max_length=20,
        )

    def on_mount(self) -> None:
        for control in self.query(f"#{self.FIRST}"):
            self.set_focus(control)

    # -- reading the fields ---------------------------------------------------------------

    def text(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, TextArea):
            return clean_text(widget.text).strip()
        if isinstance(widget, Input):
            return clean_text(widget.value).strip()
        return ""

    def inputs(self) -> dict[str, Any]:
        """The step's arguments from the fields (UI thread); raises :class:`Refused`."""
        raise NotImplementedError

    def perform(self, store: Store, args: dict[str, Any], officer_id: str | None) -> None:
        """Write the step (thread worker, inside one transaction); raises ``InputError``."""
        raise NotImplementedError

    # -- applying -----------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.busy:
            return
        try:
            args = self.inputs()
        except Refused as exc:
            self.show_errors(exc.errors)
            return
        self.show_errors({})
        self.busy = True
        self._write(args, ctx(self).officer_id)

    @work(thread=True, exclusive=True, group="problem-step")
    def _write(self, args: dict[str, Any], officer_id: str | None) -> None:
        store = ctx(self).store
        problem_id = self.problem.id
        try:
            before = set(store.problems.conflict_fields(problem_id))
            self.perform(store, args, officer_id)
            conflicts = [f for f in store.problems.conflict_fields(problem_id) if f not in before]
            loaded = store.problems.load(problem_id)
        except InputError as exc:
            self.post_message(self.Done(None, exc.errors))
            return
        except Exception as exc:  # a locked or damaged database: said, the dialog stays
            self.post_message(self.Done(None, {"": str(exc)}))
            return
        if loaded is None:
            self.post_message(self.Done(None, {"": _("The problem does not exist any more.")}))
            return
        self.post_message(self.Done(StepResult(loaded, STEP_FIELDS[self.STEP], conflicts), {}))

    def on_step_dialog_done(self, message: Done) -> None:
        message.stop()
        self.busy = False
        if message.result is not None:
            self.dismiss(message.result)
            return
        self.show_errors(message.errors)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each message under its field; one for a field not in this dialog goes on top."""
        shown = {f.field for f in self.query(FormField)}
        for form_field in self.query(FormField):
            form_field.show(errors.get(form_field.field))
        others = [message for name, message in errors.items() if name not in shown]
        notice = self.query_one("#step-notice", Static)
        notice.update(Content("\n".join(others)))
        notice.set_class(bool(others), "-shown")
        first = next((name for name in errors if name in shown), None)
        if first is not None:
            for control in self.query(f"#{first}"):
                self.set_focus(control)

    def errors_shown(self) -> dict[str, str]:
        """The messages on screen by field ("" for the notice on top): for tests."""
        found = {f.field: f.message for f in self.query(FormField) if f.message}
        notice = self.query_one("#step-notice", Static)
        if notice.has_class("-shown"):
            found[""] = str(notice.content)
        return found

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "step-apply":
            self.action_apply()
        else:
            self.action_cancel()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a line goes on to the next field (Ctrl+S applies)."""
        event.stop()
        self.focus_next()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
