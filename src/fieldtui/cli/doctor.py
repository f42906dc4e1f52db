"""``fieldtui doctor [--db PATH] [--json]``: is this database (and the settings file) sound?

Reports the database path, SQLite's integrity check, references to rows that do not exist,
the schema version against the latest this fieldtui knows, the replica id, the op count, open
sync conflicts, the backups beside the database and the settings file. Exit 1 when something
is wrong (integrity, schema behind, dangling references, a broken settings file).
"""

from __future__ import annotations

import argparse
from typing import Any

from fieldtui import paths
from fieldtui.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CliError,
    Output,
    db_path,
    label_lines,
    no_such_database,
)
from fieldtui.i18n import _


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "doctor",
        help=_("integrity check, references, schema version, backups (read-only)"),
        description=_(
            "Check a database without changing it: SQLite's integrity check, references to "
            "records that do not exist, the schema version against this fieldtui's (a schema "
            "to migrate is reported, not migrated), the replica id, the number of sync "
            "changes, open conflicts, the backups beside it and the settings file. Works on a "
            "read-only database too. Exit status 1 when something is wrong."
        ),
    )
    parser.set_defaults(func=run, checks_settings=True)


def run(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store import Store
    from fieldtui.store.health import check

    path = db_path(args)
    args.db_path = path
    if not path.exists():
        # Opening would create it: a doctor that makes the patient is no use.
        raise CliError(no_such_database(path))
    from fieldtui.sync.continuity import identity_changes

    # Read-only: a doctor looks, it does not migrate or write (it works on a write-protected
    # disk too, where every other command refuses the database).
    with Store(path, read_only=True) as store:
        health = check(store)
        changes = identity_changes(store.db)
    data: dict[str, Any] = health.as_dict()
    data["identity_changes"] = [c.to_json() for c in changes]
    settings_error = getattr(args, "settings_error", None)
    data["settings"] = {"path": str(paths.config_file()), "error": settings_error}
    problems = list(health.problems)
    if settings_error:
        problems.append(_("settings: {error}").format(error=settings_error))
    data["problems"] = problems
    data["ok"] = not problems
    out.result(data, _text(data))
    return EXIT_OK if not problems else EXIT_BAD_INPUT


def _text(data: dict[str, Any]) -> str:
    rows = [
        (_("database"), data["db"]),
        (_("replica id"), data["replica_id"] or _("none yet")),
        (
            _("schema version"),
            _("{version} (this fieldtui: {latest})").format(
                version=data["schema_version"], latest=data["latest_schema_version"]
            ),
        ),
        (_("integrity"), _("ok") if data["integrity"] == ["ok"] else _("DAMAGED")),
        (
            _("references"),
            _("ok") if not data["dangling_references"] else _("to missing records"),
        ),
        (_("sync ops"), str(data["op_count"])),
        (_("open conflicts"), str(data["open_conflicts"])),
        (
            _("settings"),
            data["settings"]["path"] + (_(" (broken)") if data["settings"]["error"] else ""),
        ),
        (_("backups"), str(len(data["backups"]))),
    ]
    lines = label_lines(rows)
    lines += [f"  {b}" for b in data["backups"][-5:]]
    if data["incomplete_backups"]:
        lines.append(
            _("incomplete backup files (not backups; left by an interrupted copy, may be deleted):")
        )
        lines += [f"  {b}" for b in data["incomplete_backups"]]
    if data["identity_changes"]:
        from fieldtui.cli.sync import identity_history_lines
        from fieldtui.sync.continuity import IdentityChange

        lines.append(_("replica id changes:"))
        changes = [IdentityChange(**c) for c in data["identity_changes"]]
        lines += [f"  {line}" for line in identity_history_lines(changes)]
    if data["problems"]:
        lines.append(_("Problems:"))
        lines += [f"  - {p}" for p in data["problems"]]
    else:
        lines.append(_("No problems found."))
    return "\n".join(lines)
