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

What a file cannot do, however its checksums were made to match (issue 11):

- **Bad values** never reach a row: an op whose value does not fit its field (checked as a
  form checks it, :func:`fieldtui.sync.values.check_values`) is kept in the op log, so seqs
  stay gapless and the laptop's next file is not refused for it, but *held aside*: listed in
  ``held_op``, named in the report with its record and field, and ignored by its row. Every
  replica that receives it holds it aside the same way. A value far beyond its field's limit
  refuses the file.
- **A laptop speaks for itself**: the hub takes from a laptop's file only that laptop's own
  ops, ops it already holds, and ops of its own former replica ids (the edits a hub put back
  from a copy forgot, which its laptops return). Any other op refuses the file, naming whose
  id it carries.
- **Bounded work**: :mod:`fieldtui.sync.limits` caps the whole run (ops, sizes, value
  characters, replicas), charged as files are read; peers named in a manifest are noted only
  when the file carries their ops.
- **One bad file never drops the good ones**: a file that fails anywhere, even in a way no
  check foresaw (a clash on the op table's key), is refused on its own. The good files are
  first merged together (fast); if that fails, the transaction is rolled back and each file
  is merged in its own savepoint, so the one at fault is refused and the others go in.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import peewee
from peewee import SqliteDatabase

from fieldtui.i18n import _
from fieldtui.store import backups
from fieldtui.store.clock import COUNTER_MASK, MAX_DRIFT_MS, pack
from fieldtui.store.db import latest_schema_version
from fieldtui.store.search.upkeep import refresh_enterprises
from fieldtui.store.writer import now_iso
from fieldtui.sync.continuity import (
    Continuation,
    former_ids,
    put_back_from_copy,
)
from fieldtui.sync.crypto import fingerprint, shown_fingerprint
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import Manifest, Op, SyncFile, read_sync_file
from fieldtui.sync.held import describe_held
from fieldtui.sync.limits import Budget
from fieldtui.sync.merge import NewOps, OpCollision, TableChanges, apply_ops
from fieldtui.sync.opcheck import decode_ops
from fieldtui.sync.peers import (
    HUB,
    LAPTOP,
    META_HUB,
    FileRecord,
    file_seen,
    identity,
    known_names,
    note_peer,
    peers,
    record_file,
    require_role,
)
from fieldtui.sync.report import (
    ALREADY,
    CANCELLED,
    IMPORTED,
    OWN,
    PENDING,
    REFUSED,
    FileOutcome,
    ImportReport,
    JoinedTeam,
)
from fieldtui.sync.senders import check_sender, flag_future, no_clashing_ids, own_ops_only
from fieldtui.sync.trust import SealInfo, Trust, read_any
from fieldtui.sync.values import check_values

if TYPE_CHECKING:
    from fieldtui.store import Store


ImportProgress = Callable[[str, int, int], None]
"""``(phase, done, total)``: ``read`` (files verified), ``backup``, ``merge`` (new ops)."""

CancelCheck = Callable[[], bool]
"""Asked between steps; True stops the import with nothing written."""

IMPORT_CACHE_KIB = 64 * 1024
"""SQLite's page cache during an import (the default is 2 MiB). A 100,000-op file dirties
about 55 MiB of pages; with the small cache they are spilled to the WAL mid-transaction and
read back while the op indexes grow (measured: imports 2-5% faster and steadier with the
larger cache). Memory is only used as pages are touched; the previous size is restored."""

_HLC = itemgetter(3)
"""An op's clock stamp."""
_REPLICA = itemgetter(1)

FILE_FAULTS: tuple[type[BaseException], ...] = (
    ArithmeticError,
    AssertionError,
    AttributeError,
    LookupError,
    RecursionError,
    TypeError,
    UnicodeError,
    ValueError,
    peewee.IntegrityError,
    sqlite3.IntegrityError,
)
"""Failures a file's content can cause (a crafted file, or a case no check foresaw): they
refuse that file only. Anything else (a full disk, a lock, an I/O error) stops the import."""


@dataclass(slots=True)
class _Accepted:
    outcome: FileOutcome
    manifest: Manifest
    fresh: list[Op]
    held: dict[str, str]
    """Op id → reason, for the fresh ops held aside."""
    replicas: set[str]
    """Replica ids with ops in the file."""
    seal: SealInfo | None = None


class _Cancelled(Exception):
    pass


class _RetryOneByOne(Exception):
    """The files could not be merged together; each is merged on its own instead."""


def import_files(
    store: Store,
    paths: Sequence[Path | str],
    *,
    make_backup: bool = True,
    check_roles: bool = True,
    progress: ImportProgress | None = None,
    cancel: CancelCheck | None = None,
) -> ImportReport:
    """Import sync files; the good ones in one transaction, each bad one refused untouched.

    ``check_roles=False`` merges any valid file whatever its sender (tests and recovery).
    ``progress(phase, done, total)`` is told each phase: ``"read"`` per file verified,
    ``"backup"``, then ``"merge"`` with the number of new ops. ``cancel()`` is asked between
    steps (each file read, before the backup, before and after the merge); when it answers
    True the import stops, everything is rolled back and the report says ``cancelled``.
    """
    with _gc_paused():
        return _Run(store, paths, make_backup, check_roles, progress, cancel).run()


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


class _Run:
    """One call of :func:`import_files`."""

    def __init__(
        self,
        store: Store,
        paths: Sequence[Path | str],
        make_backup: bool,
        check_roles: bool,
        progress: ImportProgress | None,
        cancel: CancelCheck | None,
    ) -> None:
        self.store = store
        self.db: SqliteDatabase = store.db
        self.paths = [Path(p) for p in paths]
        self.make_backup = make_backup
        self.check_roles = check_roles
        self.progress = progress
        self.cancel = cancel
        self.report = ImportReport()
        self.budget = Budget()
        self.trust = Trust(store)
        self.decoded: dict[int, list[Op]] = {}
        """id(sync file) → its decoded ops (decoded once, even when merged twice)."""

    # -- steps ------------------------------------------------------------------------------

    def _tell(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise _Cancelled

    def run(self) -> ImportReport:
        report = self.report
        try:
            readable = self._read_all()
        except _Cancelled:
            return self._cancelled()
        if not readable:
            if self.check_roles:
                require_role(self.store)
            report.open_conflicts = _open_conflicts(self.db)
            return report
        initial = [(o.status, o.reason) for o, _f in readable]
        try:
            try:
                with _import_pragmas(self.db), self.store.writer.transaction():
                    self._merge(readable, together=True)
            except _RetryOneByOne:
                self._reset(readable, initial)
                with _import_pragmas(self.db), self.store.writer.transaction():
                    self._merge(readable, together=False)
        except _Cancelled:
            backups.discard(report.backup)
            self._restore_identity()
            return self._cancelled()
        except BaseException:
            backups.discard(report.backup)
            report.backup = None
            self._restore_identity()
            raise
        backups.keep(self.store.path, report.backup)
        self._learn(readable)
        return report

    def _cancelled(self) -> ImportReport:
        """Nothing was written: files not refused for what they are say "cancelled"."""
        report = self.report
        self._clear_counts()
        report.cancelled = True
        report.backup = None
        for outcome in report.files:
            if outcome.status != REFUSED:
                outcome.status, outcome.reason = CANCELLED, ""
            outcome.added, outcome.held, outcome.flagged = 0, [], []
        report.open_conflicts = _open_conflicts(self.db)
        return report

    def _clear_counts(self) -> None:
        report = self.report
        report.identity_change = None
        report.tables = {}
        report.added = report.rows_created = report.rows_updated = 0
        report.conflicts_opened = report.conflicts_closed = 0

    def _reset(
        self, readable: list[tuple[FileOutcome, SyncFile]], initial: list[tuple[str, str]]
    ) -> None:
        """Back to the state after reading, for a second attempt (the first was rolled back;
        its backup, taken before anything was written, still stands)."""
        for (outcome, _f), (status, reason) in zip(readable, initial, strict=True):
            outcome.status, outcome.reason = status, reason
            outcome.added, outcome.held, outcome.flagged = 0, [], []
        self._clear_counts()
        self._restore_identity()

    def _restore_identity(self) -> None:
        """A rolled-back continuation leaves the writer's replica id as the database says."""
        row = self.db.execute_sql("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
        if row:
            self.store.writer.replica_id = str(row[0])

    def _read_all(self) -> list[tuple[FileOutcome, SyncFile]]:
        """Read and verify every file (no lock needed), charging the run's budget."""
        schema = latest_schema_version()
        readable: list[tuple[FileOutcome, SyncFile]] = []
        for index, path in enumerate(self.paths):
            self._check_cancel()
            self._tell("read", index, len(self.paths))
            outcome = FileOutcome(path=path, status=REFUSED)
            self.report.files.append(outcome)
            try:
                sync_file = read_sync_file(path, schema, self._open)
                m = sync_file.manifest
                if sync_file.seal is not None:
                    outcome.device = shown_fingerprint(sync_file.seal.device_id)
                outcome.file_id, outcome.source_id = m.file_id, m.source_id
                outcome.source_name, outcome.source_role = m.source_name, m.source_role
                outcome.ops = m.op_count
                if file_seen(self.db, m.file_id):
                    sync_file.payload = b""  # answered "already imported" under the lock
                else:
                    self.budget.charge_file(sync_file)
            except SyncFileError as exc:
                outcome.reason = exc.reason
                continue
            except FILE_FAULTS as exc:  # no check foresaw it: still this file's fault
                outcome.reason = _unexpected(exc)
                continue
            outcome.status = PENDING
            readable.append((outcome, sync_file))
        return readable

    def _open(self, path: Path, data: bytes) -> tuple[bytes, SealInfo | None]:
        return read_any(path, data, self.trust, plain_ok=not self.check_roles)

    def _learn(self, readable: list[tuple[FileOutcome, SyncFile]]) -> None:
        """After the commit: what a laptop's hub files taught it (team, hub key, team keys)."""
        taught = [
            (f.seal, f.manifest.source_name)
            for o, f in readable
            if f.seal is not None and o.status in (IMPORTED, ALREADY)
        ]
        if taught:
            team = self.trust.learn([seal for seal, _name in taught], hub_name=taught[0][1])
            if team is not None:
                self.report.joined = JoinedTeam(
                    team.team_id, team.name, shown_fingerprint(fingerprint(team.hub_sign))
                )

    def _merge(self, readable: list[tuple[FileOutcome, SyncFile]], *, together: bool) -> None:
        """Plan and merge inside the caller's write transaction.

        Everything that depends on the database (files seen, ops held, this database's
        identity) is checked under the write lock the merge then holds, so two imports of one
        file at the same moment cannot both apply it. ``together``: every file in one merge
        (any failure a file's content causes raises :class:`_RetryOneByOne`); otherwise one
        file at a time, each in a savepoint, a failing file refused.
        """
        planning = _Planning(self)
        if together:
            try:
                planner = NewOps(self.db)
                accepted = [
                    item
                    for outcome, sync_file in readable
                    if (item := planning.plan(outcome, sync_file, planner)) is not None
                ]
                self._check_cancel()
                if accepted or planning.continued is not None:
                    self._backup(len(planner.ops))
                    self._tell("merge", 0, len(planner.ops))
                    self._apply(planning, accepted, planner.ops)
            except FILE_FAULTS as exc:
                raise _RetryOneByOne from exc
        else:
            for outcome, sync_file in readable:
                try:
                    with self.db.atomic():  # a savepoint: a file at fault leaves no trace
                        item = planning.plan(outcome, sync_file, NewOps(self.db), one=True)
                        if item is not None:
                            self._backup(len(item.fresh))
                            self._apply(planning, [item], item.fresh)
                except FILE_FAULTS as exc:
                    outcome.status, outcome.reason = REFUSED, _unexpected(exc)
                    outcome.added, outcome.held, outcome.flagged = 0, [], []
                    self._restore_identity()
                    if planning.continued is not None and planning.continued_by is outcome:
                        planning.continued = None
                        self.report.identity_change = None
            self._check_cancel()
        self._check_cancel()
        self.report.open_conflicts = _open_conflicts(self.db)

    def _backup(self, planned: int) -> None:
        """A copy before the first write, when the backup policy asks for one."""
        if self.report.backup is not None:
            return
        if not self.make_backup or not backups.import_wants_backup(
            self.store.path, backups.ops_held(self.db), planned
        ):
            return
        self._check_cancel()
        self._tell("backup", 0, 1)
        self.report.backup = backups.take(self.store.path, "before-sync-import")

    def _apply(self, planning: _Planning, accepted: list[_Accepted], ops: list[Op]) -> None:
        """Merge ``accepted`` (their fresh ``ops``) inside the caller's transaction or
        savepoint."""
        store, db, report = self.store, self.db, self.report
        now = now_iso()
        continued = planning.continued
        if continued is not None and not planning.reissued:
            continued.reissue(ops)
            planning.reissued = True
        held: dict[str, tuple[str, _Accepted]] = {
            op_id: (reason, item) for item in accepted for op_id, reason in item.held.items()
        }
        if held:
            _hold(db, held, ops, now)
        result = apply_ops(db, ops, now, held.keys())
        latest = max(map(_HLC, ops), default=None)
        if latest is not None and latest > planning.threshold:
            latest = max((op[3] for op in ops if op[3] <= planning.threshold), default=None)
        if latest is not None:
            # Far-future stamps are not adopted (clock.observe would refuse them anyway):
            # a laptop with a wrong date must not drag this clock years ahead.
            store.writer.clock.observe(latest)
        for item in accepted:
            _record(db, item, now, planning.own_ids)
            self.trust.note_sender(item.seal, item.manifest, now)
        me = identity(store)
        if me.role == LAPTOP and planning.hub_id and planning.hub_id != me.hub_id:
            store.set_meta(META_HUB, planning.hub_id)
        _refresh_search(db, result.touched)
        if continued is not None and not planning.finished:
            continued.finish(result.touched)
            planning.finished = True
        if held:
            by_op = {op[0]: op for op in ops if op[0] in held}
            for op_id, (reason, item) in held.items():
                item.outcome.held.append(describe_held(db, by_op[op_id], reason))
        report.added += result.added
        report.rows_created += result.rows_created
        report.rows_updated += result.rows_updated
        report.conflicts_opened += result.conflicts_opened
        report.conflicts_closed += result.conflicts_closed
        for table, changes in result.tables.items():
            mine = report.tables.setdefault(table, TableChanges())
            mine.created += changes.created
            mine.updated += changes.updated
            mine.deleted += changes.deleted
            mine.restored += changes.restored
        if planning.continued is not None:
            report.identity_change = planning.continued.change


class _Planning:
    """Deciding each readable file's fate, for one attempt at merging (reads only, except
    when a file shows this database was put back from a copy: see ``sync.continuity``)."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        store = run.store
        self.store = store
        self.db: SqliteDatabase = store.db
        self.me = require_role(store) if run.check_roles else identity(store)
        self.own_ids = {self.me.replica_id, *former_ids(self.db)}
        self.hub_id = self.me.hub_id
        self.threshold = pack(store.writer.clock.now_ms() + MAX_DRIFT_MS, COUNTER_MASK)
        self.continued: Continuation | None = None
        self.continued_by: FileOutcome | None = None
        self.reissued = False
        self.finished = False
        self.batch_ids: set[str] = set()
        self.planned: NewOps | None = None
        self.budget = Budget()

    def plan(
        self, outcome: FileOutcome, sync_file: SyncFile, planner: NewOps, one: bool = False
    ) -> _Accepted | None:
        """The file's fresh ops and held values, or None (refused, already imported, own);
        a refusal is written into ``outcome``. ``one``: the file is merged on its own (in a
        savepoint), so ids clashing with held ops are looked for first."""
        db, run = self.db, self.run
        m, path = sync_file.manifest, sync_file.path
        try:
            if m.source_id in self.own_ids:
                outcome.status, outcome.reason = OWN, _("written by this database; nothing to do")
                return None
            seen = m.file_id in self.batch_ids or file_seen(db, m.file_id)
            if seen:
                outcome.status = ALREADY
                if isinstance(seen, FileRecord):
                    outcome.reason = _("imported on {at}; nothing changed").format(at=seen.at)
                return None
            if run.check_roles:
                self.hub_id = check_sender(self.me, self.own_ids, m, self.hub_id, path)
                run.trust.check_sender(path, sync_file.seal, m)
            ops = run.decoded.get(id(sync_file))
            if ops is None:
                ops = run.decoded[id(sync_file)] = decode_ops(sync_file)
            values = check_values(ops)
            if values.too_long is not None:
                index, where, size, limit = values.too_long
                raise SyncFileError(
                    path,
                    _(
                        "change {index} gives {field} a value of {size} characters; the field "
                        "holds at most {limit} (a damaged or crafted file)"
                    ).format(index=index, field=where, size=size, limit=limit),
                )
            replicas = set(map(_REPLICA, ops))
            self.budget.charge_values(path, values.value_chars, replicas)
            if self.continued is None:
                # The file's own ops of this replica (a --full file has them) are the best
                # evidence of a copy; checkpoints or vectors otherwise (sync.continuity). At
                # the hub, a laptop's file is evidence by its checkpoints only: ops stamped
                # with the hub's id are not a laptop's to send.
                me_id = self.store.replica_id
                trusted = not run.check_roles or self.me.role == LAPTOP
                mine = {op[2]: op[0] for op in ops if op[1] == me_id} if trusted else {}
                self.continued = _continue_if_copied(self.store, m, path, mine)
                if self.continued is not None:
                    self.continued_by = outcome
                    self.own_ids.add(self.store.replica_id)
            if run.check_roles and self.me.role == HUB:
                own_ops_only(db, m, path, ops, replicas, former_ids(db))
            if one:
                no_clashing_ids(db, path, ops)
            fresh = _fresh_ops(planner, sync_file, ops)
        except SyncFileError as exc:
            outcome.status, outcome.reason = REFUSED, exc.reason
            return None
        outcome.status, outcome.added = IMPORTED, len(fresh)
        outcome.flagged = flag_future(fresh, self.threshold, {**known_names(db), **m.names})
        self.batch_ids.add(m.file_id)
        fresh_ids = {op[0] for op in fresh} if values.held else set()
        held = {k: v for k, v in values.held.items() if k in fresh_ids}
        return _Accepted(outcome, m, fresh, held, replicas, sync_file.seal)


def _unexpected(exc: BaseException) -> str:
    if isinstance(exc, (peewee.IntegrityError, sqlite3.IntegrityError)):
        return _(
            "damaged or crafted: its changes clash with those this database holds ({reason})"
        ).format(reason=exc)
    return _("damaged or crafted: it cannot be merged ({kind}: {reason})").format(
        kind=type(exc).__name__, reason=str(exc)[:200]
    )


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


def _hold(
    db: SqliteDatabase, held: dict[str, tuple[str, _Accepted]], ops: list[Op], now: str
) -> None:
    """List the held ops (before the merge, which leaves them out of their rows)."""
    rows = [
        (op[0], op[4], op[5], op[6], op[1], held[op[0]][0], held[op[0]][1].manifest.file_id, now)
        for op in ops
        if op[0] in held
    ]
    db.cursor().executemany(
        "INSERT OR IGNORE INTO held_op"
        " (op_id, tbl, row_id, field, replica_id, reason, file_id, held_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _record(db: SqliteDatabase, item: _Accepted, now: str, own_ids: set[str]) -> None:
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
    # Names and vector entries only of databases the file brings ops of, or already known:
    # a manifest naming made-up replicas must not grow every later file of this database.
    known = {p.replica_id for p in peers(db)} | own_ids
    for rid, name in m.names.items():
        if rid != m.source_id and name and rid in item.replicas:
            note_peer(db, rid, name=name)
    relevant = item.replicas | known
    note_peer(
        db,
        m.source_id,
        role=m.source_role,
        name=m.source_name,
        hub_id=m.source_hub_id,
        vector={rid: seq for rid, seq in m.vector.items() if rid in relevant},
        last_in_at=now,
    )


def _refresh_search(db: SqliteDatabase, touched: dict[str, set[str]]) -> None:
    """Keep the enterprises' derived ledger and search rows current for the merged rows."""
    ids = touched.get("enterprise")
    if ids:
        refresh_enterprises(db, sorted(ids))
