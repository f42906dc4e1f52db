"""Ledger speed as the user sees it: ``fieldtui --db DB`` in a terminal, from process start.

    python benchmarks/ledger.py [--db /tmp/bench/ledger.db] [--size 100000] [--runs 3]
                                [--queries 30] [--table-keystrokes 6] [--no-table]
                                [--src LABEL=PATH ...] [--out FILE]

Every program runs in its own process on a pty of 120×40 (``TERM=xterm-256color``,
``LANG=zh_CN.UTF-8``), and what it writes is read by a terminal emulator (``pyte``, see
``benchmarks/term.py``), so each figure is the time until the *screen* shows the thing, as a
user would see it. Keys are written to the pty as a terminal sends them. Nothing inside the
programs is touched: they are started, typed at and read.

What the screen must show is known independently: every enterprise's name and search text is
read from the database (pinyin order) and a query's rows are those whose search text contains
the folded query. A screen counts as showing a query when its search box holds the query, the
first 20 rows of the list are that query's first 20 matches (names, as far as the column shows
them) with nothing after the last match, and (for "complete") the count beside the box is the
query's count.

Measured for the ledger, each run:

- ``start_screen_s``: process start to the first area on screen (an officer's database
  opens on "my week"; the benchmark then types Ctrl+G 1, as a user goes to the ledger);
  ``first_rows_s``: process start to the ledger's first rows on screen (that switch
  included); ``counted_s``: to the count shown as well;
- ``end_s``: End pressed to the last enterprise on screen;
- search keystrokes: queries drawn from the data (Chinese names of 1-4 characters, pinyin
  initials, letters, digits of phones and USCCs), typed one key at a time (a Chinese
  character is one key, as an input method commits it); after each key the benchmark waits
  for the screen to show that text's first rows (``page``) and its count too (``complete``),
  then types the next key no sooner than ``--gap`` (0.15 s) after the previous one, like a
  typist who watches the list. Escape (untimed) clears the search between queries.
  p50/p95/max over all keystrokes of the run;
- ``peak_rss_mb``: the app process's peak resident memory (``VmHWM``) after all of that.

Baselines, in the same run and the same kind of terminal (``benchmarks/baseline_apps.py``):

- ``input``: a plain Textual app with one ``Input``: process start to the box on screen (the
  floor for starting a Textual app) and each keystroke of the same queries to its echo (the
  floor for a keystroke in a terminal);
- ``datatable``: Textual's ``DataTable`` with the same 100,000 rows read at start-up (first
  rows from process start; Ctrl+End to the last row; a search = filter in Python, ``clear()``
  and ``add_rows()``, over the first ``--table-keystrokes`` keystrokes only, since each takes
  tens of seconds at this size).

Ratios are taken within a run (ledger ÷ baseline of that run), then summarised over runs as
min/median/max, like every figure: on a shared machine absolute times move with the load
(the load average is printed). ``--src LABEL=PATH`` (repeatable) runs the ledger from several
source trees in every run, interleaved, e.g. the code before and after a change. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from term import Terminal

HERE = Path(__file__).resolve().parent
REPO_SRC = HERE.parent / "src"
COLS, ROWS = 120, 40
CHECK_ROWS = 20
"""List rows compared with what a query must show."""
TARGETS = {"search_p95_s": 0.05}
PLACEHOLDER_START = "搜索"


# ----------------------------------------------------------------------------- data


@dataclass
class Oracle:
    """What the ledger must show for a query, computed from the database alone."""

    names: list[str]
    hays: list[str]
    fold: Callable[[str], str]
    cache: dict[str, list[int]] = field(default_factory=dict)

    def matches(self, text: str) -> list[int]:
        needle = self.fold(text)
        found = self.cache.get(needle)
        if found is None:
            if not needle:
                found = list(range(len(self.names)))
            else:
                found = [i for i, hay in enumerate(self.hays) if needle in hay]
            self.cache[needle] = found
        return found

    def first_names(self, text: str, n: int = CHECK_ROWS) -> list[str]:
        return [self.names[i] for i in self.matches(text)[:n]]

    def count_label(self, text: str) -> str:
        return f"{len(self.matches(text)):,}家"


def load_oracle(db: Path, src: Path) -> Oracle:
    sys.path.insert(0, str(src))
    from fieldtui.store.pinyin import fold  # the definition of what search ignores

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT l.name, s.hay FROM enterprise_ledger l"
        " JOIN enterprise_search s ON s.sid = l.sid ORDER BY l.sid"
    ).fetchall()
    con.close()
    return Oracle([r[0] for r in rows], [r[1] for r in rows], fold)


def ensure_db(path: Path, size: int, src: Path, env: dict[str, str]) -> float | None:
    """Build the demo database with ``fieldtui demo`` unless one of that size is there."""
    if path.exists():
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            have = con.execute("SELECT COUNT(*) FROM enterprise_ledger").fetchone()[0]
        except sqlite3.Error:
            have = -1
        con.close()
        if have == size:
            return None
        raise SystemExit(f"{path} holds {have} enterprises, not {size}: remove it or use --db")
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [*fieldtui_cmd(), "demo", "--db", str(path), "--size", str(size)],
        check=True,
        env={**env, "PYTHONPATH": str(src)},
    )
    return time.perf_counter() - started


def make_queries(oracle: Oracle, n: int, seed: int = 7) -> list[str]:
    """``n`` search texts drawn from real rows, of the kinds officers type, in turn."""
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(seed)
    picks = rng.sample(range(len(oracle.names)), min(len(oracle.names), 20 * n))
    common = set("有限公司广东肇庆市股份")
    kinds = ["cn2", "initials", "digits", "cn3", "letters", "cn1", "initials", "cn4", "digits"]
    queries: list[str] = []
    for i, index in enumerate(picks):
        if len(queries) >= n:
            break
        name, hay = oracle.names[index], oracle.hays[index]
        kind = kinds[len(queries) % len(kinds)] if i else kinds[0]
        chinese = [c for c in name if "\u4e00" <= c <= "\u9fff" and c not in common]
        if kind.startswith("cn"):
            k = int(kind[2])
            if len(chinese) < k:
                continue
            start = rng.randrange(len(chinese) - k + 1)
            text = "".join(chinese[start : start + k])
            if text not in name:
                continue
            queries.append(text)
        elif kind == "initials":
            initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
            k = rng.randint(2, 4)
            start = rng.randrange(max(1, len(initials) - k - 3))
            queries.append(initials[start : start + k].lower())
        elif kind == "letters":
            full = "".join(lazy_pinyin(name))
            queries.append(full[: rng.randint(2, 4)].lower())
        elif kind == "digits":
            fields = hay.split("|")
            numbers = [f for f in fields if sum(c.isdigit() for c in f) >= 8]
            if not numbers:
                continue
            source = rng.choice(numbers)
            k = rng.randint(3, 5)
            start = rng.randrange(max(1, len(source) - k))
            queries.append(source[start : start + k])
    return queries


# ----------------------------------------------------------------------------- the screen


def search_line(t: Terminal) -> tuple[str, str] | None:
    """(text in the search box, text right of it) from the box's middle line."""
    for line in t.lines():
        left = line.find("▊")
        if left < 0 or left + 1 >= len(line) or line[left + 1] in "▔▁":
            continue
        right = line.find("▎", left)
        if right < 0:
            continue
        return line[left + 1 : right].strip(), line[right + 1 :].strip()
    return None


