"""The zone's totals (what the overview used to be): enterprises, officers, projects, open and
overdue problems, visits this month. "My week" shows them as cards when this database has no
current officer (the office's hub), and as one line under the officer's own list otherwise.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Static

from fieldtui.i18n import N_, _, ngettext
from fieldtui.store.stats import Overview

CARDS: list[tuple[str, str]] = [
    ("enterprises", N_("Enterprises")),
    ("officers", N_("Officers")),
    ("projects", N_("Projects")),
    ("problems_open", N_("Open problems")),
    ("problems_overdue", N_("Overdue problems")),
    ("visits_this_month", N_("Visits this month")),
]


class ZoneCards(Grid):
    """Six cards with the zone's headline counts."""

    def compose(self) -> ComposeResult:
        for key, label in CARDS:
            with Vertical(classes="card", id=f"card-{key}"):
                yield Static("…", classes="card-value", id=f"value-{key}")
                yield Static(_(label), classes="card-label")

    def show(self, figures: Overview) -> None:
        for key, _label in CARDS:
            value = getattr(figures, key)
            widget = self.query_one(f"#value-{key}", Static)
            widget.update(Text(f"{value:,}"))
            widget.set_class(key == "problems_overdue" and value > 0, "-alert")


def zone_line(figures: Overview) -> Text:
    """The zone's totals in one line: 全区：企业300家 · 未办结诉求6条（超期1条） · 本月走访2次."""
    enterprises = ngettext("{n} enterprise", "{n} enterprises", figures.enterprises).format(
        n=figures.enterprises
    )
    problems = ngettext("{n} problem", "{n} problems", figures.problems_open).format(
        n=figures.problems_open
    )
    visits = ngettext("{n} visit", "{n} visits", figures.visits_this_month).format(
        n=figures.visits_this_month
    )
    text = Text(_("Zone: "), style="bold")
    text.append(_("enterprises {count}").format(count=enterprises))
    text.append(" · ")
    text.append(_("open problems {count}").format(count=problems))
    if figures.problems_overdue:
        text.append(_(" ({n} overdue)").format(n=figures.problems_overdue), style="bold red")
    text.append(" · ")
    text.append(_("visits this month {count}").format(count=visits))
    return text
