"""First run (an empty database): create your officer profile, or open the demo instead.

The profile is the officer form's fields and checks (limits included) on the form base, so it
is saved in a thread worker, and what is typed survives a crash as a draft: the next start on
this database fills the form in again. Saving creates the officer and remembers it as the
database's ``officer_id`` meta value in one transaction; the app is told by
:class:`FirstRunScreen.ProfileCreated`. Choosing the demo posts
:class:`FirstRunScreen.DemoRequested`; the app builds or opens the demo database and reports
back through :meth:`FirstRunScreen.demo_failed` if that fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, LoadingIndicator, Static

from fieldtui.i18n import N_, _
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, list_drafts
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.form_base import Finding
from fieldtui.ui.screens.officer_form import OfficerFormBase
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.choice_dialog import key_hint

__all__ = ["FirstRunScreen"]


class FirstRunScreen(OfficerFormBase):
    CSS_PATH = "first_run.tcss"
    KIND = "profile"
    TITLE_NEW = N_("Welcome to fieldtui")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "demo", _("Open the demo database"), id="first_run.demo"),
    ]

    class ProfileCreated(Message):
        def __init__(self, officer_id: str) -> None:
            super().__init__()
            self.officer_id = officer_id

    class DemoRequested(Message):
        pass

    class DraftFound(Message):
        def __init__(self, draft: Draft) -> None:
            super().__init__()
            self.draft = draft

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="first-run"):
            yield Static(_("Welcome to fieldtui"), id="first-run-title")
            yield Static(
                _(
                    "This database is empty. Enter your officer profile to start, "
                    "or look around in the demo database first."
                ),
                id="first-run-intro",
            )
            with Vertical(id="form-body"):
                yield from self.compose_fields()
            with Horizontal(id="first-run-buttons"):
                yield Button(key_hint(_("Save"), "Ctrl+S"), variant="primary", id="save")
                yield Button(key_hint(_("Open the demo database"), "Ctrl+O"), id="demo")
            with Vertical(id="first-run-busy"):
                yield LoadingIndicator()
                yield Static("", id="first-run-busy-text")
        yield AppFooter()

    def on_mount(self) -> None:
        # The base's on_mount runs too (Textual calls each class's handler).
        self._find_draft()

    # -- a profile typed before the app was closed comes back ------------------------------

    @work(thread=True, exclusive=True, group="first-run-draft")
    def _find_draft(self) -> None:
        drafts = list_drafts(ctx(self).store, self.KIND)
        if drafts:
            self.post_message(self.DraftFound(drafts[0]))

    def on_first_run_screen_draft_found(self, message: DraftFound) -> None:
        if self.dirty or self.busy:
            return  # typing already: keep what is on the screen (it becomes the draft)
        draft = message.draft
        self.draft = draft
        self.drafts.adopt(draft)
        self._start(self.base_text)

    # -- saving the profile -------------------------------------------------------------------

    def write(self, store: Store, values: dict[str, Any], changes: dict[str, Any]) -> str:
        officer_id = super().write(store, values, changes)
        store.set_meta("officer_id", officer_id)
        return officer_id

    def save_checks(self, store: Store, values: Mapping[str, Any]) -> list[Finding]:
        return []  # an empty database: nobody to share a name with

    def action_save(self) -> None:
        if not self.busy and self.ready and self.check_form(self.raw()).ok:
            self._set_busy(True, _("Saving…"))
        super().action_save()

    def save_settled(self, ok: bool) -> None:
        if not ok:
            self._set_busy(False)

    def on_saved(self, saved_id: str) -> None:
        self.post_message(self.ProfileCreated(saved_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cancel", "delete"):
            return False  # the way in: there is nothing to go back to
        return super().check_action(action, parameters)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    # -- the demo -----------------------------------------------------------------------------

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        self._set_busy(True, _("Preparing the demo database… (the first time takes a moment)"))
        self.post_message(self.DemoRequested())

    def show_progress(self, fraction: float) -> None:
        self.query_one("#first-run-busy-text", Static).update(
            Text(_("Preparing the demo database… {percent}%").format(percent=int(fraction * 100)))
        )

    def demo_failed(self, error: str) -> None:
        self._set_busy(False)
        self.notify(
            error, title=_("Could not open the demo database"), severity="error", markup=False
        )

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.query_one("#first-run-busy-text", Static).update(Text(text))
        self.set_class(busy, "-busy")
        for widget in self.query("Input, Select, Button"):
            widget.disabled = busy
