"""Ledger speed at 100,000 enterprises, headless, against Textual's DataTable in the same run.

    python benchmarks/ledger.py [--db PATH] [--size 100000] [--queries 50]
                                [--baseline-rows 10000] [--baseline-queries 10] [--rebuild]

Builds the database once (``fieldtui.demo.build_demo`` with ``--size`` enterprises, in a
child process so its memory does not count) and reuses it while its size matches. Then, in
``App.run_test()`` at 120×40:

- **first rows**: from pushing ``LedgerScreen`` to its first page painted (data in the table
  and the compositor updated); the count arrives after that and is reported separately;
- **end**: from pressing End to the last row painted under the cursor;
- **search**: keystroke latency, from a key press in the search box to the list painted with
  that text's first page, over every keystroke of ``--queries`` queries of 1–4 characters
  drawn from the data (Chinese characters and words, pinyin initials, letters, digits of
  phones and USCCs); the search box is cleared (untimed) between queries;
- **baseline**: Textual's ``DataTable`` given the same rows as prepared tuples: time to the
  first rows painted, End, and search done the only way a DataTable can (filter the rows in
  Python, ``clear()`` and ``add_rows()``). Measured at ``--baseline-rows`` rows and scaled
  linearly to ``--size`` (stated in the output); ratios are ledger ÷ baseline;
- **memory**: the process's peak RSS after the ledger measurements (before the baseline
  runs), via ``resource.getrusage``.

Targets (issue 3): first rows < 0.2 s, End < 0.2 s, search p95 < 50 ms, memory < 300 MB. The
machine's load average is printed too: wall-clock figures on a busy shared machine are noisy.
Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable

from fieldtui.i18n import set_language

set_language("zh")

from fieldtui.store import Store  # noqa: E402
from fieldtui.store.ledger import LedgerQuery, LedgerRow  # noqa: E402
from fieldtui.store.pinyin import fold, name_pinyin  # noqa: E402
from fieldtui.ui.screens.ledger import LedgerScreen, ledger_columns  # noqa: E402

TARGETS = {"first_rows_s": 0.2, "end_s": 0.2, "search_p95_s": 0.05, "max_rss_mb": 300}
SIZE = (120, 40)
POLL = 0.0005


# ----------------------------------------------------------------------------- database


def build(path: Path, size: int) -> None:
    """Build the benchmark database at ``path`` (called in a child process)."""
    from fieldtui.demo import build_demo

    tmp = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(tmp.name + "*"):
        leftover.unlink()
    with Store(tmp) as store:
        build_demo(store, size=size)
        store.set_meta("benchmark_size", str(size))
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.replace(path)


def ensure_db(path: Path, size: int, rebuild: bool) -> float | None:
    """Seconds spent building, or None when a matching database was already there."""
    if path.exists() and not rebuild:
        with Store(path) as store:
            if store.meta("benchmark_size") == str(size):
                return None
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--build-only", "--db", str(path), "--size", str(size)],
        check=True,
    )
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- helpers


class Host(App[None]):
    """What screens ask of the app (store, lang, officer), and nothing else."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.lang = "zh"
        self.officer_id: str | None = None


async def until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(POLL)


def send_key(app: App[Any], key: str, character: str | None = None) -> None:
    """Deliver a key as the terminal driver does.

    ``Pilot.press`` also waits for the process to go idle (sleeping in 10 ms steps) before
    returning, which would be counted as latency; this returns at once.
    """
    assert app._driver is not None
    event = events.Key(key, character)
    event.set_sender(app)
    app._driver.send_message(event)


