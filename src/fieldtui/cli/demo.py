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
from fieldtui.cli.common import EXIT_OK, CliError, Output, label_lines, quoted
from fieldtui.cli.progress import ProgressLine
from fieldtui.domain.tables import table_title
from fieldtui.i18n import N_, _

_STAGES = {
    "start": N_("Starting"),
    "checklists": N_("Checklists"),
    "officers": N_("Officers"),
    "enterprises": N_("Enterprises"),
    "activities": N_("Investment activities"),
    "projects": N_("Projects"),
    "assignments": N_("Assignment plans"),
    "visits": N_("Visits"),
    "problems": N_("Problems"),
    "meetings": N_("Meetings"),
    "duty lists": N_("Duty checklists"),
    "done": N_("Saving"),
}
"""The demo builder's stages, as the progress line names them."""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help=_("fill an empty database with realistic demo data"),
        description=_(
            "Fill a database with demo data: --size enterprises and a zone's work around "
            "them. Without --db it fills the demo database that fieldtui --demo opens, never "
            "yours ($FIELDTUI_DB is ignored here). A database that already holds data is "
            "refused; to rebuild the demo, delete its file."
        ),
    )
    parser.add_argument(
        "--size",
        type=_positive,
        default=300,
        metavar="N",
        help=_("number of enterprises (default 300; the work around them scales with it)"),
    )
    parser.add_argument(
        "--seed", type=_whole, default=2024, metavar="N", help=_("random seed (default 2024)")
    )
    parser.set_defaults(func=run)


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {value}").format(value=quoted(text))
        ) from None


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be at least 1, got {value}").format(value=value))
    return value


def run(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.demo import build_demo
    from fieldtui.store import Store

    path = Path(args.db).expanduser() if args.db else paths.demo_db()
    args.db_path = path
    with Store(path) as store:
        if not store.is_empty():
            raise CliError(
                _(
                    "{path}: already holds data; demo data needs an empty database "
                    "(delete the file to rebuild the demo, or give another --db)"
                ).format(path=path)
            )
        out.line(
            _("Building demo data in {path} ({size} enterprises, seed {seed})…").format(
                path=path, size=args.size, seed=args.seed
            )
        )
        started = time.perf_counter()
        with ProgressLine(out, _(_STAGES["start"])) as bar:

            def progress(stage: str, fraction: float) -> None:
                bar.update(_(_STAGES.get(stage, stage)), round(fraction * 100, 1), 100)

            counts = build_demo(store, size=args.size, seed=args.seed, progress=progress)
        seconds = round(time.perf_counter() - started, 2)
    lines = [_("{path}: demo data written in {seconds} s").format(path=path, seconds=seconds)]
    lines += [
        "  " + line
        for line in label_lines(
            [(table_title(table), str(count)) for table, count in counts.items() if count]
        )
    ]
    out.result({"db": str(path), "counts": counts, "seconds": seconds}, "\n".join(lines))
    return EXIT_OK
