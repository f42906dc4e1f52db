"""Forms that were open when the app last stopped (a crash, a kill, a closed terminal):
restore one, discard one, or decide later.

Shown once at start-up when the database holds drafts that no running fieldtui owns.
Dismisses with ``("restore", draft_id)``, ``("discard", draft_id)`` (after a confirmation,
Cancel focused) or None (later: the drafts stay and are offered at the next start).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.i18n import _
from fieldtui.store.drafts import Draft
from fieldtui.ui.screens.registry import FORMS
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, key_hint

Answer = tuple[str, str] | None


def when(saved_at: str) -> str:
    """A draft's time in local time, to the minute (as stored if it cannot be read)."""
    try:
        return datetime.fromisoformat(saved_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return saved_at


def describe(draft: Draft) -> Text:
    """One line per draft: what, which record, new or edit, when. User text stays plain."""
    ref = FORMS.get(draft.kind)
    kind = _(ref.label) if ref else draft.kind
    line = Text(f"{kind} · ")
    line.append(draft.title or _("(no name)"), style="bold")
    line.append(f" · {_('edit') if draft.row_id else _('new')} · {when(draft.saved_at)}")
    return line


class DraftsDialog(ModalScreen[Answer]):
    DEFAULT_CSS = """
    DraftsDialog {
        align: center middle;
    }
    DraftsDialog > Vertical {
        width: 76;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    DraftsDialog #drafts-title {
        text-style: bold;
        margin-bottom: 1;
    }
    DraftsDialog OptionList {
        height: auto;
        max-height: 10;
        margin: 1 0;
    }
    DraftsDialog #drafts-buttons {
        height: auto;
        align-horizontal: right;
    }
    DraftsDialog #drafts-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "discard", _("Discard"), id="drafts.discard"),
        Binding("escape", "later", _("Later"), id="drafts.later"),
    ]

    def __init__(self, drafts: list[Draft]) -> None:
        super().__init__()
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Unsaved forms from last time"), id="drafts-title")
            yield Static(
                _(
                    "These forms were still open when fieldtui stopped. "
                    "Restore one to finish it, or discard it."
                )
            )
            yield OptionList(*(Option(describe(d), id=d.id) for d in self.drafts), id="drafts-list")
            with Horizontal(id="drafts-buttons"):
                yield Button(key_hint(_("Restore"), "Enter"), variant="primary", id="restore")
                yield Button(key_hint(_("Discard"), "Del"), variant="error", id="discard")
                yield Button(key_hint(_("Later"), "Esc"), id="later")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def highlighted(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"restore": self.action_restore, "discard": self.action_discard}.get(
            event.button.id or "", self.action_later
        )()

    def action_restore(self) -> None:
        draft = self.highlighted()
        if draft is not None:
            self.dismiss(("restore", draft.id))

    def action_discard(self) -> None:
        draft = self.highlighted()
        if draft is None:
            return
        question = _("Discard the draft of {name}? What was typed cannot be restored afterwards.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(("discard", draft.id))

        self.app.push_screen(
            ConfirmDialog(
                _("Discard draft"),
                question.format(name=draft.title or _("(no name)")),
                confirm_label=_("Discard"),
            ),
            answered,
        )

    def action_later(self) -> None:
        self.dismiss(None)