def paint(app: App[Any]) -> float:
    """Update the compositor now (what the next screen refresh would do); returns the time."""
    app.screen._on_timer_update()
    return time.perf_counter()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def make_queries(store: Store, n: int, seed: int = 7) -> list[str]:
    """``n`` search texts of 1–4 characters drawn from real rows, several kinds in turn."""
    rng = random.Random(seed)
    rows = store.db.execute_sql(
        "SELECT e.name, e.uscc, e.phone FROM enterprise e JOIN enterprise_ledger l ON l.id = e.id"
        " ORDER BY l.sid LIMIT 5000"
    ).fetchall()
    rng.shuffle(rows)
    common = set("有限公司广东肇庆市")
    queries: list[str] = []
    kinds = ["cn1", "cn2", "initials", "cn2", "letters", "digits", "cn3", "initials", "cn4"]
    for i, (name, uscc, phone) in enumerate(rows):
        if len(queries) >= n:
            break
        kind = kinds[i % len(kinds)]
        chinese = [c for c in name if "\u4e00" <= c <= "\u9fff" and c not in common]
        if kind.startswith("cn") and len(chinese) >= int(kind[2]):
            k = int(kind[2])
            start = rng.randrange(len(chinese) - k + 1)
            text = "".join(chinese[start : start + k])
            if text in name:
                queries.append(text)
        elif kind == "initials":
            initials = name_pinyin(name).initials[0]
            k = rng.randint(2, 4)
            start = rng.randrange(max(1, len(initials) - k - 3))
            queries.append(initials[start : start + k])
        elif kind == "letters":
            queries.append(fold(name_pinyin(name).full)[: rng.randint(1, 2)])
        elif kind == "digits":
            source = fold(phone or uscc or "") or "0758"
            k = rng.randint(2, 4)
            start = rng.randrange(max(1, len(source) - k))
            queries.append(source[start : start + k])
    return queries[:n]


def cells(row: LedgerRow) -> tuple[Any, ...]:
    return tuple(col.cell(row) for col in ledger_columns("zh"))


# ----------------------------------------------------------------------------- the ledger


async def measure_ledger(store: Store, queries: list[str]) -> dict[str, Any]:
    app = Host(store)
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = LedgerScreen()
        started = time.perf_counter()
        await app.push_screen(screen)
        table = screen.table

        def page_shown() -> bool:
            rows = table.visible_rows()
            return table.is_loaded and bool(rows) and all(r is not None for r in rows)

        await until(page_shown)
        result["first_rows_s"] = paint(app) - started
        await until(lambda: table.row_count is not None)
        result["counted_s"] = time.perf_counter() - started
        result["rows"] = table.row_count
        await pilot.pause()

        last = (table.row_count or 1) - 1
        started = time.perf_counter()
        send_key(app, "end")
        await until(lambda: table.cursor_row == last and page_shown())
        result["end_s"] = paint(app) - started
        assert table.cursor_data is not None

        await pilot.press("home")  # typing on the list goes to its search
        search = screen.search_input
        latencies: list[float] = []
        final: list[float] = []
        for query in queries:
            search.value = ""
            await until(lambda: screen.filter.text == "" and page_shown())
            await pilot.pause()
            typed = ""
            for ch in query:
                typed += ch
                expected = typed
                started = time.perf_counter()
                send_key(app, ch, ch)
                # set_source() runs in the key's handler and clears is_loaded until the
                # first page of *that* source is in.
                await until(
                    lambda expected=expected: (
                        screen.filter.text == expected  # type: ignore[misc]
                        and table.is_loaded
                        and (page_shown() or table.row_count == 0)
                    )
                )
                latencies.append(paint(app) - started)
            final.append(latencies[-1])
            await until(lambda: table.row_count is not None)
        result["search"] = {
            "queries": len(queries),
            "keystrokes": len(latencies),
            "p50_s": statistics.median(latencies),
            "p95_s": percentile(latencies, 95),
            "max_s": max(latencies),
            "last_keystroke_p95_s": percentile(final, 95),
            "examples": queries[:12],
        }
    return result


# ----------------------------------------------------------------------------- baseline


class TableScreen(Screen[None]):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(col.title for col in ledger_columns("zh")))
        table.add_rows(self.rows)
        table.focus()


