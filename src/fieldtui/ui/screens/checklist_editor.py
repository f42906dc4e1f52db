"""Revising a checklist: its current wording as text, one item per line.

Rewording a line rewords the item, deleting a line retires it, a new line adds one, moving
lines reorders them; ``Ctrl+S`` saves it all as the list's next version
(:func:`fieldtui.store.checklists.revise_checklist`), so one sitting makes one version however
many items changed. Answers already given keep the version they answered. If another version
became current meanwhile (a second window, a revision arriving by sync), nothing is saved:
the message says what that revision changed, the officer's wording stays in the editor, and
the next ``Ctrl+S`` saves it over the new version (after the office has seen what it undoes).

Dismisses with the new version's template id, or None when nothing was saved.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static, TextArea

from fieldtui.domain.checklists import ITEM_MAX_LEN
from fieldtui.domain.enums import ChecklistKind
from fieldtui.i18n import _
from fieldtui.store.checklists import Checklist, checklist, current_checklist, revise_checklist
from fieldtui.store.service import InputError
from fieldtui.ui.context import ctx
from fieldtui.ui.widgets.choice_dialog import UnsavedChangesDialog


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
        self, kind: str, base_template_id: str, *, line: int | None = None, add: bool = False
    ) -> None:
        super().__init__()
        self.kind = kind
        self.base_template_id = base_template_id
        self.line = line
        self.add = add
        self.base: Checklist | None = None
        self.original_text = ""
        self.original_title = ""
        self.saving = False

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
        yield Footer()

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
            self.dismiss(None)
            return
        self.base = found
        self.original_text = "\n".join(found.texts)
        self.original_title = found.title
        self.query_one("#editor-title", Input).value = found.title
        self._show_head()
        area = self.area
        text = self.original_text + ("\n" if self.add else "")
        area.load_text(text)
        if self.add:
            area.move_cursor((len(found.items), 0))
        elif self.line is not None:
            area.move_cursor((max(0, min(self.line, len(found.items) - 1)), 0))
        area.focus()

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
            self.dismiss(None)
            return
        self.notify(
            _("Saved the {list} as {version}.").format(
                list=self._kind_label(), version=_("version {n}").format(n=result.version)
            )
        )
        self.dismiss(result.template_id)

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
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedChangesDialog(), answered)


def _quoted(texts: list[str]) -> str:
    return _(", ").join(_("“{text}”").format(text=t) for t in texts)
