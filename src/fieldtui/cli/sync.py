"""``fieldtui sync init|export|import|conflicts|resolve|status``: sync by file with the office.

The usage lines below are the command's help; the descriptions come from ``_description``
so they are translated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fieldtui.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CliError,
    Output,
    open_store,
    prefixed,
    quoted,
)
from fieldtui.cli.progress import ProgressLine
from fieldtui.cli.sync_team import register_team, team_json, team_lines
from fieldtui.domain.printable import printable
from fieldtui.domain.tables import table_title
from fieldtui.i18n import _, bracketed, labelled, language, located, ngettext
from fieldtui.store import Store
from fieldtui.store.dberrors import explain
from fieldtui.sync import (
    ALREADY,
    HUB,
    IMPORTED,
    LAPTOP,
    OWN,
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
from fieldtui.sync.exporter import Skipped
from fieldtui.sync.fileformat import SUFFIX
from fieldtui.sync.held import HeldValue, held_values
from fieldtui.sync.report import CANCELLED, FileOutcome, ImportReport
from fieldtui.sync.team import team_status as sync_team_status

USAGE = """\
  fieldtui sync init --hub [--name NAME]
  fieldtui sync init --laptop [--name NAME] [--hub-id ID]
  fieldtui sync export OUT [--full] [--for LAPTOP]
  fieldtui sync import FILE|DIR...
  fieldtui sync conflicts [--table TABLE]
  fieldtui sync resolve TABLE ROW FIELD (--take OP | --value TEXT)
  fieldtui sync held [--all]
  fieldtui sync status
  fieldtui sync team [status]
  fieldtui sync team create [--name NAME]
  fieldtui sync team join OUT
  fieldtui sync team enroll REQUEST [--out DIR]
  fieldtui sync team revoke LAPTOP"""


def _description() -> str:
    return _(
        "A laptop's export carries every change its hub has not acknowledged; OUT may be a "
        "folder (a named file is created in it; a folder ending in / is created if missing). "
        "The hub writes one file per known laptop into the folder OUT, or one file with "
        "--for LAPTOP; --full writes everything (for a new laptop). Import verifies each "
        "file completely first: a refused file is named with the reason and changes nothing "
        "(exit status 1); files already imported are reported and skipped."
    )


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "sync",
        help=_("exchange sync files between laptops and the office hub"),
        description=USAGE + "\n\n" + _description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="sync_action", metavar="ACTION", required=True, title=_("actions")
    )

    init = actions.add_parser(
        "init",
        help=_("make this database the hub or a laptop (creates it if needed)"),
        description=_(
            "Make this database the office hub or an officer's laptop, for good (a laptop's "
            "--name and --hub-id may change later). Creates the database if it does not "
            "exist yet."
        ),
    )
    role = init.add_mutually_exclusive_group(required=True)
    role.add_argument("--hub", action="store_const", const=HUB, dest="role", help=_("office hub"))
    role.add_argument(
        "--laptop", action="store_const", const=LAPTOP, dest="role", help=_("officer's laptop")
    )
    init.add_argument("--name", help=_("how others see this database (officer or office name)"))
    init.add_argument(
        "--hub-id",
        metavar="ID",
        help=_("laptops: the hub's replica id (else learnt from the first hub file imported)"),
    )
    init.set_defaults(func=run_init)

    exp = actions.add_parser(
        "export",
        help=_("write sync file(s) for the peer(s)"),
        description=_(
            "OUT is an existing folder, a new folder ending in / (created), or a file name "
            "ending in {suffix}."
        ).format(suffix=SUFFIX),
    )
    exp.add_argument(
        "out",
        metavar="OUT",
        help=_("folder, or file name ending in {suffix}").format(suffix=SUFFIX),
    )
    exp.add_argument(
        "--full", action="store_true", help=_("every change, not just what is missing")
    )
    exp.add_argument(
        "--for", dest="for_peer", metavar="LAPTOP", help=_("hub: one file for this laptop")
    )
    exp.set_defaults(func=run_export)

    imp = actions.add_parser(
        "import",
        help=_("merge sync files (folders: every {suffix} file)").format(suffix=SUFFIX),
        description=_(
            "Merge sync files; a folder stands for its {suffix} files. Each file is verified "
            "completely before anything is written."
        ).format(suffix=SUFFIX),
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help=_("sync files or folders"))
    imp.set_defaults(func=run_import)

    con = actions.add_parser(
        "conflicts",
        help=_("list open conflicts with every kept value"),
        description=_("List open conflicts with every kept value; * marks the value shown."),
    )
    con.add_argument("--table", help=_("only this table (e.g. enterprise)"))
    con.set_defaults(func=run_conflicts)

    res = actions.add_parser(
        "resolve",
        help=_("settle one conflict"),
        description=_(
            "Settle one conflict: keep one of its values (--take) or write a new one "
            "(--value). FIELD _deleted settles a delete conflict."
        ),
    )
    res.add_argument("table", metavar="TABLE")
    res.add_argument("row_id", metavar="ROW")
    res.add_argument("field", metavar="FIELD", help=_("a field, or _deleted for a delete conflict"))
    how = res.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--take", metavar="OP", help=_("keep this value (op id, or a unique end of it)")
    )
    how.add_argument(
        "--value",
        help=_(
            "a new value for the field, checked for it (a code or its label, a date, an "
            "amount in 万元, a whole number, a USCC, a phone); empty clears an optional field"
        ),
    )
    res.set_defaults(func=run_resolve)

    held = actions.add_parser(
        "held",
        help=_("values held aside because they do not fit their fields"),
        description=_(
            "Values received in sync files that do not fit their fields (a head count of "
            "'abc', a 30 February): they never reach a record, and are listed here with "
            "the record, the field and who wrote them. Enter the right value in the "
            "record to settle one; --all lists the settled ones too."
        ),
    )
    held.add_argument("--all", action="store_true", help=_("settled ones too"))
    held.set_defaults(func=run_held)

    register_team(actions)

    st = actions.add_parser(
        "status",
        help=_("role, version vector, peers and recent files"),
        description=_("This database's role, what each peer still lacks, the last files."),
    )
    st.set_defaults(func=run_status)


def _open(args: argparse.Namespace) -> Store:
    return open_store(args)


def _needs_profile(store: Store) -> bool:
    """A laptop that holds officers but has none chosen as its user (set up from the hub's
    file, the first-run screen never appeared): worth a hint after an import."""
    from fieldtui.store.profile import current_officer
    from fieldtui.sync import identity

    return (
        identity(store).role == LAPTOP
        and current_officer(store) is None
        and store.officers.count() > 0
    )


def _role_name(role: str | None) -> str:
    if role == HUB:
        return _("hub")
    if role == LAPTOP:
        return _("laptop")
    return role or ""


def run_init(args: argparse.Namespace, out: Output) -> int:
    with open_store(args, create=True) as store:
        try:
            me = init_role(store, args.role, name=args.name, hub_id=args.hub_id)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {"replica_id": me.replica_id, "role": me.role, "name": me.name, "hub_id": me.hub_id}
    if me.role == HUB:
        text = _("This database is the hub {name} (replica {id}).")
    elif me.hub_id:
        text = _("This database is the laptop {name} (replica {id}); its hub is {hub}.")
    else:
        text = _(
            "This database is the laptop {name} (replica {id}); its hub is learnt from the "
            "first hub file it imports."
        )
    out.result(data, text.format(name=quoted(printable(me.name)), id=me.replica_id, hub=me.hub_id))
    return EXIT_OK


def run_export(args: argparse.Namespace, out: Output) -> int:
    skipped: list[Skipped] = []
    with _open(args) as store:
        try:
            files = export(store, args.out, full=args.full, for_peer=args.for_peer, skipped=skipped)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:  # the stick is full, write-protected or gone
            reason = explain(exc) or exc.strerror or str(exc)
            raise CliError(located(args.out, reason)) from exc
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
                "sealed": f.sealed,
            }
            for f in files
        ]
    }
    lines = []
    for f in files:
        if f.target_id:
            text = ngettext(
                "Wrote {path}: {n} change for {target}",
                "Wrote {path}: {n} changes for {target}",
                f.ops,
            )
        else:
            text = ngettext("Wrote {path}: {n} change", "Wrote {path}: {n} changes", f.ops)
        target = printable(f.target_name or f.target_id or "")
        line = text.format(path=f.path, n=f.ops, target=quoted(target))
        lines.append(line + (_(" (everything)") if f.full else ""))
    for x in skipped:
        lines.append(
            _("No file for {name}: {why}").format(
                name=quoted(printable(x.target_name or x.target_id)), why=x.reason
            )
        )
    data["skipped"] = [
        {"target_id": x.target_id, "target_name": x.target_name, "reason": x.reason}
        for x in skipped
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
                raise CliError(
                    _("{path}: no {suffix} files in this folder").format(path=path, suffix=SUFFIX)
                )
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
        "held": [_held_json(h) for h in f.held],
        "device": f.device,
    }


def _held_json(h: HeldValue) -> dict[str, Any]:
    return {
        "op_id": h.op_id,
        "table": h.table,
        "row_id": h.row_id,
        "field": h.field,
        "label": h.label,
        "value": h.value,
        "reason": h.reason,
        "replica_id": h.replica_id,
        "replica_name": h.replica_name,
        "stamp": h.stamp,
        "held_at": h.held_at,
        "superseded": h.superseded,
    }


def held_text(h: HeldValue) -> str:
    """One held value in one line: the record, the field's problem (naming the value)."""
    return _("{table} {label} ({row}): {reason}").format(
        table=table_title(h.table),
        label=quoted(printable(h.label)),
        row=h.row_id,
        reason=printable(h.reason),
    )


