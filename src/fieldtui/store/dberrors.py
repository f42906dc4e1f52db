"""What an SQLite failure means to the person at the keyboard: disk full, read-only, busy, damaged.

SQLite's own text hides the cause more often than not. When the disk fills in the middle of a
transaction SQLite rolls it back by itself, and the ``ROLLBACK`` Peewee then sends fails with
"cannot rollback - no transaction is active", which is what reaches the caller; the "database
or disk is full" that caused it is only in the exception's context. A database on a
write-protected disk fails to open with "unable to open database file". :func:`explain` walks
the whole chain of an exception and names the cause in one line, so the command line and the
application say "disk full" or "read-only" instead.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from fieldtui.i18n import _

DISK_FULL = "disk-full"
READ_ONLY = "read-only"
BUSY = "busy"
DAMAGED = "damaged"
IO_ERROR = "io-error"


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it was raised from or while handling, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _sqlite_name(exc: BaseException) -> str:
    if isinstance(exc, sqlite3.Error):
        return str(getattr(exc, "sqlite_errorname", "") or "")
    return ""


def classify(exc: BaseException) -> str | None:
    """The kind of failure (:data:`DISK_FULL`, :data:`READ_ONLY`, …) or None when unknown.

    The deepest known cause wins: it is what went wrong first.
    """
    found: str | None = None
    for cause in causes(exc):
        name = _sqlite_name(cause)
        kind: str | None = None
        if name == "SQLITE_FULL" or (isinstance(cause, OSError) and cause.errno == errno.ENOSPC):
            kind = DISK_FULL
        elif name.startswith("SQLITE_READONLY") or (
            isinstance(cause, OSError) and cause.errno == errno.EROFS
        ):
            kind = READ_ONLY
        elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            kind = BUSY
        elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            kind = DAMAGED
        elif name.startswith("SQLITE_IOERR"):
            kind = IO_ERROR
        if kind is not None:
            found = kind
    return found


def explain(exc: BaseException) -> str | None:
    """One line naming the cause of a database failure, or None when it is not one of these."""
    kind = classify(exc)
    if kind == DISK_FULL and not any(isinstance(c, sqlite3.Error) for c in causes(exc)):
        return _("disk full: the file could not be written (free some space and try again)")
    if kind == DISK_FULL:
        return _("disk full: the database could not be written (free some space and try again)")
    if kind == READ_ONLY and not any(isinstance(c, sqlite3.Error) for c in causes(exc)):
        return _("write-protected: the file could not be written (a read-only disk or folder)")
    if kind == READ_ONLY:
        return read_only_message()
    if kind == BUSY:
        return _("the database is busy: another fieldtui is writing to it; try again shortly")
    if kind == DAMAGED:
        return _("the database file is damaged (fieldtui doctor checks it)")
    if kind == IO_ERROR:
        return _("the disk could not be read or written (is the drive still there?)")
    return None


def read_only_message() -> str:
    return _(
        "the database is read-only (a write-protected file, folder or disk); fieldtui doctor "
        "can still check it"
    )


def is_writable(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file itself, and its folder for the WAL files."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)