@dataclass
class Table:
    """Where the list's name column is: found from its header line."""

    header_y: int
    name_x: int
    name_end: int

    def names(self, t: Terminal, n: int) -> list[str]:
        out = []
        for y in range(self.header_y + 1, min(self.header_y + 1 + n, t.rows)):
            row = t.screen.buffer[y]
            out.append("".join(row[x].data for x in range(self.name_x, self.name_end)).strip())
        return out


def find_table(t: Terminal) -> Table | None:
    for y in range(t.rows):
        row = t.screen.buffer[y]
        cells = [row[x].data for x in range(t.cols)]
        text = "".join(cells)
        if "企业名称" in text and "状态" in text:
            # A wide character fills two cells (the second holds ""): find it by cells.
            name_x = next(
                x
                for x in range(t.cols - 7)
                if [cells[x + 2 * i] for i in range(4)] == [*"企业名称"]
            )
            # The next column starts at the first title after the name's (and its arrow).
            x = name_x + len("企业名称") * 2
            while x < t.cols and cells[x] in ("", " ", "▲", "▼"):
                x += 1
            return Table(y, name_x, x - 1)
    return None


def shows_name(shown: str, name: str) -> bool:
    if shown == name:
        return True
    cut = shown[:-1] if shown.endswith("…") else shown
    return len(cut) >= 2 and name.startswith(cut)


