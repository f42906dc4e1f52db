"""Visits and problems list speed at 100,000 visits: the data sources the list screens page.

    python benchmarks/visits.py [--db PATH] [--visits 100000] [--enterprises 3000]
                                [--repeat 5] [--rebuild]

Builds the database once with the demo builder (``fieldtui.demo``: a zone of
``--enterprises`` enterprises and 80 officers whose visit rate is raised until two years of
work hold ``--visits`` visits, each with its negative-list self-check), in a child process,
and reuses it while its size matches. Then measures, for each filter of the visits list
(:class:`fieldtui.store.visit_list.VisitQuery`) and of the problem list
(:class:`fieldtui.store.problem_list.ProblemQuery`), on a fresh query object each time as a
screen makes one:

- **first**: the first page (50 rows), as a list shows on opening, before any count;
- **count**: the number of rows (the list's scrollbar, shown after the first page);
- **end**: the last page as End reads it (count, then the last 50 rows by key);

the median of ``--repeat`` runs, and as the baseline the same End done with ``OFFSET`` over
the plain ``visit`` table (what a list without keyset paging does). Target: first and end
well under 0.2 s. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fieldtui.store import Store
from fieldtui.store.problem_list import ProblemFilter, ProblemQuery, ProblemSort
from fieldtui.store.visit_list import VisitFilter, VisitQuery
from fieldtui.store.visit_search import refresh_visit_search

TODAY = date(2026, 6, 15)
PAGE = 50


def build(path: Path, visits: int, enterprises: int) -> None:
    """Build the benchmark database at ``path`` (called in a child process)."""
    from fieldtui.demo import DemoBuild

    tmp = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(tmp.name + "*"):
        leftover.unlink()
    with Store(tmp) as store:
        demo = DemoBuild(store, enterprises, 2024, TODAY, None)
        days = (TODAY - demo.start).days + 1
        demo.per_year = round(visits * 365 / days)
        with store.batch():
            demo.build()
        refresh_visit_search(store.db)
        store.set_meta("officer_id", demo.leads[0].id)
        store.set_meta("benchmark_visits", str(visits))
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)


def median_time(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4)


def measure(make: Callable[[], Any], repeat: int) -> dict[str, Any]:
    def first() -> None:
        make().fetch(0, PAGE)

    def count() -> None:
        make().count()

    def end() -> None:
        query = make()
        total = query.count()
        query.fetch(max(0, total - PAGE), PAGE)

    return {
        "rows": make().count(),
        "first_s": median_time(first, repeat),
        "count_s": median_time(count, repeat),
        "end_s": median_time(end, repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/fieldtui-bench-visits.db"))
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.db, args.visits, args.enterprises)
        return
    fresh = args.rebuild or not args.db.exists()
    if not fresh:
        with Store(args.db) as store:
            fresh = store.meta("benchmark_visits") != str(args.visits)
    built_s = None
    if fresh:
        args.db.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--build-only", "--db", str(args.db),
             "--visits", str(args.visits), "--enterprises", str(args.enterprises)],
            check=True,
        )  # fmt: skip
        built_s = round(time.perf_counter() - start, 1)
    with Store(args.db) as store:
        db = store.db
        officer = store.meta("officer_id")
        enterprise = db.execute_sql(
            "SELECT enterprise_id FROM visit_list GROUP BY enterprise_id"
            " ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
        visits = {
            "all": VisitFilter(),
            "officer": VisitFilter(officer_id=officer),
            "enterprise": VisitFilter(enterprise_id=enterprise),
            "month": VisitFilter(month="2026-03"),
            "kind": VisitFilter(kind="phone"),
            "drafts": VisitFilter(draft=True),
            "complete": VisitFilter(draft=False),
            "officer+month+drafts": VisitFilter(officer_id=officer, month="2026-06", draft=True),
            "text:enterprise pinyin": VisitFilter(text="hhhb"),
            "text:summary": VisitFilter(text="用电"),
            "text:rare": VisitFilter(text="不存在的内容"),
        }
        out: dict[str, Any] = {
            "db": str(args.db),
            "built_s": built_s,
            "visits": db.execute_sql("SELECT COUNT(*) FROM visit_list").fetchone()[0],
            "answers": db.execute_sql("SELECT COUNT(*) FROM checklist_answer").fetchone()[0],
            "problems": db.execute_sql("SELECT COUNT(*) FROM problem").fetchone()[0],
            "load": os.getloadavg(),
            "visits_list": {
                name: measure(lambda f=f: VisitQuery(db, f), args.repeat)
                for name, f in visits.items()
            },
        }

        def offset_end() -> None:
            total = db.execute_sql("SELECT COUNT(*) FROM visit WHERE deleted = 0").fetchone()[0]
            db.execute_sql(
                "SELECT id FROM visit WHERE deleted = 0 ORDER BY date DESC, id DESC"
                " LIMIT ? OFFSET ?",
                (PAGE, max(0, total - PAGE)),
            ).fetchall()

        baseline = median_time(offset_end, args.repeat)
        out["baseline_offset_end_s"] = baseline
        out["end_ratio_all"] = round(out["visits_list"]["all"]["end_s"] / baseline, 3)
        problems = {
            "all": (ProblemFilter(), ProblemSort()),
            "open by deadline": (ProblemFilter(open=True), ProblemSort("deadline", False)),
            "overdue": (ProblemFilter(overdue=True), ProblemSort()),
            "due this week": (ProblemFilter(due_this_week=True), ProblemSort()),
            "officer": (ProblemFilter(officer_id=officer), ProblemSort()),
            "text": (ProblemFilter(text="用电"), ProblemSort()),
        }
        out["problem_list"] = {
            name: measure(lambda f=f, s=s: ProblemQuery(db, f, s, today=TODAY), args.repeat)
            for name, (f, s) in problems.items()
        }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
