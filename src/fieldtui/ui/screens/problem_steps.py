"""The workflow steps of a problem, each a small dialog over the problem screen: a status
change (offering only the statuses the workflow allows next), a deadline extension with its
reason, a note, and the follow-up call with the enterprise's satisfaction.

A dialog writes through the problem service (:mod:`fieldtui.store.problems`) in a thread
worker, with the heads the problem screen showed as parents: a change made meanwhile by
another window, the command line or a sync (say the office set the status) is never
overwritten; it stays beside this one as a conflict, and the officer is told. A step the
workflow refuses (a reason missing for going back, a resolution missing, a status no longer
allowed because someone else moved the problem on) keeps the dialog open with the message
under the field at fault. Ctrl+S applies, Escape cancels; no printable key does anything but
type.
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
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from fieldtui.domain import problems as flow
from fieldtui.domain.enums import ProblemStatus, Satisfaction
from fieldtui.domain.records import Problem
from fieldtui.domain.schema import PROBLEM_EVENT
from fieldtui.domain.validators import clean_text
from fieldtui.i18n import N_, _
from fieldtui.store import Store
from fieldtui.store.problems import (
    add_note,
    change_status,
    extend_deadline,
    record_follow_up,
)
from fieldtui.store.repos import Heads, Loaded
from fieldtui.store.service import InputError
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.problem_display import code_label
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.form_field import FormField

__all__ = [
    "ExtendDialog",
    "FollowUpDialog",
    "NoteDialog",
    "StatusDialog",
    "StepDialog",
    "StepResult",
]

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


class _Refused(Exception):
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
        raise _Refused({name: parsed.error})
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
        """The step's arguments from the fields (UI thread); raises :class:`_Refused`."""
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
        except _Refused as exc:
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


class StatusDialog(StepDialog):
    """Change the status: only the statuses the workflow allows from the current one."""

    STEP = "status"
    STEP_TITLE = N_("Change the status")
    FIRST = "status"

    @property
    def choices(self) -> tuple[str, ...]:
        return flow.next_statuses(self.problem.status)

    def title_text(self) -> str:
        current = code_label(ProblemStatus, self.problem.status, ctx(self).lang)
        return _("Change the status (now {status})").format(status=current)

    def compose_fields(self) -> ComposeResult:
        lang = ctx(self).lang
        options = [
            Option(Content(code_label(ProblemStatus, code, lang)), id=code) for code in self.choices
        ]
        yield self.row(
            "status",
            _("New status"),
            OptionList(*options, id="status", compact=True),
            required=True,
        )
        lead = self.typed.get("lead_unit") or self.problem.lead_unit or ""
        yield self.row(
            "lead_unit",
            _("Lead unit"),
            Input(lead, id="lead_unit", compact=True, max_length=200),
            required=True,
        )
        resolution = self.typed.get("resolution") or ""
        yield self.row("resolution", _("Resolution"), self.text_area("resolution", resolution))
        yield self.row("note", _("Note"), self.text_area("note"))
        yield self.row("on", _("Date"), self.day_input("on", date.today().isoformat()))

    def on_mount(self) -> None:
        options = self.query_one("#status", OptionList)
        if options.option_count:
            options.highlighted = 0
        self._show_for(self.target)

    @property
    def target(self) -> str | None:
        options = self.query_one("#status", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionHighlighted, "#status")
    def _target_changed(self) -> None:
        self._show_for(self.target)

    @on(OptionList.OptionSelected, "#status")
    def _target_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    def _show_for(self, target: str | None) -> None:
        """The fields the chosen step needs: the lead unit to assign, the resolution (or
        the reason it cannot be resolved) to close; the note is the reason going back."""
        current = self.problem.status
        closing = target in flow.CLOSED_STATUSES
        self.query_one("#field-lead_unit").set_class(target != "assigned", "-hidden")
        self.query_one("#field-resolution").set_class(not closing, "-hidden")
        resolution_label = (
            _("Why it cannot be resolved") if target == "unresolvable" else _("Resolution")
        )
        self.query_one("#field-resolution", FormField).set_label(resolution_label, required=True)
        backward = target is not None and (
            (current, target) in flow.BACKWARD or current in flow.CLOSED_STATUSES
        )
        note_label = _("Reason") if backward else _("Note")
        self.query_one("#field-note", FormField).set_label(note_label, required=backward)

    def inputs(self) -> dict[str, Any]:
        target = self.target
        if target is None:
            raise _Refused({"status": _("Choose the new status")})
        args: dict[str, Any] = {
            "status": target,
            "on": parse_day("on", self.text("on")),
            "note": self.text("note") or None,
        }
        if target == "assigned":
            args["lead_unit"] = self.text("lead_unit") or None
        if target in flow.CLOSED_STATUSES:
            args["resolution"] = self.text("resolution") or None
        return args

    def perform(self, store: Store, args: dict[str, Any], officer_id: str | None) -> None:
        change_status(
            store,
            self.problem.id,
            args.pop("status"),
            officer_id=officer_id,
            parents=self.parents,
            **args,
        )


