"""``fieldtui demo [--db PATH] [--size N] [--seed N]``: fill a database with demo data.

Without ``--db`` it fills the demo database that ``fieldtui --demo`` opens, never your own
(``$FIELDTUI_DB`` is ignored here): demo rows in a real database would travel to the office
by sync. A database that already holds data is refused (exit 1); to rebuild the demo, delete
its file first (``fieldtui doctor --db PATH`` shows where it is).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from fieldtui import paths
from fieldtui.cli.common import EXIT_OK, CliError, Output


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="fill an empty database with realistic demo data",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument(
        "--size",
        type=_positive,
        default=300,
        metavar="N",
        help="number of enterprises (default 300; the work around them scales with it)",
    )
    parser.add_argument(
        "--seed", type=int, default=2024, metavar="N", help="random seed (default 2024)"
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def run(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.demo import build_demo
    from fieldtui.store import Store

    path = Path(args.db).expanduser() if args.db else paths.demo_db()
    with Store(path) as store:
        if not store.is_empty():
            raise CliError(
                f"{path}: already holds data; demo data needs an empty database "
                "(delete the file to rebuild the demo, or give another --db)"
            )
        out.line(f"building demo data in {path} (size {args.size}, seed {args.seed})…")
        started = time.perf_counter()
        counts = build_demo(store, size=args.size, seed=args.seed)
        seconds = round(time.perf_counter() - started, 2)
    lines = [f"{path}: demo data written in {seconds} s"]
    lines += [f"  {table}: {count}" for table, count in counts.items() if count]
    out.result({"db": str(path), "counts": counts, "seconds": seconds}, "\n".join(lines))
    return EXIT_OK
