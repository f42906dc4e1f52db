"""A database put back from a copy: notice it, and go on under a fresh replica id, losing nothing.

The trouble: a laptop restored from a backup (or a database copied to a second laptop) has
forgotten ops it had already sent to the office. It numbers its next edits with seqs the
office already holds under other op ids, so its exports would skip them ("the hub has those
seqs") or be refused as a copy, and the officer's new work would never arrive.

How it is noticed: a file for this replica carries checkpoints of this replica's ops as its
sender holds them (the op ids at its highest seq and at 1, 2, 4, 8… below). Ops are numbered
by one writer, so the same op id at a seq means the same history up to there; a different op,
or one this database lacks, means another life of this database sent ops this one does not
have: it was put back from a copy, or copied. A file that carries this replica's ops itself (a
``--full`` file) is compared op by op. Files from an older fieldtui carry no checkpoints: then
the sender's version vector holding more of this replica than this database ever sent
(``sync_sent_seq``) is the sign.

What is done, inside the import's transaction:

1. Ops of this replica the peer may hold differently, those above ``kept`` (the last seq this
   database itself sent, which the peer therefore holds exactly as here), leave the op log for
   the ``retired_op`` table: the office's ops under those seqs can then arrive without a
   collision.
2. The database takes a fresh replica id (the old one is remembered as a former id, so files
   this database wrote before are still its own, and a hub keeps its laptops).
3. Each retired op that is still current (no op held or arriving names it as a parent, and no
   file brings it back) is re-issued under the new id: same row, field and value, its
   original clock stamp, and as parents its own parents plus itself. Where the office already
   holds the original, the re-issue simply supersedes it with the same value; where the office
   never saw it, the re-issue brings the edit. Nothing the officer entered is dropped.
4. The change is recorded (``identity_changes`` in ``meta``) for ``sync status`` and
   ``fieldtui doctor``, and reported by the import.

The next export carries the re-issued and new edits under the new id; the office, seeing a
new laptop, sends it everything it lacks, including what the other life of this database had
sent and this copy had forgotten.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from peewee import SqliteDatabase

from fieldtui.store.ids import new_id
from fieldtui.store.rowstate import refresh_row
from fieldtui.store.search import refresh_enterprises
from fieldtui.sync.fileformat import Manifest, Op

if TYPE_CHECKING:
    from fieldtui.store import Store

META_SENT = "sync_sent_seq"
"""``{"replica_id": …, "seq": n}``: the highest seq of this replica any export carried."""
META_FORMER = "former_replica_ids"
"""JSON list of the replica ids this database had before (oldest first)."""
META_CHANGES = "identity_changes"
"""JSON list of :class:`IdentityChange` records, oldest first."""

_OP_SQL = "op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents"


@dataclass(slots=True)
class IdentityChange:
    """One time this database continued under a fresh replica id."""

    at: str
    old_id: str
    new_id: str
    file: str
    """The file that showed it (its path as given to the import)."""
    peer_id: str
    peer_held: int
    """The seq of the old replica the peer's file says it holds."""
    kept: int
    """Ops of the old replica up to this seq stayed (the peer holds them exactly so)."""
    retired: int
    """Ops above ``kept`` moved to ``retired_op``."""
    reissued: int
    """Of those, re-issued under the new id (the others were superseded or came back)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- bookkeeping ------------------------------------------------------------------------------


def _meta(db: SqliteDatabase, key: str) -> str | None:
    row = db.execute_sql("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def _set_meta(db: SqliteDatabase, key: str, value: str) -> None:
    db.execute_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _sent_record(db: SqliteDatabase) -> tuple[str, int] | None:
    raw = _meta(db, META_SENT)
    try:
        data = json.loads(raw) if raw else None
        return (str(data["replica_id"]), int(data["seq"])) if data else None
    except (ValueError, TypeError, KeyError):
        return None


def note_sent(db: SqliteDatabase, replica_id: str, seq: int) -> None:
    """Remember that an export carried this replica's ops up to ``seq`` (call it in the
    export's transaction, before the file is written)."""
    record = _sent_record(db)
    if record is not None and record[0] == replica_id and record[1] >= seq:
        return
    _set_meta(db, META_SENT, json.dumps({"replica_id": replica_id, "seq": seq}))


def sent_seq(db: SqliteDatabase, replica_id: str) -> int | None:
    """The highest seq of ``replica_id`` an export from this database carried: 0 when it
    never wrote a sync file; None when it did, but before this was recorded."""
    record = _sent_record(db)
    if record is not None and record[0] == replica_id:
        return record[1]
    wrote = db.execute_sql("SELECT 1 FROM sync_file WHERE direction = 'out' LIMIT 1").fetchone()
    return None if wrote else 0


def former_ids(db: SqliteDatabase) -> list[str]:
    raw = _meta(db, META_FORMER)
    try:
        ids = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []


