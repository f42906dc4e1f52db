"""The migrated database and the Peewee models agree; migrations run on open after a backup."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldtui.domain.records import RECORD_TYPES, Officer
from fieldtui.store import Store, StoreError
from fieldtui.store import db as store_db
from fieldtui.store.models import SYNCED_MODELS, synced_columns


def test_models_match_migrated_tables(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        for table, model in SYNCED_MODELS.items():
            cols = [r[1] for r in s.db.execute_sql(f"PRAGMA table_info({table})").fetchall()]
            assert cols == [f.column_name for f in model._meta.sorted_fields], table


def test_records_match_synced_tables() -> None:
    from dataclasses import fields

    assert set(RECORD_TYPES) == set(SYNCED_MODELS)
    for table, cls in RECORD_TYPES.items():
        assert [f.name for f in fields(cls)] == list(synced_columns(table)), table


def test_fresh_database_is_at_latest_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        assert store_db.schema_version(s.db) == store_db.latest_schema_version()
        assert store_db.pending_migrations(s.db) == []


def _add_migration(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(body, encoding="utf-8")


@pytest.fixture
def migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(store_db.MIGRATIONS_DIR, target)
    monkeypatch.setattr(store_db, "MIGRATIONS_DIR", target)
    return target


def test_new_migration_runs_on_open_after_backup(tmp_path: Path, migrations_copy: Path) -> None:
    path = tmp_path / "data" / "m.db"
    with Store(path) as s:
        s.officers.create(Officer(name="张三"))
    latest = store_db.latest_schema_version()
    _add_migration(
        migrations_copy,
        f"{latest + 1:04d}_add_column.py",
        "def up(migrator, db):\n    db.execute_sql('ALTER TABLE officer ADD COLUMN extra TEXT')\n",
    )
    with Store(path) as s:
        cols = [r[1] for r in s.db.execute_sql("PRAGMA table_info(officer)").fetchall()]
        assert "extra" in cols
        assert store_db.schema_version(s.db) == latest + 1
        assert [o.name for o in s.officers.list()] == ["张三"]
    backups = list((path.parent / "backups").glob("m-*-before-migration.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("SELECT name FROM officer").fetchall() == [("张三",)]
        ocols = [r[1] for r in con.execute("PRAGMA table_info(officer)").fetchall()]
        assert "extra" not in ocols
    finally:
        con.close()


def test_failed_migration_changes_nothing(tmp_path: Path, migrations_copy: Path) -> None:
    path = tmp_path / "f.db"
    with Store(path) as s:
        s.officers.create(Officer(name="李四"))
    latest = store_db.latest_schema_version()
    _add_migration(
        migrations_copy,
        f"{latest + 1:04d}_broken.py",
        "def up(migrator, db):\n"
        "    db.execute_sql('ALTER TABLE officer ADD COLUMN half TEXT')\n"
        "    raise RuntimeError('boom')\n",
    )
    with pytest.raises(StoreError):
        Store(path)
    (migrations_copy / f"{latest + 1:04d}_broken.py").unlink()
    with Store(path) as s:
        cols = [r[1] for r in s.db.execute_sql("PRAGMA table_info(officer)").fetchall()]
        assert "half" not in cols
        assert [o.name for o in s.officers.list()] == ["李四"]


def test_database_from_newer_version_is_refused(tmp_path: Path, migrations_copy: Path) -> None:
    path = tmp_path / "n.db"
    latest = store_db.latest_schema_version()
    extra = migrations_copy / f"{latest + 1:04d}_future.py"
    _add_migration(migrations_copy, extra.name, "def up(migrator, db):\n    pass\n")
    Store(path).close()
    extra.unlink()
    with pytest.raises(StoreError, match="newer fieldtui"):
        Store(path)


def test_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database")
    with pytest.raises(StoreError, match="not a fieldtui database"):
        Store(path)
    assert path.read_bytes() == b"these are my notes, not a database"