def start_screen(t: Terminal) -> str | None:
    """Which area the app opened on: "ledger", "home" (my week), or None (not yet)."""
    if find_table(t) is not None:
        return "ledger"
    if t.contains("· 本周工作"):  # the title of "my week"
        return "home"
    return None


def box_shows(t: Terminal, text: str) -> bool:
    line = search_line(t)
    if line is None:
        return False
    shown = line[0]
    return shown.startswith(PLACEHOLDER_START) if not text else shown == text


def rows_show(t: Terminal, table: Table, expected: Sequence[str]) -> bool:
    shown = table.names(t, CHECK_ROWS + 1)
    for i, name in enumerate(expected):
        if i >= len(shown) or not shows_name(shown[i], name):
            return False
    return len(expected) >= CHECK_ROWS or len(shown) <= len(expected) or not shown[len(expected)]


def count_shows(t: Terminal, label: str) -> bool:
    line = search_line(t)
    return line is not None and line[1].split()[-1:] == [label]


# ----------------------------------------------------------------------------- sessions


def fieldtui_cmd() -> list[str]:
    exe = shutil.which("fieldtui")
    return [exe] if exe else [sys.executable, "-m", "fieldtui"]


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 4),
        "p95": round(percentile(values, 95), 4),
        "max": round(max(values), 4),
        "n": len(values),
    }


def pace(sent: float, gap: float) -> None:
    wait = sent + gap - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def type_queries(
    t: Terminal,
    table: Table | None,
    oracle: Oracle,
    queries: Sequence[str],
    gap: float,
    reset: Callable[[], None],
    limit: int | None = None,
    timeout: float = 30.0,
) -> tuple[list[float], list[float], list[dict[str, Any]], float | None]:
    """Type each query key by key; per key the time to its rows and to its complete screen,
    and the program's CPU time per typed key (ms, the resets between queries left out)."""
    page_times: list[float] = []
    done_times: list[float] = []
    slowest: list[dict[str, Any]] = []
    cpu_total = 0.0
    cpu_known = True

    def result() -> tuple[list[float], list[float], list[dict[str, Any]], float | None]:
        slowest.sort(key=lambda k: -k["s"])
        per_key = 1000 * cpu_total / len(page_times) if cpu_known and page_times else None
        return page_times, done_times, slowest[:5], per_key

    for query in queries:
        reset()
        cpu_before = t.cpu_seconds()
        typed = ""
        for ch in query:
            if limit is not None and len(page_times) >= limit:
                break
            typed += ch
            expected = oracle.first_names(typed)
            label = oracle.count_label(typed)

            def page(t: Terminal, typed: str = typed, expected: list[str] = expected) -> bool:
                return box_shows(t, typed) and (table is None or rows_show(t, table, expected))

            def done(
                t: Terminal, page: Callable[[Terminal], bool] = page, label: str = label
            ) -> bool:
                return page(t) and (table is None or count_shows(t, label))

            sent = t.send(ch)
            page_at = t.wait(page, timeout)
            done_at = t.wait(done, timeout)
            page_times.append(page_at - sent)
            done_times.append(done_at - sent)
            slowest.append(
                {"text": typed, "count": len(oracle.matches(typed)), "s": done_at - sent}
            )
            pace(sent, gap)
        cpu_after = t.cpu_seconds()
        if cpu_before is None or cpu_after is None:
            cpu_known = False
        else:
            cpu_total += cpu_after - cpu_before
        if limit is not None and len(page_times) >= limit:
            break
    return result()