def identity_changes(db: SqliteDatabase) -> list[IdentityChange]:
    raw = _meta(db, META_CHANGES)
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    changes: list[IdentityChange] = []
    for item in items if isinstance(items, list) else []:
        try:
            changes.append(IdentityChange(**item))
        except TypeError:
            continue
    return changes


# -- noticing ---------------------------------------------------------------------------------


def _own_held(db: SqliteDatabase, replica_id: str) -> int:
    """Highest seq of ``replica_id`` held from 1 without a gap."""
    row = db.execute_sql(
        "SELECT MAX(seq), COUNT(*) FROM op WHERE replica_id = ?", (replica_id,)
    ).fetchone()
    highest, count = int(row[0] or 0), int(row[1] or 0)
    if highest == count:
        return highest
    expected = 1
    for (seq,) in db.execute_sql(
        "SELECT seq FROM op WHERE replica_id = ? ORDER BY seq", (replica_id,)
    ):
        if seq != expected:
            break
        expected += 1
    return expected - 1


def _acknowledged(db: SqliteDatabase, replica_id: str) -> int:
    """The most of ``replica_id`` any peer was known (before this import) to hold."""
    best = 0
    for (vector,) in db.execute_sql("SELECT vector FROM sync_peer"):
        try:
            best = max(best, int(json.loads(vector).get(replica_id, 0)))
        except (ValueError, TypeError, AttributeError):
            continue
    return best


def target_checkpoints(db: SqliteDatabase, target_id: str) -> list[tuple[int, str]]:
    """Some of ``target_id``'s own ops held here, for a file to that peer: the highest held
    seq ``n``, then ``n-1``, ``n-2``, ``n-4``… down to 1 (about 20 for a million ops)."""
    row = db.execute_sql("SELECT MAX(seq) FROM op WHERE replica_id = ?", (target_id,)).fetchone()
    highest = int(row[0] or 0)
    seqs: list[int] = []
    step = 1
    seq = highest
    while seq > 0:
        seqs.append(seq)
        seq = highest - step
        step *= 2
    if highest and 1 not in seqs:
        seqs.append(1)
    if not seqs:
        return []
    marks = ", ".join("?" * len(seqs))
    cur = db.execute_sql(
        f"SELECT seq, op_id FROM op WHERE replica_id = ? AND seq IN ({marks}) ORDER BY seq DESC",
        (target_id, *seqs),
    )
    return [(int(s), str(o)) for s, o in cur.fetchall()]


