"""Backups (issue 8, item 3): whose to prune, how they are written, and when one is taken."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.sheets import import_sheet
from fieldtui.store import Store, StoreError, backups
from fieldtui.store.db import backup
from fieldtui.store.health import check
from sheet_files import write_csv
from sync_support import replica


def names_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def fill(path: Path, enterprises: int = 30) -> None:
    with Store(path) as store, store.batch():
        for i in range(enterprises):
            store.enterprises.create(Enterprise(name=f"企业{i:03d}", address=f"{i}号"))


def test_pruning_keeps_other_databases_backups(tmp_path: Path) -> None:
    """``office.db`` beside ``office-old.db``: backing up the first used to delete every
    backup of the second (their names start the same)."""
    office, old = tmp_path / "office.db", tmp_path / "office-old.db"
    fill(office)
    fill(old)
    for _ in range(3):
        backup(old, "manual")
    theirs = [p for p in names_in(tmp_path / "backups") if p.startswith("office-old-")]
    for _ in range(backups.KEEP_BACKUPS + 2):
        backup(office, "manual")
    after = names_in(tmp_path / "backups")
    assert [p for p in after if p.startswith("office-old-")] == theirs
    mine = [p for p in after if not p.startswith("office-old-")]
    assert len(mine) == backups.KEEP_BACKUPS


def test_pruning_never_removes_the_backup_just_made(tmp_path: Path) -> None:
    """A backup whose name sorts first (e.g. the clock was set back) is still the newest."""
    db = tmp_path / "office.db"
    fill(db)
    folder = tmp_path / "backups"
    folder.mkdir()
    good = backups.take(db, "manual")
    assert good is not None
    for i in range(backups.KEEP_BACKUPS):
        (folder / f"office-20990101T{i:012d}Z-manual.db").write_bytes(good.read_bytes())
    good.unlink()
    made = backup(db, "manual")
    assert made is not None and made.exists()


class _FullDisk:
    """Stands in for the source connection: the copy writes half a file, then the disk is
    full."""

    def backup(self, target: sqlite3.Connection) -> None:
        target.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("database or disk is full")

    def close(self) -> None:
        pass


def test_a_failed_backup_leaves_no_file_under_a_backup_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "office.db"
    fill(db)
    real_connect = sqlite3.connect

    def connect(target: str, *args: Any, **kwargs: Any) -> Any:
        if Path(target) == db:
            return _FullDisk()
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.raises((StoreError, sqlite3.OperationalError)) as caught:
        backup(db, "manual")
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert "disk is full" in str(caught.value)
    folder = tmp_path / "backups"
    assert not folder.exists() or names_in(folder) == []
    with Store(db) as store:
        assert check(store).backups == []


def test_doctor_does_not_count_cut_off_files_as_backups(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    fill(db)
    good = backup(db, "manual")
    assert good is not None
    folder = good.parent
    (folder / "office-20250101T000000000000Z-sheet-import.db").write_bytes(b"")
    (folder / "office-20250102T000000000000Z-sheet-import.db").write_bytes(good.read_bytes()[:4096])
    (folder / ".office-20250103T000000000000Z-manual.db.partial").write_bytes(b"SQLite")
    with Store(db) as store:
        health = check(store)
    assert health.backups == [good]
    assert sorted(p.name for p in health.incomplete_backups) == [
        ".office-20250103T000000000000Z-manual.db.partial",
        "office-20250101T000000000000Z-sheet-import.db",
        "office-20250102T000000000000Z-sheet-import.db",
    ]


def test_a_failed_import_does_not_push_good_backups_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "office.db"
    fill(db, enterprises=2)  # small: any import is a large one and is backed up
    for _ in range(backups.KEEP_BACKUPS):
        backup(db, "manual")
    before = names_in(tmp_path / "backups")
    sheet = write_csv(tmp_path / "o.csv", [["姓名"], *[[f"人员{i}"] for i in range(20)]])
    with Store(db) as store:
        real = store.officers.create
        calls: list[str] = []

        def flaky(record: Officer) -> Officer:
            calls.append(record.name)
            if len(calls) == 10:
                raise RuntimeError("disk on fire")
            return real(record)

        monkeypatch.setattr(store.officers, "create", flaky)
        with pytest.raises(RuntimeError):
            import_sheet(store, "officers", sheet)
        assert calls  # it got as far as writing, so the backup had been taken
    assert names_in(tmp_path / "backups") == before


def test_policy_small_imports_take_no_copy_large_ones_do(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    fill(db, enterprises=300)
    with Store(db) as store:
        first = import_sheet(store, "officers", write_csv(tmp_path / "a.csv", [["姓名"], ["甲"]]))
        assert first.backup is not None  # no backup of this database yet
        small = import_sheet(store, "officers", write_csv(tmp_path / "b.csv", [["姓名"], ["乙"]]))
        assert small.written and small.backup is None
        held = backups.ops_held(store.db)
        rows = [["企业名称"], *[[f"新企业{i}"] for i in range(held // 10 // 2 + 1)]]
        large = import_sheet(store, "enterprises", write_csv(tmp_path / "c.csv", rows))
        assert large.backup is not None and Path(large.backup).exists()
    assert len(backups.list_backups(db)[0]) == 2


def test_sync_import_follows_the_same_policy(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    with hub.batch():
        for i in range(300):
            hub.enterprises.create(Enterprise(name=f"企业{i:03d}"))
    assert backups.take(hub.path, "manual") is not None
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "zhang")
    sync.init_role(laptop, sync.LAPTOP, hub_id=hub.replica_id)
    laptop.enterprises.create(Enterprise(name="外勤企业"))
    (small,) = sync.export(laptop, tmp_path / "small.fieldsync")
    report = sync.import_files(hub, [small.path])
    assert report.added and report.backup is None
    with laptop.batch():
        for i in range(200):
            laptop.enterprises.create(Enterprise(name=f"外勤{i}", address="大旺"))
    (large,) = sync.export(laptop, tmp_path / "large.fieldsync")
    report = sync.import_files(hub, [large.path])
    assert report.backup is not None and report.backup.exists()
    hub.close()
    laptop.close()
