"""``fieldtui sync init|export|import|conflicts|resolve|status``: sync by file with the office.

  fieldtui sync init --hub [--name NAME]                  make this database the office hub
  fieldtui sync init --laptop [--name NAME] [--hub-id ID] make it an officer's laptop
  fieldtui sync export OUT [--full] [--for LAPTOP]        write sync file(s)
  fieldtui sync import FILE|DIR...                        merge sync files
  fieldtui sync conflicts [--table TABLE]                 list open conflicts
  fieldtui sync resolve TABLE ROW FIELD (--take OP | --value TEXT)
  fieldtui sync status                                    role, vectors, peers, files in/out

A laptop's export carries every op its hub has not acknowledged; OUT may be a directory (a
named file is created in it). The hub writes one file per known laptop into the directory OUT,
or one file with --for LAPTOP; --full writes everything (for a new laptop). Import verifies
each file completely first: a refused file is named with the reason and changes nothing (exit
status 1); files already imported are reported and skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Output, db_path
from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.sync import (
    HUB,
    LAPTOP,
    REFUSED,
    Conflict,
    SyncError,
    export,
    import_files,
    init_role,
    list_conflicts,
    resolve,
    status,
)
from fieldtui.sync.continuity import IdentityChange, identity_changes
from fieldtui.sync.fileformat import SUFFIX
from fieldtui.sync.importer import FileOutcome


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "sync",
        help="exchange sync files between laptops and the office hub",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="make this database the hub or a laptop")
    role = init.add_mutually_exclusive_group(required=True)
    role.add_argument("--hub", action="store_const", const=HUB, dest="role", help="office hub")
    role.add_argument(
        "--laptop", action="store_const", const=LAPTOP, dest="role", help="officer's laptop"
    )
    init.add_argument("--name", help="how others see this database (officer or office name)")
    init.add_argument(
        "--hub-id",
        metavar="ID",
        help="laptops: the hub's replica id (else learnt from the first hub file imported)",
    )
    init.set_defaults(func=run_init)

    exp = actions.add_parser("export", help="write sync file(s) for the peer(s)")
    exp.add_argument("out", metavar="OUT", help="file, or directory to create file(s) in")
    exp.add_argument("--full", action="store_true", help="every op, not just what is missing")
    exp.add_argument(
        "--for", dest="for_peer", metavar="LAPTOP", help="hub: one file for this laptop"
    )
    exp.set_defaults(func=run_export)

    imp = actions.add_parser("import", help="merge sync files (directories: every *.fieldsync)")
    imp.add_argument("files", nargs="+", metavar="FILE", help="sync files or directories")
    imp.set_defaults(func=run_import)

    con = actions.add_parser("conflicts", help="list open conflicts with every kept value")
    con.add_argument("--table", help="only this table (e.g. enterprise)")
    con.set_defaults(func=run_conflicts)

    res = actions.add_parser("resolve", help="settle one conflict")
    res.add_argument("table", metavar="TABLE")
    res.add_argument("row_id", metavar="ROW")
    res.add_argument("field", metavar="FIELD", help="a field, or _deleted for a delete conflict")
    how = res.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", metavar="OP", help="keep this head (op id, or a unique end of it)")
    how.add_argument(
        "--value",
        help="a new value for the field, checked for it (a code or its label, a date, an "
        "amount in 万元, a whole number, a USCC, a phone); empty clears an optional field",
    )
    res.set_defaults(func=run_resolve)

    st = actions.add_parser("status", help="role, version vector, peers and recent files")
    st.set_defaults(func=run_status)


def _open(args: argparse.Namespace) -> Store:
    return Store(db_path(args))


def run_init(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        try:
            me = init_role(store, args.role, name=args.name, hub_id=args.hub_id)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {"replica_id": me.replica_id, "role": me.role, "name": me.name, "hub_id": me.hub_id}
    text = f"this database is the {me.role} {me.name!r} (replica {me.replica_id})"
    if me.role == LAPTOP:
        text += (
            f"; hub {me.hub_id}"
            if me.hub_id
            else "; its hub is learnt from the first hub file it imports"
        )
    out.result(data, text)
    return EXIT_OK


def run_export(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        try:
            files = export(store, Path(args.out), full=args.full, for_peer=args.for_peer)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {
        "files": [
            {
                "path": str(f.path),
                "file_id": f.file_id,
                "target_id": f.target_id,
                "target_name": f.target_name,
                "ops": f.ops,
                "full": f.full,
                "bytes": f.size,
            }
            for f in files
        ]
    }
    lines = [
        f"wrote {f.path}: {f.ops} ops"
        + (f" for {f.target_name or f.target_id}" if f.target_id else "")
        + (" (full)" if f.full else "")
        for f in files
    ]
    out.result(data, "\n".join(lines))
    return EXIT_OK


def _expand(paths: list[str]) -> list[Path]:
    """Files as given; a directory stands for its ``*.fieldsync`` files, oldest name first."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.glob(f"*{SUFFIX}") if p.is_file())
            if not inside:
                raise CliError(f"{path}: no {SUFFIX} files in this directory")
            found.extend(inside)
        else:
            found.append(path)
    return found


