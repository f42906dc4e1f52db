"""What the sync screen shows, read in a thread worker: this database, its peers, its files.

Plain functions of a store returning frozen rows (no Textual here), built on
:func:`fieldtui.sync.overview` and :func:`fieldtui.sync.file_history`. Names other databases
chose arrive by sync files: they are made printable here, once, so every widget that shows
them gets text with no control or direction-changing characters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fieldtui.domain.printable import printable
from fieldtui.i18n import _
from fieldtui.sync import HUB, LAPTOP, Overview, export_targets, file_history, overview
from fieldtui.sync.fileformat import SUFFIX

if TYPE_CHECKING:
    from fieldtui.store import Store

HISTORY_SHOWN = 500
"""Files in and out listed (newest first); an office writes a few a week."""
ID_SHOWN = 8


@dataclass(frozen=True, slots=True)
class PeerRow:
    replica_id: str
    name: str
    """Printable; the end of the replica id when it has no name."""
    role: str
    pending: int
    """Changes this database holds that the peer is not known to hold."""
    last_in: str | None
    last_out: str | None
    device: str
    """Its device fingerprint, or why it has none / cannot read this hub's files."""


@dataclass(frozen=True, slots=True)
class FileRow:
    file_id: str
    direction: str
    at: str
    peer: str
    """Printable name of the other database ("" for a hub's full file)."""
    path: str
    """Printable."""
    ops: int
    applied: int
    full: bool


@dataclass(frozen=True, slots=True)
class SyncView:
    overview: Overview
    name: str
    """This database's sync name, printable."""
    peers: tuple[PeerRow, ...]
    files: tuple[FileRow, ...]
    duplicates: int
    """Groups of possible duplicate enterprises (one USCC on several live enterprises)."""


def peer_name(name: str, replica_id: str) -> str:
    return printable(name) if name else replica_id[-ID_SHOWN:]


def load_sync_view(store: Store) -> SyncView:
    """Everything the sync screen shows (thread worker)."""
    from fieldtui.store.duplicates import duplicate_enterprises

    seen = overview(store)
    team = seen.team
    devices: dict[str, str] = {}
    for enrolled in team.devices:
        state = _("revoked") if enrolled.revoked_at else enrolled.fingerprint
        for rid in enrolled.replica_ids:
            devices[rid] = state
    hub_id = seen.status.me.hub_id
    rows = []
    for ps in seen.status.peers:
        p = ps.peer
        if p.role == LAPTOP and team.in_team and seen.status.me.role == HUB:
            device = devices.get(p.replica_id, _("not joined"))
        elif p.replica_id == hub_id and team.hub_fingerprint:
            device = team.hub_fingerprint
        else:
            device = ""
        rows.append(
            PeerRow(
                replica_id=p.replica_id,
                name=peer_name(p.name, p.replica_id),
                role=p.role,
                pending=ps.pending,
                last_in=p.last_in_at,
                last_out=p.last_out_at,
                device=device,
            )
        )
    rows.sort(key=lambda r: (r.role != HUB, r.name, r.replica_id))
    files = tuple(
        FileRow(
            file_id=h.file_id,
            direction=h.direction,
            at=h.at,
            peer=peer_name(h.peer_name, h.peer_id) if h.peer_id else "",
            path=printable(h.path),
            ops=h.ops,
            applied=h.applied,
            full=h.full,
        )
        for h in file_history(store.db, limit=HISTORY_SHOWN)
    )
    return SyncView(
        overview=seen,
        name=printable(seen.status.me.name),
        peers=tuple(rows),
        files=files,
        duplicates=len(duplicate_enterprises(store)),
    )


# -- places and files ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A removable drive offered as a place to read or write sync files."""

    path: Path
    label: str
    free: int | None
    files: int
    """Sync files at its top level."""


def places() -> list[Place]:
    """Mounted removable drives with how many sync files each holds (thread worker: a slow
    stick must not hold the screen)."""
    return [
        Place(d.path, printable(d.label), d.free_bytes, len(sync_files_in(d.path)))
        for d in export_targets()
    ]


def sync_files_in(folder: Path) -> list[Path]:
    """The ``*.fieldsync`` files directly in ``folder``, by name (as ``sync import DIR``)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if entry.name.lower().endswith(SUFFIX) and entry.is_file():
                found.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found, key=lambda p: p.name)
