"""Seeing changes that other processes commit to the database (the CLI importing a sync or
sheet file while the app is open, a second window).

SQLite's ``PRAGMA data_version`` changes on a connection whenever *another* connection
commits, so polling it is nearly free (no file read when nothing changed). When it moves, the
op log says what changed: every change to a synced row appends ops, so the ops past the last
one seen name the rows. Writes that make no op (drafts, settings) are not reported.

The watcher owns one connection and is used from one thread (the app polls it from a thread
worker); it reports the app's own commits too, since they come from other connections.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Change", "ChangeWatcher"]

MAX_ROWS = 1000
"""More changed rows than this are reported as "many" (``rows`` None): refresh everything."""


@dataclass(frozen=True, slots=True)
class Change:
    """What changed since the last poll."""

    rows: dict[str, frozenset[str]] | None
    """Table → ids of the rows that got ops; None when too many to list."""

    def touches(self, table: str, row_id: str | None = None) -> bool:
        """Whether this change may concern a table (or one row of it)."""
        if self.rows is None:
            return True
        ids = self.rows.get(table)
        if ids is None:
            return False
        return row_id is None or row_id in ids

    @property
    def tables(self) -> frozenset[str] | None:
        return None if self.rows is None else frozenset(self.rows)


class ChangeWatcher:
    """Polls one database for commits made through other connections."""

    def __init__(self, path: Path | str, max_rows: int = MAX_ROWS) -> None:
        self.path = Path(path)
        self.max_rows = max_rows
        self._con = sqlite3.connect(str(self.path), check_same_thread=False)
        self._con.execute("PRAGMA query_only = 1")
        self._con.execute("PRAGMA busy_timeout = 1000")
        self._version = self._data_version()
        self._last_op = self._max_op()

    def _data_version(self) -> int:
        return int(self._con.execute("PRAGMA data_version").fetchone()[0])

    def _max_op(self) -> int:
        row = self._con.execute("SELECT MAX(rowid) FROM op").fetchone()
        return int(row[0] or 0)

    def poll(self) -> Change | None:
        """The rows changed by commits since the last poll, or None if no op was added."""
        version = self._data_version()
        if version == self._version:
            return None
        self._version = version
        try:
            last = self._max_op()
            if last <= self._last_op:
                return None
            cur = self._con.execute(
                "SELECT DISTINCT tbl, row_id FROM op WHERE rowid > ? AND rowid <= ? LIMIT ?",
                (self._last_op, last, self.max_rows + 1),
            )
            found = cur.fetchall()
        except sqlite3.OperationalError:  # locked by a long writer: try again next poll
            self._version = -1
            return None
        self._last_op = last
        if len(found) > self.max_rows:
            return Change(None)
        rows: dict[str, set[str]] = {}
        for table, row_id in found:
            rows.setdefault(str(table), set()).add(str(row_id))
        return Change({t: frozenset(ids) for t, ids in rows.items()})

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
