"""Revising a checklist: its current wording as text, one item per line.

Rewording a line rewords the item, deleting a line retires it, a new line adds one, moving
lines reorders them; ``Ctrl+S`` saves it all as the list's next version
(:func:`fieldtui.store.checklists.revise_checklist`), so one sitting makes one version however
many items changed. Answers already given keep the version they answered. If another version
became current meanwhile (a second window, a revision arriving by sync), nothing is saved:
the message says what that revision changed, the officer's wording stays in the editor, and
the next ``Ctrl+S`` saves it over the new version (after the office has seen what it undoes).

Typed work is never lost: while the officer types, the editor keeps a draft in the local
``form_draft`` table (offered back at the next start after a kill, like a form's), and
quitting or going to another area with changes asks first (save, discard or keep editing).

Dismisses with the new version's template id, or None when nothing was saved.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Static, TextArea

from fieldtui.domain.checklists import ITEM_MAX_LEN
from fieldtui.domain.enums import ChecklistKind
from fieldtui.i18n import _, language
from fieldtui.store import Store
from fieldtui.store.checklists import Checklist, checklist, current_checklist, revise_checklist
from fieldtui.store.drafts import Draft, delete_draft, save_draft
from fieldtui.store.ids import new_id
from fieldtui.store.service import InputError
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import UnsavedChangesDialog

DRAFT_KIND = "checklist"
"""The editor's drafts (``fieldtui.ui.screens.registry.FORMS``)."""
DRAFT_DELAY = 0.4
"""Seconds of quiet typing before the draft is written."""


