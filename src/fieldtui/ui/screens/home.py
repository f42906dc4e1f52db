"""Overview area: headline counts of the database, loaded in a thread worker."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from fieldtui.i18n import N_, _, month_text
from fieldtui.store.stats import Overview, overview
from fieldtui.ui.context import ctx

CARDS: list[tuple[str, str]] = [
    ("enterprises", N_("Enterprises")),
    ("officers", N_("Officers")),
    ("projects", N_("Projects")),
    ("problems_open", N_("Open problems")),
    ("problems_overdue", N_("Overdue problems")),
    ("visits_this_month", N_("Visits this month")),
]


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", _("Refresh"), id="home.reload"),
    ]

    class Loaded(Message):
        def __init__(self, figures: Overview) -> None:
            super().__init__()
            self.figures = figures

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            with Grid(id="home-cards"):
                for key, label in CARDS:
                    with Vertical(classes="card", id=f"card-{key}"):
                        yield Static("…", classes="card-value", id=f"value-{key}")
                        yield Static(_(label), classes="card-label")
            yield Static("", id="home-note")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Overview")

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown; coming back to the area refreshes it.
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="home")
    def _load(self) -> None:
        try:
            figures = overview(ctx(self).store)
        except Exception as exc:  # a damaged database: say so, don't crash the app
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(figures))

    def on_home_screen_loaded(self, message: Loaded) -> None:
        figures = message.figures
        for key, _label in CARDS:
            value = getattr(figures, key)
            widget = self.query_one(f"#value-{key}", Static)
            widget.update(Text(f"{value:,}"))
            widget.set_class(key == "problems_overdue" and value > 0, "-alert")
        self.query_one("#home-note", Static).update(
            Text(
                _("Visits counted for {month}.").format(month=month_text(figures.month)),
                style="dim",
            )
        )

    def on_home_screen_failed(self, message: Failed) -> None:
        self.notify(message.error, title=_("Cannot read the database"), severity="error")