def _outcome_text(f: FileOutcome) -> list[str]:
    who = ""
    if f.source_name:
        who = _(" from the {role} {name}").format(
            role=_role_name(f.source_role), name=quoted(printable(f.source_name))
        )
    if f.status == REFUSED:
        lines = [_("Refused {path}: {reason}").format(path=f.path, reason=printable(f.reason))]
    elif f.status == CANCELLED:
        lines = [_("Not imported (cancelled): {path}").format(path=f.path)]
    elif f.status == IMPORTED:
        lines = [
            ngettext(
                "Imported {path}{who}: {added} new of {n} change",
                "Imported {path}{who}: {added} new of {n} changes",
                f.ops,
            ).format(path=f.path, who=who, added=f.added, n=f.ops)
        ]
    elif f.status == ALREADY and f.reason:
        lines = [
            _("Already imported: {path} ({reason})").format(path=f.path, reason=printable(f.reason))
        ]
    elif f.status == ALREADY:
        lines = [_("Already imported: {path}").format(path=f.path)]
    elif f.status == OWN:
        lines = [_("Written by this database, nothing to do: {path}").format(path=f.path)]
    else:
        lines = [f"{f.status}: {f.path}"]
    for x in f.flagged:
        lines.append(
            "  "
            + ngettext(
                "Warning: {n} change from {who} is stamped {latest}, more than a day ahead of "
                "this computer's clock; check that computer's date (it was merged)",
                "Warning: {n} changes from {who} are stamped {latest}, more than a day ahead of "
                "this computer's clock; check that computer's date (they were merged)",
                x.ops,
            ).format(n=x.ops, who=quoted(printable(x.name or x.replica_id)), latest=x.latest)
        )
    for h in f.held:
        lines.append("  " + _("Held aside, not in the record: {what}").format(what=held_text(h)))
    return lines