def _outcome_json(f: FileOutcome) -> dict[str, Any]:
    return {
        "path": str(f.path),
        "status": f.status,
        "reason": f.reason,
        "file_id": f.file_id,
        "source_id": f.source_id,
        "source_name": f.source_name,
        "source_role": f.source_role,
        "ops": f.ops,
        "added": f.added,
        "flagged": [
            {"replica_id": x.replica_id, "name": x.name, "ops": x.ops, "latest": x.latest}
            for x in f.flagged
        ],
    }


def run_import(args: argparse.Namespace, out: Output) -> int:
    paths = _expand(args.files)
    with _open(args) as store:
        try:
            report = import_files(store, paths)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {
        "files": [_outcome_json(f) for f in report.files],
        "added": report.added,
        "rows_created": report.rows_created,
        "rows_updated": report.rows_updated,
        "conflicts_opened": report.conflicts_opened,
        "conflicts_closed": report.conflicts_closed,
        "open_conflicts": report.open_conflicts,
        "backup": str(report.backup) if report.backup else None,
        "identity_change": report.identity_change.to_json() if report.identity_change else None,
    }
    lines: list[str] = []
    for f in report.files:
        who = f" from {f.source_role} {f.source_name!r}" if f.source_name else ""
        if f.status == REFUSED:
            lines.append(f"refused {f.path}: {f.reason}")
        elif f.status == "imported":
            lines.append(f"imported {f.path}{who}: {f.added} new of {f.ops} ops")
        else:
            lines.append(f"{f.status}: {f.path}" + (f" ({f.reason})" if f.reason else ""))
        for x in f.flagged:
            lines.append(
                f"  warning: {x.ops} ops from {x.name or x.replica_id} are stamped {x.latest}, "
                "more than a day ahead of this computer's clock; check that computer's date "
                "(the ops were merged)"
            )
    if report.added or any(f.status == "imported" for f in report.files):
        lines.append(
            f"{report.added} ops merged, {report.rows_created} rows created, "
            f"{report.rows_updated} updated; conflicts: {report.conflicts_opened} new, "
            f"{report.conflicts_closed} settled, {report.open_conflicts} open"
        )
        if report.backup:
            lines.append(f"backup before import: {report.backup}")
    if report.open_conflicts:
        lines.append("see `fieldtui sync conflicts`")
    if report.identity_change is not None:
        lines.append(identity_change_text(report.identity_change))
    if report.refused and not out.as_json:
        # The refusals go to stderr as well, so a script sees them next to the exit status.
        for f in report.refused:
            sys.stderr.write(f"fieldtui: refused {f.path}: {f.reason}\n")
    out.result(data, "\n".join(lines))
    return EXIT_BAD_INPUT if report.refused else EXIT_OK


def identity_change_text(change: IdentityChange) -> str:
    """What the officer is told when a file shows this database was put back from a copy."""
    return _(
        "This database was put back from a copy (or copied): the file from {peer} shows it "
        "holds {held} changes made here, more than this database ever sent ({kept}). So "
        "that no edit is lost, it now continues as a new replica {new} (it was {old}); "
        "{reissued} edits the office may not have were re-issued under it. Export and "
        "import as usual: the office will also send back what this copy had forgotten."
    ).format(
        peer=change.peer_id,
        held=change.peer_held,
        kept=change.kept,
        new=change.new_id,
        old=change.old_id,
        reissued=change.reissued,
    )


def identity_history_lines(changes: list[IdentityChange]) -> list[str]:
    """``sync status`` and ``doctor``: each time this database continued under a new id."""
    return [
        _(
            "{at}: put back from a copy; continued as replica {new} (was {old}), "
            "{reissued} edits re-issued"
        ).format(at=c.at, new=c.new_id, old=c.old_id, reissued=c.reissued)
        for c in changes
    ]


