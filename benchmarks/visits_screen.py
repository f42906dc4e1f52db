"""The visits list as the user sees it: ``fieldtui --db DB`` in a terminal, from process start.

    python benchmarks/visits_screen.py [--db /tmp/fieldtui-bench-visits.db] [--visits 100000]
                                       [--runs 5] [--cols 120 --rows 40] [--out FILE]

The database is ``benchmarks/visits.py``'s (a zone of 3,000 enterprises and 80 officers
with ``--visits`` visits over two years, each with its negative-list self-check), built once
by that script and reused. Every program runs in its own process on a pty (``TERM=xterm-
256color``, ``LANG=zh_CN.UTF-8``) read by a terminal emulator (``pyte``, ``benchmarks/
term.py``), so each figure is the time until the *screen* shows the thing. Keys are written
to the pty as a terminal sends them; nothing inside the programs is touched.

What the screen must show is read from the database: the list's first rows are the newest
visits (date, then id, descending) and End shows the oldest. A screen counts as showing them
when the first ``CHECK_ROWS`` rows of the list are those visits (date and the start of the
enterprise's name, as far as the column shows it), or when the oldest visit is the last row.

Each run, for fieldtui (an officer's database, as this one is, opens on "my week"; another
on the ledger):

- ``start_screen_s``: process start to the first area on screen, whichever it is (the run
  records which, as ``start_screen``: ``home`` for my week, or ``ledger``);
- ``open_s``: Ctrl+G 2 pressed, from that first area, to the visits list's first rows on
  screen (the first switch to the visits, which also builds the screen);
- ``from_start_s``: process start to the visits list's first rows (``start_screen_s`` +
  ``open_s``: as if the keys were sent as soon as the first area shows);
- ``end_s``: End pressed to the oldest visit on screen as the last row;
- ``home_s``: Home pressed to the newest visits again;
- ``reverse_s`` / ``reverse_back_s``: Ctrl+R to the oldest visits first, and back: a new
  query's first page drawn, on the screen already open (no area switch in it);
- ``ledger_first_s``: Ctrl+G 1 to the ledger's first rows, the first time in the run (it
  builds the ledger's screen unless the app opened on it); ``ledger_end_s``: End there to
  its last enterprise on screen (the ledger's End, in the same run, for comparison);
  ``ledger_home_s``: Home back to its first rows;
- ``reopen_s`` / ``ledger_switch_s``: Ctrl+G 2 to the visits' rows again, Ctrl+G 1 to the
  ledger's again: what switching between two areas already open costs (``open_s`` is the
  first switch, which also builds the screen).

Baselines in the same run, the same kind of terminal and the same size
(``benchmarks/visits_baseline.py``):

- ``datatable``: Textual's ``DataTable`` with the same visits, newest first, in the same
  columns, read at start-up: process start to the first rows, and Ctrl+End to the last row;
- ``input``: one ``Input``: process start to the box on screen, and a key to its echo (the
  floor for anything a key does in a terminal).

Ratios are taken within a run, then summarised over runs as min/median/max like every
figure (the load average is printed: on a shared machine absolute times move with it).
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from term import Terminal

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CHECK_ROWS = 10
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\s+(\S+)")
TARGETS = {"open_s": 0.2, "end_s": 0.2}


# ----------------------------------------------------------------------------- data


Rows = list[tuple[str, str]]


def newest_and_oldest(db: Path) -> tuple[Rows, Rows, int]:
    """The newest and the oldest visits (date, enterprise), each in list order (newest
    first / oldest first), and the count."""
    con = sqlite3.connect(db)
    order = (
        "SELECT l.date, COALESCE(e.name, '') FROM visit_list l"
        " LEFT JOIN enterprise e ON e.id = l.enterprise_id ORDER BY l.date {0}, l.id {0} LIMIT ?"
    )
    newest = [(str(d), str(n)) for d, n in con.execute(order.format("DESC"), (CHECK_ROWS,))]
    oldest = [(str(d), str(n)) for d, n in con.execute(order.format("ASC"), (CHECK_ROWS,))]
    count = con.execute("SELECT COUNT(*) FROM visit_list").fetchone()[0]
    con.close()
    return newest, oldest, int(count)


def ledger_ends(db: Path) -> tuple[str, str]:
    """The ledger's first and last rows as Home and End show them (its default order: names
    in pinyin order)."""
    from datetime import date

    from fieldtui.store import Store
    from fieldtui.store.ledger import LedgerQuery

    with Store(db) as store:
        query = LedgerQuery(store.db, today=date.today())
        return query.fetch(0, 1)[0].name, query.fetch(query.count() - 1, 1)[0].name


def list_rows(term: Terminal) -> list[tuple[str, str]]:
    """(date, first characters of the enterprise) of each list row on screen, top down."""
    rows = []
    for line in term.lines():
        match = DATE.search(line)
        if match:
            rows.append((match.group(1), match.group(2).rstrip("…")))
    return rows


def same(shown: tuple[str, str], wanted: tuple[str, str]) -> bool:
    """A row shows a visit: its date, and the enterprise's name as far as the column shows."""
    day, name = shown
    prefix = name[: max(4, len(name) - 1)]
    return day == wanted[0] and bool(name) and wanted[1].startswith(prefix)


