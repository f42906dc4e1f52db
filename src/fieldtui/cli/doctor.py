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
from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Output, db_path
from fieldtui.i18n import _


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "doctor",
        help="integrity check, dangling references, schema version, backups",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.set_defaults(func=run, checks_settings=True)


def run(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store import Store
    from fieldtui.store.health import check

    path = db_path(args)
    if not path.exists():
        # Opening would create it: a doctor that makes the patient is no use.
        raise CliError(f"{path}: no such database (give --db PATH or set FIELDTUI_DB)")
    from fieldtui.sync.continuity import identity_changes

    with Store(path) as store:
        health = check(store)
        changes = identity_changes(store.db)
    data: dict[str, Any] = health.as_dict()
    data["identity_changes"] = [c.to_json() for c in changes]
    settings_error = getattr(args, "settings_error", None)
    data["settings"] = {"path": str(paths.config_file()), "error": settings_error}
    problems = list(health.problems)
    if settings_error:
        problems.append(f"settings: {settings_error}")
    data["problems"] = problems
    data["ok"] = not problems
    out.result(data, _text(data))
    return EXIT_OK if not problems else EXIT_BAD_INPUT


def _text(data: dict[str, Any]) -> str:
    lines = [
        f"database:        {data['db']}",
        f"replica id:      {data['replica_id']}",
        f"schema version:  {data['schema_version']} (latest {data['latest_schema_version']})",
        f"integrity:       {'ok' if data['integrity'] == ['ok'] else 'DAMAGED'}",
        f"references:      {'ok' if not data['dangling_references'] else 'DANGLING'}",
        f"ops:             {data['op_count']}",
        f"open conflicts:  {data['open_conflicts']}",
        f"settings:        {data['settings']['path']}"
        + (" (broken)" if data["settings"]["error"] else ""),
        f"backups:         {len(data['backups'])}",
    ]
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
        lines.append("problems:")
        lines += [f"  - {p}" for p in data["problems"]]
    else:
        lines.append("no problems found")
    return "\n".join(lines)