async def measure_baseline(
    store: Store, rows: list[tuple[Any, ...]], hays: list[str], queries: list[str]
) -> dict[str, Any]:
    app = Host(store)
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = TableScreen(rows)
        started = time.perf_counter()
        await app.push_screen(screen)
        table = screen.query_one(DataTable)
        await until(lambda: table.row_count == len(rows), timeout=600)
        result["first_rows_s"] = paint(app) - started
        await pilot.pause()

        started = time.perf_counter()
        table.action_scroll_bottom()  # DataTable binds End to horizontal scrolling
        await until(lambda: table.cursor_row == len(rows) - 1, timeout=600)
        result["end_s"] = paint(app) - started

        latencies: list[float] = []
        for query in queries:
            typed = ""
            for ch in query:
                typed += ch
                needle = fold(typed)
                started = time.perf_counter()
                matches = [row for row, hay in zip(rows, hays, strict=True) if needle in hay]
                table.clear()
                table.add_rows(matches)
                wanted = len(matches)
                await until(lambda: table.row_count == wanted, timeout=600)  # noqa: B023
                latencies.append(paint(app) - started)
        result["search"] = {
            "keystrokes": len(latencies),
            "p50_s": statistics.median(latencies),
            "p95_s": percentile(latencies, 95),
        }
    return result


# ----------------------------------------------------------------------------- main


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--baseline-queries", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path: Path = args.db or Path(f"/tmp/fieldtui-bench-ledger-{args.size}.db")
    if args.build_only:
        build(path, args.size)
        return 0

    built_s = ensure_db(path, args.size, args.rebuild)
    store = Store(path)
    queries = make_queries(store, args.queries)
    rss_before = rss_mb()
    ledger = asyncio.run(measure_ledger(store, queries))
    ledger_rss = rss_mb()

    query = LedgerQuery(store.db)
    baseline_rows = query.first_page(min(args.baseline_rows, args.size))
    hays = [
        str(r[0])
        for r in (
            store.db.execute_sql(
                "SELECT s.hay FROM enterprise_search s JOIN enterprise_ledger l ON l.sid = s.sid"
                " WHERE l.id = ?",
                (row.id,),
            ).fetchone()
            for row in baseline_rows
        )
    ]
    prepared = [cells(r) for r in baseline_rows]
    prepared = [tuple(c if isinstance(c, Text) else str(c) for c in row) for row in prepared]
    baseline = asyncio.run(
        measure_baseline(store, prepared, hays, queries[: args.baseline_queries])
    )
    scale = args.size / len(prepared)
    scaled = {
        "first_rows_s": baseline["first_rows_s"] * scale,
        "end_s": baseline["end_s"],
        "search_p50_s": baseline["search"]["p50_s"] * scale,
        "search_p95_s": baseline["search"]["p95_s"] * scale,
    }
    figures = {
        "first_rows_s": ledger["first_rows_s"],
        "end_s": ledger["end_s"],
        "search_p50_s": ledger["search"]["p50_s"],
        "search_p95_s": ledger["search"]["p95_s"],
        "max_rss_mb": ledger_rss,
    }
    out = {
        "enterprises": ledger["rows"],
        "database": str(path),
        "database_mb": round(path.stat().st_size / 1e6, 1),
        "built_s": built_s,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "ledger": ledger,
        "max_rss_mb": {
            "at_start": rss_before,
            "after_ledger": ledger_rss,
            "after_baseline": rss_mb(),
        },
        "baseline_datatable": {
            "rows": len(prepared),
            "measured": baseline,
            "scaled_to": args.size,
            "scale": scale,
            "scaled": scaled,
            "note": "first rows and search scaled linearly by rows; End is not scaled",
        },
        "ratio_ledger_to_baseline": {
            "first_rows": figures["first_rows_s"] / scaled["first_rows_s"],
            "end": figures["end_s"] / scaled["end_s"],
            "search_p50": figures["search_p50_s"] / scaled["search_p50_s"],
            "search_p95": figures["search_p95_s"] / scaled["search_p95_s"],
        },
        "targets": TARGETS,
        "met": {
            "first_rows": figures["first_rows_s"] < TARGETS["first_rows_s"],
            "end": figures["end_s"] < TARGETS["end_s"],
            "search_p95": figures["search_p95_s"] < TARGETS["search_p95_s"],
            "memory": figures["max_rss_mb"] < TARGETS["max_rss_mb"],
        },
    }
    store.close()
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