def _conflict_json(c: Conflict) -> dict[str, Any]:
    return {
        "table": c.table,
        "row_id": c.row_id,
        "field": c.field,
        "label": c.label,
        "kind": "delete" if c.is_delete else "field",
        "row_deleted": c.row_deleted,
        "detected_at": c.detected_at,
        "heads": [
            {
                "op_id": h.op_id,
                "field": h.field,
                "kind": h.kind,
                "value": h.value,
                "replica_id": h.replica_id,
                "replica_name": h.replica_name,
                "stamp": h.stamp,
                "shown": h.winner,
            }
            for h in c.heads
        ],
    }


def _conflict_text(c: Conflict) -> str:
    what = "deleted on one side, edited on another" if c.is_delete else f"field {c.field}"
    lines = [f"{c.table} {c.label} ({c.row_id}): {what}"]
    for h in c.heads:
        who = h.replica_name or h.replica_id[:8]
        mark = "*" if h.winner else " "
        if h.kind == "edit":
            shown = f"{h.field} = {h.value!r}" if c.is_delete else repr(h.value)
        else:
            shown = h.kind
        lines.append(f"  {mark} {h.op_id}  {shown}  by {who} at {h.stamp}")
    lines.append(f"  resolve: fieldtui sync resolve {c.table} {c.row_id} {c.field} --take OP")
    return "\n".join(lines)


def run_conflicts(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        try:
            found = list_conflicts(store.db, args.table)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {"count": len(found), "conflicts": [_conflict_json(c) for c in found]}
    if not found:
        text = "no open conflicts"
    else:
        text = "\n".join(_conflict_text(c) for c in found)
        text += f"\n{len(found)} open conflict(s); * marks the value shown until resolved"
    out.result(data, text)
    return EXIT_OK


def run_resolve(args: argparse.Namespace, out: Output) -> int:
    kwargs: dict[str, Any] = {"take": args.take} if args.take else {"value": args.value}
    with _open(args) as store:
        try:
            done = resolve(store, args.table, args.row_id, args.field, **kwargs)
        except (SyncError, KeyError) as exc:
            raise CliError(str(exc)) from exc
    out.result({"resolved": done}, f"resolved: {done}")
    return EXIT_OK


def run_status(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        st = status(store)
        changes = identity_changes(store.db)
    me = st.me

    def files(records: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "file_id": r.file_id,
                "at": r.at,
                "path": r.path,
                "peer_id": r.peer_id,
                "ops": r.ops,
                "applied": r.applied,
                "flagged": r.flagged,
                "full": r.full,
            }
            for r in records
        ]

    data = {
        "replica_id": me.replica_id,
        "role": me.role,
        "name": me.name,
        "hub_id": me.hub_id,
        "ops": st.ops,
        "vector": st.vector,
        "open_conflicts": st.open_conflicts,
        "peers": [
            {
                "replica_id": p.peer.replica_id,
                "role": p.peer.role,
                "name": p.peer.name,
                "vector": p.peer.vector,
                "pending": p.pending,
                "last_in_at": p.peer.last_in_at,
                "last_out_at": p.peer.last_out_at,
            }
            for p in st.peers
        ],
        "files_in": files(st.files_in),
        "files_out": files(st.files_out),
        "identity_changes": [c.to_json() for c in changes],
    }
    lines = [
        f"replica {me.replica_id}: {me.role or 'no role yet (run fieldtui sync init)'}"
        + (f" {me.name!r}" if me.name else ""),
        f"ops held: {st.ops}; open conflicts: {st.open_conflicts}",
    ]
    if me.role == LAPTOP:
        lines.append(f"hub: {me.hub_id or 'not known yet (import a hub file)'}")
    for p in st.peers:
        lines.append(
            f"{p.peer.role} {p.peer.name!r} ({p.peer.replica_id}): {p.pending} ops to send; "
            f"last file in {p.peer.last_in_at or 'never'}, out {p.peer.last_out_at or 'never'}"
        )
    for label, records in (("in", st.files_in), ("out", st.files_out)):
        for r in records:
            lines.append(f"file {label} {r.at}: {r.path} ({r.ops} ops)")
    lines.extend(identity_history_lines(changes))
    out.result(data, "\n".join(lines))
    return EXIT_OK