def _held_line(path: Path, h: HeldValue) -> str:
    return _("Held aside from {path}: {what}").format(path=path, what=held_text(h))


def _tables_text(report: ImportReport) -> list[str]:
    lines = []
    for table, c in sorted(report.tables.items()):
        parts = [
            text.format(n=n)
            for n, text in (
                (c.created, _("{n} created")),
                (c.updated, _("{n} updated")),
                (c.deleted, _("{n} deleted")),
                (c.restored, _("{n} restored")),
            )
            if n
        ]
        if parts:
            lines.append(
                "  "
                + _("{kind}: {changes}").format(
                    kind=table_title(table), changes=_(", ").join(parts)
                )
            )
    return lines


def run_import(args: argparse.Namespace, out: Output) -> int:
    paths = _expand(args.files)
    with _open(args) as store, ProgressLine(out, _("Reading sync files…")) as bar:

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "read":
                bar.update(_("Verifying {file}").format(file=paths[done].name), done, total)
            elif phase == "backup":
                bar.update(_("Backing up the database"), 0, None)
            else:
                bar.update(
                    ngettext("Merging {n} change", "Merging {n} changes", total).format(n=total),
                    0,
                    None,
                )

        try:
            report = import_files(store, paths, progress=progress if bar.enabled else None)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
        needs_profile = _needs_profile(store)
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
        "changes": {
            table: {
                "created": c.created,
                "updated": c.updated,
                "deleted": c.deleted,
                "restored": c.restored,
            }
            for table, c in sorted(report.tables.items())
        },
        "held": len(report.held),
        "cancelled": report.cancelled,
        "joined": None
        if report.joined is None
        else {
            "team_id": report.joined.team_id,
            "name": report.joined.name,
            "hub_device": report.joined.hub_fingerprint,
        },
    }
    lines: list[str] = []
    for f in report.files:
        lines.extend(_outcome_text(f))
    if report.added or any(f.status == IMPORTED for f in report.files):
        lines.append(
            ngettext(
                "{added} change merged: {created} records created, {updated} updated; "
                "conflicts: {opened} new, {closed} settled, {open} open",
                "{added} changes merged: {created} records created, {updated} updated; "
                "conflicts: {opened} new, {closed} settled, {open} open",
                report.added,
            ).format(
                added=report.added,
                created=report.rows_created,
                updated=report.rows_updated,
                opened=report.conflicts_opened,
                closed=report.conflicts_closed,
                open=report.open_conflicts,
            )
        )
        lines.extend(_tables_text(report))
        if report.backup:
            lines.append(_("Backup before the import: {path}").format(path=report.backup))
    if report.open_conflicts:
        lines.append(_("See them with: fieldtui sync conflicts"))
    if needs_profile:
        lines.append(
            _(
                "This laptop has no officer chosen yet: fieldtui profile set NAME (fieldtui "
                "profile list shows the officers received)"
            )
        )
    if report.identity_change is not None:
        lines.append(identity_change_text(report.identity_change))
    if report.joined is not None:
        lines.append(
            _(
                "This laptop joined the team {name}: from now on it takes files only from the "
                "hub device {fp} (fieldtui sync team at the office shows the same), and its "
                "own files are signed and encrypted."
            ).format(name=quoted(printable(report.joined.name)), fp=report.joined.hub_fingerprint)
        )
    if report.held:
        lines.append(_("See the values held aside with: fieldtui sync held"))
    if not out.as_json:
        # Refusals and held values go to stderr as well, one line each, so a script sees
        # them next to the exit status.
        for f in report.files:
            if f.status == REFUSED:
                reason = printable(f.reason)
                sys.stderr.write(
                    prefixed(_("Refused {path}: {reason}").format(path=f.path, reason=reason))
                    + "\n"
                )
            for h in f.held:
                sys.stderr.write(prefixed(_held_line(f.path, h)) + "\n")
    out.result(data, "\n".join(lines))
    return EXIT_BAD_INPUT if report.refused or report.held or report.cancelled else EXIT_OK


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