class ExtendDialog(StepDialog):
    """A later deadline, with the reason (the deadline changes only this way once set)."""

    STEP = "extension"
    STEP_TITLE = N_("Extend the deadline")
    FIRST = "deadline"

    def title_text(self) -> str:
        old = self.problem.deadline
        if not isinstance(old, date):
            return _(self.STEP_TITLE)
        return _("Extend the deadline (now {day})").format(day=old.isoformat())

    def compose_fields(self) -> ComposeResult:
        yield self.row("deadline", _("New deadline"), self.day_input("deadline"), required=True)
        yield self.row("note", _("Reason"), self.text_area("note"), required=True)
        yield self.row("on", _("Date"), self.day_input("on", date.today().isoformat()))

    def inputs(self) -> dict[str, Any]:
        deadline = parse_day("deadline", self.text("deadline"))
        if deadline is None:
            raise _Refused({"deadline": _("Give the new deadline")})
        return {
            "deadline": deadline,
            "reason": self.text("note") or None,
            "on": parse_day("on", self.text("on")),
        }

    def perform(self, store: Store, args: dict[str, Any], officer_id: str | None) -> None:
        extend_deadline(
            store,
            self.problem.id,
            args.pop("deadline"),
            officer_id=officer_id,
            parents=self.parents,
            **args,
        )


class NoteDialog(StepDialog):
    """A dated note in the history (a call, a visit to the lead unit)."""

    STEP = "note"
    STEP_TITLE = N_("Add a note")
    FIRST = "note"

    def compose_fields(self) -> ComposeResult:
        yield self.row("note", _("Note"), self.text_area("note"), required=True)
        yield self.row("on", _("Date"), self.day_input("on", date.today().isoformat()))

    def inputs(self) -> dict[str, Any]:
        return {"note": self.text("note"), "on": parse_day("on", self.text("on"))}

    def perform(self, store: Store, args: dict[str, Any], officer_id: str | None) -> None:
        add_note(store, self.problem.id, args.pop("note"), officer_id=officer_id, **args)


class FollowUpDialog(StepDialog):
    """The follow-up call after resolution (回访) and the enterprise's satisfaction."""

    STEP = "follow_up"
    STEP_TITLE = N_("Follow-up call")
    FIRST = "satisfaction"

    def compose_fields(self) -> ComposeResult:
        lang = ctx(self).lang
        options = [Option(Content(s.label(lang)), id=s.code) for s in Satisfaction]
        yield self.row(
            "satisfaction",
            _("Satisfaction"),
            OptionList(*options, id="satisfaction", compact=True),
            required=True,
        )
        yield self.row("note", _("Note"), self.text_area("note"))
        yield self.row("on", _("Date"), self.day_input("on", date.today().isoformat()))

    def on_mount(self) -> None:
        options = self.query_one("#satisfaction", OptionList)
        current = self.problem.satisfaction
        codes = [s.code for s in Satisfaction]
        options.highlighted = codes.index(current) if current in codes else 0

    @on(OptionList.OptionSelected, "#satisfaction")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    def inputs(self) -> dict[str, Any]:
        options = self.query_one("#satisfaction", OptionList)
        if options.highlighted is None:
            raise _Refused({"satisfaction": _("Choose the satisfaction")})
        code = options.get_option_at_index(options.highlighted).id
        return {
            "satisfaction": code,
            "note": self.text("note") or None,
            "on": parse_day("on", self.text("on")),
        }

    def perform(self, store: Store, args: dict[str, Any], officer_id: str | None) -> None:
        record_follow_up(
            store,
            self.problem.id,
            args.pop("satisfaction"),
            officer_id=officer_id,
            parents=self.parents,
            **args,
        )
