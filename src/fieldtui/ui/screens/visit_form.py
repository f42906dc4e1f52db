"""Record a visit (走访) from the keyboard in as few keys as possible, or open one.

A new visit starts filled in: today, the officer using this laptop, the enterprise in context
(the ledger's highlighted row, the enterprise's detail screen, "my week"; from the visits list
the enterprise picker opens at once, searching as the ledger does, pinyin initials too), an
on-site visit. The cursor starts on the person met, so an officer types text and moves on:

- Tab / Shift+Tab between fields; a digit chooses the kind of visit or a problem's category
  (and moves on), digits toggle the topics;
- Ctrl+N adds a problem raised at the visit (its category, description, lead unit, deadline);
- Ctrl+T answers every item of the negative-list self-check not answered yet as kept (未违反);
  Space or Enter on an item makes it a breach, whose note is typed right there;
- Ctrl+S saves the visit, its new problems (problem records linked to it) and the self-check
  in one transaction (:func:`fieldtui.store.visits.save_visit`), against the heads the form
  loaded; with the self-check incomplete the visit is saved as a draft, and says so.

Built on :class:`~fieldtui.ui.screens.form_base.RecordFormScreen` (drafts as it is typed,
every way out asks, outside changes, saving against what was shown). The visit's problems and
self-check are two more texts of the form (:mod:`fieldtui.ui.visit_texts`).

Keys are handled as they arrive (:class:`~fieldtui.ui.screens.form_keys.TypedInOrder`): a
burst such as ``陈经理 Tab 总经理 Ctrl+N 1 首期用电`` lands in the fields it was typed for,
and keys typed while the form opens are kept and applied once it is ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from fieldtui.domain.enums import ProblemCategory, ProblemStatus, VisitKind, VisitTopic
from fieldtui.domain.forms import FieldCheck, FormCheck
from fieldtui.domain.records import Problem
from fieldtui.domain.schema import VISIT
from fieldtui.i18n import N_, _, ngettext
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.checklists import Checklist
from fieldtui.store.service import InputError
from fieldtui.store.visits import SavedVisit, VisitInput, save_visit
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.form_base import FieldSpec, RecordFormScreen, Texts
from fieldtui.ui.screens.form_keys import TypedInOrder
from fieldtui.ui.screens.visit_source import VisitRecord, VisitSource, ids_in, read_names
from fieldtui.ui.visit_texts import (
    SCALAR_FIELDS,
    answers_text,
    check_problems,
    check_self_check,
    check_visit,
    check_visit_field,
    detail_texts,
    parse_answers,
    parse_problems,
    problems_text,
    visit_day,
)
from fieldtui.ui.widgets.choosers import CodeChooser, CodeToggles, RefField, RefListField
from fieldtui.ui.widgets.form_field import FormField
from fieldtui.ui.widgets.pick_search import SeededPicker, search_enterprises, search_officers
from fieldtui.ui.widgets.visit_sections import ProblemRows, SelfCheckPanel

__all__ = ["VisitFormScreen"]

FORM_ORDER = (
    "enterprise_id",
    "date",
    "kind",
    "officer_ids",
    "person",
    "person_title",
    "topics",
    "policies",
    "summary",
    "follow_up",
)
"""The visit's own fields in the order an officer fills them in (the schema's order is the
sheet's)."""


def _schema_label(name: str) -> str:
    found = VISIT.get(name)
    if found is None:
        raise KeyError(f"visit has no field {name!r}")
    return found.label


LABELS: dict[str, str] = {
    **{name: _schema_label(name) for name in FORM_ORDER},
    "officer_ids": N_("Visited by"),  # on the form, who made the visit
    "problems": N_("Problems raised"),
    "self_check": N_("Negative-list self-check"),
}
"""Labels read from the field schema, and the form's own sections."""

TEXT_AREAS = ("policies", "summary", "follow_up")
LINES = ("date", "person", "person_title")


def _none_if_empty(text: str | None) -> str | None:
    return text if text else None


