"""``fieldtui report summary|month|ranking``: the reports the centre files and publishes.

  fieldtui report summary --from DATE --to DATE
  fieldtui report month YYYY-MM [--officer NAME|ID]
  fieldtui report ranking YEAR [--weight NAME=N]...

``--json`` prints the report's data (the summary exactly in domain.md's shape); otherwise a
text report in the interface language (:mod:`fieldtui.cli.report_text`). What each figure
counts is defined in :mod:`fieldtui.reports`.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output
from fieldtui.cli.fieldwork import Values, field_value, open_existing
from fieldtui.domain.schema import PROBLEM, PROBLEM_EVENT
from fieldtui.i18n import _

_USAGE = """\
  fieldtui report summary --from DATE --to DATE
  fieldtui report month YYYY-MM [--officer NAME|ID]
  fieldtui report ranking YEAR [--weight NAME=N]..."""

MIN_YEAR, MAX_YEAR = 1990, 2100


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help=_("period summary, monthly visit report, yearly ranking"),
        description=_USAGE
        + "\n\n"
        + _(
            "Reports count live records only (deleted ones never count). --json prints the "
            "report's data; the README defines every figure."
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
    summary.set_defaults(func=run_summary)

    month = actions.add_parser(
        "month",
        help=_("the monthly visit report, of one officer or of the zone"),
        description=_("the monthly visit report, of one officer or of the zone"),
    )
    month.add_argument("month", metavar="YYYY-MM", help=_("the month, e.g. 2026-11"))
    month.add_argument(
        "--officer", metavar="NAME|ID", help=_("this officer's report (default: the zone's)")
    )
    month.set_defaults(func=run_month)

    ranking = actions.add_parser(
        "ranking",
        help=_("the yearly ranking for the excellent chief service officer award"),
        description=_("the yearly ranking for the excellent chief service officer award"),
    )
    ranking.add_argument("year", metavar="YEAR", help=_("the year, e.g. 2026"))
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
    ranking.set_defaults(func=run_ranking)


def _day(raw: str, option: str) -> date:
    value: date = field_value(PROBLEM_EVENT.field("on"), raw, option, required=True)
    return value


def run_summary(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import summary_text
    from fieldtui.reports.periods import Period
    from fieldtui.reports.summary import summary

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start > end:
        raise CliError(
            _("--from {start} is after --to {end}: the range must not end before it starts").format(
                start=start.isoformat(), end=end.isoformat()
            )
        )
    with open_existing(args) as store:
        data = summary(store, Period(start, end))
    out.result(data, summary_text(data))
    return EXIT_OK


def run_month(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import month_text
    from fieldtui.reports.monthly import monthly_report
    from fieldtui.reports.periods import month_period

    try:
        period = month_period(args.month)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with open_existing(args) as store:
        officer_id = Values(store).parse(PROBLEM.field("officer_id"), args.officer, "--officer")
        data = monthly_report(store, period, officer_id=officer_id)
    out.result(data, month_text(data))
    return EXIT_OK


def run_ranking(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.cli.report_text import ranking_text
    from fieldtui.reports.ranking import check_weights, ranking

    try:
        year = int(args.year)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError
    except ValueError:
        raise CliError(
            _("YEAR “{value}”: give a year from {low} to {high}, e.g. 2026").format(
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
    out.result(data, ranking_text(data))
    return EXIT_OK
