"""Opening a database: pragmas, automatic backup, numbered migrations, replica identity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from fieldtui.i18n import _
from fieldtui.store.backups import backup
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
            f"{path}: written by a newer fieldtui (schema {', '.join(unknown)}); "
            "update fieldtui to open it"
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


def open_database(path: Path | str) -> tuple[SqliteDatabase, str]:
    """Open (creating if needed) and migrate a database; returns it with its replica id."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StoreError(f"{path}: not a fieldtui database (not an SQLite file)")
    db = connect(path)
    try:
        db.connect()
        migrate(db, path)
        replica_id = ensure_identity(db)
    except StoreError:
        db.close()
        raise
    except Exception as exc:  # sqlite3 errors on a damaged file
        db.close()
        raise StoreError(f"{path}: cannot open database: {exc}") from exc
    return db, replica_id
