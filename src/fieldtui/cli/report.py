"""``fieldtui report monthly|summary|ranking``: the reports the centre files and publishes.

  fieldtui report monthly --month YYYY-MM [--officer NAME|ID]
  fieldtui report summary --from DATE --to DATE
  fieldtui report ranking --year YYYY [--weight NAME=N]...

Each takes ``--format md|csv|xlsx|json`` and ``-o FILE``. ``--json`` (= ``--format json``)
prints the report's data (the summary exactly in domain.md's shape); with neither, a text
report in the interface language (:mod:`fieldtui.cli.report_text`). md, csv and xlsx are laid
out by :mod:`fieldtui.reports.render`; ``-o`` writes the file atomically (a temporary name,
then a rename), and without ``-o`` md, csv and json go to stdout (xlsx needs ``-o``). What each
figure counts is defined in :mod:`fieldtui.reports`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.cli.common import EXIT_OK, CliError, Output
from fieldtui.cli.fieldwork import Values, field_value, open_existing
from fieldtui.domain.schema import PROBLEM, PROBLEM_EVENT
from fieldtui.i18n import _, located
from fieldtui.reports.render import FORMATS

if TYPE_CHECKING:
    from fieldtui.reports.tables import Report

_USAGE = """\
  fieldtui report monthly --month YYYY-MM [--officer NAME|ID]
  fieldtui report summary --from DATE --to DATE
  fieldtui report ranking --year YYYY [--weight NAME=N]..."""

MIN_YEAR, MAX_YEAR = 1990, 2100


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help=_("period summary, monthly visit report, yearly ranking"),
        description=_USAGE
        + "\n\n"
        + _(
            "Reports count live records only (deleted ones never count). --format chooses "
            "Markdown, CSV, an Excel workbook or JSON (--json is --format json); -o writes a "
            "file. The README defines every figure."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="report_action", metavar="REPORT", required=True, title=_("reports")
    )
    summary = actions.add_parser(
        "summary",
        help=_("what the centre publishes for a date range"),
        description=_("what the centre publishes for a date range"),
    )
    summary.add_argument("--from", dest="start", required=True, metavar="DATE", help=_("first day"))
    summary.add_argument("--to", dest="end", required=True, metavar="DATE", help=_("last day"))
    _output_options(summary)
    summary.set_defaults(func=run_summary)

    month = actions.add_parser(
        "monthly",
        help=_("the monthly visit report, of one officer or of the zone"),
        description=_("the monthly visit report, of one officer or of the zone"),
    )
    month.add_argument(
        "--month", required=True, metavar="YYYY-MM", help=_("the month, e.g. 2026-11")
    )
    month.add_argument(
        "--officer", metavar="NAME|ID", help=_("this officer's report (default: the zone's)")
    )
    _output_options(month)
    month.set_defaults(func=run_month)

    ranking = actions.add_parser(
        "ranking",
        help=_("the yearly ranking for the excellent chief service officer award"),
        description=_("the yearly ranking for the excellent chief service officer award"),
    )
    ranking.add_argument("--year", required=True, metavar="YYYY", help=_("the year, e.g. 2026"))
    ranking.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="NAME=N",
        help=_(
            "a component's weight for this run (repeatable), over the settings file's "
            "[ranking] table; names: visits resolution on_time satisfaction projects "
            "monthly_report"
        ),
    )
    _output_options(ranking)
    ranking.set_defaults(func=run_ranking)


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help=_(
            "md (Markdown), csv (one table, UTF-8 for Excel), xlsx (a workbook, needs -o) or "
            "json (as --json); default: text, or as the -o file name ends"
        ),
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("write the report to FILE instead of printing it"),
    )


def _day(raw: str, option: str) -> date:
    value: date = field_value(PROBLEM_EVENT.field("on"), raw, option, required=True)
    return value


def run_summary(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import summary_text
    from fieldtui.reports.periods import Period
    from fieldtui.reports.summary import summary
    from fieldtui.reports.tables import summary_tables

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start > end:
        raise CliError(
            _("--from {start} is after --to {end}: the range must not end before it starts").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
    with open_existing(args) as store:
        data = summary(store, Period(start, end))
    return _emit(args, out, data, summary_text(data), summary_tables)


def run_month(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import month_text
    from fieldtui.reports.monthly import monthly_report
    from fieldtui.reports.periods import month_period
    from fieldtui.reports.tables import monthly_tables

    try:
        period = month_period(args.month)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with open_existing(args) as store:
        officer_id = Values(store).parse(PROBLEM.field("officer_id"), args.officer, "--officer")
        data = monthly_report(store, period, officer_id=officer_id)
    return _emit(args, out, data, month_text(data), monthly_tables)


def run_ranking(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import ranking_text
    from fieldtui.reports.ranking import check_weights, ranking
    from fieldtui.reports.tables import ranking_tables

    try:
        year = int(args.year)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError
    except ValueError:
        raise CliError(
            _("--year “{value}”: give a year from {low} to {high}, e.g. 2026").format(
                value=args.year, low=MIN_YEAR, high=MAX_YEAR
            )
        ) from None
    settings = getattr(args, "settings", None)
    weights = dict(getattr(settings, "ranking", None) or {})
    for given in args.weight:
        name, sep, raw = given.partition("=")
        try:
            weights[name.strip()] = float(raw)
        except ValueError:
            sep = ""
        if not sep:
            raise CliError(
                _("--weight “{value}”: give NAME=N, e.g. satisfaction=30").format(value=given)
            )
    try:
        weights = check_weights(weights)
    except ValueError as exc:
        raise CliError(_("--weight: {message}").format(message=exc)) from None
    with open_existing(args) as store:
        scores = ranking(store, year, weights=weights)
    data = {
        "year": year,
        "weights": weights,
        "officers": [s.as_dict() for s in scores],
    }
    return _emit(args, out, data, ranking_text(data), ranking_tables)


_SUFFIXES = {".md": "md", ".markdown": "md", ".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def _emit(
    args: argparse.Namespace,
    out: Output,
    data: dict[str, Any],
    text: str,
    tables: Callable[[dict[str, Any]], Report],
) -> int:
    """The report in the chosen format, printed or written to ``-o``."""
    import json

    from fieldtui.reports import render

    fmt: str | None = args.format or ("json" if out.as_json else None)
    target = Path(args.output).expanduser() if args.output else None
    if fmt is None and target is not None:
        fmt = _SUFFIXES.get(target.suffix.lower())
    if fmt == "xlsx" and target is None:
        raise CliError(_("an xlsx workbook cannot be printed: give -o FILE, e.g. -o report.xlsx"))
    if target is None:
        out.as_json = fmt == "json"  # --format md|csv wins over --json
        if fmt == "json":
            out.result(data)
        elif fmt == "md":
            out.result({}, render.markdown(tables(data)))
        elif fmt == "csv":
            out.result({}, render.csv_text(tables(data), line_end="\n"))
        else:
            out.result(data, text)
        return EXIT_OK
    if fmt == "json":
        content = (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode()
    elif fmt == "md":
        content = render.markdown(tables(data)).encode("utf-8")
    elif fmt == "csv":
        content = render.csv_text(tables(data)).encode("utf-8-sig")
    elif fmt == "xlsx":
        content = render.xlsx_bytes(tables(data))
    else:
        fmt, content = "text", (text + "\n").encode("utf-8")
    _write(target, content)
    out.result(
        {"file": str(target), "format": fmt},
        _("{file}: report written ({format})").format(file=target, format=fmt),
    )
    return EXIT_OK


def _write(path: Path, content: bytes) -> None:
    """Atomically, as the sync files are: a refused or interrupted write never leaves half a
    report where an older one was. One line naming the file when it cannot be written."""
    from fieldtui.store.dberrors import explain
    from fieldtui.sync.fileformat import write_atomically

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(located(path, _("the folder does not exist")))
    if path.is_dir():
        raise CliError(located(path, _("this is a folder; give a file name")))
    try:
        write_atomically(path, [content])
    except OSError as exc:
        raise CliError(located(path, explain(exc) or exc.strerror or str(exc))) from None