def _value_text(table: str, field: str, value: object) -> str:
    """A kept value as people read it: a code with its label (“停产”（suspended）)."""
    from fieldtui.domain.schema import field_of
    from fieldtui.domain.schema.coded import Code, code_label

    try:
        found = field_of(table, field)
    except ValueError:
        return quoted(printable(value))
    if isinstance(found.type, Code) and isinstance(value, str):
        label = code_label(found.type.enum, value, language())
        if label != value:
            return quoted(printable(label)) + bracketed(printable(value))
    return quoted(printable(value))


def _conflict_text(c: Conflict) -> str:
    what = (
        _("deleted on one side, edited on another")
        if c.is_delete
        else _("field {field}").format(field=c.field)
    )
    record = _("{table} {label}").format(
        table=table_title(c.table), label=quoted(printable(c.label))
    )
    lines = [labelled(record + bracketed(c.row_id), what)]
    kinds = {"delete": _("delete"), "restore": _("restore")}
    for h in c.heads:
        who = printable(h.replica_name or h.replica_id[:8])
        mark = "*" if h.winner else " "
        value = printable(h.value)
        if h.kind == "edit":
            value = _value_text(c.table, h.field, h.value)
            shown = f"{h.field} = {value}" if c.is_delete else value
        else:
            shown = kinds.get(h.kind, h.kind)
        lines.append(
            f"  {mark} {h.op_id}  "
            + _("{value} by {who} at {stamp}").format(value=shown, who=who, stamp=h.stamp)
        )
    lines.append(
        "  "
        + _("resolve: {command}").format(
            command=f"fieldtui sync resolve {c.table} {c.row_id} {c.field} --take OP"
        )
    )
    return "\n".join(lines)


