"""``fieldtui sheet import|export|columns``: spreadsheets in and out of the database.

fieldtui sheet import KIND FILE [--dry-run] [--strict]
fieldtui sheet export KIND FILE [--english-headers] [--codes]
fieldtui sheet columns [KIND]
"""

from __future__ import annotations

import argparse
from typing import Any

from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Output, open_store
from fieldtui.cli.progress import ProgressLine
from fieldtui.i18n import _, language, ngettext
from fieldtui.sheets.registry import KINDS

_MAX_LISTED = 200


def _description() -> str:
    return _(
        "KIND is one of {kinds}. FILE is .xlsx or .csv (UTF-8 or GBK). Exit status of "
        "import: 1 when the file is refused as a whole (unreadable, no header, a required "
        "column missing) and nothing changed; 0 when the file was read, even if some rows "
        "were refused (they are listed, the good rows are imported); with --strict any "
        "refused row writes nothing and exits 1."
    ).format(kinds=", ".join(KINDS))


def register(sub: Any) -> None:
    usage = "\n".join(
        [
            "  fieldtui sheet import KIND FILE [--dry-run] [--strict]",
            "  fieldtui sheet export KIND FILE [--english-headers] [--codes]",
            "  fieldtui sheet columns [KIND]",
        ]
    )
    parser = sub.add_parser(
        "sheet",
        help=_("import or export xlsx/csv sheets (enterprises, officers, assignments, …)"),
        description=usage + "\n\n" + _description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="sheet_action", metavar="ACTION", required=True, title=_("actions")
    )
    kinds_help = ", ".join(KINDS)

    imp = actions.add_parser(
        "import",
        help=_("read a sheet into the database"),
        description=_(
            "Check every row of FILE, then write the good rows in one transaction (after a "
            "backup). A refused row is listed with its row number and reason."
        ),
    )
    imp.add_argument("kind", choices=list(KINDS), metavar="KIND", help=kinds_help)
    imp.add_argument("file", metavar="FILE", help=_(".xlsx or .csv file"))
    imp.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))
    imp.add_argument(
        "--strict",
        action="store_true",
        help=_("write nothing (and exit 1) if any row is refused"),
    )
    imp.set_defaults(func=run_import)

    exp = actions.add_parser(
        "export",
        help=_("write live records to a sheet"),
        description=_("Write the live records of KIND to FILE (.xlsx or .csv)."),
    )
    exp.add_argument("kind", choices=list(KINDS), metavar="KIND", help=kinds_help)
    exp.add_argument(
        "file", metavar="FILE", help=_("output file; .xlsx or .csv decides the format")
    )
    exp.add_argument(
        "--english-headers",
        action="store_true",
        help=_("English column names instead of Chinese"),
    )
    exp.add_argument(
        "--codes",
        action="store_true",
        help=_("write enum codes (cso, operating) instead of labels"),
    )
    exp.set_defaults(func=run_export)

    cols = actions.add_parser(
        "columns",
        help=_("list the columns of one kind or of all"),
        description=_("List the columns of KIND (or of every kind), required ones starred."),
    )
    cols.add_argument("kind", nargs="?", choices=list(KINDS), metavar="KIND", help=kinds_help)
    cols.set_defaults(func=run_columns)


def kind_title(name: str) -> str:
    kind = KINDS.get(name)
    return kind.label if kind is not None else name


def run_import(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.sheets import SheetFileError, import_sheet

    with (
        open_store(args) as store,
        ProgressLine(out, _("Reading {file}…").format(file=args.file)) as bar,
    ):

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "write" and done == total:
                # The rows are written; the commit (search index, ledger rows) follows.
                bar.update(_("Saving"), 0, None)
            else:
                label = _("Checking rows") if phase == "check" else _("Writing rows")
                bar.update(label, done, total)

        try:
            summary = import_sheet(
                store,
                args.kind,
                args.file,
                dry_run=args.dry_run,
                strict=args.strict,
                progress=progress if bar.enabled else None,
            )
        except SheetFileError as exc:
            if out.as_json:
                out.result({"file": args.file, "kind": args.kind, "error": exc.reason})
            raise CliError(_("{error} (nothing was imported)").format(error=exc)) from None
    data = summary.to_json()
    out.result(data, _import_text(data, args.strict))
    if args.strict and summary.refused:
        return EXIT_BAD_INPUT
    return EXIT_OK


def _import_text(data: dict[str, Any], strict: bool) -> str:
    where = data["file"]
    if data["sheet"]:
        where += " · " + _("worksheet {name}").format(name=data["sheet"])
    if data["encoding"] == "gb18030":
        where += " · GBK"
    lines = [f"{where} → {kind_title(data['kind'])}"]
    counts = [
        _("new {n}").format(n=data["created"]),
        _("updated {n}").format(n=data["updated"]),
        _("unchanged {n}").format(n=data["unchanged"]),
        _("refused {n}").format(n=data["refused"]),
    ]
    if data["removed"]:
        counts.append(_("removed from the plan {n}").format(n=data["removed"]))
    lines.append(" · ".join(counts))
    if data["dry_run"]:
        lines.append(_("Dry run: nothing was written."))
    elif strict and data["refused"]:
        lines.append(_("--strict: rows were refused, so nothing was written."))
    elif not data["written"] and data["refused"]:
        lines.append(_("Nothing was written: no row could be imported."))
    elif not data["written"]:
        lines.append(_("Nothing to change: the database already matches the sheet."))
    if data["refused"]:
        n = data["refused"]
        if data["dry_run"] or strict:
            text = ngettext(
                "{n} row refused; nothing of it was imported:",
                "{n} rows refused; nothing of them was imported:",
                n,
            )
        else:
            text = ngettext(
                "{n} row refused; nothing of it was imported, the other rows were:",
                "{n} rows refused; nothing of them was imported, the other rows were:",
                n,
            )
        lines.append(text.format(n=n))
        lines.extend(_issue_lines(data["errors"]))
    if data["warnings"]:
        lines.append(_("Warnings:"))
        lines.extend(_issue_lines(data["warnings"]))
    if data["backup"]:
        lines.append(
            _("Backup of the database before the import: {path}").format(path=data["backup"])
        )
    return "\n".join(lines)


def _issue_lines(issues: list[dict[str, Any]]) -> list[str]:
    from fieldtui.sheets import RowIssue

    lines = [f"  {RowIssue(i['row'], i['column'], i['message'])}" for i in issues[:_MAX_LISTED]]
    if len(issues) > _MAX_LISTED:
        lines.append(
            "  " + _("… and {n} more (use --json for all)").format(n=len(issues) - _MAX_LISTED)
        )
    return lines


def run_export(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.sheets import SheetFileError, export_sheet

    with open_store(args) as store:
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
    text = ngettext(
        "{file}: {n} record of {kind} written ({format})",
        "{file}: {n} records of {kind} written ({format})",
        data["rows"],
    ).format(
        file=data["file"], n=data["rows"], kind=kind_title(data["kind"]), format=data["format"]
    )
    out.result(data, text)
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
        lines.append(
            f"{k.name}（{k.label}）：{cols}"
            if language() == "zh"
            else f"{k.name} ({k.label}): {cols}"
        )
    out.result(data, "\n".join(lines) + "\n" + _("(* required)"))
    return EXIT_OK
