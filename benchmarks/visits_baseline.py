"""The baselines ``benchmarks/visits_screen.py`` runs next to the visits list, each in its own
process and terminal exactly as fieldtui is run, using only Textual's public API:

    python benchmarks/visits_baseline.py datatable DB
        Textual's ``DataTable`` with every visit of the database ``DB``, newest first, in the
        visits list's columns (date, enterprise, kind, officers, self-check, problems, person
        met, summary), read at start-up: what a list without paging from SQL does. Ctrl+End
        goes to the last row (``DataTable``'s own binding).

    python benchmarks/visits_baseline.py input
        One ``Input`` that echoes what is typed: the floor for a key in a terminal (and, from
        process start to the box on screen, the floor for starting a Textual app).
"""

from __future__ import annotations

import sqlite3
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from fieldtui.domain.enums import VisitKind

KINDS = {kind.code: kind.label("zh") for kind in VisitKind}

ROWS_SQL = """
SELECT l.date, COALESCE(e.name, ''), l.kind,
  (SELECT group_concat(o.name, '、') FROM visit_officer vo JOIN officer o ON o.id = vo.officer_id
    WHERE vo.visit_id = l.id AND vo.deleted = 0),
  l.draft,
  (SELECT COUNT(*) FROM problem p WHERE p.visit_id = l.id AND p.deleted = 0),
  COALESCE(v.person, ''), COALESCE(v.summary, '')
FROM visit_list l JOIN visit v ON v.id = l.id LEFT JOIN enterprise e ON e.id = l.enterprise_id
ORDER BY l.date DESC, l.id DESC
"""
"""Every live visit as the list shows it (the same order: newest first, then by id)."""


class TableApp(App[None]):
    CSS = "DataTable { height: 1fr; }"

    def __init__(self, db: str) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="visits")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title, width in (
            ("走访日期", 10),
            ("企业", 24),
            ("走访方式", 8),
            ("走访人", 10),
            ("自查", 4),
            ("诉求", 4),
            ("被访人", 10),
            ("走访内容", 24),
        ):
            table.add_column(title, width=width)
        con = sqlite3.connect(self.db)
        rows = [
            (day, name, KINDS.get(kind, kind), officers or "", "草稿" if draft else "",
             str(problems or ""), person, summary)
            for day, name, kind, officers, draft, problems, person, summary in con.execute(ROWS_SQL)
        ]  # fmt: skip
        con.close()
        table.add_rows(rows)
        table.focus()


class InputApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder="搜索：企业（可用拼音首字母）、被访人、走访内容")


def main() -> None:
    mode = sys.argv[1]
    if mode == "datatable":
        TableApp(sys.argv[2]).run()
    elif mode == "input":
        InputApp().run()
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