def item_lines(text: str) -> list[str]:
    """The items typed: one per line, blank lines before the first and after the last one
    dropped (a trailing newline is not an empty item; one in the middle is, and is named)."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


class ChecklistEditorScreen(Screen[str | None]):
    DEFAULT_CSS = """
    ChecklistEditorScreen #editor-head {
        height: auto;
        padding: 0 1;
    }
    ChecklistEditorScreen #editor-title-row {
        height: 1;
        margin: 1 0 0 0;
    }
    ChecklistEditorScreen #editor-title-row Label {
        width: auto;
        padding: 0 1;
    }
    ChecklistEditorScreen #editor-title {
        width: 1fr;
    }
    ChecklistEditorScreen #editor-items {
        height: 1fr;
        margin-top: 1;
    }
    ChecklistEditorScreen #editor-error {
        height: auto;
        padding: 0 1;
        color: $error;
    }
    ChecklistEditorScreen #editor-help {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """
    AUTO_FOCUS: ClassVar[str | None] = "#editor-items"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save as a new version"), id="checklist_editor.save"),
        # Priority: TextArea would take Escape otherwise; leaving asks when changed.
        Binding("escape", "leave", _("Back"), id="checklist_editor.cancel", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, found: Checklist | None) -> None:
            super().__init__()
            self.found = found

    class Saved(Message):
        def __init__(
            self, result: Checklist | None, errors: dict[str, str], current: Checklist | None = None
        ) -> None:
            super().__init__()
            self.result = result
            self.errors = errors
            self.current = current
            """The list's current version, when another one became current meanwhile."""

    def __init__(
        self,
        kind: str | None = None,
        base_template_id: str | None = None,
        *,
        line: int | None = None,
        add: bool = False,
        draft: Draft | None = None,
    ) -> None:
        """``kind`` and the version ``base_template_id`` to revise; or a ``draft`` left by an
        earlier run, restored as it was typed."""
        super().__init__()
        self.kind = kind or (draft.fields.get("kind") if draft else None) or ""
        self.base_template_id = (
            base_template_id or (draft.base.get("template_id") if draft else None) or ""
        )
        self.line = line
        self.add = add
        self.restored = draft
        self.base: Checklist | None = None
        self.original_title = ""
        self.saving = False
        self._after_save: Callable[[bool], None] | None = None
        self.drafts = EditorDrafts(self, draft)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="editor-head")
        with Horizontal(id="editor-title-row"):
            yield Label(_("Title"))
            yield Input("", compact=True, max_length=200, id="editor-title")
        yield TextArea("", soft_wrap=True, show_line_numbers=True, id="editor-items")
        yield Static("", id="editor-error")
        yield Static(
            Text(
                _(
                    "One item per line: reword a line to reword the item, delete a line to "
                    "retire it, add a line to add one. Ctrl+S saves the list as its next "
                    "version; answers already given keep the version they answered."
                )
            ),
            id="editor-help",
        )
        yield AppFooter()

    def on_mount(self) -> None:
        self.title = _("Revise {list}").format(list=self._kind_label())
        self._load()

    def _kind_label(self) -> str:
        try:
            return ChecklistKind(self.kind).label(ctx(self).lang)
        except ValueError:
            return self.kind

    @property
    def area(self) -> TextArea:
        return self.query_one("#editor-items", TextArea)

    @work(thread=True, exclusive=True, group="checklist-editor")
    def _load(self) -> None:
        try:
            found = checklist(ctx(self).store, self.base_template_id)
        except Exception:  # shown as "no such version" below
            found = None
        self.post_message(self.Loaded(found))

    def on_checklist_editor_screen_loaded(self, message: Loaded) -> None:
        found = message.found
        if found is None:
            self.notify(_("No such checklist version"), severity="error")
            self._close(None)
            return
        self.base = found
        self.original_title = found.title
        draft = self.restored
        title = draft.fields.get("title") if draft else None
        self.query_one("#editor-title", Input).value = found.title if title is None else title
        self._show_head()
        area = self.area
        text = "\n".join(found.texts) + ("\n" if self.add else "")
        if draft is not None:
            text = draft.fields.get("text") or ""
        area.load_text(text)
        if draft is None and self.add:
            area.move_cursor((len(found.items), 0))
        elif self.line is not None:
            area.move_cursor((max(0, min(self.line, len(found.items) - 1)), 0))
        area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.drafts.schedule()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.drafts.schedule()

    def draft_fields(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "title": self.query_one("#editor-title", Input).value,
            "text": self.area.text,
        }

    def write_draft_now(self) -> None:
        self.drafts.write_now()

    # -- saving ---------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        if self.base is None:
            return False
        title = self.query_one("#editor-title", Input).value.strip()
        return item_lines(self.area.text) != list(self.base.texts) or title != self.original_title

    def action_save(self) -> None:
        if self.base is None or self.saving:
            return
        lines = item_lines(self.area.text)
        too_long = next((n for n, t in enumerate(lines, 1) if len(t.strip()) > ITEM_MAX_LEN), 0)
        if too_long:
            self._error(
                _("Item {n} is longer than {limit} characters").format(
                    n=too_long, limit=ITEM_MAX_LEN
                )
            )
            return
        self.saving = True
        title = self.query_one("#editor-title", Input).value
        self._write(lines, title)

    @work(thread=True, exclusive=True, group="checklist-editor-save")
    def _write(self, lines: list[str], title: str) -> None:
        try:
            result = revise_checklist(
                ctx(self).store,
                self.kind,
                lines,
                base_template_id=self.base_template_id,
                title=title,
            )
        except InputError as exc:
            current = None
            if "base_template_id" in exc.errors:
                try:
                    current = current_checklist(ctx(self).store, self.kind)
                except Exception:  # the message alone then
                    current = None
            self.post_message(self.Saved(None, exc.errors, current))
            return
        except Exception as exc:  # a read-only or damaged database: say so, keep the text
            self.post_message(self.Saved(None, {"": str(exc)}))
            return
        self.post_message(self.Saved(result, {}))

    def on_checklist_editor_screen_saved(self, message: Saved) -> None:
        self.saving = False
        result = message.result
        if result is None:
            self._settle(False)
            lines = list(message.errors.values())
            if message.current is not None and self.base is not None:
                lines = [
                    _("Not saved: the {list} was revised meanwhile, it is {version} now.").format(
                        list=self._kind_label(),
                        version=_("version {n}").format(n=message.current.version),
                    ),
                    *self._rebase(message.current),
                ]
            self._error("\n".join(lines))
            return
        if result.template_id == self.base_template_id:
            self.notify(_("Nothing changed; no new version."))
            self._close(None)
            return
        self.notify(
            _("Saved the {list} as {version}.").format(
                list=self._kind_label(), version=_("version {n}").format(n=result.version)
            )
        )
        self._close(result.template_id)

    def _close(self, result: str | None) -> None:
        """Gone, saved or not: the draft goes too (quitting waits until it has)."""
        then, self._after_save = self._after_save, None
        self.drafts.end(lambda: then(True) if then is not None else None)
        self.dismiss(result)

    def _settle(self, ok: bool) -> None:
        then, self._after_save = self._after_save, None
        if then is not None:
            then(ok)

    def _rebase(self, current: Checklist) -> list[str]:
        """Another version became current: say what it changed, and make it the base the
        wording in the editor is saved over next time."""
        old = self.base
        assert old is not None
        added = [t for t in current.texts if t not in old.texts]
        retired = [t for t in old.texts if t not in current.texts]
        lines = []
        if added:
            lines.append(_("Added there: {items}").format(items=_quoted(added)))
        if retired:
            lines.append(_("Retired or reworded there: {items}").format(items=_quoted(retired)))
        lines.append(
            _("Your wording is kept here; Ctrl+S saves it as {version}.").format(
                version=_("version {n}").format(n=current.version + 1)
            )
        )
        self.base = current
        self.base_template_id = current.template_id
        self.original_title = current.title
        self._show_head()
        return lines

    def _show_head(self) -> None:
        base = self.base
        if base is None:
            return
        self.query_one("#editor-head", Static).update(
            Text(
                _("{list}, {version} now; saving makes {next}.").format(
                    list=self._kind_label(),
                    version=_("version {n}").format(n=base.version),
                    next=_("version {n}").format(n=base.version + 1),
                ),
                style="bold",
            )
        )

    def _error(self, message: str) -> None:
        self.query_one("#editor-error", Static).update(Text(message))

    # -- leaving --------------------------------------------------------------------------

    def action_leave(self) -> None:
        self.confirm_leave()

    def confirm_leave(self, then: Callable[[bool], None] | None = None) -> None:
        """Leave, asking first when changed; ``then(True)`` once gone, ``then(False)`` when
        the officer keeps editing or the save did not go through."""
        done = then or (lambda ok: None)
        if not self.dirty:
            self._after_save = done
            self._close(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self._after_save = done
                self.action_save()
                if not self.saving:  # refused before writing (an item too long)
                    self._settle(False)
            elif answer == "discard":
                self._after_save = done
                self._close(None)
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


class EditorDrafts:
    """The editor's draft in the local ``form_draft`` table, written as typing pauses.

    As :class:`fieldtui.ui.screens.form_drafts.DraftKeeper` does for record forms: a lock
    held by draft writes and by the end of the editor, after which no late write can bring
    the draft back.
    """

    def __init__(self, editor: ChecklistEditorScreen, draft: Draft | None) -> None:
        self.editor = editor
        self.id = draft.id if draft else new_id()
        self.rev = draft.rev if draft else 0
        self.stored = draft is not None
        self.lock = threading.Lock()
        self.final = False
        self._timer: Timer | None = None

    def make(self) -> Draft:
        editor = self.editor
        self.rev += 1
        return Draft(
            id=self.id,
            kind=DRAFT_KIND,
            row_id=editor.base_template_id or None,
            title=editor._kind_label(),
            fields=editor.draft_fields(),
            base={"template_id": editor.base_template_id},
            rev=self.rev,
        )

    def schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.editor.set_timer(DRAFT_DELAY, self._due)

    def _due(self) -> None:
        self._timer = None
        editor = self.editor
        if not editor.is_attached or editor.base is None:
            return
        store = ctx(editor).store
        # App workers: the editor's own are cancelled when it closes.
        if editor.dirty:
            self.stored = True
            draft = self.make()
            editor.app.run_worker(lambda: self._write(store, draft), thread=True)
        elif self.stored:
            self.stored = False
            editor.app.run_worker(lambda: self._write(store, None), thread=True)

    def _write(self, store: Store, draft: Draft | None) -> None:
        with self.lock:
            if self.final:
                return
            if draft is None:
                delete_draft(store, self.id)
            else:
                save_draft(store, draft)

    def write_now(self) -> None:
        if not self.editor.dirty:
            return
        draft = self.make()
        with self.lock:
            if not self.final:
                save_draft(ctx(self.editor).store, draft)
                self.stored = True

    def end(self, then: Callable[[], object] | None = None) -> None:
        """No more drafts: the stored one is removed; ``then`` on the UI thread after."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        app = self.editor.app
        store = ctx(self.editor).store

        def drop() -> None:
            try:
                with self.lock:
                    self.final = True
                    delete_draft(store, self.id)
            finally:
                if then is not None:
                    app.call_from_thread(then)

        app.run_worker(drop, thread=True, group="checklist-draft-end")


def _quoted(texts: list[str]) -> str:
    """Items quoted “…” and listed the language's way (、 between them in Chinese)."""
    return ("、" if language() == "zh" else ", ").join(f"“{t}”" for t in texts)
