"""Ops set aside when a database put back from a copy continued under a fresh replica id.

Frozen like every migration. ``fieldtui.sync.continuity`` moves this replica's ops that the
office may hold differently (their seqs are taken there by the copy's other life) out of the
op log, and re-issues the ones still current under the new replica id. The originals are kept
here, never synced, so no edit's history is lost; ``reissued_as`` names the op that carries
it on (null when a later edit had already replaced it, or a file brought the same op back).
"""

from typing import Any

TABLES = [
    """CREATE TABLE retired_op (
        op_id TEXT NOT NULL PRIMARY KEY,
        replica_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hlc INTEGER NOT NULL,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        parents TEXT NOT NULL DEFAULT '[]',
        retired_at TEXT NOT NULL,
        reissued_as TEXT
    )""",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES:
        db.execute_sql(sql)
