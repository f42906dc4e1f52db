"""One problem (诉求): its fields as a form, where it stands, the workflow steps, its history.

``ProblemFormScreen`` (registry name ``problem_form``) records a new problem: the enterprise
picked with the ledger's search (pinyin initials), category, description, lead and assisting
units, deadline, and who follows it. ``ProblemScreen`` (``problem_detail``) is the same form
on a stored problem, with the state line above it (status, deadline and 超期, resolved on,
satisfaction), the workflow steps on F-keys (each a small dialog of
:mod:`fieldtui.ui.screens.problem_steps`) and the full dated history below it, newest first.

Both are :class:`~fieldtui.ui.screens.form_base.RecordFormScreen`: drafts as it is typed,
asking before leaving, saving against the heads shown (``update_problem`` with parents), and
following changes made elsewhere. Status, resolved-on date and satisfaction change only
through the steps, each leaving a history entry; a deadline once set changes only by an
extension with its reason (F4), so the form shows it but does not edit it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Static

from fieldtui.domain import problems as flow
from fieldtui.domain.forms import FieldCheck, FormCheck, check_field
from fieldtui.domain.problems import WorkflowError
from fieldtui.domain.records import Problem
from fieldtui.domain.schema import PROBLEM
from fieldtui.i18n import N_, _
from fieldtui.store import Store
from fieldtui.store.drafts import Draft
from fieldtui.store.problem_refs import record_name
from fieldtui.store.problems import (
    HistoryEntry,
    ProblemInput,
    create_problem,
    problem_history,
    update_problem,
)
from fieldtui.store.repos import Loaded, Repo
from fieldtui.store.watch import Change
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.form_base import RecordFormScreen, Texts
from fieldtui.ui.screens.form_drafts import DraftKeeper
from fieldtui.ui.screens.form_spec import FieldSpec
from fieldtui.ui.screens.problem_display import history_table, state_line
from fieldtui.ui.screens.problem_fields import (
    FIELDS,
    REFS,
    WORKFLOW_SHOWN,
    field_label,
    project_items,
    search_enterprises,
    search_officers,
    visit_items,
    visit_label,
)
from fieldtui.ui.screens.problem_steps import (
    ExtendDialog,
    FollowUpDialog,
    NoteDialog,
    StatusDialog,
    StepDialog,
    StepResult,
)
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import key_hint
from fieldtui.ui.widgets.form_controls import make_control
from fieldtui.ui.widgets.form_field import FormField
from fieldtui.ui.widgets.record_picker import PickItem
from fieldtui.ui.widgets.ref_field import RefField

__all__ = ["ProblemFormScreen", "ProblemScreen"]


class HistoryView(Static, can_focus=True):
    """The history below the form; it takes the focus (Tab) so the form scrolls to it."""


class ProblemFormScreen(RecordFormScreen):
    """A new problem, or (as :class:`ProblemScreen`) a stored one with its workflow."""

    KIND = "problem"
    FIELDS = FIELDS
    TITLE_NEW = N_("New problem")
    TITLE_EDIT = N_("Problem")
    GONE = N_("This problem no longer exists.")
    DELETE_TITLE = N_("Delete problem")
    DELETE_QUESTION = N_(
        "Delete the problem “{name}”? It disappears from the problem ledger and can be "
        "restored, with its history, from Deleted records."
    )
    DELETED = N_("Problem deleted.")
    DEFAULT_CSS = """
    ProblemFormScreen #problem-state {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    ProblemFormScreen #form-body {
        padding: 0 1;
    }
    ProblemFormScreen FormField {
        margin: 0;
    }
    ProblemFormScreen FormField > .form-label {
        width: 16;
    }
    ProblemFormScreen TextArea {
        height: 3;
    }
    ProblemFormScreen #form-buttons {
        margin-top: 0;
    }
    ProblemFormScreen #history-heading {
        text-style: bold;
        margin-top: 1;
    }
    ProblemFormScreen #problem-history {
        height: auto;
    }
    ProblemFormScreen #problem-history:focus {
        background: $boost;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "step('status')", _("Change the status"), id="problem.status"),
        Binding("f4", "step('extension')", _("Extend"), id="problem.extend"),
        Binding("f6", "step('note')", _("Add a note"), id="problem.note"),
        Binding("f7", "step('follow_up')", _("Follow-up call"), id="problem.follow_up"),
    ]

    class HistoryLoaded(Message):
        def __init__(self, entries: list[HistoryEntry], enterprise: str) -> None:
            super().__init__()
            self.entries = entries
            self.enterprise = enterprise

    def __init__(
        self,
        problem_id: str | None = None,
        *,
        enterprise_id: str | None = None,
        draft: Draft | None = None,
    ) -> None:
        super().__init__(problem_id, draft=draft)
        self.enterprise_id = enterprise_id
        self.problem: Problem | None = None
        """The problem as stored, as last read (None for a new one)."""
        self.enterprise_name = ""
        self.history: list[HistoryEntry] = []
        self.deadline_locked = False
        self._saved_new = False

    # -- the kind -----------------------------------------------------------------------

    def repo(self, store: Store) -> Repo[Any]:
        return store.problems

    def new_record(self, values: Mapping[str, Any]) -> Problem:
        return Problem(**values)

    def record_text(self, record: Any) -> Texts:
        texts: Texts = {}
        for spec in self.FIELDS:
            found = PROBLEM.get(spec.name)
            assert found is not None
            texts[spec.name] = found.text(getattr(record, spec.name, None))
        return texts

    def check_field(self, name: str, raw: str | None) -> FieldCheck:
        return check_field(PROBLEM, name, raw)

    def check_form(self, raw: Mapping[str, str | None]) -> FormCheck:
        result = FormCheck()
        for spec in self.FIELDS:
            check = self.check_field(spec.name, raw.get(spec.name))
            result.checks[spec.name] = check
            result.values[spec.name] = check.value
        return result

    def record_title(self, raw: Mapping[str, str | None]) -> str:
        text = (raw.get("description") or "").strip()
        return text.splitlines()[0][:40] if text else ""

    def write(self, store: Store, values: dict[str, Any], changes: dict[str, Any]) -> str:
        if self.row_id is None:
            problem = create_problem(
                store,
                ProblemInput(
                    enterprise_id=values["enterprise_id"],
                    category=values["category"],
                    description=values["description"],
                    project_id=values["project_id"],
                    visit_id=values["visit_id"],
                    raised_on=values["raised_on"],
                    lead_unit=values["lead_unit"],
                    assist_units=tuple(values["assist_units"] or ()),
                    deadline=values["deadline"],
                    officer_id=values["officer_id"],
                ),
                recorded_by=ctx(self).officer_id,
            )
            return problem.id
        if changes:
            update_problem(store, self.row_id, changes, parents=self.heads)
        return self.row_id

    def on_saved(self, saved_id: str) -> None:
        """A new problem goes back to the list; a stored one stays open (its workflow and
        history are here), showing what is stored now, with a fresh draft."""
        if self.row_id is None:
            self._saved_new = True
            self.dismiss(saved_id)
            return
        self.draft = None
        self.drafts = DraftKeeper(self, None)
        self.set_loading(True)
        self._load(self.row_id)

    # -- layout -------------------------------------------------------------------------

    def compose_buttons(self) -> ComposeResult:
        yield Button(key_hint(_("Save"), "Ctrl+S"), variant="primary", compact=True, id="save")
        yield Button(key_hint(_("Delete"), "F8"), variant="error", compact=True, id="delete")
        yield Button(key_hint(_("Cancel"), "Esc"), compact=True, id="cancel")

    def compose(self) -> ComposeResult:
        yield Header()
        if self.row_id is not None:
            yield Static("", id="problem-state")
        with VerticalScroll(id="form-body"):
            yield from self.compose_fields()
            with Horizontal(id="form-buttons"):
                yield from self.compose_buttons()
            if self.row_id is not None:
                yield Static(_("History"), id="history-heading")
                yield HistoryView("", id="problem-history")
        yield AppFooter()

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="form-notice")
        lang = ctx(self).lang
        for spec in self.FIELDS:
            control = self._control(spec, lang)
            row = FormField(_(spec.label), control, field=spec.name, required=spec.required)
            if spec.name == "resolution" and self.row_id is None:
                row.add_class("-hidden")
            yield row

    def _control(self, spec: FieldSpec, lang: str) -> Any:
        name = spec.name
        if name == "enterprise_id":
            return RefField(
                title=_("Choose the enterprise"),
                search=search_enterprises,
                describe=lambda store, i: record_name(store, "enterprise", i),
                id=name,
                required=True,
                value=self.enterprise_id,
            )
        if name == "officer_id":
            return RefField(
                title=_("Choose the officer following it"),
                search=search_officers,
                describe=lambda store, i: record_name(store, "officer", i),
                id=name,
                value=ctx(self).officer_id if self.row_id is None else None,
            )
        if name == "project_id":
            return RefField(
                title=_("Choose one of the enterprise's projects"),
                search=self._search_projects,
                describe=lambda store, i: record_name(store, "project", i),
                id=name,
            )
        if name == "visit_id":
            return RefField(
                title=_("Choose the visit it was raised at"),
                search=self._search_visits,
                describe=self._describe_visit,
                id=name,
            )
        if spec.widget == "select":
            # Not preselected: a problem's category is chosen, never left at a default.
            return make_control(replace(spec, required=False), lang)
        control = make_control(spec, lang)
        if name == "raised_on" and self.row_id is None and isinstance(control, Input):
            control.value = date.today().isoformat()
        return control

    def _describe_visit(self, store: Store, visit_id: str) -> str | None:
        return visit_label(store, visit_id, ctx(self).lang)

    def _chosen_enterprise(self) -> str | None:
        return self.query_one("#enterprise_id", RefField).value

    def _search_projects(self, store: Store, text: str) -> list[PickItem]:
        return project_items(store, self._chosen_enterprise(), text)

    def _search_visits(self, store: Store, text: str) -> list[PickItem]:
        return visit_items(store, self._chosen_enterprise(), text, ctx(self).lang)

    # -- reading and writing the controls ----------------------------------------------

    def set_texts(self, texts: Mapping[str, str | None]) -> None:
        super().set_texts(texts)
        for name in REFS:
            if name in texts:
                for ref in self.query(f"#{name}").results(RefField):
                    if ref.value != (texts[name] or None):
                        ref.set_value(texts[name])

    def raw(self) -> Texts:
        """As typed; a reference as its id ("" when none, as a stored record's text is)."""
        texts = super().raw()
        for name in REFS:
            for ref in self.query(f"#{name}").results(RefField):
                texts[name] = ref.value or ""
        return {spec.name: texts.get(spec.name) for spec in self.FIELDS}

    async def take_key(self, event: events.Key) -> bool:
        """Keys as they arrive (the app calls this first): typing on a reference field
        opens its picker before the next key is read, so a burst lands in the picker."""
        focused = self.focused
        return isinstance(focused, RefField) and focused.take_key(event)

    def on_ref_field_changed(self, message: RefField.Changed) -> None:
        name = message.field.id or ""
        if name in REFS:
            self._field_changed(name)
            if name == "enterprise_id":  # another enterprise: its project and visit go
                for other in ("project_id", "visit_id"):
                    ref = self.query_one(f"#{other}", RefField)
                    if ref.value is not None:
                        ref.set_value(None)
                        self._field_changed(other)

    def show(self, name: str) -> None:
        super().show(name)
        if name == "deadline" and self.deadline_locked:
            form_field = self.query_one("#field-deadline", FormField)
            if not form_field.message:
                form_field.show(None, _("Changed by an extension with its reason: F4"))

    # -- a stored problem: state, history, steps ------------------------------------------

    def on_record_form_screen_fetched(self, message: RecordFormScreen.Fetched) -> None:
        # Runs before the base's handler (which fills the form from the same record).
        if message.loaded is not None and self.row_id is not None:
            self._took(message.loaded, workflow_heads=False)
            self._read_history()

    def on_record_form_screen_compared(self, message: RecordFormScreen.Compared) -> None:
        if not self.busy:
            self._took(message.loaded, workflow_heads=True)

    def _took(self, loaded: Loaded[Any], *, workflow_heads: bool) -> None:
        """The problem as stored now: the state line shows it, and (when shown this way)
        the steps act on it: their parents are these heads."""
        record: Problem = loaded.record
        self.problem = record
        if workflow_heads:
            for name in WORKFLOW_SHOWN:
                self.heads[name] = tuple(loaded.heads.get(name, ()))
        self._lock_deadline(record.deadline is not None)
        self._show_state()

    def _lock_deadline(self, locked: bool) -> None:
        self.deadline_locked = locked
        for control in self.query("#deadline").results(Input):
            control.disabled = locked
        if self.ready or locked:
            self.show("deadline")

    def _show_state(self) -> None:
        if self.problem is None:
            return
        line = state_line(self.problem, self.enterprise_name, ctx(self).lang, date.today())
        for static in self.query("#problem-state").results(Static):
            static.update(line)

    def outside_change(self, change: Change) -> None:
        super().outside_change(change)
        if self.row_id is not None and (
            change.touches("problem_event") or change.touches("problem", self.row_id)
        ):
            self._read_history()

    def _read_history(self) -> None:
        if self.row_id is not None:
            self._history_worker(self.row_id)

    @work(thread=True, exclusive=True, group="problem-history")
    def _history_worker(self, problem_id: str) -> None:
        store = ctx(self).store
        entries = problem_history(store, problem_id)
        record = store.problems.get(problem_id)
        name = record_name(store, "enterprise", record.enterprise_id) if record else None
        self.post_message(self.HistoryLoaded(entries, name or ""))

    def on_problem_form_screen_history_loaded(self, message: HistoryLoaded) -> None:
        self.history = message.entries
        self.enterprise_name = message.enterprise
        if self.enterprise_name:
            self.sub_title = self.enterprise_name
        self._show_state()
        for static in self.query("#problem-history").results(Static):
            static.update(history_table(message.entries, ctx(self).lang))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.row_id is not None
        return super().check_action(action, parameters)

    def action_step(self, step: str) -> None:
        problem = self.problem
        if problem is None or self.busy or not self.ready:
            return
        refusal = self._refusal(problem, step)
        if refusal:
            self.notify(refusal, severity="warning")
            return
        raw = self.raw()
        typed = {"lead_unit": raw.get("lead_unit"), "resolution": raw.get("resolution")}
        dialogs: dict[str, type[StepDialog]] = {
            "status": StatusDialog,
            "extension": ExtendDialog,
            "note": NoteDialog,
            "follow_up": FollowUpDialog,
        }
        dialog = dialogs[step](problem, self.heads, **typed)
        # Outside changes wait while the dialog is open; they are read after it.
        self.busy = True
        self.app.push_screen(dialog, self._step_done)

    @staticmethod
    def _refusal(problem: Problem, step: str) -> str | None:
        """Why a step cannot start (the workflow's own words), before its dialog opens."""
        today = date.today()
        try:
            if step == "extension":
                flow.plan_extension(problem, date.max, on=today, today=today, reason="-")
            elif step == "follow_up":
                flow.plan_follow_up(problem, "satisfied", on=today, today=today)
        except WorkflowError as exc:
            if exc.field in ("deadline", "satisfaction"):
                return exc.message
        return None

    def _step_done(self, result: StepResult | None) -> None:
        self.busy = False
        if result is not None:
            self._take_own(result)
            if result.conflicts:
                labels = "、".join(_(field_label(f)) for f in result.conflicts if PROBLEM.get(f))
                self.notify(
                    _(
                        "Recorded. Someone else changed this problem meanwhile ({fields}): "
                        "both values are kept as a conflict for the office to settle."
                    ).format(fields=labels),
                    severity="warning",
                    timeout=10,
                )
            else:
                self.notify(_("Recorded."))
            self._read_history()
        if self.row_id is not None:
            self._check_outside(self.row_id)  # what changed elsewhere while the dialog was up

    def _take_own(self, result: StepResult) -> None:
        """The step's own writes: its fields' new heads become the form's (the officer saw
        them in the dialog), and a field not touched on the form shows the new value."""
        loaded = result.loaded
        stored = self.record_text(loaded.record)
        raw = self.raw()
        refreshed: dict[str, str | None] = {}
        for name in result.fields:
            self.heads[name] = tuple(loaded.heads.get(name, ()))
            if name in stored:
                if raw.get(name) == self.base_text.get(name):
                    refreshed[name] = stored[name]
                self.base_text[name] = stored[name]
        if refreshed:
            self.set_texts(refreshed)
        self._took(loaded, workflow_heads=False)


class ProblemScreen(ProblemFormScreen):
    """A stored problem: its form, state, workflow steps and history (``problem_detail``)."""

    def __init__(self, problem_id: str, *, draft: Draft | None = None) -> None:
        super().__init__(problem_id, draft=draft)
