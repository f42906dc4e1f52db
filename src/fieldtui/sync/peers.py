"""Who this database is in the office's sync (hub or laptop) and what it knows of its peers.

Roles: the office runs one **hub**; every officer's **laptop** exchanges files with it only.
``sync init --hub`` makes a database the hub; ``sync init --laptop`` a laptop, which learns its
hub's id from the first hub file it imports (or takes it from ``--hub-id``) and from then on
refuses files from any other hub, and files from other laptops. The hub refuses files from
laptops that name another hub. Role, name and hub id live in the local ``meta`` table; what
each peer is known to hold (its version vector, from the last files it wrote) lives in
``sync_peer``; every file written or imported is logged in ``sync_file``.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from fieldtui.i18n import _, bracketed, list_separator
from fieldtui.sync.errors import SyncError
from fieldtui.sync.oplog import Vector, merge_vectors

if TYPE_CHECKING:
    from fieldtui.store import Store

HUB = "hub"
LAPTOP = "laptop"
ROLES = (HUB, LAPTOP)

META_ROLE = "sync_role"
META_NAME = "sync_name"
META_HUB = "sync_hub_id"


@dataclass(slots=True)
class Identity:
    replica_id: str
    role: str | None
    name: str
    hub_id: str | None


@dataclass(slots=True)
class Peer:
    replica_id: str
    role: str
    name: str
    hub_id: str | None
    vector: Vector = field(default_factory=dict)
    last_in_at: str | None = None
    last_out_at: str | None = None


@dataclass(slots=True)
class FileRecord:
    file_id: str
    direction: str
    at: str
    path: str
    peer_id: str | None
    full: bool
    ops: int
    applied: int
    flagged: int


def identity(store: Store) -> Identity:
    role = store.meta(META_ROLE)
    return Identity(
        replica_id=store.replica_id,
        role=role if role in ROLES else None,
        name=store.meta(META_NAME) or "",
        hub_id=store.meta(META_HUB),
    )


def require_role(store: Store) -> Identity:
    me = identity(store)
    if me.role is None:
        raise SyncError(
            _(
                "this database has no sync role yet: run fieldtui sync init --hub at the office "
                "or fieldtui sync init --laptop on an officer's laptop"
            )
        )
    return me


def init_role(
    store: Store, role: str, name: str | None = None, hub_id: str | None = None
) -> Identity:
    """Make this database the hub or a laptop. The role cannot change once set.

    A laptop's hub id may be set (or corrected, when the office replaced its hub database)
    with ``hub_id``; otherwise it is learnt from the first hub file imported.
    """
    if role not in ROLES:
        raise SyncError(_("unknown role {role}: use hub or laptop").format(role=role))
    me = identity(store)
    if me.role is not None and me.role != role:
        raise SyncError(
            _(
                "this database is already the hub; a database keeps its role (start a new "
                "database for a laptop)"
            )
            if me.role == HUB
            else _(
                "this database is already a laptop; a database keeps its role (start a "
                "new database for the hub)"
            )
        )
    if role == HUB and hub_id:
        raise SyncError(_("--hub-id is for laptops"))
    if hub_id is not None and hub_id == store.replica_id:
        raise SyncError(_("a laptop cannot be its own hub"))
    with store.db.atomic():
        store.set_meta(META_ROLE, role)
        store.set_meta(META_NAME, name or me.name or default_name(role))
        if hub_id:
            store.set_meta(META_HUB, hub_id)
    return identity(store)


def default_name(role: str) -> str:
    """The name a database gets without ``--name``, in the language of the one who made it."""
    return _("office hub") if role == HUB else (platform.node() or _("laptop"))


# -- peers ----------------------------------------------------------------------------------


def _peer(row: tuple[object, ...]) -> Peer:
    rid, role, name, hub_id, vector, last_in, last_out = row
    return Peer(
        replica_id=str(rid),
        role=str(role),
        name=str(name),
        hub_id=None if hub_id is None else str(hub_id),
        vector={str(k): int(v) for k, v in json.loads(str(vector)).items()},
        last_in_at=None if last_in is None else str(last_in),
        last_out_at=None if last_out is None else str(last_out),
    )


_PEER_COLUMNS = "replica_id, role, name, hub_id, vector, last_in_at, last_out_at"


def peers(db: SqliteDatabase, role: str | None = None) -> list[Peer]:
    sql = f"SELECT {_PEER_COLUMNS} FROM sync_peer"
    params: tuple[str, ...] = ()
    if role:
        sql += " WHERE role = ?"
        params = (role,)
    return [_peer(r) for r in db.execute_sql(sql + " ORDER BY name, replica_id", params)]


def get_peer(db: SqliteDatabase, replica_id: str) -> Peer | None:
    row = db.execute_sql(
        f"SELECT {_PEER_COLUMNS} FROM sync_peer WHERE replica_id = ?", (replica_id,)
    ).fetchone()
    return _peer(row) if row else None


def find_peer(db: SqliteDatabase, ref: str, role: str | None = None) -> Peer:
    """A peer by replica id, unique id prefix (at least 4 characters) or exact name."""
    candidates = peers(db, role)
    exact = [p for p in candidates if ref in (p.replica_id, p.name)]
    if len(exact) == 1:
        return exact[0]
    if not exact and len(ref) >= 4:
        exact = [p for p in candidates if p.replica_id.startswith(ref)]
        if len(exact) == 1:
            return exact[0]
    if not exact:
        known = list_separator().join(
            p.name + bracketed(p.replica_id[:8]) for p in candidates
        ) or _("none yet")
        raise SyncError(
            _("no known database {ref}; known: {known}").format(ref=f"“{ref}”", known=known)
        )
    raise SyncError(_("{ref} names several databases; give the replica id").format(ref=f"“{ref}”"))


def note_peer(
    db: SqliteDatabase,
    replica_id: str,
    *,
    role: str | None = None,
    name: str | None = None,
    hub_id: str | None = None,
    vector: Mapping[str, int] | None = None,
    last_in_at: str | None = None,
    last_out_at: str | None = None,
) -> None:
    """Create or update what is known of a peer; vectors only grow (entry-wise maximum)."""
    current = get_peer(db, replica_id)
    if current is None:
        current = Peer(replica_id=replica_id, role="", name="", hub_id=None)
    if role:
        current.role = role
    if name:
        current.name = name
    if hub_id:
        current.hub_id = hub_id
    if vector:
        current.vector = merge_vectors(current.vector, vector)
    if last_in_at:
        current.last_in_at = last_in_at
    if last_out_at:
        current.last_out_at = last_out_at
    db.execute_sql(
        f"INSERT OR REPLACE INTO sync_peer ({_PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            current.replica_id,
            current.role,
            current.name,
            current.hub_id,
            json.dumps(current.vector, sort_keys=True),
            current.last_in_at,
            current.last_out_at,
        ),
    )


def known_names(db: SqliteDatabase) -> dict[str, str]:
    """Replica id → name for every replica with a known name."""
    return {
        str(r[0]): str(r[1])
        for r in db.execute_sql("SELECT replica_id, name FROM sync_peer WHERE name != ''")
    }


# -- the files log --------------------------------------------------------------------------


def file_seen(db: SqliteDatabase, file_id: str) -> FileRecord | None:
    row = db.execute_sql(
        "SELECT file_id, direction, at, path, peer_id, full, ops, applied, flagged"
        " FROM sync_file WHERE file_id = ? AND direction = 'in'",
        (file_id,),
    ).fetchone()
    return _file(row) if row else None


def _file(row: tuple[object, ...]) -> FileRecord:
    file_id, direction, at, path, peer_id, full, ops, applied, flagged = row
    return FileRecord(
        file_id=str(file_id),
        direction=str(direction),
        at=str(at),
        path=str(path),
        peer_id=None if peer_id is None else str(peer_id),
        full=bool(full),
        ops=int(str(ops)),
        applied=int(str(applied)),
        flagged=int(str(flagged)),
    )


def record_file(
    db: SqliteDatabase,
    *,
    file_id: str,
    direction: str,
    at: str,
    path: str,
    peer_id: str | None,
    full: bool,
    ops: int,
    applied: int = 0,
    flagged: int = 0,
    sha256: str = "",
) -> None:
    db.execute_sql(
        "INSERT OR REPLACE INTO sync_file"
        " (file_id, direction, at, path, peer_id, full, ops, applied, flagged, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (file_id, direction, at, path, peer_id, int(full), ops, applied, flagged, sha256),
    )


def recent_files(db: SqliteDatabase, direction: str, limit: int = 5) -> list[FileRecord]:
    cur = db.execute_sql(
        "SELECT file_id, direction, at, path, peer_id, full, ops, applied, flagged"
        " FROM sync_file WHERE direction = ? ORDER BY at DESC, rowid DESC LIMIT ?",
        (direction, limit),
    )
    return [_file(r) for r in cur.fetchall()]
