"""Reading the op log: version vectors and the ops a peer lacks.

A version vector maps each replica to the highest seq held *contiguously* from 1. Seqs are
gapless per replica, so a vector entry n promises ops 1..n of that replica: "send me what is
above my vector" then never skips an op, even when a lost file or a restored backup left a
hole further up (the ops above the hole are simply sent again; merge ignores what it holds).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring

from peewee import SqliteDatabase

Vector = dict[str, int]

OP_COLUMNS = ("op_id", "replica_id", "seq", "hlc", "tbl", "row_id", "field", "value", "parents")
"""The order of an op's fields, in the op table and in a sync file's lines."""


def version_vector(db: SqliteDatabase) -> Vector:
    """Highest contiguous seq per replica held by this database (replicas at 0 left out)."""
    vector: Vector = {}
    rows = db.execute_sql(
        "SELECT replica_id, MAX(seq), COUNT(*) FROM op GROUP BY replica_id"
    ).fetchall()
    for replica_id, highest, count in rows:
        # Seqs are unique per replica and start at 1, so MAX == COUNT means no hole.
        n = int(highest) if highest == count else _contiguous(db, replica_id)
        if n:
            vector[str(replica_id)] = n
    return vector


def _contiguous(db: SqliteDatabase, replica_id: str) -> int:
    expected = 1
    cur = db.execute_sql("SELECT seq FROM op WHERE replica_id = ? ORDER BY seq", (replica_id,))
    for (seq,) in cur:
        if seq != expected:
            break
        expected += 1
    return expected - 1


def merge_vectors(a: Mapping[str, int], b: Mapping[str, int]) -> Vector:
    """Entry-wise maximum: what is known to be held after learning both."""
    merged = dict(a)
    for replica_id, seq in b.items():
        if seq > merged.get(replica_id, 0):
            merged[replica_id] = seq
    return merged


def replicas(db: SqliteDatabase) -> list[str]:
    return [str(r[0]) for r in db.execute_sql("SELECT DISTINCT replica_id FROM op").fetchall()]


def lacking_count(db: SqliteDatabase, peer_vector: Mapping[str, int]) -> int:
    """How many ops this database holds above ``peer_vector``."""
    total = 0
    for replica_id in replicas(db):
        row = db.execute_sql(
            "SELECT COUNT(*) FROM op WHERE replica_id = ? AND seq > ?",
            (replica_id, peer_vector.get(replica_id, 0)),
        ).fetchone()
        total += int(row[0])
    return total


def lacking_lines(db: SqliteDatabase, peer_vector: Mapping[str, int]) -> Iterator[str]:
    """Every op above ``peer_vector`` (everything for ``{}``), as sync-file JSON lines.

    Values and parents are stored as JSON text already, so lines are assembled without
    decoding them; ids and names are escaped as JSON strings.
    """
    enc = encode_basestring
    for replica_id in sorted(replicas(db)):
        cur = db.execute_sql(
            "SELECT op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents FROM op"
            " WHERE replica_id = ? AND seq > ? ORDER BY seq",
            (replica_id, peer_vector.get(replica_id, 0)),
        )
        for op_id, rep, seq, hlc, tbl, row_id, field, value, parents in cur:
            yield (
                f"[{enc(op_id)},{enc(rep)},{seq},{hlc},{enc(tbl)},{enc(row_id)},{enc(field)},"
                f"{'null' if value is None else value},{parents or '[]'}]"
            )
