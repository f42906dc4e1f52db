"""Small imports as an officer runs them: a one-row sheet and a 20-op sync file, by size.

    python benchmarks/imports.py [--sizes 300,100000] [--runs 5] [--dir DIR] [--src PATH]

For each size, a demo database of that many enterprises is built once (``fieldtui demo``,
cached in ``--dir``), copied to a working hub (``sync init --hub``), and then, ``--runs``
times, interleaved, each a fresh process timed from start to exit (the command line as a
user runs it):

- **baseline**: ``fieldtui sync conflicts`` on the same database: start, open the database,
  one query; what any command costs before it does its work;
- **sheet**: ``fieldtui sheet import enterprises one-row.csv`` creating one new enterprise;
- **sync**: ``fieldtui sync import`` of a 20-op file from a laptop of that hub (five new
  enterprises imported from a sheet there, four ops each), a different file each run.

It prints JSON: per size, min/median/max of each time and of the ratios sheet ÷ baseline
and sync ÷ baseline (each run's import against the baseline measured next to it), the
database size, and how many of the imports made a backup. ``--src`` runs another checkout
(e.g. the code before a change) with the same steps; its databases are copied from the same
cached demo, so both measure the same data. Nothing here is asserted: speed claims are the
ratios, read on the machine at hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _env(src: Path | None, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    env["XDG_DATA_HOME"] = str(data / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(data / "xdg-config")
    env["FIELDTUI_CONFIG"] = str(data / "settings.toml")
    env.pop("FIELDTUI_DB", None)
    return env


def fieldtui(env: dict[str, str], *args: str, check: bool = True) -> tuple[float, str]:
    """Run one command in a fresh process; its wall time from start to exit, and stdout."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "fieldtui", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if check and done.returncode != 0:
        raise SystemExit(f"fieldtui {' '.join(args)} failed:\n{done.stderr}{done.stdout}")
    return elapsed, done.stdout


def demo_database(directory: Path, size: int, env: dict[str, str]) -> Path:
    path = directory / f"demo-{size}.db"
    if not path.exists():
        building = path.with_suffix(".building.db")
        building.unlink(missing_ok=True)
        fieldtui(env, "--db", str(building), "demo", "--size", str(size), "--json")
        building.rename(path)
    return path


def prepare(work: Path, demo: Path, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """A working hub copied from the demo, one-row sheets and one 20-op file per run."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    hub = work / "hub.db"
    shutil.copyfile(demo, hub)
    _t, out = fieldtui(env, "--db", str(hub), "--json", "sync", "init", "--hub", "--name", "hub")
    hub_id = json.loads(out)["replica_id"]
    # Setting up may migrate and back up the copy; the measured runs start from here.
    sheets, files = [], []
    for run in range(runs):
        sheet = work / f"one-row-{run}.csv"
        sheet.write_text(f"企业名称,地址\n基准测试企业{run:03d},大旺{run}号\n", encoding="utf-8")
        sheets.append(sheet)
        laptop = work / f"laptop-{run}.db"
        fieldtui(
            env, "--db", str(laptop), "sync", "init", "--laptop", "--name", f"L{run}",
            "--hub-id", hub_id,
        )  # fmt: skip
        ledger = work / f"laptop-{run}.csv"
        rows = "".join(f"外勤企业{run:03d}-{i}\n" for i in range(5))
        ledger.write_text("企业名称\n" + rows, encoding="utf-8")
        fieldtui(env, "--db", str(laptop), "sheet", "import", "enterprises", str(ledger))
        _t, out = fieldtui(
            env, "--db", str(laptop), "--json", "sync", "export", str(work / f"l{run}.fieldsync")
        )
        (exported,) = json.loads(out)["files"]
        assert exported["ops"] == 20, exported
        files.append(Path(exported["path"]))
    return {"hub": hub, "sheets": sheets, "files": files}


def spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    env = _env(args.src, args.dir)
    demo = demo_database(args.dir, size, env)
    setup = prepare(args.dir / f"work-{size}", demo, args.runs, env)
    hub = str(setup["hub"])
    baseline: list[float] = []
    sheet: list[float] = []
    sync: list[float] = []
    sheet_ratio: list[float] = []
    sync_ratio: list[float] = []
    backups = {"sheet": 0, "sync": 0}
    for run in range(args.runs):
        b1, _ = fieldtui(env, "--db", hub, "sync", "conflicts")
        s, out = fieldtui(
            env, "--db", hub, "--json", "sheet", "import", "enterprises", str(setup["sheets"][run])
        )
        result = json.loads(out)
        assert result["created"] == 1, result
        backups["sheet"] += bool(result.get("backup"))
        b2, _ = fieldtui(env, "--db", hub, "sync", "conflicts")
        y, out = fieldtui(env, "--db", hub, "--json", "sync", "import", str(setup["files"][run]))
        result = json.loads(out)
        assert result["added"] == 20, result
        backups["sync"] += bool(result.get("backup"))
        baseline += [b1, b2]
        sheet.append(s)
        sync.append(y)
        sheet_ratio.append(s / b1)
        sync_ratio.append(y / b2)
    db_bytes = setup["hub"].stat().st_size
    shutil.rmtree(args.dir / f"work-{size}")
    return {
        "enterprises": size,
        "database_mb": round(db_bytes / 2**20, 1),
        "baseline_s": spread(baseline),
        "sheet_import_s": spread(sheet),
        "sync_import_s": spread(sync),
        "sheet_vs_baseline": spread(sheet_ratio),
        "sync_vs_baseline": spread(sync_ratio),
        "backups_made": backups,
        "runs": args.runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/fieldtui-bench-imports"))
    parser.add_argument("--src", type=Path, help="run this checkout's src/ instead")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = [measure(size, args) for size in sizes]
    json.dump(
        {"src": str(args.src or "installed"), "results": results},
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