def _agreement(
    db: SqliteDatabase, replica_id: str, theirs: dict[int, str]
) -> tuple[int, int | None]:
    """Compare a peer's ops of this replica (seq → op id) with ours: ``(agreed, differs)``,
    the highest seq where both hold the same op (so the same history up to there: one writer
    numbered both) and the lowest where they differ or only the peer holds one."""
    if not theirs:
        return 0, None
    seqs = sorted(theirs)
    ours: dict[int, str] = {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        cur = db.execute_sql(
            f"SELECT seq, op_id FROM op WHERE replica_id = ? AND seq IN ({marks})",
            (replica_id, *chunk),
        )
        ours.update((int(s), str(o)) for s, o in cur.fetchall())
    differs = min((s for s in seqs if ours.get(s) != theirs[s]), default=None)
    agreed = max((s for s in seqs if ours.get(s) == theirs[s]), default=0)
    if differs is not None:
        agreed = max((s for s in seqs if s < differs and ours.get(s) == theirs[s]), default=0)
    return agreed, differs


def put_back_from_copy(
    db: SqliteDatabase, replica_id: str, m: Manifest, theirs: dict[int, str] | None = None
) -> tuple[int, int] | None:
    """``(peer_held, kept)`` when the file ``m`` shows this database was put back from a copy
    (or copied) and another life of it sent ops this one does not have.

    Evidence, best first: ``theirs`` (the file's own ops of this replica, seq → op id), the
    file's checkpoints of this replica, and for files without either (an older fieldtui) the
    sender's vector against what this database ever sent. ``kept`` is the seq up to which this
    database's ops are certainly the sender's too: where the evidence agrees, or what a peer
    acknowledged before, never past the first seq where they differ.
    """
    held_there = int(m.vector.get(replica_id, 0))
    evidence = dict(theirs or {})
    if m.target_id == replica_id:
        evidence.update(m.target_checkpoints)
    acknowledged = _acknowledged(db, replica_id)
    if evidence:
        agreed, differs = _agreement(db, replica_id, evidence)
        if differs is None:
            return None
        kept = max(agreed, min(acknowledged, differs - 1))
        return max(held_there, max(evidence)), kept
    if not held_there:
        return None
    sent = sent_seq(db, replica_id)
    if held_there <= (sent if sent is not None else _own_held(db, replica_id)):
        return None
    return held_there, min(acknowledged, _own_held(db, replica_id))


# -- continuing -------------------------------------------------------------------------------


class Continuation:
    """Steps 1-4 of the module docstring, for one import (see ``sync.importer``)."""

    def __init__(
        self, store: Store, m: Manifest, path: str, peer_held: int, kept: int, now: str
    ) -> None:
        self.store = store
        self.db = store.db
        self.now = now
        self.old_id = store.replica_id
        self.new_id = new_id()
        self.retired: list[tuple[Any, ...]] = []
        self.change = IdentityChange(
            at=now,
            old_id=self.old_id,
            new_id=self.new_id,
            file=path,
            peer_id=m.source_id,
            peer_held=peer_held,
            kept=kept,
            retired=0,
            reissued=0,
        )

    def retire_and_switch(self) -> None:
        """Steps 1 and 2: before the file's ops are planned (so they cannot collide)."""
        db = self.db
        self.retired = [
            tuple(r)
            for r in db.execute_sql(
                f"SELECT {_OP_SQL} FROM op WHERE replica_id = ? AND seq > ? ORDER BY seq",
                (self.old_id, self.change.kept),
            ).fetchall()
        ]
        if self.retired:
            db.cursor().executemany(
                f"INSERT OR IGNORE INTO retired_op ({_OP_SQL}, retired_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r, self.now) for r in self.retired],
            )
            db.execute_sql(
                "DELETE FROM op WHERE replica_id = ? AND seq > ?", (self.old_id, self.change.kept)
            )
        self.change.retired = len(self.retired)
        former = former_ids(db)
        _set_meta(db, META_FORMER, json.dumps([*former, self.old_id]))
        _set_meta(db, "replica_id", self.new_id)
        _set_meta(db, META_SENT, json.dumps({"replica_id": self.new_id, "seq": 0}))
        writer = self.store.writer
        writer.replica_id = self.new_id
        writer._seq = 0

    def reissue(self, arriving: list[Op]) -> set[tuple[str, str]]:
        """Step 3, once every file's new ops are planned (not yet applied); returns the rows
        of the retired ops, which the caller recomputes after the merge."""
        db = self.db
        arriving_ids = {o[0] for o in arriving}
        # An op is replaced only by a later op of the same field naming it as a parent (a
        # delete names every field's heads, but the fields keep their values): collect, per
        # field of a retired op, every parent named by ops held, arriving or retired.
        named: dict[tuple[str, str, str], set[str]] = {}
        for r in self.retired:
            named.setdefault((r[4], r[5], r[6]), set()).update(json.loads(r[8]))
        for o in arriving:
            key = (o[4], o[5], o[6])
            if key in named:
                named[key].update(o[8])
        for (tbl, row_id, field), parents_seen in named.items():
            for (parents,) in db.execute_sql(
                "SELECT parents FROM op WHERE tbl = ? AND row_id = ? AND field = ?",
                (tbl, row_id, field),
            ):
                parents_seen.update(json.loads(parents))
        rows: list[tuple[Any, ...]] = []
        links: list[tuple[str, str]] = []
        writer = self.store.writer
        for op_id, _rid, _seq, hlc, tbl, row_id, field, value, parents in self.retired:
            if op_id in arriving_ids or op_id in named[(tbl, row_id, field)]:
                continue  # a file brings it back, or a later edit of the field replaced it
            writer._seq += 1
            reissue_id = new_id()
            rows.append(
                (
                    reissue_id,
                    self.new_id,
                    writer._seq,
                    hlc,
                    tbl,
                    row_id,
                    field,
                    value,
                    json.dumps(sorted({*json.loads(parents), op_id})),
                )
            )
            links.append((reissue_id, op_id))
        if rows:
            db.cursor().executemany(
                f"INSERT INTO op ({_OP_SQL}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            db.cursor().executemany("UPDATE retired_op SET reissued_as = ? WHERE op_id = ?", links)
        self.change.reissued = len(rows)
        return {(r[4], r[5]) for r in self.retired}

    def finish(self, recomputed: dict[str, set[str]]) -> IdentityChange:
        """Step 4, after the merge: rows the merge did not recompute are, and it is logged."""
        db = self.db
        enterprises: set[str] = set()
        for tbl, row_id in {(r[4], r[5]) for r in self.retired}:
            if tbl == "enterprise":
                enterprises.add(row_id)
            if row_id in recomputed.get(tbl, set()):
                continue
            exists = db.execute_sql(f'SELECT 1 FROM "{tbl}" WHERE id = ?', (row_id,)).fetchone()
            if exists:
                refresh_row(db, tbl, row_id, self.now)
        if enterprises:
            refresh_enterprises(db, sorted(enterprises))
        changes = [c.to_json() for c in identity_changes(db)]
        _set_meta(db, META_CHANGES, json.dumps([*changes, self.change.to_json()]))
        return self.change
