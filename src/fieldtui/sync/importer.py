"""Import: verify sync files completely, then merge the good ones (``fieldtui sync import``).

Every file is read and verified before anything is written, and a bad one is refused with a
message naming the file and the problem. Then, under the database's write lock (so another
import of the same file, running at the same moment, waits and then finds it imported):
a file already imported is skipped by its file id, so re-importing costs almost nothing; the
ops of the rest are checked against those held and applied in one transaction, with ``PRAGMA
synchronous=FULL`` around it and a backup first when :mod:`fieldtui.store.backups` asks for
one. Ops stamped more than a day ahead of this computer's clock are merged but reported, and
not adopted by its clock. A file showing that this database was put back from a copy makes
it continue under a fresh replica id first (:mod:`fieldtui.sync.continuity`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from fieldtui.i18n import _
from fieldtui.store import backups
from fieldtui.store.clock import COUNTER_MASK, MAX_DRIFT_MS, hlc_datetime, pack
from fieldtui.store.db import latest_schema_version
from fieldtui.store.search.upkeep import refresh_enterprises
from fieldtui.store.writer import now_iso
from fieldtui.sync.continuity import (
    Continuation,
    IdentityChange,
    former_ids,
    put_back_from_copy,
)
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import Manifest, Op, SyncFile, read_sync_file
from fieldtui.sync.merge import NewOps, OpCollision, apply_ops
from fieldtui.sync.opcheck import decode_ops
from fieldtui.sync.peers import (
    HUB,
    LAPTOP,
    META_HUB,
    FileRecord,
    Identity,
    file_seen,
    identity,
    known_names,
    note_peer,
    record_file,
    require_role,
)

if TYPE_CHECKING:
    from fieldtui.store import Store


IMPORTED = "imported"
ALREADY = "already imported"
OWN = "own file"
REFUSED = "refused"

ImportProgress = Callable[[str, int, int], None]
"""``(phase, done, total)``: ``read`` (files verified), ``backup``, ``merge`` (new ops)."""

IMPORT_CACHE_KIB = 64 * 1024
"""SQLite's page cache during an import (the default is 2 MiB). A 100,000-op file dirties
about 55 MiB of pages; with the small cache they are spilled to the WAL mid-transaction and
read back while the op indexes grow (measured: imports 2-5% faster and steadier with the
larger cache). Memory is only used as pages are touched; the previous size is restored."""

_HLC = itemgetter(3)
"""An op's clock stamp."""


@dataclass(slots=True)
class Flagged:
    """Ops from one replica stamped more than a day ahead of this computer's clock."""

    replica_id: str
    name: str
    ops: int
    latest: str


@dataclass(slots=True)
class FileOutcome:
    path: Path
    status: str
    reason: str = ""
    file_id: str | None = None
    source_id: str | None = None
    source_name: str = ""
    source_role: str = ""
    ops: int = 0
    added: int = 0
    flagged: list[Flagged] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    added: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    conflicts_opened: int = 0
    conflicts_closed: int = 0
    open_conflicts: int = 0
    backup: Path | None = None
    identity_change: IdentityChange | None = None
    """Set when a file showed this database was put back from a copy (``sync.continuity``)."""

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == REFUSED]


@dataclass(slots=True)
class _Accepted:
    outcome: FileOutcome
    manifest: Manifest
    fresh: list[Op]


