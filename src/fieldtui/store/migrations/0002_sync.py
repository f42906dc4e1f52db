"""Sync bookkeeping: the peers this database exchanges files with, and the files in and out.

Frozen like every migration. None of these tables travels by sync: they describe this
database's own view of its peers (what each is known to hold, from the last file it sent), so
they are plain local tables without ops.
"""

from typing import Any

TABLES = [
    # One row per replica this database has heard of: the hub (on a laptop), the laptops (on
    # the hub), and any replica named in a received file. ``vector`` is the highest contiguous
    # seq per replica that the peer is known to hold, taken from the files it wrote.
    """CREATE TABLE sync_peer (
        replica_id TEXT NOT NULL PRIMARY KEY,
        role TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        hub_id TEXT,
        vector TEXT NOT NULL DEFAULT '{}',
        last_in_at TEXT,
        last_out_at TEXT
    )""",
    # Every sync file written or imported. The file id of an imported file is what makes a
    # second import of the same file a no-op ("already imported").
    """CREATE TABLE sync_file (
        file_id TEXT NOT NULL,
        direction TEXT NOT NULL,
        at TEXT NOT NULL,
        path TEXT NOT NULL,
        peer_id TEXT,
        full INTEGER NOT NULL DEFAULT 0,
        ops INTEGER NOT NULL DEFAULT 0,
        applied INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0,
        sha256 TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (file_id, direction)
    )""",
]

INDEXES = [
    "CREATE INDEX sync_file_at ON sync_file (direction, at)",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES + INDEXES:
        db.execute_sql(sql)
