"""One base for every record form: load, dirty tracking, leaving, saving, conflicts, drafts.

A form is its record kind (``SCHEMA``, a :class:`~fieldtui.domain.schema.Kind`), its fields
(``FIELDS``: by default the kind's form fields, read from the schema with their labels,
widgets, required markers, placeholders, limits, choices and defaults) and the kind's checks:
each field's check is the schema's parser (``fieldtui.domain.forms``), giving its value and an
error or warning, and a kind may add checks against the database (:class:`Finding`: the
enterprise's duplicate USCC and similar names, the officer's same name). The base does the
rest, the same way for every form and every widget kind:

- **Load** the record and the heads of its fields in one read (:meth:`Repo.load`), in a
  thread worker; show it; remember what it showed (``base_text``, ``heads``).
- **Save** in a thread worker, inside one write transaction with the kind's database checks,
  writing only the fields the officer changed, with the loaded heads as parents: an edit
  nobody saw (a sync import, the command line, another window) becomes a conflict that keeps
  both values instead of being overwritten, and the officer is told so.
- **Leave**: every way out of a changed form asks (Escape here; Ctrl+Q, switching area and
  the palette through :meth:`ask_to_leave`, which the app calls).
- **Drafts**: as the officer types, the form's contents are written (debounced, in a worker)
  to the local ``form_draft`` table and removed on save or discard; a draft left by a crash
  or a kill is offered back at the next start and restored with what the form had shown, so
  the restored edit still saves against it.
- **Outside changes**: the app tells open forms what other connections changed
  (:meth:`outside_change`); a form whose record changed says so above its fields.

A form is declared, not written::

    class ActivityFormScreen(RecordFormScreen):
        SCHEMA = ACTIVITY                 # fields, widgets, checks, repository: the schema's
        TITLE_NEW = N_("New investment activity")
        TITLE_EDIT = N_("Edit investment activity")

``FIELDS = form_specs(KIND, names)`` picks or orders fields; ``KIND`` (the draft kind and
registry key) defaults to the table name. A kind overrides only what is special about it:
``live_check`` / ``save_checks`` for database checks, ``write`` for what a save does beyond
create-or-update (the base writes the columns with the loaded heads as parents and a link
table's references added or removed, link by link), ``record_text`` for how a record fills
the form.

Seams: :mod:`.form_spec` (what a form is made of), :mod:`.form_input` (the fields on screen:
typing, messages, database checks of a field), :mod:`.form_drafts` (the draft kept as it is
typed), :mod:`.form_outside` (following changes made elsewhere), :mod:`.form_save` (the
worker side of saving and deleting); this module ties them to a record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Header, Static

from fieldtui.domain.forms import FieldCheck, changed_fields, join_items, split_items
from fieldtui.domain.records import Record
from fieldtui.i18n import N_, _
from fieldtui.store import Store, record_links
from fieldtui.store.drafts import Draft
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.repos import Heads, Loaded, Repo
from fieldtui.store.watch import Change
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.form_drafts import DraftKeeper
from fieldtui.ui.screens.form_input import FormInput
from fieldtui.ui.screens.form_outside import merge_outside, notice_text
from fieldtui.ui.screens.form_save import conflict_message, delete_record, save_record
from fieldtui.ui.screens.form_spec import FieldSpec, Finding, SaveResult, Texts
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog, key_hint

__all__ = ["FieldSpec", "Finding", "RecordFormScreen", "SaveResult", "Texts"]


class RecordFormScreen(FormInput):
    """The form base. Dismisses with the saved record's id, or None (left, or deleted)."""

    KIND: ClassVar[str] = ""
    """Draft kind and registry key: ``enterprise``, ``officer`` … (default: the table)."""
    TITLE_NEW: ClassVar[str] = ""
    TITLE_EDIT: ClassVar[str] = ""
    GONE: ClassVar[str] = N_("This record no longer exists.")
    """Msgid shown when the record to edit is not there (or deleted)."""
    DELETE_TITLE: ClassVar[str] = N_("Delete")
    DELETE_QUESTION: ClassVar[str] = N_("Delete {name}?")
    DELETED: ClassVar[str] = N_("Deleted.")
    MODAL: ClassVar[bool] = False
    """A small form over its list (the list's keys do not reach past it)."""

    DEFAULT_CSS = """
    RecordFormScreen #form-body {
        padding: 1 2;
    }
    RecordFormScreen #form-notice {
        display: none;
        height: auto;
        margin-bottom: 1;
        color: $text-warning;
    }
    RecordFormScreen #form-notice.-shown {
        display: block;
    }
    RecordFormScreen TextArea {
        height: 5;
    }
    RecordFormScreen #form-buttons {
        height: auto;
        margin-top: 1;
    }
    RecordFormScreen #form-buttons Button {
        margin-right: 2;
    }
    RecordFormScreen .-hidden {
        display: none;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="form.save"),
        Binding("escape", "cancel", _("Cancel"), id="form.cancel"),
        Binding("f8", "delete", _("Delete"), id="form.delete"),
    ]

    # -- messages from the workers --------------------------------------------------------

    class Fetched(Message):
        """The record and its heads, read for the form (None: not there)."""

        def __init__(self, loaded: Loaded[Any] | None) -> None:
            super().__init__()
            self.loaded = loaded

    class Finished(Message):
        def __init__(self, result: SaveResult) -> None:
            super().__init__()
            self.result = result

    class Compared(Message):
        """The record as stored now, after another connection changed it."""

        def __init__(self, loaded: Loaded[Any]) -> None:
            super().__init__()
            self.loaded = loaded

    # -- set-up -----------------------------------------------------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.SCHEMA is not None and not cls.KIND:
            cls.KIND = cls.SCHEMA.table

    def __init__(self, row_id: str | None = None, *, draft: Draft | None = None) -> None:
        super().__init__()
        self.row_id = row_id if draft is None else draft.row_id
        self.draft = draft
        """The draft this form was restored from, if any."""
        self.drafts = DraftKeeper(self, draft)
        self.loaded: Loaded[Any] | None = None
        self.base_text: Texts = {}
        """The form as it showed the record (or a new one's defaults): the dirty baseline."""
        self.heads: Heads = {}
        """The heads of the fields shown: the parents of the ops a save writes."""
        self.busy = False
        self.changed_outside: list[str] = []
        self.deleted_outside = False
        self._after_save: Callable[[bool], None] | None = None

    @property
    def is_modal(self) -> bool:
        return self.MODAL

    # -- hooks a kind may override --------------------------------------------------------------

    @property
    def link_names(self) -> frozenset[str]:
        """The form's fields kept in link tables (multipickers such as a visit's officers)."""
        return frozenset(spec.name for spec in self.FIELDS if spec.link)

    def new_texts(self) -> Texts:
        """What a new record's fields show before anything is typed (today's date on a
        meeting); part of the baseline, so an untouched new form leaves without asking."""
        return {}

    def repo(self, store: Store) -> Repo[Any]:
        assert self.SCHEMA is not None, f"{type(self).__name__} sets no SCHEMA"
        repo: Repo[Any] = getattr(store, self.SCHEMA.repo)
        return repo

    def load_record(self, store: Store, row_id: str) -> Loaded[Any] | None:
        """The record, its heads and its link fields, in one read (thread worker)."""
        if self.SCHEMA is None:
            return self.repo(store).load(row_id)
        return record_links.load(store, self.SCHEMA, row_id)

    def new_record(self, values: Mapping[str, Any]) -> Record:
        """A record of the kind from checked values (new records, and the shown baseline)."""
        assert self.SCHEMA is not None, f"{type(self).__name__} sets no SCHEMA"
        columns = {k: v for k, v in values.items() if k not in self.link_names}
        record: Record = self.SCHEMA.record(**columns)
        return record

    def record_text(self, record: Any) -> Texts:
        """A stored record as the form shows it (checking these texts gives its values).
        Link fields are not on the record: :meth:`shown_text` fills them."""
        assert self.SCHEMA is not None, f"{type(self).__name__} sets no SCHEMA"
        kind = self.SCHEMA
        return {
            spec.name: kind.field(spec.name).text(getattr(record, spec.name, None))
            for spec in self.FIELDS
        }

    def check_field(self, name: str, raw: str | None) -> FieldCheck:
        """The schema's check, except that a code this version does not know, stored by a
        newer version, may stay as it is (kept, not refused; a warning under it says so)."""
        check = super().check_field(name, raw)
        field = self.SCHEMA.get(name) if self.SCHEMA is not None else None
        if check.error is None or field is None or field.enum is None:
            return check
        loaded = split_items(self.base_text.get(name))
        kept = {
            code for code in loaded if not field.type.known([code] if field.type.is_list else code)
        }
        items = split_items(raw)
        if not kept or not kept & set(items):
            return check
        others = [item for item in items if item not in kept]
        if others:
            rest = super().check_field(name, join_items(others))
            if rest.error:
                return rest
        value: Any = items if field.type.is_list else items[0]
        return FieldCheck(value, warning=_("Not known to this version: kept as it is"))

    def shown_text(self, loaded: Loaded[Any]) -> Texts:
        """What the form shows of a loaded record: its text, and its link fields' ids."""
        text = self.record_text(loaded.record)
        for name in self.link_names:
            text[name] = join_items(loaded.links.get(name, ()))
        return text

    def save_checks(self, store: Store, values: Mapping[str, Any]) -> list[Finding]:
        """Database checks before writing, inside the save's write transaction."""
        return []

    def write(self, store: Store, values: dict[str, Any], changes: dict[str, Any]) -> str:
        """Write the record (inside the save's transaction); returns its id.

        Columns go through the repository with the loaded heads as parents; a link field's
        references are linked and unlinked one by one, only those the officer added or
        removed (:func:`fieldtui.store.record_links.write_links`).
        """
        repo = self.repo(store)
        links = self.link_names
        columns = {k: v for k, v in changes.items() if k not in links}
        if self.row_id is None:
            row_id = str(repo.create(self.new_record(values)).id)
            changed_links = {k: values[k] for k in links if values.get(k)}
            shown: Texts = {}
        else:
            row_id = self.row_id
            if columns:
                repo.update(row_id, parents=self.heads, **columns)
            changed_links = {k: v for k, v in changes.items() if k in links}
            shown = self.base_text
        for name, wanted in changed_links.items():
            assert self.SCHEMA is not None
            field = self.SCHEMA.field(name)
            record_links.write_links(store, field, row_id, split_items(shown.get(name)), wanted)
        return row_id

    def record_title(self, raw: Mapping[str, str | None]) -> str:
        """What names the record being edited (sub-title, drafts): its name as typed."""
        return (raw.get(self.FIELDS[0].name) or "").strip() if self.FIELDS else ""

    def on_saved(self, saved_id: str) -> None:
        """After a successful save (and its notification)."""
        self.dismiss(saved_id)

    # -- layout -----------------------------------------------------------------------------

    def compose_buttons(self) -> ComposeResult:
        yield Button(key_hint(_("Save"), "Ctrl+S"), variant="primary", id="save")
        yield Button(key_hint(_("Delete"), "F8"), variant="error", id="delete")
        yield Button(key_hint(_("Cancel"), "Esc"), id="cancel")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form-body"):
            yield from self.compose_fields()
            with Horizontal(id="form-buttons"):
                yield from self.compose_buttons()
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _(self.TITLE_EDIT if self.row_id else self.TITLE_NEW)
        for button in self.query("#delete"):
            button.display = self.row_id is not None
        self.focus_first()
        if self.row_id is None:
            if self.draft is None:
                self.set_texts(self.new_texts())
            self._start(self.raw())
        else:
            self.set_loading(True)
            self._load(self.row_id)

    def set_loading(self, loading: bool) -> None:
        for body in self.query("#form-body"):
            body.loading = loading

    @work(thread=True, exclusive=True, group="form-load")
    def _load(self, row_id: str) -> None:
        self.post_message(self.Fetched(self.load_record(ctx(self).store, row_id)))

    def on_record_form_screen_fetched(self, message: Fetched) -> None:
        self.set_loading(False)
        self.focus_first()
        loaded = message.loaded
        restoring = self.draft is not None
        if loaded is None or (loaded.record.deleted and not restoring):
            self.notify(_(self.GONE), severity="error")
            self.dismiss(None)
            return
        self.loaded = loaded
        self.sub_title = self.record_title(self.shown_text(loaded))
        if self.draft is None:
            self.heads = dict(loaded.heads)
            shown = self.shown_text(loaded)
            self.set_texts(shown)
            self._start(shown)
            return
        # A restored edit saves against what the form showed before the crash, so what
        # changed since then becomes a conflict rather than being overwritten.
        self.heads = {k: tuple(v) for k, v in self.draft.heads.items()}
        self._start(self.draft.base)
        self._merge_outside(loaded)

    def _start(self, base: Texts) -> None:
        """The form shows ``base`` (what it loaded); a restored draft goes on top."""
        self.base_text = {spec.name: base.get(spec.name) for spec in self.FIELDS}
        if self.draft is not None:
            self.set_texts(self.draft.fields)
            self.notify(_("Restored what was typed before the app closed."), timeout=6)
        self.ready = True
        self.refresh_bindings()

    @property
    def dirty(self) -> bool:
        return self.ready and self.raw() != self.base_text

    def edited(self, name: str) -> None:
        if self.ready:
            self.drafts.schedule()

    def write_draft_now(self) -> None:
        """Write the draft at once, on the calling thread: the app is being terminated."""
        self.drafts.write_now()

    # -- outside changes ----------------------------------------------------------------------

    def outside_change(self, change: Change) -> None:
        """Another connection changed rows (the app's watcher): is this record among them?"""
        if self.row_id is None or self.loaded is None or self.busy:
            return
        links = [self.SCHEMA.field(n).link for n in self.link_names] if self.SCHEMA else []
        if change.touches(self.repo(ctx(self).store).table, self.row_id) or any(
            link and change.touches(link) for link in links
        ):
            self._check_outside(self.row_id)

    @work(thread=True, exclusive=True, group="form-outside")
    def _check_outside(self, row_id: str) -> None:
        loaded = self.load_record(ctx(self).store, row_id)
        if loaded is not None:
            self.post_message(self.Compared(loaded))

    def on_record_form_screen_compared(self, message: Compared) -> None:
        if not self.busy:
            self._merge_outside(message.loaded)

    def _merge_outside(self, loaded: Loaded[Any]) -> None:
        """Untouched fields take the stored value; fields changed on both sides are said."""
        merge = merge_outside(
            [spec.name for spec in self.FIELDS],
            self.heads,
            self.base_text,
            self.raw(),
            loaded.heads,
            self.shown_text(loaded),
            bool(loaded.record.deleted),
            sets=self.link_names,
        )
        if merge.refreshed:
            self.base_text.update(merge.texts)
            self.heads.update(merge.heads)
            self.set_texts({**merge.texts, **merge.typed})
            labels = "、".join(_(s.label) for s in self.FIELDS if s.name in merge.refreshed)
            self.notify(
                _("Changed elsewhere, now shown: {fields}").format(fields=labels), timeout=6
            )
        self.changed_outside = merge.disputed
        self.deleted_outside = merge.deleted
        labels_disputed = [_(s.label) for s in self.FIELDS if s.name in merge.disputed]
        text = notice_text(labels_disputed, merge.deleted)
        notice = self.query_one("#form-notice", Static)
        notice.update(Content(text))
        notice.set_class(bool(text), "-shown")

    @property
    def notice(self) -> str:
        """The outside-change notice shown above the fields (empty when none)."""
        static = self.query_one("#form-notice", Static)
        return str(static.content) if static.has_class("-shown") else ""

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.row_id is not None and self.loaded is not None
        return True

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions: dict[str, Callable[[], object]] = {
            "save": self.action_save,
            "cancel": self.action_cancel,
            "delete": self.action_delete,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def changes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The fields the officer changed, as values to write.

        A field counts when its text differs from what the form showed *and* its value does
        (``12.5`` retyped as ``12.50`` is no change): only these are written, so a field the
        officer never touched cannot overwrite what someone else wrote meanwhile.
        """
        raw = self.raw()
        touched = {
            name: values[name] for name in values if raw.get(name) != self.base_text.get(name)
        }
        if not touched:
            return {}
        shown = self.check_form(self.base_text).values
        links = self.link_names
        columns = {k: v for k, v in touched.items() if k not in links}
        changes = changed_fields(self.new_record(shown), columns)
        for name in links & touched.keys():
            if set(touched[name] or []) != set(shown.get(name) or []):
                changes[name] = touched[name]
        return changes

    def action_save(self) -> None:
        if self.busy or not self.ready:
            self._settle(False)
            return
        check = self.check_form(self.raw())
        for spec in self.FIELDS:
            self.show(spec.name)
        if not check.ok:
            first = next(s.name for s in self.FIELDS if s.name in check.errors)
            self.query_one(f"#{first}").focus()
            self.notify(_("Please correct the marked fields."), severity="error")
            self._settle(False)
            return
        blocking = next((f for f in self.findings.values() if f.error), None)
        if blocking is not None:
            self.query_one(f"#{blocking.field}").focus()
            self.notify(blocking.notice or blocking.error or "", severity="error", markup=False)
            self._settle(False)
            return
        self.busy = True
        self._save(check.values, self.changes(check.values), frozenset(self.acks))

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self, values: dict[str, Any], changes: dict[str, Any], acks: frozenset[str]) -> None:
        self.post_message(self.Finished(save_record(self, ctx(self).store, values, changes, acks)))

    def on_record_form_screen_finished(self, message: Finished) -> None:
        self.busy = False
        result = message.result
        if result.error:
            self.notify(result.error, title=_("Not saved"), severity="error", markup=False)
            self._settle(False)
            return
        if result.deleted:
            self.notify(_(self.DELETED))
            self._settle(True)
            self.dismiss(None)
            return
        if result.saved_id is None:
            self._stopped(result.findings)
            self._settle(False)
            return
        if result.conflicts:
            labels = [_(s.label) for s in self.FIELDS if s.name in result.conflicts]
            deleted = DELETED_FIELD in result.conflicts
            told = conflict_message(labels, deleted)
            self.notify(told, severity="warning", timeout=10, markup=False)
        else:
            self.notify(_("Saved."))
        self._settle(True)
        self.on_saved(result.saved_id)

    def _stopped(self, findings: list[Finding]) -> None:
        """A save stopped by a database finding: show it; a warning is passed on next save."""
        self._take_findings(findings, fields=[f.field for f in findings])
        first = findings[0]
        self.query_one(f"#{first.field}").focus()
        if first.error:
            self.notify(first.notice or first.error, severity="error", markup=False)
            return
        for found in findings:
            if found.ack:
                self.acks.add(found.ack)
        self.notify(
            first.notice or _("Press Ctrl+S again to save anyway."),
            severity="warning",
            markup=False,
        )

    def _settle(self, ok: bool) -> None:
        self.save_settled(ok)
        then, self._after_save = self._after_save, None
        if then is not None:
            then(ok)

    def save_settled(self, ok: bool) -> None:
        """A kind's reaction to the end of a save (``ok`` False: refused, stopped or failed).

        Kinds hook in here and in :meth:`on_saved` rather than overriding the message
        handlers: Textual calls a handler of every class in the MRO, so an override that
        also called ``super()`` would run the base's twice.
        """

    # -- leaving ------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.confirm_leave()

    def confirm_leave(self, then: Callable[[bool], None] | None = None) -> None:
        """Leave the form, asking first when it has changes.

        ``then(True)`` once the form is gone (saved, discarded or unchanged); ``then(False)``
        when the officer keeps editing or the save did not go through.
        """
        done = then or (lambda ok: None)
        if not self.dirty:
            self._discard(lambda: done(True))
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self._after_save = done
                self.action_save()
            elif answer == "discard":
                self._discard(lambda: done(True))
            else:
                done(False)

        self.app.push_screen(UnsavedChangesDialog(), answered)

    async def ask_to_leave(self) -> bool:
        """:meth:`confirm_leave` for the app's ways out (quit, area switch): True once gone."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def settled(ok: bool) -> None:
            if not future.done():
                future.set_result(ok)

        self.confirm_leave(settled)
        return await future

    def _discard(self, then: Callable[[], object]) -> None:
        """Close without saving; ``then`` once the draft is removed (quitting waits for it)."""
        self.drafts.end(then)
        self.dismiss(None)

    def action_delete(self) -> None:
        if self.row_id is None or self.loaded is None or self.busy:
            return
        row_id = self.row_id
        name = self.record_title(self.shown_text(self.loaded))
        question = _(self.DELETE_QUESTION).format(name=name)

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._delete(row_id)

        self.app.push_screen(
            ConfirmDialog(_(self.DELETE_TITLE), question, confirm_label=_("Delete")), answered
        )

    @work(thread=True, exclusive=True, group="form-save")
    def _delete(self, row_id: str) -> None:
        self.post_message(self.Finished(delete_record(self, ctx(self).store, row_id)))