def shows_first(newest: list[tuple[str, str]]) -> Callable[[Terminal], bool]:
    def check(term: Terminal) -> bool:
        rows = list_rows(term)
        return len(rows) >= len(newest) and all(
            same(s, w) for s, w in zip(rows, newest, strict=False)
        )

    return check


def shows_last(oldest: tuple[str, str]) -> Callable[[Terminal], bool]:
    def check(term: Terminal) -> bool:
        rows = list_rows(term)
        return bool(rows) and same(rows[-1], oldest)

    return check


# ----------------------------------------------------------------------------- runs


def environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(SRC),
        LANG="zh_CN.UTF-8",
        FIELDTUI_LANG="zh",
        FIELDTUI_CONFIG=str(tmp / "settings.toml"),
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_CONFIG_HOME=str(tmp / "config"),
    )
    return env


def shows_enterprise(name: str) -> Callable[[Terminal], bool]:
    """The ledger on screen with the enterprise ``name`` as one of its rows (the name column
    cuts a long name: its first 12 characters)."""

    def check(term: Terminal) -> bool:
        # Text by characters (a wide character once), so the titles read as written.
        return term.contains("企业名称") and term.contains(name[:12])

    return check


def start_screen(term: Terminal, first_enterprise: str) -> str | None:
    """Which area the app opened on: "ledger", "home" (my week), or None (not yet)."""
    if shows_enterprise(first_enterprise)(term):
        return "ledger"
    if term.contains("· 本周工作"):  # the title of "my week"
        return "home"
    return None


def run_fieldtui(
    db: Path, env: dict[str, str], size: tuple[int, int], data: Any
) -> tuple[str, dict[str, float]]:
    """The figures of one run, and the area the app opened on."""
    newest, oldest, _count, (first_enterprise, last_enterprise) = data
    term = Terminal([sys.executable, "-m", "fieldtui", "--db", str(db)], *size, env=env)
    out: dict[str, float] = {}
    ledger_first = shows_enterprise(first_enterprise)

    def timed(name: str, keys: list[str], check: Callable[[Terminal], bool]) -> float:
        sent = term.send(keys[0])
        for key in keys[1:]:
            term.send(key)
        shown = term.wait(check, timeout=60)
        out[name] = shown - sent
        term.settle()
        return shown

    try:
        opened = term.wait(lambda t: start_screen(t, first_enterprise) is not None, timeout=60)
        out["start_screen_s"] = opened - term.started
        first_area = start_screen(term, first_enterprise) or ""
        term.settle()
        # Ctrl+G 2 from wherever it opened, as an officer goes to the visits.
        timed("open_s", ["ctrl+g", "2"], shows_first(newest))
        out["from_start_s"] = out["start_screen_s"] + out["open_s"]
        timed("end_s", ["end"], shows_last(oldest[0]))
        timed("home_s", ["home"], shows_first(newest))
        timed("reverse_s", ["\x12"], shows_first(oldest))  # Ctrl+R: oldest first
        timed("reverse_back_s", ["\x12"], shows_first(newest))
        # The ledger in the same run: the list the visits list is built like.
        timed("ledger_first_s", ["ctrl+g", "1"], ledger_first)
        timed("ledger_end_s", ["end"], shows_enterprise(last_enterprise))
        timed("ledger_home_s", ["home"], ledger_first)
        # Both areas are open now: switching between them.
        timed("reopen_s", ["ctrl+g", "2"], shows_first(newest))
        timed("ledger_switch_s", ["ctrl+g", "1"], ledger_first)
        out["peak_rss_mb"] = term.peak_rss_mb() or 0.0
    finally:
        term.close()
    return first_area, out


