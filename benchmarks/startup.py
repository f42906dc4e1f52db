"""Start-up time of ``fieldtui --demo``: process start to the first area screen mounted.

Each run is a fresh ``python`` process (cold imports, as a user gets) that goes the way the
command line goes: read settings, set the language, open the demo database, import the app,
start it headless (Textual's ``run_test``) and stop when the first area screen is mounted. The
parent takes the time from just before spawning the child to the moment the child reports, on
the system-wide monotonic clock. A bare Textual app with one Static, started the same way, is
the baseline measured in the same run: the ratio is what the shell costs above Textual itself.

    python benchmarks/startup.py [--runs 7] [--db PATH]

Prints JSON. The demo database is built first if missing (not timed; its build time is shown).
Also lists heavy modules that should stay out of start-up (openpyxl, pypinyin, sync, sheets).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("openpyxl", "pypinyin", "fieldtui.sync", "fieldtui.sheets", "fieldtui.reports", "babel")

CHILD_APP = r"""
import asyncio, json, sys, time
from pathlib import Path

async def main(db):
    from fieldtui.cli import build_parser  # what `fieldtui` parses with: every command module
    argv = ["--demo", "--db", db]
    build_parser(argv).parse_args(argv)
    from fieldtui.config import Settings, load_settings, resolve_language, ConfigError
    from fieldtui.i18n import set_language
    try:
        settings = load_settings()
    except ConfigError:
        settings = Settings()
    set_language(resolve_language(None, settings))
    from fieldtui.store import Store
    store = Store(Path(db))
    from fieldtui.app import FieldApp
    app = FieldApp(store, settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        while not (app.current_area and app.screen.is_mounted):
            await asyncio.sleep(0.002)
        mounted = time.monotonic()
        screen = type(app.screen).__name__
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"openpyxl", "pypinyin", "babel"}
                   or m.startswith(("fieldtui.sync", "fieldtui.sheets", "fieldtui.reports")))
    print(json.dumps({"mounted": mounted, "screen": screen, "heavy": heavy}))

asyncio.run(main(sys.argv[1]))
"""

CHILD_BASELINE = r"""
import asyncio, json, time
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("hello")

async def main():
    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.screen.is_mounted:
            await asyncio.sleep(0.002)
        mounted = time.monotonic()
    print(json.dumps({"mounted": mounted, "screen": "Bare", "heavy": []}))

asyncio.run(main())
"""


def time_child(code: str, *args: str) -> tuple[float, dict[str, object]]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return float(report["mounted"]) - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="demo database (default: a temporary one)")
    args = parser.parse_args()

    from fieldtui.demo import build_demo
    from fieldtui.store import Store

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = Path(tmp.name) / "demo.db"
    build_seconds = None
    with Store(args.db) as store:
        if store.is_empty():
            started = time.perf_counter()
            build_demo(store)
            build_seconds = round(time.perf_counter() - started, 2)

    time_child(CHILD_APP, str(args.db))  # warm the OS file cache and .pyc files
    time_child(CHILD_BASELINE)
    app_times, base_times = [], []
    report: dict[str, object] = {}
    for _ in range(args.runs):
        seconds, report = time_child(CHILD_APP, str(args.db))
        app_times.append(seconds)
        base_seconds, _report = time_child(CHILD_BASELINE)
        base_times.append(base_seconds)
    app_median = statistics.median(app_times)
    base_median = statistics.median(base_times)
    print(
        json.dumps(
            {
                "what": "process start to first area screen mounted (fieldtui --demo path)",
                "runs": args.runs,
                "first_screen": report.get("screen"),
                "app_median_s": round(app_median, 3),
                "app_min_s": round(min(app_times), 3),
                "app_max_s": round(max(app_times), 3),
                "bare_textual_median_s": round(base_median, 3),
                "ratio_to_bare_textual": round(app_median / base_median, 2),
                "heavy_modules_at_startup": report.get("heavy"),
                "demo_build_s": build_seconds,
                "python": sys.version.split()[0],
            },
            indent=2,
        )
    )
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
