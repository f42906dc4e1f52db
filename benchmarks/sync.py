"""Sync speed: export and import of 100,000 ops, against raw SQLite ``executemany``.

    python benchmarks/sync.py [--ops 100000] [--runs 3] [--mix field|ledger] [--dir DIR]

Builds a laptop database holding exactly ``--ops`` ops (see ``build_laptop`` for the two
mixes; creates, then edits of existing fields so ops have parents), then measures, each the
best of ``--runs``:

- **export**: ``fieldtui.sync.export`` of everything to a ``.fieldsync`` file;
- **import**: ``fieldtui.sync.import_files`` of that file into a fresh hub database, exactly as
  ``fieldtui sync import`` runs it (read, verify, backup, merge in one transaction);
- **re-import** of the same file into that hub (answered "already imported");
- **baseline**: raw ``sqlite3`` ``executemany`` inserting the same 100,000 op rows into a fresh
  table of the same shape (the op table's DDL and indexes, the store's pragmas), one
  transaction, in the same run. A table without indexes is measured too, for reference.

Speed claims are ratios in the same run: import rate ÷ baseline rate (target ≥ 1/3) and
first import time ÷ re-import time (target ≥ 5). Wall-clock figures are primary; the same ratio
on process CPU time is shown too, as it is steadier on a shared, busy machine. Peak memory of
one import is measured separately with tracemalloc (it slows Python, so that run is not timed);
``max_rss_mb`` is the process's peak resident size. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from fieldtui import sync
from fieldtui.domain.validators import uscc_check_char
from fieldtui.store import Store

OP_DDL = """CREATE TABLE op (
    op_id TEXT NOT NULL PRIMARY KEY,
    replica_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    parents TEXT NOT NULL DEFAULT '[]'
)"""
OP_INDEXES = (
    "CREATE UNIQUE INDEX op_replica_seq ON op (replica_id, seq)",
    "CREATE INDEX op_row_field ON op (tbl, row_id, field)",
)
STATUSES = ("operating", "building", "trial", "suspended")


def _uscc(i: int) -> str:
    """A valid code (fields that do not fit are held aside by the import, not merged)."""
    body = f"91441284MA{i:07d}"
    return body + uscc_check_char(body)


def op_count(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def build_laptop(path: Path, ops: int, mix: str = "field") -> Store:
    """A laptop database holding exactly ``ops`` ops.

    ``field`` (the default) is what a laptop's file carries in real life: the office ledger it
    received (enterprises, 10% of the ops) and a season of field work: visits with their
    officers, problems and their history, a few enterprise edits. ``ledger`` is every op an
    enterprise create or edit: the worst case for import, as each new enterprise also gets its
    search rows (pinyin) computed.
    """
    store = Store(path)
    sync.init_role(store, sync.LAPTOP, name="benchmark laptop")
    writer = store.writer
    share = 0.85 if mix == "ledger" else 0.10
    enterprises: list[str] = []
    made = 0  # ops written so far (a batch buffers them, so the op table cannot tell yet)

    def create(table: str, values: dict[str, str | int | None]) -> str:
        nonlocal made
        made += sum(v is not None for v in values.values()) + 1  # + created_at
        return writer.create(table, values)

    with store.batch():
        officer = create("officer", {"name": "张三", "phone": "13800138000"})
        for i in range(max(1, int(ops * share) // 9)):
            enterprises.append(
                create(
                    "enterprise",
                    {
                        "name": f"肇庆高新区企业{i:06d}有限公司",
                        "uscc": _uscc(i),
                        "address": f"肇庆高新区大旺{i % 97}路{i}号",
                        "contact": "陈经理",
                        "phone": f"1380013{i % 10000:04d}",
                        "employees": 10 + i % 500,
                        "status": STATUSES[i % 4],
                        "tags": "[]",
                    },
                )
            )
    problems: list[str] = []
    if mix == "field":
        with store.batch():
            i = 0
            while made < ops * 0.8:
                ent = enterprises[i % len(enterprises)]
                day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
                visit = create(
                    "visit",
                    {
                        "date": day,
                        "enterprise_id": ent,
                        "kind": "onsite",
                        "person": "陈经理",
                        "person_title": "总经理",
                        "topics": '["operations"]',
                        "summary": f"走访了解生产经营情况，第{i}次",
                        "follow_up": "跟进用电问题",
                    },
                )
                create("visit_officer", {"visit_id": visit, "officer_id": officer})
                if i % 3 == 0:
                    problem = create(
                        "problem",
                        {
                            "enterprise_id": ent,
                            "visit_id": visit,
                            "raised_on": day,
                            "category": "factors",
                            "description": "首期用电需协调供电局",
                            "lead_unit": "供电局",
                            "deadline": day,
                            "status": "assigned",
                            "officer_id": officer,
                        },
                    )
                    problems.append(problem)
                    create(
                        "problem_event",
                        {"problem_id": problem, "on": day, "status": "assigned", "note": "已交办"},
                    )
                i += 1
    remaining = ops - op_count(store)
    with store.batch():
        for i in range(remaining):
            if problems and i % 2:
                table, row, field = "problem", problems[i % len(problems)], "status"
                value: str | int = ("in_progress", "resolved", "assigned")[i % 3]
            else:
                table, row = "enterprise", enterprises[i % len(enterprises)]
                field = ("address", "phone", "employees", "status", "notes")[i % 5]
                value = (
                    i
                    if field == "employees"
                    else STATUSES[i % 4]
                    if field == "status"
                    else f"1390013{i % 10000:04d}"
                    if field == "phone"
                    else f"v{i}"
                )
            writer.update(table, row, {field: value}, force=[field])
    assert op_count(store) == ops, op_count(store)
    return store


def fresh_hub(path: Path) -> Store:
    hub = Store(path)
    sync.init_role(hub, sync.HUB, name="benchmark hub")
    return hub


def baseline(rows: list[tuple[object, ...]], path: Path, indexes: bool) -> tuple[float, float]:
    """Wall and CPU seconds for raw executemany of ``rows`` into a fresh op-shaped table, one
    transaction."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = wal")
        con.execute("PRAGMA synchronous = normal")
        con.execute(OP_DDL)
        if indexes:
            for sql in OP_INDEXES:
                con.execute(sql)
        start, cpu = time.perf_counter(), time.process_time()
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO op VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument(
        "--mix",
        choices=("field", "ledger"),
        default="field",
        help="field: ledger plus visits and problems (default); ledger: enterprises only",
    )
    args = parser.parse_args(argv)
    work = args.dir or Path(tempfile.mkdtemp(prefix="fieldtui-bench-sync-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = run(work, args.ops, max(1, args.runs), args.mix)
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def run(work: Path, ops: int, runs: int, mix: str) -> dict[str, object]:
    started = time.perf_counter()
    laptop = build_laptop(work / "laptop.db", ops, mix)
    build_s = time.perf_counter() - started
    rows = [
        tuple(r)
        for r in laptop.db.execute_sql(
            "SELECT op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents FROM op"
        ).fetchall()
    ]

    export_s: list[float] = []
    sync_file = work / "laptop.fieldsync"
    for _ in range(runs):
        start = time.perf_counter()
        (exported,) = sync.export(laptop, sync_file, full=True)
        export_s.append(time.perf_counter() - start)
    laptop.close()

    import_s: list[float] = []
    import_cpu: list[float] = []
    reimport_s: list[float] = []
    for i in range(runs):
        hub = fresh_hub(work / f"hub{i}.db")
        start, cpu = time.perf_counter(), time.process_time()
        report = sync.import_files(hub, [sync_file])
        import_s.append(time.perf_counter() - start)
        import_cpu.append(time.process_time() - cpu)
        assert report.added == ops and not report.refused, report
        for _ in range(3):
            start = time.perf_counter()
            again = sync.import_files(hub, [sync_file])
            reimport_s.append(time.perf_counter() - start)
            assert again.files[0].status == sync.ALREADY
        hub.close()

    base = [baseline(rows, work / "baseline.db", indexes=True) for _ in range(runs)]
    bare = [baseline(rows, work / "bare.db", indexes=False) for _ in range(runs)]
    base_s, base_cpu = [b[0] for b in base], [b[1] for b in base]
    bare_s = [b[0] for b in bare]

    hub = fresh_hub(work / "hub-mem.db")
    tracemalloc.start()
    sync.import_files(hub, [sync_file])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    hub.close()

    best_import, best_base = min(import_s), min(base_s)
    import_rate = ops / best_import
    base_rate = ops / best_base
    return {
        "ops": ops,
        "mix": mix,
        "runs": runs,
        "build_laptop_s": round(build_s, 2),
        "file_bytes": exported.size,
        "bytes_per_op": round(exported.size / ops, 1),
        "export_s": round(min(export_s), 3),
        "export_ops_per_s": round(ops / min(export_s)),
        "import_s": round(best_import, 3),
        "import_ops_per_s": round(import_rate),
        "reimport_s": round(min(reimport_s), 4),
        "reimport_speedup": round(best_import / min(reimport_s), 1),
        "baseline_executemany_s": round(best_base, 3),
        "baseline_ops_per_s": round(base_rate),
        "baseline_no_index_s": round(min(bare_s), 3),
        "import_to_executemany_ratio": round(import_rate / base_rate, 3),
        "import_to_executemany_no_index_ratio": round(min(bare_s) / best_import, 3),
        "cpu": {
            "import_s": round(min(import_cpu), 3),
            "baseline_executemany_s": round(min(base_cpu), 3),
            "import_to_executemany_ratio": round(min(base_cpu) / min(import_cpu), 3),
        },
        "targets": {
            "import_ratio_min": round(1 / 3, 3),
            "import_ratio_met": import_rate / base_rate >= 1 / 3,
            "reimport_speedup_min": 5,
            "reimport_speedup_met": best_import / min(reimport_s) >= 5,
        },
        "import_peak_traced_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