def app_env(src: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(src),
        XDG_DATA_HOME=str(data / "data"),
        XDG_CONFIG_HOME=str(data / "cfg"),
        LANG="zh_CN.UTF-8",
        LC_ALL="zh_CN.UTF-8",
        FIELDTUI_LANG="zh",
    )
    env.pop("TEXTUAL", None)
    return env


def measure_ledger(
    src: Path, db: Path, oracle: Oracle, queries: Sequence[str], gap: float, scratch: Path
) -> dict[str, Any]:
    t = Terminal([*fieldtui_cmd(), "--db", str(db)], COLS, ROWS, app_env(src, scratch))
    try:
        everything = oracle.first_names("")
        total = oracle.count_label("")
        holder: list[Table] = []

        def first_rows(t: Terminal) -> bool:
            if not holder:
                found = find_table(t)
                if found is None:
                    return False
                holder.append(found)
            return rows_show(t, holder[0], everything)

        out: dict[str, Any] = {}
        start = t.wait(lambda t: start_screen(t) is not None, 60)
        out["start_screen_s"] = start - t.started
        if start_screen(t) == "home":
            # An officer's database opens on "my week"; Ctrl+G 1 goes to the ledger.
            t.send("ctrl+g")
            t.wait(lambda t: t.contains("1 企业台账"), 30)
            t.send("1")
        shown = t.wait(first_rows, 60)
        counted = t.wait(lambda t: first_rows(t) and count_shows(t, total), 60)
        table = holder[0]
        out["first_rows_s"] = shown - t.started
        out["counted_s"] = counted - t.started
        t.settle(0.3)
        last = oracle.names[oracle.matches("")[-1]]
        sent = t.send("end")
        at = t.wait(lambda t: any(shows_name(n, last) for n in table.names(t, ROWS)), 60)
        out["end_s"] = at - sent
        t.settle(0.3)

        def reset() -> None:
            t.send("escape")  # clears the search; Home: the top (after End, or a move)
            t.settle(0.05)
            t.send("home")
            t.wait(
                lambda t: (
                    box_shows(t, "") and rows_show(t, table, everything) and count_shows(t, total)
                ),
                30,
            )
            t.settle(0.05)

        pages, done, slowest, cpu = type_queries(t, table, oracle, queries, gap, reset)
        out["cpu_ms_per_key"] = cpu
        out["search_rows"] = spread(pages)
        out["search_complete"] = spread(done)
        out["slowest_keys"] = [{**k, "s": round(k["s"], 4)} for k in slowest]
        out["peak_rss_mb"] = t.peak_rss_mb()
        return out
    finally:
        t.close()


def measure_input(
    src: Path, oracle: Oracle, queries: Sequence[str], gap: float, scratch: Path
) -> dict[str, Any]:
    t = Terminal(
        [sys.executable, str(HERE / "baseline_apps.py"), "input"],
        COLS,
        ROWS,
        app_env(src, scratch),
    )
    try:
        at = t.wait(lambda t: box_shows(t, ""), 60)
        out: dict[str, Any] = {"start_s": at - t.started}
        t.settle(0.3)

        def reset() -> None:
            t.send("ctrl+u")
            t.wait(lambda t: box_shows(t, ""), 30)
            t.settle(0.05)

        echo, _done, _slow, cpu = type_queries(t, None, oracle, queries, gap, reset)
        out["cpu_ms_per_key"] = cpu
        out["echo"] = spread(echo)
        out["peak_rss_mb"] = t.peak_rss_mb()
        return out
    finally:
        t.close()


