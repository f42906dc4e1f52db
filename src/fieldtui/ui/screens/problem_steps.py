"""The workflow steps of a problem, each a small dialog over the problem screen: a status
change (offering only the statuses the workflow allows next), a deadline extension with its
reason, a note, and the follow-up call with the enterprise's satisfaction.

A dialog writes through the problem service (:mod:`fieldtui.store.problems`) in a thread
worker, with the heads the problem screen showed as parents: a change made meanwhile by
another window, the command line or a sync (say the office set the status) is never
overwritten; it stays beside this one as a conflict, and the officer is told. A step the
workflow refuses (a reason missing for going back, a resolution missing, a status no longer
allowed because someone else moved the problem on) keeps the dialog open with the message
under the field at fault. Ctrl+S records, Escape cancels; no printable key does anything but
type.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from fieldtui.domain import problems as flow
from fieldtui.domain.enums import ProblemStatus, Satisfaction
from fieldtui.i18n import N_, _
from fieldtui.store import Store
from fieldtui.store.problems import (
    add_note,
    change_status,
    extend_deadline,
    record_follow_up,
)
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.problem_display import code_label
from fieldtui.ui.screens.problem_step_base import (
    Refused,
    StepDialog,
    StepResult,
    parse_day,
)
from fieldtui.ui.widgets.form_field import FormField

__all__ = [
    "ExtendDialog",
    "FollowUpDialog",
    "NoteDialog",
    "StatusDialog",
    "StepDialog",
    "StepResult",
]


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
            raise Refused({"status": _("Choose the new status")})
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
            raise Refused({"deadline": _("Give the new deadline")})
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
            raise Refused({"satisfaction": _("Choose the satisfaction")})
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