def run_datatable(
    db: Path, env: dict[str, str], size: tuple[int, int], data: Any
) -> dict[str, float]:
    newest, oldest, _count, _last = data
    argv = [sys.executable, str(HERE / "visits_baseline.py"), "datatable", str(db)]
    term = Terminal(argv, *size, env=env)
    try:
        first = term.wait(shows_first(newest), timeout=600) - term.started
        term.settle()
        sent = term.send("ctrl+end")
        end_s = term.wait(shows_last(oldest[0]), timeout=120) - sent
        rss = term.peak_rss_mb()
    finally:
        term.close()
    return {"first_rows_s": first, "end_s": end_s, "peak_rss_mb": rss or 0.0}


def run_input(env: dict[str, str], size: tuple[int, int]) -> dict[str, float]:
    term = Terminal([sys.executable, str(HERE / "visits_baseline.py"), "input"], *size, env=env)
    try:
        start = term.wait(lambda t: t.contains("搜索："), timeout=60) - term.started
        term.settle()
        keys = []
        for char in "hhhb浩海":
            sent = term.send(char)
            typed = char
            keys.append(term.wait(lambda t, c=typed: t.contains(c), timeout=30) - sent)
            term.settle(0.05)
    finally:
        term.close()
    return {"start_s": start, "key_s": statistics.median(keys)}


def summary(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 4),
        "median": round(statistics.median(values), 4),
        "max": round(max(values), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/fieldtui-bench-visits.db"))
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.db.exists():  # benchmarks/visits.py builds it (and measures the queries)
        subprocess.run(
            [sys.executable, str(HERE / "visits.py"), "--db", str(args.db),
             "--visits", str(args.visits), "--build-only"],
            check=True,
        )  # fmt: skip
    data = (*newest_and_oldest(args.db), ledger_ends(args.db))
    size = (args.cols, args.rows)
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="fieldtui-bench-") as tmp:
        env = environment(Path(tmp))
        for _ in range(args.runs):
            load = os.getloadavg()[0]
            first_area, figures = run_fieldtui(args.db, env, size, data)
            run = {
                "load": load,
                "start_screen": first_area,
                "fieldtui": figures,
                "input": run_input(env, size),
                "datatable": run_datatable(args.db, env, size, data),
            }
            f, d, i = run["fieldtui"], run["datatable"], run["input"]
            run["ratios"] = {
                "from_start_vs_datatable_first_rows": f["from_start_s"] / d["first_rows_s"],
                "end_vs_datatable_end": f["end_s"] / d["end_s"],
                "end_vs_ledger_end": f["end_s"] / f["ledger_end_s"],
                "reopen_vs_ledger_switch": f["reopen_s"] / f["ledger_switch_s"],
                "end_vs_input_key": f["end_s"] / i["key_s"],
                "reverse_vs_input_key": f["reverse_s"] / i["key_s"],
            }
            runs.append(run)
            print(json.dumps(run, ensure_ascii=False), file=sys.stderr)

    def over(path: tuple[str, str]) -> dict[str, float]:
        return summary([r[path[0]][path[1]] for r in runs])

    out: dict[str, Any] = {
        "db": str(args.db),
        "visits": data[2],
        "size": f"{args.cols}x{args.rows}",
        "runs": args.runs,
        "load": summary([r["load"] for r in runs]),
        "start_screen": sorted({r["start_screen"] for r in runs}),
        "fieldtui": {k: over(("fieldtui", k)) for k in runs[0]["fieldtui"]},
        "datatable": {k: over(("datatable", k)) for k in runs[0]["datatable"]},
        "input": {k: over(("input", k)) for k in runs[0]["input"]},
        "ratios": {k: over(("ratios", k)) for k in runs[0]["ratios"]},
        "targets": TARGETS,
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    text = json.dumps(out, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