class VisitFormScreen(TypedInOrder, RecordFormScreen):
    """``VisitFormScreen(visit_id)`` opens a visit; ``VisitFormScreen(enterprise_id=…)``
    records a new one for that enterprise; neither: the enterprise is picked first."""

    CSS_PATH = "visit_form.tcss"
    KIND = "visit"
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = tuple(
        FieldSpec(name, label) for name, label in LABELS.items()
    )
    TITLE_NEW = N_("New visit")
    TITLE_EDIT = N_("Visit")
    GONE = N_("This visit no longer exists.")
    DELETE_TITLE = N_("Delete visit")
    DELETE_QUESTION = N_(
        "Delete this visit ({name})? The problems raised at it stay in the problem ledger; "
        "the office can still restore the visit."
    )
    DELETED = N_("Visit deleted.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_problem", _("Add a problem"), id="visit_form.add_problem"),
        Binding("ctrl+t", "all_kept", _("All kept"), id="visit_form.all_kept"),
        Binding("ctrl+o", "add_officer", _("Add an officer"), id="visit_form.add_officer"),
    ]

    class ContextRead(Message):
        """A new visit's names and negative-list version, read in a worker."""

        def __init__(self, names: dict[str, str], checklist: Checklist) -> None:
            super().__init__()
            self.names = names
            self.checklist = checklist

    def __init__(
        self,
        visit_id: str | None = None,
        *,
        enterprise_id: str | None = None,
        draft: Any = None,
    ) -> None:
        super().__init__(visit_id, draft=draft)
        self.start_enterprise = enterprise_id
        self.today = date.today()
        self.names: dict[str, str] = {}
        self.checklist: Checklist | None = None
        self.existing: tuple[Problem, ...] = ()
        self.saved: SavedVisit | None = None
        """What the last save wrote (set in the save's worker, read after it finished)."""
        self.service_errors: dict[str, str] = {}
        """What the visits service refused in the last save, by field."""

    # -- layout -------------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        lang = ctx(self).lang
        yield Static("", id="form-notice")
        controls: dict[str, Widget] = {
            "enterprise_id": RefField(
                _("Enter or type a name or pinyin initials to choose"), id="enterprise_id"
            ),
            "date": Input(placeholder="2026-03-04", compact=True, max_length=20, id="date"),
            "kind": CodeChooser(VisitKind.choices(lang), id="kind"),
            "officer_ids": RefListField(_("Enter adds an officer"), id="officer_ids"),
            "person": Input(compact=True, max_length=100, id="person"),
            "person_title": Input(compact=True, max_length=100, id="person_title"),
            "topics": CodeToggles(VisitTopic.choices(lang), id="topics"),
        }
        for name in TEXT_AREAS:
            controls[name] = TextArea(id=name, soft_wrap=True, tab_behavior="focus", compact=True)
        for name, control in controls.items():
            yield FormField(
                _(LABELS[name]),
                control,
                field=name,
                required=name in ("enterprise_id", "date", "kind", "officer_ids"),
            )
        yield Static(Content(_("Problems raised")), classes="section-title")
        yield Static("", id="problems-existing")
        yield ProblemRows(ProblemCategory.choices(lang), id="problems")
        yield Static(Content(_("Negative-list self-check")), classes="section-title")
        yield SelfCheckPanel(id="self_check")

    @property
    def problem_rows(self) -> ProblemRows:
        return self.query_one("#problems", ProblemRows)

    @property
    def self_check(self) -> SelfCheckPanel:
        return self.query_one("#self_check", SelfCheckPanel)

    def focus_first(self) -> None:
        """The first field to type: the person met, or the enterprise when there is none."""
        if not self.query("#enterprise_id"):
            return
        # set_focus, not focus(): focus() waits for the app's queue, and keys typed while the
        # form opened are applied before that.
        if self.query_one("#enterprise_id", RefField).value:
            self.set_focus(self.query_one("#person"))
        else:
            self.set_focus(self.query_one("#enterprise_id"))

    def on_mount(self) -> None:
        """Runs before the base's: a new visit shows its defaults before the base takes
        them as what the form started with (a restored draft then goes on top)."""
        if self.row_id is not None:
            return
        officer = ctx(self).officer_id
        self.set_texts(
            {
                "enterprise_id": self.start_enterprise,
                "date": self.today.isoformat(),
                "kind": VisitKind.ONSITE.code,
                "officer_ids": officer,
            }
        )
        ids = ids_in(self.raw())
        if self.draft is not None:
            ids += ids_in(self.draft.fields)
        template, _answers = parse_answers(
            (self.draft.fields if self.draft else {}).get("self_check")
        )
        self._read_context(ids, template)

    @work(thread=True, exclusive=True, group="visit-context")
    def _read_context(self, ids: tuple[str, ...], template_id: str | None) -> None:
        store = ctx(self).store
        checklist = cl.checklist(store, template_id) if template_id else None
        self.post_message(
            self.ContextRead(
                read_names(store, ids), checklist or cl.current_checklist(store, "negative")
            )
        )

    async def on_visit_form_screen_context_read(self, message: ContextRead) -> None:
        self._take_names(message.names)
        await self._take_checklist(message.checklist)

    def _take_names(self, names: Mapping[str, str]) -> None:
        self.names.update(names)
        enterprise = self.query_one("#enterprise_id", RefField)
        if enterprise.value:
            enterprise.set_ref(enterprise.value, self.names.get(enterprise.value, ""))
        officers = self.query_one("#officer_ids", RefListField)
        officers.set_refs(officers.values, self.names)
        self.sub_title = self.record_title(self.raw())

    async def _take_checklist(self, checklist: Checklist) -> None:
        self.checklist = checklist
        await self.self_check.set_checklist(checklist)

    # -- the kind, for the base -------------------------------------------------------------

    def repo(self, store: Store) -> Any:
        extra = ids_in(self.draft.fields) if self.draft is not None else ()
        return VisitSource(store, extra)

    @on(RecordFormScreen.Fetched)
    async def _fetched_first(self, message: RecordFormScreen.Fetched) -> None:
        """Runs before the base's handler (which shows the texts): names, the checklist
        version answered and the problems raised already go in place first."""
        loaded = message.loaded
        if loaded is None or not isinstance(loaded.record, VisitRecord):
            return
        record = loaded.record
        if record.detail.draft:  # said at once: the self-check is at the bottom of the form
            self.title = _("Visit (draft: self-check not complete)")
        self._take_names(record.names)
        self.existing = record.detail.problems
        self._show_existing()
        await self._take_checklist(record.checklist)

    def record_text(self, record: Any) -> Texts:
        """A stored visit's texts, empty as None (as :meth:`raw` reads an empty field)."""
        if not isinstance(record, VisitRecord):
            return {}
        return {k: _none_if_empty(v) for k, v in detail_texts(record.detail).items()}

    def record_title(self, raw: Mapping[str, str | None]) -> str:
        enterprise = raw.get("enterprise_id") or ""
        name = self.names.get(enterprise, "")
        return f"{name} {raw.get('date') or ''}".strip()

    def check_field(self, name: str, raw: str | None) -> FieldCheck:
        day = visit_day(self.raw()) if name == "problems" else None
        return check_visit_field(
            name, raw, today=self.today, checklist=self.checklist, visit_date=day
        )

    def check_form(self, raw: Mapping[str, str | None]) -> FormCheck:
        return check_visit(raw, today=self.today, checklist=self.checklist)[0]

    def changes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The fields the officer changed (by their text): only these overwrite what is
        stored (see :meth:`write`)."""
        raw = self.raw()
        return {n: values[n] for n in values if raw.get(n) != self.base_text.get(n)}

    def write(self, store: Store, values: dict[str, Any], changes: dict[str, Any]) -> str:
        """Save through the visits service (thread worker, inside the form's transaction).

        Editing, a field the officer did not touch is given as stored now, so it is not
        written: an edit made elsewhere since the form loaded stays as it is.
        """
        given = dict(values)
        if self.row_id is not None:
            stored = store.visits.get(self.row_id)
            if stored is not None:
                for name in SCALAR_FIELDS:
                    if name not in changes and name != "officer_ids":
                        given[name] = getattr(stored, name)
                if "officer_ids" not in changes:
                    given["officer_ids"] = tuple(store.visit_officers.right_ids(self.row_id))
        answers = given["self_check"] if self.row_id is None or "self_check" in changes else None
        data = VisitInput(
            id=self.row_id,
            enterprise_id=given["enterprise_id"] or "",
            date=given["date"],
            officer_ids=tuple(given["officer_ids"] or ()),
            kind=given["kind"] or VisitKind.ONSITE.code,
            person=given["person"],
            person_title=given["person_title"],
            topics=tuple(given["topics"] or ()),
            policies=given["policies"],
            summary=given["summary"],
            follow_up=given["follow_up"],
            problems=tuple(values["problems"] or ()),
            self_check=answers,
        )
        parents = self.heads if self.row_id is not None else None
        self.service_errors = {}
        try:
            self.saved = save_visit(store, data, parents=parents, today=self.today)
        except InputError as exc:  # shown at its field once the save has ended
            self.service_errors = dict(exc.errors)
            raise
        return self.saved.visit_id

    def save_settled(self, ok: bool) -> None:
        """A save the visits service refused: its messages go under their fields (a
        problem row, a self-check item, a field), as the form's own checks' do."""
        errors, self.service_errors = self.service_errors, {}
        if ok or not errors:
            return
        rows: dict[int, dict[str, str]] = {}
        items: dict[str, str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "problems" and len(parts) == 3 and parts[1].isdigit():
                rows.setdefault(self._row_index(int(parts[1])), {})[parts[2]] = message
            elif parts[0] == "answers" and len(parts) == 2:
                items[parts[1]] = message
            elif key in LABELS and key not in ("problems", "self_check"):
                self.query_one(f"#field-{key}", FormField).show(message)
        if rows:
            self.problem_rows.show_errors(rows)
            self.problem_rows.focus_error()
        if items:
            self.self_check.show_errors(items)

    def _row_index(self, given: int) -> int:
        """The row on screen of the ``given``-th problem saved (blank rows are not saved)."""
        kept = [i for i, text in enumerate(self.problem_rows.texts()) if not text.blank]
        return kept[given] if given < len(kept) else given

    def on_saved(self, saved_id: str) -> None:
        saved = self.saved
        if saved is not None and saved.problem_ids:
            count = len(saved.problem_ids)
            self.notify(
                ngettext(
                    "{n} problem added to the problem ledger.",
                    "{n} problems added to the problem ledger.",
                    count,
                ).format(n=count)
            )
        if saved is not None and saved.draft:
            self.notify(
                _("Saved as a draft: the negative-list self-check is not complete."),
                severity="warning",
                timeout=6,
            )
        self.dismiss(saved_id)

    # -- the fields as text -------------------------------------------------------------------

    def raw(self) -> Texts:
        """What the form holds, as text (empty as None): problems and answers as JSON."""
        if not self.query("#self_check"):
            return {spec.name: None for spec in self.FIELDS}
        texts: Texts = {}
        texts["enterprise_id"] = self.query_one("#enterprise_id", RefField).value
        texts["kind"] = self.query_one("#kind", CodeChooser).value or None
        officers = self.query_one("#officer_ids", RefListField).values
        texts["officer_ids"] = "、".join(officers) or None
        topics = self.query_one("#topics", CodeToggles).values
        texts["topics"] = "、".join(topics) or None
        for name in LINES:
            texts[name] = _none_if_empty(self.query_one(f"#{name}", Input).value)
        for name in TEXT_AREAS:
            texts[name] = _none_if_empty(self.query_one(f"#{name}", TextArea).text)
        texts["problems"] = problems_text(self.problem_rows.texts())
        panel = self.self_check
        texts["self_check"] = (
            answers_text(panel.template_id, panel.answers) if panel.template_id else None
        )
        return texts

    def set_texts(self, texts: Mapping[str, str | None]) -> None:
        if "enterprise_id" in texts:
            value = texts["enterprise_id"]
            self.query_one("#enterprise_id", RefField).set_ref(
                value, self.names.get(value or "", "")
            )
        if "kind" in texts:
            self.query_one("#kind", CodeChooser).set_value(
                texts["kind"] or VisitKind.ONSITE.code, announce=False
            )
        if "officer_ids" in texts:
            ids = (texts["officer_ids"] or "").replace(",", "、").split("、")
            self.query_one("#officer_ids", RefListField).set_refs(ids, self.names)
        if "topics" in texts:
            codes = (texts["topics"] or "").replace(",", "、").split("、")
            self.query_one("#topics", CodeToggles).set_values(
                [c for c in codes if c], announce=False
            )
        for name in LINES:
            if name in texts:
                self.query_one(f"#{name}", Input).value = texts[name] or ""
        for name in TEXT_AREAS:
            if name in texts:
                self.query_one(f"#{name}", TextArea).load_text(texts[name] or "")
        if "problems" in texts:
            self.problem_rows.set_texts(parse_problems(texts["problems"]))
        if "self_check" in texts:
            template, answers = parse_answers(texts["self_check"])
            self.self_check.set_answers(template, answers)

    def show(self, name: str) -> None:
        """A field's message; the problems and the self-check show theirs row by row."""
        if name == "problems":
            _raised, row_errors = check_problems(self.problem_rows.texts(), visit_day(self.raw()))
            self.problem_rows.show_errors(row_errors)
        elif name == "self_check":
            _given, item_errors, _complete = check_self_check(
                self.checklist, self.raw()["self_check"]
            )
            self.self_check.show_errors(item_errors)
        else:
            super().show(name)

    # -- changes of the controls this form adds ------------------------------------------------

    @on(CodeChooser.Changed, "#kind")
    @on(CodeToggles.Changed, "#topics")
    @on(RefListField.Removed, "#officer_ids")
    def _control_changed(self, event: Message) -> None:
        control = getattr(event, "control", None) or getattr(event, "field", None)
        if control is not None and control.id:
            self._field_changed(control.id)

    @on(ProblemRows.Changed)
    def _problems_changed(self) -> None:
        self._field_changed("problems")

    @on(SelfCheckPanel.Changed)
    def _self_check_changed(self) -> None:
        self._field_changed("self_check")

    def _show_existing(self) -> None:
        """Problems raised at this visit already: in the problem ledger, shown here."""
        lang = ctx(self).lang
        lines = []
        for problem in self.existing:
            category = _code_label(ProblemCategory, problem.category, lang)
            status = _code_label(ProblemStatus, problem.status, lang)
            lines.append(f"· {category}：{problem.description}（{status}）")
        widget = self.query_one("#problems-existing", Static)
        widget.update(Content("\n".join(lines)))
        widget.display = bool(lines)

    # -- commands -------------------------------------------------------------------------------

    async def action_add_problem(self) -> None:
        await self.problem_rows.add()
        self._field_changed("problems")

    def action_all_kept(self) -> None:
        self.self_check.all_kept()

    async def action_add_officer(self) -> None:
        await self._pick(self.query_one("#officer_ids", RefListField), [])

    @on(RefField.Pick)
    async def _pick_requested(self, event: RefField.Pick) -> None:
        if isinstance(event.field, RefField):
            await self._pick(
                event.field, [events.Key(event.initial, event.initial)] if event.initial else []
            )

    async def _pick(self, target: RefField, seed: list[events.Key]) -> None:
        """Open the picker for ``target`` (the enterprise, or an officer to add); ``seed``:
        the keys typed to start its search. Awaited, so keys typed next reach the picker."""
        if isinstance(target, RefListField):
            picker = SeededPicker(_("Add an officer to this visit"), search_officers, seed)
        else:
            picker = SeededPicker(_("Enterprise visited"), search_enterprises, seed)

        older = len(self.early_keys)  # typed before the picker opened (not yet applied)

        def picked(chosen: str | None) -> None:
            # Keys typed after Enter in the picker come after those, before any typed since.
            self.early_keys[older:older] = picker.after_enter
            self.keys_held = False
            if chosen:
                name = picker.names.get(chosen, "")
                self.names[chosen] = name
                if isinstance(target, RefListField):
                    target.add(chosen, name)
                else:
                    target.set_ref(chosen, name)
                self._field_changed(target.id or "")
                self.sub_title = self.record_title(self.raw())
                if not isinstance(target, RefListField):
                    self.set_focus(self.query_one("#person"))
            self.call_later(self.replay_keys)

        self.keys_held = True
        await self.app.push_screen(picker, picked)

    # -- keys as they arrive (form_keys.TypedInOrder does the rest) -----------------------

    async def special_key(self, event: events.Key) -> bool:
        """The record fields: a letter or Enter opens the picker, Backspace takes off the
        last officer."""
        focused = self.focused
        if isinstance(focused, RefListField) and event.key in ("backspace", "delete"):
            focused.take_off_last()
            return True
        if isinstance(focused, RefField):
            initial = focused.pick_request(event)
            if initial is not None:
                await self._pick(focused, [event] if initial else [])
                return True
        return False

    def _start(self, base: Texts) -> None:
        super()._start(base)
        self.focus_first()
        if self.row_id is None and not self.query_one("#enterprise_id", RefField).value:
            self.call_later(self._pick_first_enterprise)
        else:
            self.call_later(self.replay_keys)

    async def _pick_first_enterprise(self) -> None:
        """A new visit with no enterprise in context: the picker opens at once, with what
        was typed while the form opened as its search (up to an Enter, which chooses)."""
        seed: list[events.Key] = []
        while self.early_keys:
            key = self.early_keys[0]
            if not isinstance(key, events.Key) or not (key.is_printable or key.key == "enter"):
                break
            seed.append(key)
            self.early_keys.pop(0)
            if key.key == "enter":
                break
        await self._pick(self.query_one("#enterprise_id", RefField), seed)


def _code_label(enum: Any, code: str | None, lang: str) -> str:
    try:
        return str(enum(code).label(lang))
    except ValueError:
        return code or ""
