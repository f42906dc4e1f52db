"""Ops held aside, and the devices enrolled in the office's team (issue 11). Frozen.

``held_op``: a received op whose value does not fit its field (``"abc"`` for a head count, a
30 February) is kept in the op log, so seqs stay gapless and it travels on like any op, but it
is listed here and takes no part in its row (``fieldtui.store.rowstate``). Every replica that
receives it holds it aside the same way and lists it for the office.

``sync_device``: on the hub, each laptop device that joined the team: its signing and key-
exchange public keys, the replica ids it has written as, and when it was enrolled or revoked
(``fieldtui.sync.team``). Private keys never enter the database.
"""

from typing import Any

TABLES = [
    """CREATE TABLE held_op (
        op_id TEXT NOT NULL PRIMARY KEY,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        replica_id TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        file_id TEXT,
        held_at TEXT NOT NULL
    )""",
    """CREATE TABLE sync_device (
        device_id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT 'laptop',
        sign_key TEXT NOT NULL,
        box_key TEXT NOT NULL,
        replica_ids TEXT NOT NULL DEFAULT '[]',
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        last_in_at TEXT
    )""",
]

INDEXES = [
    "CREATE INDEX held_op_row ON held_op (tbl, row_id)",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES + INDEXES:
        db.execute_sql(sql)
