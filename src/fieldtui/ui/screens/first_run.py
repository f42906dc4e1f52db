"""First run (an empty database): create your officer profile, or open the demo instead.

The profile is saved through the store in a thread worker and remembered as the database's
``officer_id`` meta value; the app is told by :class:`FirstRunScreen.ProfileCreated`. Choosing
the demo posts :class:`FirstRunScreen.DemoRequested`; the app builds or opens the demo
database and reports back through :meth:`FirstRunScreen.demo_failed` if that fails.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Select, Static

from fieldtui.domain.enums import OfficerRole
from fieldtui.domain.records import Officer
from fieldtui.domain.validators import check_phone, clean_line
from fieldtui.i18n import _
from fieldtui.ui.context import ctx


class FirstRunScreen(Screen[None]):
    CSS_PATH = "first_run.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="first_run.save"),
        Binding("ctrl+o", "demo", _("Open the demo database"), id="first_run.demo"),
    ]

    class ProfileCreated(Message):
        def __init__(self, officer_id: str) -> None:
            super().__init__()
            self.officer_id = officer_id

    class DemoRequested(Message):
        pass

    class SaveFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def compose(self) -> ComposeResult:
        lang = ctx(self).lang
        with VerticalScroll(id="first-run"):
            yield Static(_("Welcome to fieldtui"), id="first-run-title")
            yield Static(
                _(
                    "This database is empty. Enter your officer profile to start, "
                    "or look around in the demo database first."
                ),
                id="first-run-intro",
            )
            with Vertical(id="first-run-form"):
                with Horizontal(classes="row"):
                    yield Label(_("Name (required)"))
                    yield Input(id="name", max_length=40, compact=True)
                yield Label("", id="name-error", classes="error")
                with Horizontal(classes="row"):
                    yield Label(_("Phone"))
                    yield Input(
                        id="phone",
                        placeholder="13800138000 / 0758-2722284",
                        max_length=24,
                        compact=True,
                    )
                yield Label("", id="phone-error", classes="error")
                with Horizontal(classes="row"):
                    yield Label(_("Unit"))
                    yield Input(id="unit", max_length=60, compact=True)
                with Horizontal(classes="row"):
                    yield Label(_("Role"))
                    yield Select(
                        OfficerRole.choices(lang),
                        value=OfficerRole.CSO.code,
                        allow_blank=False,
                        id="role",
                        compact=True,
                    )
            with Horizontal(id="first-run-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Open the demo database"), id="demo")
            with Vertical(id="first-run-busy"):
                yield LoadingIndicator()
                yield Static("", id="first-run-busy-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # -- saving the profile -------------------------------------------------------------

    def _values(self) -> Officer | None:
        """The form as an officer, or None after showing what is wrong."""
        name = clean_line(self.query_one("#name", Input).value)
        phone = check_phone(clean_line(self.query_one("#phone", Input).value))
        name_error = "" if name else _("Enter your name.")
        phone_error = phone.error or ""
        for selector, error in (("#name-error", name_error), ("#phone-error", phone_error)):
            label = self.query_one(selector, Label)
            label.update(Text(error))
            label.set_class(bool(error), "-shown")
        if name_error or phone_error:
            self.query_one("#name" if name_error else "#phone", Input).focus()
            return None
        role = self.query_one("#role", Select).value
        return Officer(
            name=name,
            phone=phone.value,
            unit=clean_line(self.query_one("#unit", Input).value) or None,
            role=str(role) if isinstance(role, str) else OfficerRole.CSO.code,
        )

    def action_save(self) -> None:
        officer = self._values()
        if officer is not None:
            self._set_busy(True, _("Saving…"))
            self._save(officer)

    @work(thread=True, exclusive=True, group="first-run")
    def _save(self, officer: Officer) -> None:
        store = ctx(self).store
        try:
            with store.batch():
                created = store.officers.create(officer)
                store.set_meta("officer_id", created.id)
        except Exception as exc:  # report, don't crash: the form stays filled in
            self.post_message(self.SaveFailed(str(exc)))
            return
        self.post_message(self.ProfileCreated(created.id))

    def on_first_run_screen_save_failed(self, message: SaveFailed) -> None:
        self._set_busy(False)
        self.notify(message.error, title=_("Could not save the profile"), severity="error")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    # -- the demo -----------------------------------------------------------------------

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
        self.notify(error, title=_("Could not open the demo database"), severity="error")

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.query_one("#first-run-busy-text", Static).update(Text(text))
        self.set_class(busy, "-busy")
        for widget in self.query("Input, Select, Button"):
            widget.disabled = busy
