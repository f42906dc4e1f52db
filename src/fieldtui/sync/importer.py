"""Import: verify sync files completely, then merge the good ones (``fieldtui sync import``).

Every file is read and verified before anything is written, and a bad one is refused with a
message naming the file and the problem. A file already imported is skipped by its file id,
checked right after the hashes, so re-importing costs almost nothing. The rest are applied in
one transaction after a backup, with ``PRAGMA synchronous=FULL`` around it; ops stamped more
than a day ahead of this computer's clock are merged but reported, and not adopted by its
clock.
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
from fieldtui.store.clock import COUNTER_MASK, MAX_DRIFT_MS, hlc_datetime, pack
from fieldtui.store.db import backup, latest_schema_version
from fieldtui.store.search.upkeep import refresh_enterprises
from fieldtui.store.writer import now_iso
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import Manifest, Op, SyncFile, decode_ops, read_sync_file
from fieldtui.sync.merge import NewOps, OpCollision, apply_ops
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
    me = require_role(store) if check_roles else identity(store)
    schema = latest_schema_version()
    report = ImportReport()
    planner = NewOps(db)
    accepted: list[_Accepted] = []
    batch_ids: set[str] = set()
    hub_id = me.hub_id
    threshold = pack(store.writer.clock.now_ms() + MAX_DRIFT_MS, COUNTER_MASK)
    for index, raw_path in enumerate(paths):
        if progress is not None:
            progress("read", index, len(paths))
        path = Path(raw_path)
        outcome = FileOutcome(path=path, status=REFUSED)
        report.files.append(outcome)
        try:
            sync_file = read_sync_file(path, schema)
            m = sync_file.manifest
            outcome.file_id, outcome.source_id = m.file_id, m.source_id
            outcome.source_name, outcome.source_role = m.source_name, m.source_role
            outcome.ops = m.op_count
            if m.source_id == store.replica_id:
                outcome.status, outcome.reason = OWN, _("written by this database; nothing to do")
                continue
            seen = m.file_id in batch_ids or file_seen(db, m.file_id)
            if seen:
                outcome.status = ALREADY
                if isinstance(seen, FileRecord):
                    outcome.reason = _("imported on {at}; nothing changed").format(at=seen.at)
                continue
            if check_roles:
                hub_id = _check_sender(me, m, hub_id, path)
            fresh = _fresh_ops(planner, sync_file)
        except SyncFileError as exc:
            outcome.status, outcome.reason = REFUSED, exc.reason
            continue
        outcome.status, outcome.added = IMPORTED, len(fresh)
        outcome.flagged = _flag_future(fresh, threshold, {**known_names(db), **m.names})
        batch_ids.add(m.file_id)
        accepted.append(_Accepted(outcome, m, fresh))
    if accepted:
        if make_backup:
            if progress is not None:
                progress("backup", 0, 1)
            report.backup = backup(store.path, "before-sync-import")
        if progress is not None:
            progress("merge", 0, len(planner.ops))
        _apply(store, me, accepted, planner.ops, threshold, hub_id, report)
    report.open_conflicts = int(db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0])
    return report


def _fresh_ops(planner: NewOps, sync_file: SyncFile) -> list[Op]:
    ops = decode_ops(sync_file)
    try:
        return planner.add(ops)
    except OpCollision as exc:
        raise SyncFileError(sync_file.path, str(exc)) from exc


def _check_sender(me: Identity, m: Manifest, hub_id: str | None, path: Path) -> str | None:
    """Refuse files from the wrong kind of sender; returns the laptop's (maybe new) hub id."""
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
    if m.source_hub_id and m.source_hub_id != me.replica_id:
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
    me: Identity,
    accepted: list[_Accepted],
    ops: list[Op],
    threshold: int,
    hub_id: str | None,
    report: ImportReport,
) -> None:
    db = store.db
    now = now_iso()
    cache_size = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql("PRAGMA synchronous = FULL")
    db.execute_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        with store.writer.transaction():
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
            if me.role == LAPTOP and hub_id and hub_id != me.hub_id:
                store.set_meta(META_HUB, hub_id)
            _refresh_search(db, result.touched)
    finally:
        db.execute_sql("PRAGMA synchronous = NORMAL")
        db.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")
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