def measure_datatable(
    src: Path,
    db: Path,
    oracle: Oracle,
    queries: Sequence[str],
    gap: float,
    keystrokes: int,
    scratch: Path,
) -> dict[str, Any]:
    t = Terminal(
        [sys.executable, str(HERE / "baseline_apps.py"), "datatable", str(db)],
        COLS,
        ROWS,
        app_env(src, scratch),
    )
    slow = 600.0
    try:
        everything = oracle.first_names("")
        total = oracle.count_label("")
        holder: list[Table] = []

        def first_rows(t: Terminal) -> bool:
            if not holder:
                found = find_table(t)
                if found is None:
                    return False
                holder.append(found)
            return rows_show(t, holder[0], everything) and count_shows(t, total)

        shown = t.wait(first_rows, slow)
        table = holder[0]
        out: dict[str, Any] = {"first_rows_s": shown - t.started}
        t.settle(0.3)
        last = oracle.names[oracle.matches("")[-1]]
        sent = t.send("ctrl+end")
        at = t.wait(lambda t: any(shows_name(n, last) for n in table.names(t, ROWS)), slow)
        out["end_s"] = at - sent
        t.settle(0.3)
        t.send("tab")  # to the search box
        t.settle(0.3)

        def reset() -> None:
            t.send("ctrl+n")
            t.wait(lambda t: box_shows(t, ""), 30)
            t.settle(0.05)

        pages, done, slowest, _cpu = type_queries(
            t, table, oracle, queries, gap, reset, limit=keystrokes, timeout=slow
        )
        out["search_rows"] = spread(pages)
        out["search_complete"] = spread(done)
        out["keys"] = [k["text"] for k in slowest]
        out["peak_rss_mb"] = t.peak_rss_mb()
        return out
    finally:
        t.close()


# ----------------------------------------------------------------------------- summary


def summary(values: Sequence[float | None]) -> dict[str, float] | None:
    got = [v for v in values if v is not None]
    if not got:
        return None
    return {
        "min": round(min(got), 4),
        "median": round(statistics.median(got), 4),
        "max": round(max(got), 4),
    }


def ratios(
    ledger: dict[str, Any], base: dict[str, Any], table: dict[str, Any] | None
) -> dict[str, float]:
    out = {
        "first_rows_to_bare_start": ledger["first_rows_s"] / base["start_s"],
        "search_rows_p50_to_echo_p50": ledger["search_rows"]["p50"] / base["echo"]["p50"],
        "search_rows_p95_to_echo_p95": ledger["search_rows"]["p95"] / base["echo"]["p95"],
        "search_complete_p50_to_echo_p50": ledger["search_complete"]["p50"] / base["echo"]["p50"],
        "search_complete_p95_to_echo_p95": ledger["search_complete"]["p95"] / base["echo"]["p95"],
    }
    if ledger.get("cpu_ms_per_key") and base.get("cpu_ms_per_key"):
        out["cpu_per_key_to_input"] = ledger["cpu_ms_per_key"] / base["cpu_ms_per_key"]
    if table is not None:
        out.update(
            first_rows_to_datatable=ledger["first_rows_s"] / table["first_rows_s"],
            end_to_datatable=ledger["end_s"] / table["end_s"],
            search_complete_p50_to_datatable=(
                ledger["search_complete"]["p50"] / table["search_complete"]["p50"]
            ),
            peak_rss_to_datatable=ledger["peak_rss_mb"] / table["peak_rss_mb"],
        )
    return out


FIGURES = [
    ("start_screen_s",),
    ("first_rows_s",),
    ("counted_s",),
    ("end_s",),
    ("search_rows", "p50"),
    ("search_rows", "p95"),
    ("search_rows", "max"),
    ("search_complete", "p50"),
    ("search_complete", "p95"),
    ("search_complete", "max"),
    ("cpu_ms_per_key",),
    ("peak_rss_mb",),
]