def import_files(
    store: Store,
    paths: Sequence[Path | str],
    *,
    make_backup: bool = True,
    check_roles: bool = True,
    progress: ImportProgress | None = None,
) -> ImportReport:
    """Import sync files; the good ones in one transaction, each bad one refused untouched.

    ``check_roles=False`` merges any valid file whatever its sender (tests and recovery).
    ``progress(phase, done, total)`` is told each phase: ``"read"`` per file verified,
    ``"backup"``, then ``"merge"`` with the number of new ops.
    """
    with _gc_paused():
        return _import_files(store, paths, make_backup, check_roles, progress)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during an import.

    A large file becomes millions of small lists, tuples and strings; the collector would walk
    them again and again while they are created, for nothing (ops hold no reference cycles).
    That was a third of the import time for 100,000 ops. The previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_files(
    store: Store,
    paths: Sequence[Path | str],
    make_backup: bool,
    check_roles: bool,
    progress: ImportProgress | None = None,
) -> ImportReport:
    db = store.db
    schema = latest_schema_version()
    report = ImportReport()
    readable: list[tuple[FileOutcome, SyncFile]] = []
    for index, raw_path in enumerate(paths):  # reading and verifying a file needs no lock
        if progress is not None:
            progress("read", index, len(paths))
        path = Path(raw_path)
        outcome = FileOutcome(path=path, status=REFUSED)
        report.files.append(outcome)
        try:
            sync_file = read_sync_file(path, schema)
        except SyncFileError as exc:
            outcome.reason = exc.reason
            continue
        m = sync_file.manifest
        outcome.file_id, outcome.source_id = m.file_id, m.source_id
        outcome.source_name, outcome.source_role = m.source_name, m.source_role
        outcome.ops = m.op_count
        readable.append((outcome, sync_file))
    if not readable:
        if check_roles:
            require_role(store)
        report.open_conflicts = _open_conflicts(db)
        return report
    made: Path | None = None
    try:
        with _import_pragmas(db), store.writer.transaction():
            # Everything that depends on the database (files seen, ops held, this database's
            # identity) is checked under the write lock the merge then holds, so two imports
            # of one file at the same moment cannot both apply it.
            accepted, planner, hub_id, threshold, continued = _plan(
                store, readable, check_roles, report
            )
            if accepted or continued:
                if make_backup and backups.import_wants_backup(
                    store.path, backups.ops_held(db), len(planner.ops)
                ):
                    if progress is not None:
                        progress("backup", 0, 1)
                    made = report.backup = backups.take(store.path, "before-sync-import")
                if progress is not None:
                    progress("merge", 0, len(planner.ops))
                _apply(store, accepted, planner.ops, threshold, hub_id, report, continued)
            report.open_conflicts = _open_conflicts(db)
    except BaseException:
        backups.discard(made)
        report.backup = None
        raise
    backups.keep(store.path, made)
    return report


def _open_conflicts(db: SqliteDatabase) -> int:
    return int(db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0])


@contextmanager
def _import_pragmas(db: SqliteDatabase) -> Iterator[None]:
    """``synchronous=FULL`` (design.md) and a larger page cache for the import's transaction;
    set before it begins and restored after it ends."""
    cache_size = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql("PRAGMA synchronous = FULL")
    db.execute_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA synchronous = NORMAL")
        db.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")


def _plan(
    store: Store,
    readable: list[tuple[FileOutcome, SyncFile]],
    check_roles: bool,
    report: ImportReport,
) -> tuple[list[_Accepted], NewOps, str | None, int, Continuation | None]:
    """Decide each readable file's fate and collect the ops to merge (reads only, except
    when a file shows this database was put back from a copy: see ``sync.continuity``)."""
    db = store.db
    me = require_role(store) if check_roles else identity(store)
    own_ids = {me.replica_id, *former_ids(db)}
    planner = NewOps(db)
    accepted: list[_Accepted] = []
    batch_ids: set[str] = set()
    hub_id = me.hub_id
    threshold = pack(store.writer.clock.now_ms() + MAX_DRIFT_MS, COUNTER_MASK)
    continued: Continuation | None = None
    for outcome, sync_file in readable:
        m, path = sync_file.manifest, sync_file.path
        try:
            if m.source_id in own_ids:
                outcome.status, outcome.reason = OWN, _("written by this database; nothing to do")
                continue
            seen = m.file_id in batch_ids or file_seen(db, m.file_id)
            if seen:
                outcome.status = ALREADY
                if isinstance(seen, FileRecord):
                    outcome.reason = _("imported on {at}; nothing changed").format(at=seen.at)
                continue
            if check_roles:
                hub_id = _check_sender(me, own_ids, m, hub_id, path)
            ops = decode_ops(sync_file)
            if continued is None:
                # The file's own ops of this replica (a --full file has them) are the best
                # evidence of a copy; checkpoints or vectors otherwise (sync.continuity).
                me_id = store.replica_id
                mine = {op[2]: op[0] for op in ops if op[1] == me_id}
                continued = _continue_if_copied(store, m, path, mine)
            fresh = _fresh_ops(planner, sync_file, ops)
            if continued is not None:
                own_ids.add(store.replica_id)
        except SyncFileError as exc:
            outcome.status, outcome.reason = REFUSED, exc.reason
            continue
        outcome.status, outcome.added = IMPORTED, len(fresh)
        outcome.flagged = _flag_future(fresh, threshold, {**known_names(db), **m.names})
        batch_ids.add(m.file_id)
        accepted.append(_Accepted(outcome, m, fresh))
    if continued is not None:
        report.identity_change = continued.change
    return accepted, planner, hub_id, threshold, continued