def run_conflicts(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        try:
            found = list_conflicts(store.db, args.table)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {"count": len(found), "conflicts": [_conflict_json(c) for c in found]}
    if not found:
        text = _("No open conflicts.")
    else:
        text = "\n".join(_conflict_text(c) for c in found)
        text += "\n" + ngettext(
            "{n} open conflict; * marks the value shown until it is resolved",
            "{n} open conflicts; * marks the value shown until each is resolved",
            len(found),
        ).format(n=len(found))
    out.result(data, text)
    return EXIT_OK


def run_resolve(args: argparse.Namespace, out: Output) -> int:
    kwargs: dict[str, Any] = {"take": args.take} if args.take else {"value": args.value}
    with _open(args) as store:
        try:
            done = resolve(store, args.table, args.row_id, args.field, **kwargs)
        except (SyncError, KeyError) as exc:
            raise CliError(str(exc)) from exc
    out.result({"resolved": done}, _("Resolved: {what}").format(what=printable(done)))
    return EXIT_OK


def run_held(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        found = held_values(store.db, include_superseded=args.all)
    data = {"count": len(found), "held": [_held_json(h) for h in found]}
    if not found:
        text = _("No values held aside.")
    else:
        lines = []
        for h in found:
            who = printable(h.replica_name or h.replica_id[:8])
            lines.append(held_text(h))
            lines.append(
                "  "
                + _("{value} by {who} at {stamp}").format(
                    value=quoted(printable(h.value)), who=who, stamp=h.stamp
                )
                + (_(" (settled: a later edit replaced it)") if h.superseded else "")
            )
        lines.append(
            ngettext(
                "{n} value held aside: it never reached its record; enter the right value "
                "in the record to settle it",
                "{n} values held aside: they never reached their records; enter the right "
                "value in each record to settle it",
                len(found),
            ).format(n=len(found))
        )
        text = "\n".join(lines)
    out.result(data, text)
    return EXIT_OK


def run_status(args: argparse.Namespace, out: Output) -> int:
    with _open(args) as store:
        st = status(store)
        changes = identity_changes(store.db)
        held = len(held_values(store.db))
        try:
            team = sync_team_status(store)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
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
        "held": held,
        "team": team_json(team),
    }
    if me.role:
        first = _("Replica {id}: the {role} {name}").format(
            id=me.replica_id, role=_role_name(me.role), name=quoted(printable(me.name))
        )
    else:
        first = _("Replica {id}: no role yet (run fieldtui sync init)").format(id=me.replica_id)
    lines = [
        first,
        _("Changes held: {ops}; open conflicts: {conflicts}").format(
            ops=st.ops, conflicts=st.open_conflicts
        ),
    ]
    if me.role == LAPTOP:
        lines.append(
            _("Hub: {hub}").format(hub=me.hub_id)
            if me.hub_id
            else _("Hub: not known yet (import a hub file)")
        )
    never = _("never")
    for p in st.peers:
        lines.append(
            _(
                "The {role} {name} ({id}): {pending} changes to send; last file in {last_in}, "
                "out {last_out}"
            ).format(
                role=_role_name(p.peer.role),
                name=quoted(printable(p.peer.name)),
                id=p.peer.replica_id,
                pending=p.pending,
                last_in=p.peer.last_in_at or never,
                last_out=p.peer.last_out_at or never,
            )
        )
    for label, records in ((_("File in"), st.files_in), (_("File out"), st.files_out)):
        for r in records:
            lines.append(
                _("{label} {at}: {path} ({n} changes)").format(
                    label=label, at=r.at, path=r.path, n=r.ops
                )
            )
    lines.extend(identity_history_lines(changes))
    lines.append(team_lines(team)[0])
    if held:
        lines.append(
            ngettext(
                "{n} value held aside (fieldtui sync held)",
                "{n} values held aside (fieldtui sync held)",
                held,
            ).format(n=held)
        )
    out.result(data, "\n".join(lines))
    return EXIT_OK
