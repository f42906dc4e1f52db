"""The baselines ``benchmarks/ledger.py`` runs next to the ledger, each in its own process and
terminal exactly as the ledger is run, using only Textual's public API:

    python benchmarks/baseline_apps.py input
        One ``Input`` that echoes what is typed: the floor for a keystroke in a terminal (and,
        from process start to the box on screen, the floor for starting a Textual app).

    python benchmarks/baseline_apps.py datatable DB
        Textual's ``DataTable`` with every enterprise of the ledger database ``DB`` (the same
        rows, columns and pinyin order as the ledger, read at start-up), a search box above it
        and a count beside it. A search is done the only way a ``DataTable`` can: the rows
        whose search text contains the folded query are found in Python, then ``clear()`` and
        ``add_rows()``. Ctrl+End goes to the last row (``DataTable``'s own binding), Escape
        clears the search. Ctrl+N empties the box *without* searching (the rows stay): the
        benchmark starts each query with it, because showing all 100,000 rows again between
        queries would take as long as starting (this favours the baseline slightly: the
        first key of a query replaces the previous query's rows, not all of them).

Both use the ledger's placeholder, so the benchmark reads their screens the same way.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from fieldtui.store.pinyin import fold

PLACEHOLDER = "搜索：名称、信用代码、地址、联系人、拼音首字母（如 hhhb）"
CSS = """
#top { height: 3; }
#search { width: 1fr; }
#count { width: 16; height: 3; padding: 1 1 0 1; text-align: right; }
DataTable { height: 1fr; }
"""


class InputApp(App[None]):
    CSS = CSS

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Input(placeholder=PLACEHOLDER, id="search")
            yield Static("", id="count")


COLUMNS = [
    ("企业名称", 34),
    ("状态", 6),
    ("首席服务官", 10),
    ("最近走访", 10),
    ("未办结", 6),
    ("行业", 14),
    ("统一社会信用代码", 18),
]


def read_rows(db: str) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Every live enterprise as the ledger shows it (pinyin order), and its search text."""
    from fieldtui.domain.enums import EnterpriseStatus, Industry

    status = {m.code: m.label("zh") for m in EnterpriseStatus}
    industry = {m.code: f"{m.code} {m.label('zh')}" for m in Industry}
    con = sqlite3.connect(db)
    cur = con.execute(
        "SELECT l.name, l.status, l.lead_officer, l.last_visit, l.open_problems,"
        " l.industry, l.uscc, s.hay FROM enterprise_ledger l"
        " JOIN enterprise_search s ON s.sid = l.sid ORDER BY l.sid"
    )
    rows: list[tuple[Any, ...]] = []
    hays: list[str] = []
    for name, st, lead, visit, problems, ind, uscc, hay in cur:
        rows.append(
            (
                name,
                status.get(st, st),
                lead or "",
                visit or "",
                str(problems) if problems else "",
                industry.get(ind, ind or ""),
                uscc or "",
            )
        )
        hays.append(hay)
    con.close()
    return rows, hays


class TableApp(App[None]):
    CSS = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search"),
        Binding("ctrl+n", "new_search", "New search", priority=True),
    ]

    def __init__(self, db: str) -> None:
        super().__init__()
        self.db = db
        self.rows: list[tuple[Any, ...]] = []
        self.hays: list[str] = []
        self.quiet = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Input(placeholder=PLACEHOLDER, id="search")
            yield Static("", id="count")
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        self.rows, self.hays = read_rows(self.db)
        table = self.query_one(DataTable)
        for title, width in COLUMNS:
            table.add_column(title, width=width)
        self.show(self.rows)
        table.focus()

    def show(self, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(rows)
        self.query_one("#count", Static).update(Text(f"{len(rows):,}家"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.quiet and not event.value:
            self.quiet = False
            return
        needle = fold(event.value)
        if not needle:
            self.show(self.rows)
            return
        self.show([row for row, hay in zip(self.rows, self.hays, strict=True) if needle in hay])

    def action_clear(self) -> None:
        self.query_one(Input).value = ""

    def action_new_search(self) -> None:
        box = self.query_one(Input)
        if box.value:
            self.quiet = True
            box.value = ""


def main(argv: list[str]) -> int:
    if argv[:1] == ["input"]:
        InputApp().run()
    elif argv[:1] == ["datatable"] and len(argv) == 2:
        TableApp(argv[1]).run()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
