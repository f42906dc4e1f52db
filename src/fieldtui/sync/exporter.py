"""Export: which ops go into a sync file, for whom, under which name (``fieldtui sync export``).

Rules (design.md, "Sync file"):

- A **laptop** writes every op its hub has not acknowledged, as known from the hub's vector in
  the last hub file it imported (everything before the first one). A lost stick costs nothing:
  the next file carries the same ops again.
- The **hub** writes, for each laptop, the delta above that laptop's last known vector (from
  the laptop's last file): ``for_peer`` writes one file, a directory target gets one file per
  known laptop. A hub file always carries the hub's own vector, which is the laptop's
  acknowledgement, so it is worth writing even with no ops in it.
- ``full`` writes every op (a new laptop's first file, or a rebuild).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from fieldtui.i18n import _
from fieldtui.store.db import latest_schema_version
from fieldtui.store.ids import new_id
from fieldtui.store.writer import now_iso
from fieldtui.sync.continuity import former_ids, note_sent, target_checkpoints
from fieldtui.sync.errors import SyncError
from fieldtui.sync.fileformat import SUFFIX, Manifest, write_sync_file
from fieldtui.sync.oplog import Vector, lacking_lines, version_vector
from fieldtui.sync.peers import (
    LAPTOP,
    Identity,
    find_peer,
    get_peer,
    known_names,
    note_peer,
    peers,
    record_file,
    require_role,
)
from fieldtui.sync.trust import Trust

if TYPE_CHECKING:
    from fieldtui.store import Store


def app_version() -> str:
    try:
        return metadata.version("fieldtui")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


@dataclass(slots=True)
class Exported:
    path: Path
    file_id: str
    target_id: str | None
    target_name: str
    ops: int
    full: bool
    size: int
    sealed: bool = False
    """Signed and encrypted for the team (format 2)."""


@dataclass(slots=True)
class Skipped:
    """A laptop the hub wrote no file for, and why (it could not read one)."""

    target_id: str
    target_name: str
    reason: str


def export(
    store: Store,
    out: Path | str,
    *,
    full: bool = False,
    for_peer: str | None = None,
    skipped: list[Skipped] | None = None,
) -> list[Exported]:
    """Write sync file(s) by the export rules above; ``out`` is a file or a directory.

    ``out`` names a directory when it exists as one or ends with a path separator (``E:/``,
    ``outbox/``; created if missing), otherwise a file, which must end in ``.fieldsync``: a
    sync file is never written under another name (``sync export H/`` once wrote ``H``).

    In a team, every file is signed and encrypted (:mod:`fieldtui.sync.trust`); the hub
    writes no file for a laptop that has not joined or was revoked (it could not read it):
    ``--for`` such a laptop is refused, the per-laptop export lists it in ``skipped``.
    """
    me = require_role(store)
    trust = Trust(store)
    as_dir = isinstance(out, str) and out.endswith(("/", os.sep))
    out = Path(out)
    if me.role == LAPTOP:
        if for_peer:
            raise SyncError(_("--for is for the hub; a laptop's file always goes to its hub"))
        hub = get_peer(store.db, me.hub_id) if me.hub_id else None
        vector: Vector = {} if full or hub is None else hub.vector
        target = _target_path(out, as_dir, me, hub.name if hub else "hub", is_full=not vector)
        return [_write(store, me, target, vector, me.hub_id, hub.name if hub else "", trust)]
    if for_peer:
        laptop = find_peer(store.db, for_peer, LAPTOP)
        why = trust.can_read(laptop.replica_id)
        if why is not None:
            raise SyncError(_("no file for {name}: {why}").format(name=f"“{laptop.name}”", why=why))
        vector = {} if full else laptop.vector
        target = _target_path(out, as_dir, me, laptop.name, is_full=not vector)
        return [_write(store, me, target, vector, laptop.replica_id, laptop.name, trust)]
    if full:
        target = _target_path(out, as_dir, me, "", is_full=True)
        return [_write(store, me, target, {}, None, "", trust)]
    if out.suffix == SUFFIX or (out.exists() and not out.is_dir()):
        raise SyncError(
            _(
                "{path}: the hub writes one file per laptop into a folder; give a folder, "
                "or --for LAPTOP for one file, or --full for a file with everything"
            ).format(path=out)
        )
    laptops = peers(store.db, LAPTOP)
    if not laptops:
        raise SyncError(
            _(
                "no laptops known yet: import their files first, or write a --full file "
                "for a new laptop"
            )
        )
    readers = []
    for p in laptops:
        why = trust.can_read(p.replica_id)
        if why is None:
            readers.append(p)
        elif skipped is not None:
            skipped.append(Skipped(p.replica_id, p.name, why))
    if not readers:
        raise SyncError(
            _("no laptop of this office can read the hub's files yet: {why}").format(
                why=trust.can_read(laptops[0].replica_id)
            )
        )
    out.mkdir(parents=True, exist_ok=True)
    return [
        _write(
            store,
            me,
            _target_path(out, False, me, p.name or p.replica_id[:8], is_full=not p.vector),
            p.vector,
            p.replica_id,
            p.name,
            trust,
        )
        for p in readers
    ]


_UNSAFE = re.compile(r"[^\w.-]+")


def _slug(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-.") or "fieldtui"


def _target_path(out: Path, as_dir: bool, me: Identity, target_name: str, is_full: bool) -> Path:
    """``out`` itself, or a new descriptive name inside it when it is a directory."""
    if as_dir and not out.is_dir():
        if out.exists():
            raise SyncError(_("{path}: is a file, not a folder").format(path=out))
        out.mkdir(parents=True)
    if not out.is_dir():
        if out.suffix != SUFFIX:
            raise SyncError(
                _(
                    "{path}: no such folder, and not a file name ending in {suffix}; give "
                    "an existing folder, a new folder ending in / (it is created), or a "
                    "file name ending in {suffix}"
                ).format(path=out, suffix=SUFFIX)
            )
        if not out.parent.exists():
            raise SyncError(_("{path}: no such folder").format(path=out.parent))
        return out
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if me.role == LAPTOP:
        stem = f"{_slug(me.name)}-{stamp}"
    elif is_full and not target_name:
        stem = f"{_slug(me.name)}-full-{stamp}"
    else:
        stem = f"{_slug(me.name)}-for-{_slug(target_name)}-{stamp}"
    path = out / f"{stem}{SUFFIX}"
    n = 2
    while path.exists():
        path = out / f"{stem}-{n}{SUFFIX}"
        n += 1
    return path


def _write(
    store: Store,
    me: Identity,
    path: Path,
    peer_vector: Vector,
    target_id: str | None,
    target_name: str,
    trust: Trust,
) -> Exported:
    db = store.db
    with store.writer.transaction():  # one consistent read of the vector and the ops
        vector = version_vector(db)
        lines = list(lacking_lines(db, peer_vector))
        # Names of the databases whose ops this one holds (and the target) only: a peer
        # once named in a received file has no business in every file written after.
        names = {
            rid: name
            for rid, name in known_names(db).items()
            if rid in vector or rid == target_id or rid == me.hub_id
        }
        formerly = former_ids(db)
        checkpoints = target_checkpoints(db, target_id) if target_id else []
        # Before the file exists: a peer can then never hold more of this replica than
        # recorded here, unless another copy of this database sent it (sync.continuity).
        note_sent(db, me.replica_id, vector.get(me.replica_id, 0))
    names[me.replica_id] = me.name
    manifest = Manifest(
        file_id=new_id(),
        source_id=me.replica_id,
        source_name=me.name,
        source_role=me.role or "",
        source_hub_id=me.hub_id,
        source_formerly=formerly,
        target_id=target_id,
        target_checkpoints=checkpoints,
        full=not peer_vector,
        vector=vector,
        names=names,
        op_count=len(lines),
        schema=latest_schema_version(),
        app_version=app_version(),
        created_at=now_iso(),
    )
    sealing = trust.team is not None
    write_sync_file(
        path,
        manifest,
        lines,
        seal=(lambda inner: trust.seal(inner, target_id)) if sealing else None,
    )
    at = now_iso()
    with store.writer.transaction():
        record_file(
            db,
            file_id=manifest.file_id,
            direction="out",
            at=at,
            path=str(path),
            peer_id=target_id,
            full=manifest.full,
            ops=manifest.op_count,
            sha256=manifest.payload_sha256,
        )
        if target_id:
            note_peer(db, target_id, last_out_at=at)
    return Exported(
        path=path,
        file_id=manifest.file_id,
        target_id=target_id,
        target_name=target_name,
        ops=manifest.op_count,
        full=manifest.full,
        size=path.stat().st_size,
        sealed=sealing,
    )
