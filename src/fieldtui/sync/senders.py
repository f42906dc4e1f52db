"""Who may send what: the checks a received file's sender and ops pass before a merge.

- :func:`check_sender`: a laptop takes files from its hub only (following it to a new replica
  id after a restore), a hub from its own laptops only;
- :func:`own_ops_only`: a laptop's file carries that laptop's own ops (plus ops the hub
  holds already, and ops of the hub's own former ids, which its laptops return after the hub
  was put back from a copy); another database's ops refuse the file, naming it;
- :func:`no_clashing_ids`: no op reuses the id of a different op this database holds;
- :func:`flag_future`: ops stamped more than a day ahead of this computer's clock, for the
  report (they are merged).

In a team, :class:`fieldtui.sync.trust.Trust` checks before these that the file is signed by a
device allowed to send it, and that the device writes as its own replica only.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

from peewee import SqliteDatabase

from fieldtui.i18n import _
from fieldtui.store.clock import hlc_datetime
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import Manifest, Op
from fieldtui.sync.merge import clashing_ids
from fieldtui.sync.peers import HUB, LAPTOP, Identity, known_names, peers
from fieldtui.sync.report import Flagged

_HLC = itemgetter(3)


def no_clashing_ids(db: SqliteDatabase, path: Path, ops: list[Op]) -> None:
    clashes = clashing_ids(db, ops)
    if clashes:
        op, replica_id, seq = clashes[0]
        raise SyncFileError(
            path,
            _(
                "damaged or crafted: change {op} (seq {seq}) has the id of a change this "
                "database already holds as seq {held_seq} of {replica}"
            ).format(op=op[0], seq=op[2], held_seq=seq, replica=replica_id),
        )


def own_ops_only(
    db: SqliteDatabase,
    m: Manifest,
    path: Path,
    ops: list[Op],
    replicas: set[str],
    hub_former: list[str],
) -> None:
    """A laptop's file carries the laptop's own ops; others only when the hub holds them
    already (the same op at the same seq), or the hub's former ids' (see the module)."""
    allowed = {m.source_id, *hub_former}
    if replicas <= allowed:
        return
    foreign = [op for op in ops if op[1] not in allowed]
    held: set[tuple[str, str, int]] = set()
    for i in range(0, len(foreign), 500):
        chunk = foreign[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        held.update(
            (str(r[0]), str(r[1]), int(r[2]))
            for r in db.execute_sql(
                f"SELECT op_id, replica_id, seq FROM op WHERE op_id IN ({marks})",
                [op[0] for op in chunk],
            )
        )
    stray = [op for op in foreign if (op[0], op[1], op[2]) not in held]
    if not stray:
        return
    others = sorted({op[1] for op in stray})
    names = known_names(db)
    roles = {p.replica_id: p.role for p in peers(db)}
    who = ", ".join(
        f"{roles.get(r) or '?'} “{names[r]}” ({r})" if r in names else r for r in others[:3]
    )
    raise SyncFileError(
        path,
        _(
            "carries {n} changes made by another database ({who}), not by the laptop that "
            "wrote it; a laptop's file may carry only its own changes"
        ).format(n=len(stray), who=who),
    )


def check_sender(
    me: Identity, own_ids: set[str], m: Manifest, hub_id: str | None, path: Path
) -> str | None:
    """Refuse files from the wrong kind of sender; returns the laptop's (maybe new) hub id.

    A peer that continued under a fresh replica id (``Manifest.source_formerly``) is still
    the same peer: a laptop follows its hub to the new id, a hub accepts files that name one
    of its own former ids as their hub.
    """
    role = _("hub") if m.source_role == HUB else _("laptop")
    who = _("the {role} {name} ({id})").format(role=role, name=f"“{m.source_name}”", id=m.source_id)
    if me.role == LAPTOP:
        if m.source_role != HUB:
            raise SyncFileError(
                path,
                _(
                    "written by {who}; a laptop imports only files from its hub (take this "
                    "file to the office)"
                ).format(who=who),
            )
        if hub_id and m.source_id != hub_id and hub_id in m.source_formerly:
            return m.source_id
        if hub_id and m.source_id != hub_id:
            raise SyncFileError(
                path,
                _(
                    "written by {who}, but this laptop belongs to hub {hub}. If the office "
                    "replaced its hub, run fieldtui sync init --laptop --hub-id {id} first"
                ).format(who=who, hub=hub_id, id=m.source_id),
            )
        return m.source_id
    if m.source_role == HUB:
        raise SyncFileError(
            path, _("written by {who}; a hub imports files from laptops").format(who=who)
        )
    if m.source_hub_id and m.source_hub_id not in own_ids:
        raise SyncFileError(
            path,
            _("written by {who} for another hub ({hub}), not this one").format(
                who=who, hub=m.source_hub_id
            ),
        )
    return hub_id


def flag_future(fresh: Sequence[Op], threshold: int, names: dict[str, str]) -> list[Flagged]:
    if not fresh or max(map(_HLC, fresh)) <= threshold:  # the usual case, checked in C
        return []
    ahead: dict[str, list[int]] = {}
    for op in fresh:
        if op[3] > threshold:
            ahead.setdefault(op[1], []).append(op[3])
    return [
        Flagged(
            replica_id=rid,
            name=names.get(rid, ""),
            ops=len(stamps),
            latest=hlc_datetime(max(stamps)).isoformat(timespec="seconds"),
        )
        for rid, stamps in sorted(ahead.items())
    ]
