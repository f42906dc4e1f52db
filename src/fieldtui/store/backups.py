"""Backups of a database: when to take one, how to write it safely, which ones to keep.

Policy (README, "Backups"): a full copy costs time and disk in proportion to the database, so
it is taken only where it is worth that cost, and never makes a small import slower as the
database grows:

- before a **migration** (the schema itself changes);
- before a **large import**: one whose changes (sheet rows' ops, or a sync file's new ops)
  are at least a tenth of the ops the database holds, so the copy costs at most about as
  much again as the import's own work;
- before the first import into a database that has **no complete backup** yet.

A small import takes no copy: it only adds ops to the log, which never overwrites or drops an
op, so every value it replaced stays recorded.

Writing: SQLite's online backup API (a consistent copy even while other processes read) into
a hidden temporary name in ``backups/``, then a rename. A kill or a full disk leaves at most
a hidden ``.…partial`` file, never a partial file under a backup name. Imports take the copy
once their write lock is held (nothing can change between the copy and the import) and
:func:`keep` it only after the import committed; a failed import deletes its copy, so failed
imports never push good backups out. Pruning keeps this database's newest complete backups
only: ``office.db`` never touches the backups of ``office-old.db`` beside it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase

from fieldtui.i18n import _
from fieldtui.paths import backup_dir
from fieldtui.store.dberrors import DISK_FULL, classify
from fieldtui.store.errors import BackupError

KEEP_BACKUPS = 10
"""Complete backups kept per database (the newest ones)."""

LARGE_IMPORT_FRACTION = 10
"""An import is large when its ops are at least 1/LARGE_IMPORT_FRACTION of the ops held."""

PARTIAL_SUFFIX = ".partial"

_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z][a-z0-9-]*)\.db")


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    stamp: str
    reason: str


def backup_name(db_path: Path, stamp: str, reason: str) -> str:
    return f"{db_path.stem}-{stamp}-{reason}.db"


def _parse(db_path: Path, name: str) -> BackupFile | None:
    """The backup ``name`` is, if it is one of ``db_path``'s (not of another database's)."""
    stem = db_path.stem
    if not name.startswith(stem):
        return None
    match = _NAME.fullmatch(name, len(stem))
    if match is None:
        return None
    return BackupFile(backup_dir(db_path) / name, match["stamp"], match["reason"])


def _own(db_path: Path) -> list[BackupFile]:
    directory = backup_dir(db_path)
    if not directory.is_dir():
        return []
    found = [b for p in directory.iterdir() if (b := _parse(db_path, p.name)) is not None]
    return sorted(found, key=lambda b: b.stamp)


def is_complete(path: Path) -> bool:
    """A whole SQLite file: its header's page count times page size is the file's size.

    Cheap (reads 100 bytes), and catches the 0-byte or cut-off files that an interrupted copy
    of older versions left under a backup name.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    if pages == 0 or valid_for != change_counter:  # legacy header: size is the only evidence
        return size > 0 and size % page_size == 0
    return size == pages * page_size


def list_backups(db_path: Path) -> tuple[list[Path], list[Path]]:
    """``(complete, incomplete)`` backups of this database, oldest first.

    Incomplete: files under a backup name that are not a whole SQLite file, and temporary
    files an interrupted backup left behind.
    """
    complete: list[Path] = []
    incomplete: list[Path] = []
    for b in _own(db_path):
        (complete if is_complete(b.path) else incomplete).append(b.path)
    directory = backup_dir(db_path)
    if directory.is_dir():
        prefix = f".{db_path.stem}-"
        incomplete += sorted(
            p
            for p in directory.iterdir()
            if p.name.endswith(PARTIAL_SUFFIX)
            and p.name.startswith(prefix)
            and _parse(db_path, p.name[1 : -len(PARTIAL_SUFFIX)]) is not None
        )
    return complete, incomplete


def has_complete_backup(db_path: Path) -> bool:
    return any(is_complete(b.path) for b in reversed(_own(db_path)))


def ops_held(db: SqliteDatabase) -> int:
    """About how many ops the database holds: the op table's largest rowid (ops are appended
    and almost never removed), read from the index end instead of counting a million rows."""
    row = db.execute_sql("SELECT MAX(rowid) FROM op").fetchone()
    return int(row[0] or 0)


def import_wants_backup(db_path: Path, ops_held: int, ops_planned: int) -> bool:
    """The policy above, for an import about to write ``ops_planned`` ops."""
    if ops_planned <= 0:
        return False
    if ops_planned * LARGE_IMPORT_FRACTION >= ops_held:
        return True
    return not has_complete_backup(db_path)


def take(db_path: Path, reason: str) -> Path | None:
    """Copy the database to a new backup file; None when there is nothing to copy yet.

    Raises :class:`BackupError` (with no file left behind) when the copy cannot be written.
    The copy is not pruned against yet: call :func:`keep` once the work it guards is done,
    or :func:`discard` when that work failed.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    directory = backup_dir(db_path)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = directory / backup_name(db_path, stamp, reason)
    partial = directory / f".{target.name}{PARTIAL_SUFFIX}"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The copy is readable by its owner only, like the database, from its first byte.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        src = sqlite3.connect(str(db_path))
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if classify(exc) == DISK_FULL:
            message = _(
                "{path}: disk full: no room for a backup in {folder}; nothing was changed "
                "(free some space and try again)"
            ).format(path=db_path, folder=directory)
        else:
            reason_text = getattr(exc, "strerror", None) or str(exc)
            message = _(
                "{path}: cannot write a backup in {folder} ({reason}); nothing was changed"
            ).format(path=db_path, folder=directory, reason=reason_text)
        raise BackupError(message) from exc
    return target


def keep(db_path: Path, made: Path | None) -> None:
    """The guarded work succeeded: prune older backups of this database, never ``made``."""
    backups = [b.path for b in _own(db_path) if b.path != made]
    limit = KEEP_BACKUPS - (1 if made is not None else 0)
    for old in backups[: max(0, len(backups) - limit)]:
        with contextlib.suppress(OSError):
            old.unlink()


def discard(made: Path | None) -> None:
    """The guarded work failed and changed nothing: the copy equals the database; drop it."""
    if made is not None:
        with contextlib.suppress(OSError):
            made.unlink(missing_ok=True)


def backup(db_path: Path, reason: str) -> Path | None:
    """Take a backup and prune at once (for work that cannot fail half-way, e.g. a manual copy)."""
    made = take(db_path, reason)
    keep(db_path, made)
    return made