def _fresh_ops(planner: NewOps, sync_file: SyncFile, ops: list[Op]) -> list[Op]:
    try:
        return planner.add(ops)
    except OpCollision as exc:
        raise SyncFileError(sync_file.path, str(exc)) from exc


def _continue_if_copied(
    store: Store, m: Manifest, path: Path, theirs: dict[int, str] | None
) -> Continuation | None:
    """When ``m`` shows this database was put back from a copy, continue under a fresh id
    (before the file's ops are planned, so they cannot collide with ours)."""
    found = put_back_from_copy(store.db, store.replica_id, m, theirs)
    if found is None:
        return None
    continued = Continuation(store, m, str(path), *found, now=now_iso())
    continued.retire_and_switch()
    return continued


def _check_sender(
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


def _flag_future(fresh: Sequence[Op], threshold: int, names: dict[str, str]) -> list[Flagged]:
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


def _apply(
    store: Store,
    accepted: list[_Accepted],
    ops: list[Op],
    threshold: int,
    hub_id: str | None,
    report: ImportReport,
    continued: Continuation | None,
) -> None:
    """Merge inside the caller's write transaction."""
    db = store.db
    now = now_iso()
    if continued is not None:
        continued.reissue(ops)
    result = apply_ops(db, ops, now)
    latest = max(map(_HLC, ops), default=None)
    if latest is not None and latest > threshold:
        latest = max((op[3] for op in ops if op[3] <= threshold), default=None)
    if latest is not None:
        # Far-future stamps are not adopted (clock.observe would refuse them anyway):
        # a laptop with a wrong date must not drag this clock years ahead.
        store.writer.clock.observe(latest)
    for item in accepted:
        _record(db, item, now)
    me = identity(store)
    if me.role == LAPTOP and hub_id and hub_id != me.hub_id:
        store.set_meta(META_HUB, hub_id)
    _refresh_search(db, result.touched)
    if continued is not None:
        continued.finish(result.touched)
    report.added = result.added
    report.rows_created = result.rows_created
    report.rows_updated = result.rows_updated
    report.conflicts_opened = result.conflicts_opened
    report.conflicts_closed = result.conflicts_closed


def _record(db: SqliteDatabase, item: _Accepted, now: str) -> None:
    m, outcome = item.manifest, item.outcome
    record_file(
        db,
        file_id=m.file_id,
        direction="in",
        at=now,
        path=str(outcome.path),
        peer_id=m.source_id,
        full=m.full,
        ops=m.op_count,
        applied=outcome.added,
        flagged=sum(f.ops for f in outcome.flagged),
        sha256=m.payload_sha256,
    )
    for rid, name in m.names.items():
        if rid != m.source_id and name:
            note_peer(db, rid, name=name)
    note_peer(
        db,
        m.source_id,
        role=m.source_role,
        name=m.source_name,
        hub_id=m.source_hub_id,
        vector=m.vector,
        last_in_at=now,
    )


def _refresh_search(db: SqliteDatabase, touched: dict[str, set[str]]) -> None:
    """Keep the enterprises' derived ledger and search rows current for the merged rows."""
    ids = touched.get("enterprise")
    if ids:
        refresh_enterprises(db, sorted(ids))
