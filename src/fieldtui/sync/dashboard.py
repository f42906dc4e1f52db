"""What a sync screen shows besides the import and export themselves: plain functions on a store.

The screen runs them in thread workers and gets dataclasses back:

- :func:`overview`: this database's role, its peers and what each lacks, open conflicts,
  values held aside, the team (:func:`fieldtui.sync.team.team_status`);
- :func:`file_history`: every file written or imported, newest first, with its peer's name;
- :func:`export_targets`: where an officer would write a file: mounted removable drives
  (``/media/USER/*``, ``/run/media/USER/*``, ``/Volumes/*``, Windows drive letters other than
  the system's), each with its free space.

With :func:`fieldtui.sync.export` (a folder), :func:`fieldtui.sync.import_files` (``progress``
and ``cancel``; its :class:`~fieldtui.sync.ImportReport` counts records created, updated,
deleted and restored per table, lists files already imported and values held aside),
:func:`fieldtui.sync.list_conflicts` and :func:`fieldtui.sync.held_values`, that is
everything the sync screen needs; none of it imports a UI toolkit.
"""

from __future__ import annotations

import getpass
import os
import shutil
import string
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from fieldtui.store.rowstate import HELD_TABLE
from fieldtui.sync.peers import known_names
from fieldtui.sync.status import Status, status
from fieldtui.sync.team import TeamStatus, team_status

if TYPE_CHECKING:
    from fieldtui.store import Store


@dataclass(slots=True)
class Overview:
    status: Status
    """Role, name, hub, ops held, each peer with what it lacks, the last files in and out."""
    team: TeamStatus
    open_conflicts: int
    held: int
    """Values held aside (not yet settled by a later edit) are listed by ``held_values``;
    this counts every held op."""


def overview(store: Store) -> Overview:
    st = status(store)
    held = int(store.db.execute_sql(f"SELECT COUNT(*) FROM {HELD_TABLE}").fetchone()[0])
    return Overview(status=st, team=team_status(store), open_conflicts=st.open_conflicts, held=held)


@dataclass(slots=True)
class HistoryEntry:
    """One file written (``out``) or imported (``in``)."""

    file_id: str
    direction: str
    at: str
    path: str
    peer_id: str | None
    peer_name: str
    full: bool
    ops: int
    applied: int
    """For a file in: its ops that were new here."""
    flagged: int
    """For a file in: ops stamped far ahead of this computer's clock."""


def file_history(
    db: SqliteDatabase, direction: str | None = None, limit: int = 100, offset: int = 0
) -> list[HistoryEntry]:
    """Files in and out (or one ``direction``: ``in`` or ``out``), newest first."""
    sql = "SELECT file_id, direction, at, path, peer_id, full, ops, applied, flagged FROM sync_file"
    params: list[object] = []
    if direction is not None:
        sql += " WHERE direction = ?"
        params.append(direction)
    sql += " ORDER BY at DESC, rowid DESC LIMIT ? OFFSET ?"
    params += [limit, offset]
    names = known_names(db)
    return [
        HistoryEntry(
            file_id=str(file_id),
            direction=str(way),
            at=str(at),
            path=str(path),
            peer_id=None if peer is None else str(peer),
            peer_name=names.get(str(peer), "") if peer is not None else "",
            full=bool(full),
            ops=int(ops),
            applied=int(applied),
            flagged=int(flagged),
        )
        for file_id, way, at, path, peer, full, ops, applied, flagged in db.execute_sql(sql, params)
    ]


@dataclass(slots=True)
class Drive:
    """A place to write a sync file: a mounted removable drive."""

    path: Path
    label: str
    free_bytes: int | None


def _mounted(parent: Path) -> list[Path]:
    try:
        return sorted(p for p in parent.iterdir() if p.is_dir())
    except OSError:
        return []


def export_targets() -> list[Drive]:
    """Mounted removable drives, as a file manager would offer them (see the module)."""
    candidates: list[Path] = []
    if os.name == "nt":
        system = os.environ.get("SYSTEMDRIVE", "C:").upper()[:1]
        candidates = [
            Path(f"{letter}:\\")
            for letter in string.ascii_uppercase
            if letter != system and Path(f"{letter}:\\").exists()
        ]
    else:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = ""
        for parent in (Path("/media") / user, Path("/run/media") / user):
            if user:
                candidates += _mounted(parent)
        candidates += [p for p in _mounted(Path("/media")) if p.name != user and os.path.ismount(p)]
        candidates += [p for p in _mounted(Path("/Volumes")) if os.path.realpath(p) != "/"]
    drives: list[Drive] = []
    seen: set[Path] = set()
    for path in candidates:
        if path in seen:
            continue
        seen.add(path)
        try:
            free: int | None = shutil.disk_usage(path).free
        except OSError:
            free = None
        drives.append(Drive(path=path, label=path.name or str(path), free_bytes=free))
    return drives
