"""The write lock across processes: ``BEGIN IMMEDIATE``, waited for a bounded time, out loud.

Two fieldtui processes may write one database at once (an office imports a sheet while the
app is open, two sync imports are started from two terminals). Every write transaction starts
with ``BEGIN IMMEDIATE``, so the second writer queues *before* it reads anything its writes
depend on (the check and the write happen under one lock). Waiting is bounded: quietly for
a moment, then with a notice ("waiting for another fieldtui…", given to the function set
with :func:`set_lock_notice`; the command line prints it), and after
:func:`lock_wait_seconds` the transaction is refused with :class:`StoreBusy`, a one-line
message, and nothing changed. SQLite's own busy timeout (10 s) would end in a bare
"database is locked" traceback instead.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from peewee import OperationalError, SqliteDatabase

BUSY_TIMEOUT_MS = 10_000
"""SQLite's busy timeout for everything but taking the write lock (reads, checkpoints)."""

DEFAULT_LOCK_WAIT_S = 120.0
"""How long a write waits for another process's write before it is refused."""

LOCK_WAIT_ENV = "FIELDTUI_LOCK_WAIT"
"""Overrides :data:`DEFAULT_LOCK_WAIT_S` (seconds; ``0`` refuses at once)."""

QUIET_WAIT_S = 1.0
"""A wait shorter than this is not worth a notice."""

LockNotice = Callable[[Path, float], None]
"""``(database path, seconds it will wait at most)``."""

_notice: LockNotice | None = None


class LockTimeout(Exception):
    """Raised by :func:`begin_immediate`; :mod:`fieldtui.store.db` turns it into ``StoreBusy``."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(path, waited)
        self.path = path
        self.waited = waited


def set_lock_notice(notice: LockNotice | None) -> LockNotice | None:
    """Who hears that a write is waiting for another process; returns the previous one."""
    global _notice
    previous, _notice = _notice, notice
    return previous


def lock_wait_seconds() -> float:
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            pass
    return DEFAULT_LOCK_WAIT_S


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


def _try_begin(db: SqliteDatabase, seconds: float) -> bool:
    """One ``BEGIN IMMEDIATE`` with SQLite waiting up to ``seconds``; False when still busy."""
    conn = db.connection()
    conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            return False
        raise OperationalError(*exc.args) from exc
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def begin_immediate(db: SqliteDatabase, path: Path) -> None:
    """Take the write lock, waiting as the module docstring says; raises :class:`LockTimeout`."""
    limit = lock_wait_seconds()
    quiet = min(QUIET_WAIT_S, limit)
    started = time.monotonic()
    if _try_begin(db, quiet):
        return
    if limit > quiet:
        if _notice is not None:
            _notice(path, limit)
        if _try_begin(db, limit - (time.monotonic() - started)):
            return
    raise LockTimeout(path, time.monotonic() - started)