def dig(d: dict[str, Any], path: Sequence[str]) -> Any:
    for key in path:
        d = d[key]
    return d


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench/ledger.db"))
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.15)
    parser.add_argument("--table-keystrokes", type=int, default=6)
    parser.add_argument("--no-table", action="store_true", help="skip the DataTable baseline")
    parser.add_argument(
        "--src",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="a source tree to run the ledger from (repeatable; default: this checkout)",
    )
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/bench/scratch"))
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)

    sources = [(s.split("=", 1)[0], Path(s.split("=", 1)[1]).resolve()) for s in args.src] or [
        ("this", REPO_SRC)
    ]
    base_src = sources[0][1]
    args.scratch.mkdir(parents=True, exist_ok=True)
    built_s = ensure_db(args.db, args.size, base_src, app_env(base_src, args.scratch))
    oracle = load_oracle(args.db, base_src)
    queries = make_queries(oracle, args.queries)

    runs: list[dict[str, Any]] = []
    for run in range(args.runs):
        record: dict[str, Any] = {"load_average": os.getloadavg()}
        for label, src in sources:
            record[f"ledger:{label}"] = measure_ledger(
                src, args.db, oracle, queries, args.gap, args.scratch
            )
        record["input"] = measure_input(base_src, oracle, queries, args.gap, args.scratch)
        if not args.no_table:
            record["datatable"] = measure_datatable(
                base_src,
                args.db,
                oracle,
                queries,
                args.gap,
                args.table_keystrokes,
                args.scratch,
            )
        for label, _src in sources:
            record[f"ratios:{label}"] = ratios(
                record[f"ledger:{label}"], record["input"], record.get("datatable")
            )
        runs.append(record)
        print(f"run {run + 1}/{args.runs} done", file=sys.stderr)

    result: dict[str, Any] = {
        "what": "fieldtui --db DB in a 120x40 pty read by pyte, from process start",
        "enterprises": len(oracle.names),
        "database": str(args.db),
        "database_mb": round(args.db.stat().st_size / 1e6, 1),
        "built_s": built_s,
        "runs": args.runs,
        "queries": len(queries),
        "keystrokes_per_run": sum(len(q) for q in queries),
        "gap_s": args.gap,
        "example_queries": queries[:15],
        "cpus": os.cpu_count(),
        "load_average": summary([r["load_average"][0] for r in runs]),
        "targets": TARGETS,
    }
    for label, _src in sources:
        key = f"ledger:{label}"
        result[key] = {
            ".".join(path): summary([dig(r[key], path) for r in runs]) for path in FIGURES
        }
        result[key]["slowest_keys_last_run"] = runs[-1][key]["slowest_keys"]
        result[f"ratios:{label}"] = {
            name: summary([r[f"ratios:{label}"][name] for r in runs])
            for name in runs[0][f"ratios:{label}"]
        }
        p95 = result[key]["search_complete.p95"]
        result[key]["met_search_p95"] = p95["max"] < TARGETS["search_p95_s"]
    result["input"] = {
        "start_s": summary([r["input"]["start_s"] for r in runs]),
        "echo.p50": summary([r["input"]["echo"]["p50"] for r in runs]),
        "echo.p95": summary([r["input"]["echo"]["p95"] for r in runs]),
        "echo.max": summary([r["input"]["echo"]["max"] for r in runs]),
        "cpu_ms_per_key": summary([r["input"]["cpu_ms_per_key"] for r in runs]),
        "peak_rss_mb": summary([r["input"]["peak_rss_mb"] for r in runs]),
    }
    if not args.no_table:
        result["datatable"] = {
            "first_rows_s": summary([r["datatable"]["first_rows_s"] for r in runs]),
            "end_s": summary([r["datatable"]["end_s"] for r in runs]),
            "search_complete.p50": summary(
                [r["datatable"]["search_complete"]["p50"] for r in runs]
            ),
            "search_complete.max": summary(
                [r["datatable"]["search_complete"]["max"] for r in runs]
            ),
            "keystrokes_per_run": args.table_keystrokes,
            "peak_rss_mb": summary([r["datatable"]["peak_rss_mb"] for r in runs]),
        }
    result["per_run"] = runs
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
