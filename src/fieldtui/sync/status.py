"""Status: this database's role, what it holds, what each peer lacks, the last files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldtui.sync.oplog import Vector, lacking_count, version_vector
from fieldtui.sync.peers import (
    HUB,
    LAPTOP,
    FileRecord,
    Identity,
    Peer,
    identity,
    peers,
    recent_files,
)

if TYPE_CHECKING:
    from fieldtui.store import Store


@dataclass(slots=True)
class PeerStatus:
    peer: Peer
    pending: int
    """Ops this database holds that the peer is not known to hold."""


@dataclass(slots=True)
class Status:
    me: Identity
    ops: int
    vector: Vector
    peers: list[PeerStatus]
    files_in: list[FileRecord]
    files_out: list[FileRecord]
    open_conflicts: int


def status(store: Store) -> Status:
    db = store.db
    me = identity(store)
    relevant = [p for p in peers(db) if p.role in (HUB, LAPTOP)]
    return Status(
        me=me,
        ops=int(db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]),
        vector=version_vector(db),
        peers=[PeerStatus(p, lacking_count(db, p.vector)) for p in relevant],
        files_in=recent_files(db, "in"),
        files_out=recent_files(db, "out"),
        open_conflicts=int(db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0]),
    )
