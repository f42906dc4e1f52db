"""Opening a database: pragmas, automatic backup, numbered migrations, replica identity."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from fieldtui.i18n import _, located
from fieldtui.store.backups import backup
from fieldtui.store.dberrors import explain, is_writable, read_only_message
from fieldtui.store.errors import StoreBusy, StoreError
from fieldtui.store.ids import new_id
from fieldtui.store.locking import BUSY_TIMEOUT_MS, LockTimeout, begin_immediate

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

__all__ = ["StoreBusy", "StoreError", "backup", "connect", "migrate", "open_database"]


class LockingDatabase(SqliteDatabase):
    """Peewee's SQLite database whose transactions take the write lock the bounded way of
    :mod:`fieldtui.store.locking`: every outermost ``atomic()``/``transaction()`` (the writer,
    sync bookkeeping, migrations) queues behind another process's write, says so, and gives
    up in one line instead of a "database is locked" traceback."""

    def begin(self, lock_type: str | None = None) -> None:
        path = Path(self.database)
        try:
            begin_immediate(self, path)
        except LockTimeout as exc:
            raise StoreBusy(
                _(
                    "{path}: another fieldtui process is writing to this database and has not "
                    "finished after {seconds:.0f} s; nothing was changed. Try again when it is done"
                ).format(path=path, seconds=exc.waited)
            ) from None


OWNER_ONLY = 0o600


def owner_only(path: Path) -> None:
    """Make the database (and its WAL and shared-memory files) readable by its owner only.

    It holds the zone's enterprises and officers' work. A new database file is created with
    mode 0600 before SQLite opens it, and SQLite gives its ``-wal`` and ``-shm`` files the
    database file's mode; an existing database (and those files) is narrowed to 0600 where
    others could read it. Where modes mean nothing (Windows, FAT sticks) this does nothing.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        pass
    except OSError:
        return  # the open that follows reports what is wrong
    else:
        os.close(fd)
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(f"{path}{suffix}")
        with contextlib.suppress(OSError):
            if target.stat().st_mode & 0o077:
                target.chmod(OWNER_ONLY)


def connect(path: Path | str) -> SqliteDatabase:
    """A Peewee database with the pragmas of design.md; writers queue by ``BEGIN IMMEDIATE``."""
    return LockingDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
            "synchronous": "normal",
        },
        lock_type="IMMEDIATE",
        timeout=BUSY_TIMEOUT_MS / 1000,
    )


def pending_migrations(db: SqliteDatabase) -> list[str]:
    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    return [m.name for m in runner.status() if m.applied is None and m.path is not None]


def latest_schema_version() -> int:
    names = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    return int(names[-1].split("_", 1)[0]) if names else 0


def schema_version(db: SqliteDatabase) -> int:
    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    applied = [m for m in runner.status() if m.applied is not None]
    return max((m.idx for m in applied), default=0)


def migrate(db: SqliteDatabase, path: Path) -> list[str]:
    """Apply pending migrations, backing the database up first when it already holds data.

    A database written by a newer fieldtui (a migration we do not know) is refused rather
    than half-understood.
    """
    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    status = runner.status()
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        raise StoreError(
            located(
                path,
                _(
                    "written by a newer fieldtui (schema {schema}); update fieldtui to open it"
                ).format(schema=", ".join(unknown)),
            )
        )
    pending = [m for m in status if m.applied is None]
    if not pending:
        return []
    if db.get_tables():
        db.close()
        backup(path, "before-migration")
        db.connect()
    return list(runner.up())


def ensure_identity(db: SqliteDatabase) -> str:
    """The persisted replica id, created on first open."""
    row = db.execute_sql("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
    if row:
        return str(row[0])
    replica_id = new_id()
    db.execute_sql(
        "INSERT INTO meta (key, value) VALUES ('replica_id', ?), ('created_at', ?)",
        (replica_id, datetime.now(UTC).isoformat(timespec="seconds")),
    )
    return replica_id


def connect_read_only(path: Path) -> SqliteDatabase:
    """A connection that cannot write, for looking at a database without changing it.

    ``mode=ro`` still needs the WAL's shared-memory file, which cannot be made on a
    write-protected folder or disk; there, with no unmerged write-ahead log beside the file,
    the database is opened ``immutable`` (SQLite then reads the file as it is).
    """
    uri = path.absolute().as_uri()
    db = SqliteDatabase(
        f"{uri}?mode=ro", uri=True, pragmas={"busy_timeout": 10000, "query_only": 1}
    )
    try:
        db.connect()
        db.execute_sql("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except Exception as exc:
        db.close()
        wal = path.with_name(path.name + "-wal")
        if is_writable(path):
            raise StoreError(located(path, explain(exc) or str(exc))) from exc
        if wal.exists() and wal.stat().st_size:
            raise StoreError(
                located(
                    path,
                    _(
                        "read-only, with changes not yet merged into it in {wal}, which "
                        "cannot be read without write access; copy both files to a writable "
                        "folder to check them"
                    ).format(wal=wal.name),
                )
            ) from exc
    db = SqliteDatabase(f"{uri}?immutable=1", uri=True, pragmas={"query_only": 1})
    db.connect()
    return db


def open_database(path: Path | str, *, read_only: bool = False) -> tuple[SqliteDatabase, str]:
    """Open and migrate a database (created if missing); returns it with its replica id.

    ``read_only`` opens an existing database as it is: nothing is created, migrated or
    written (``fieldtui doctor``); the replica id is "" when the database has none yet.
    """
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(located(path, _("is a folder, not a database file")))
    if read_only and not path.exists():
        raise StoreError(located(path, _("no such database")))
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StoreError(located(path, _("not a fieldtui database (not an SQLite file)")))
    if read_only:
        db = connect_read_only(path)
        try:
            has_meta = "meta" in db.get_tables()
            row = (
                db.execute_sql("SELECT value FROM meta WHERE key = 'replica_id'").fetchone()
                if has_meta
                else None
            )
        except Exception as exc:
            db.close()
            raise StoreError(located(path, explain(exc) or str(exc))) from exc
        return db, str(row[0]) if row else ""
    if path.exists() and not is_writable(path):
        raise StoreError(located(path, read_only_message()))
    owner_only(path)
    db = connect(path)
    try:
        db.connect()
        migrate(db, path)
        replica_id = ensure_identity(db)
    except StoreError:
        db.close()
        raise
    except Exception as exc:  # sqlite3 errors on a damaged file, a full or read-only disk
        db.close()
        reason = explain(exc) or _("cannot open database: {reason}").format(reason=exc)
        raise StoreError(located(path, reason)) from exc
    return db, replica_id
