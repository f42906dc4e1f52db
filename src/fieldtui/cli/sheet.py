"""``fieldtui sheet import|export|columns``: spreadsheets in and out of the database.

  fieldtui sheet import KIND FILE [--dry-run] [--strict]
  fieldtui sheet export KIND FILE [--english-headers] [--codes]
  fieldtui sheet columns [KIND]

KIND is one of enterprises, officers, assignments, projects, visits, problems, meetings,
activities. FILE is .xlsx or .csv (UTF-8 or GBK). Exit status of import: 1 when the file is
refused as a whole (unreadable, no header, a required column missing) and nothing changed;
0 when the file was read, even if some rows were refused (they are listed, the good rows
are imported); with --strict any refused row writes nothing and exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Output, db_path
from fieldtui.sheets.registry import KINDS

_MAX_LISTED = 200


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "sheet",
        help="import or export xlsx/csv sheets (enterprises, officers, assignments, …)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="sheet_action", metavar="ACTION", required=True)

    imp = actions.add_parser("import", help="read a sheet into the database")
    imp.add_argument("kind", choices=list(KINDS), metavar="KIND", help=", ".join(KINDS))
    imp.add_argument("file", metavar="FILE", help=".xlsx or .csv file")
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.add_argument(
        "--strict", action="store_true", help="write nothing (and exit 1) if any row is refused"
    )
    imp.set_defaults(func=run_import)

    exp = actions.add_parser("export", help="write live records to a sheet")
    exp.add_argument("kind", choices=list(KINDS), metavar="KIND", help=", ".join(KINDS))
    exp.add_argument("file", metavar="FILE", help="output file; .xlsx or .csv decides the format")
    exp.add_argument(
        "--english-headers", action="store_true", help="English column names instead of Chinese"
    )
    exp.add_argument(
        "--codes", action="store_true", help="write enum codes (cso, operating) instead of labels"
    )
    exp.set_defaults(func=run_export)

    cols = actions.add_parser("columns", help="list the columns of one kind or of all")
    cols.add_argument("kind", nargs="?", choices=list(KINDS), metavar="KIND")
    cols.set_defaults(func=run_columns)


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(phase: str, done: int, total: int) -> None:
        label = "checking" if phase == "check" else "writing"
        end = "\n" if done == total and phase == "write" else ""
        sys.stderr.write(f"\r{label} {done}/{total}   {end}")
        sys.stderr.flush()

    return show


def run_import(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.sheets import SheetFileError, import_sheet
    from fieldtui.store import Store

    path = db_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store(path) as store:
        try:
            summary = import_sheet(
                store,
                args.kind,
                args.file,
                dry_run=args.dry_run,
                strict=args.strict,
                progress=None if out.as_json else _progress_printer(),
            )
        except SheetFileError as exc:
            if out.as_json:
                out.result({"file": args.file, "kind": args.kind, "error": exc.reason})
            raise CliError(f"{exc} (nothing was imported)") from None
    if sys.stderr.isatty() and not out.as_json:
        sys.stderr.write("\r\033[K")
    data = summary.to_json()
    out.result(data, _import_text(data, args.strict))
    if args.strict and summary.refused:
        return EXIT_BAD_INPUT
    return EXIT_OK


def _import_text(data: dict[str, Any], strict: bool) -> str:
    where = data["file"] + (f" (sheet {data['sheet']})" if data["sheet"] else "")
    if data["encoding"] == "gb18030":
        where += " (GBK)"
    lines = [f"{where} → {data['kind']}"]
    counts = (
        f"created {data['created']}, updated {data['updated']}, "
        f"unchanged {data['unchanged']}, refused {data['refused']}"
    )
    if data["removed"]:
        counts += f", removed {data['removed']} (not in the sheet's plan)"
    lines.append(counts)
    if data["dry_run"]:
        lines.append("Dry run: nothing was written.")
    elif strict and data["refused"]:
        lines.append("--strict: rows were refused, so nothing was written.")
    elif not data["written"]:
        lines.append("Nothing to change: the database already matches the sheet.")
    if data["refused"]:
        lines.append(
            f"{data['refused']} row(s) refused; nothing of them was imported"
            + ("" if data["dry_run"] or strict else ", the other rows were")
            + ":"
        )
        lines.extend(_issue_lines(data["errors"]))
    if data["warnings"]:
        lines.append("Warnings:")
        lines.extend(_issue_lines(data["warnings"]))
    if data["backup"]:
        lines.append(f"Backup of the database before the import: {data['backup']}")
    return "\n".join(lines)


def _issue_lines(issues: list[dict[str, Any]]) -> list[str]:
    lines = []
    for issue in issues[:_MAX_LISTED]:
        where = ", ".join(
            p for p in (f"row {issue['row']}" if issue["row"] else "", issue["column"] or "") if p
        )
        lines.append(f"  {where}: {issue['message']}" if where else f"  {issue['message']}")
    if len(issues) > _MAX_LISTED:
        lines.append(f"  … and {len(issues) - _MAX_LISTED} more (use --json for all)")
    return lines


def run_export(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.sheets import SheetFileError, export_sheet
    from fieldtui.store import Store

    path = db_path(args)
    if not path.exists():
        raise CliError(f"{path}: no such database (give --db PATH or set FIELDTUI_DB)")
    with Store(path) as store:
        try:
            summary = export_sheet(
                store,
                args.kind,
                args.file,
                english_headers=args.english_headers,
                labels="code" if args.codes else "zh",
            )
        except SheetFileError as exc:
            raise CliError(str(exc)) from None
    data = summary.to_json()
    out.result(data, f"{data['file']}: {data['rows']} {data['kind']} written ({data['format']})")
    return EXIT_OK


def run_columns(args: argparse.Namespace, out: Output) -> int:
    kinds = [KINDS[args.kind]] if args.kind else list(KINDS.values())
    data = {
        k.name: [
            {"header": c.zh, "alias": c.key, "required": c.required, "also": list(c.aliases)}
            for c in k.columns
        ]
        for k in kinds
    }
    lines = []
    for k in kinds:
        cols = " · ".join(f"{c.zh} {c.key}{' *' if c.required else ''}" for c in k.columns)
        lines.append(f"{k.name}: {cols}")
    out.result(data, "\n".join(lines) + "\n(* required)")
    return EXIT_OK
