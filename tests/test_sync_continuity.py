"""A database put back from a copy loses nothing (issue 8, item 2; ``sync.continuity``).

A laptop restored from a backup after it had synced numbers its next edits with seqs the
office already holds. Before, its exports silently skipped those edits. Now the hub's next
file shows the laptop that the office holds more of it than it ever sent: it continues under
a fresh replica id, re-issues the edits the office may lack, and every edit arrives.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from sync_support import conflicts_by_field, import_, replica, ship, snapshot


def copy_db(store: Store, target: Path) -> None:
    """A file copy of the database as it is now (what a backup or a cloned disk holds)."""
    src = sqlite3.connect(str(store.path))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def put_back(store: Store, copy: Path) -> Store:
    """Close ``store`` and replace its file by ``copy`` (WAL and all), as a restore does."""
    path = store.path
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    copy_path = Path(copy)
    path.write_bytes(copy_path.read_bytes())
    return replica(path)


def names(store: Store) -> dict[str, str | None]:
    return {e.name: e.address for e in store.enterprises.list()}


def own_ops(store: Store) -> int:
    row = store.db.execute_sql(
        "SELECT COUNT(*) FROM op WHERE replica_id = ?", (store.replica_id,)
    ).fetchone()
    return int(row[0])


def add(store: Store, name: str, address: str = "") -> str:
    return store.enterprises.create(Enterprise(name=name, address=address or None)).id


@pytest.fixture
def office(tmp_path: Path) -> tuple[Store, Store]:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "zhang")
    ship(hub, laptop, tmp_path / "s0")
    return hub, laptop


@pytest.mark.parametrize("edits_after_restore", [2, 12])
def test_laptop_put_back_from_a_backup_sends_every_edit(
    tmp_path: Path, office: tuple[Store, Store], edits_after_restore: int
) -> None:
    hub, laptop = office
    first = add(laptop, "博俊科技", "大旺一路")
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")  # the backup: it knows the first file only
    laptop.enterprises.update(first, address="大旺二路")
    add(laptop, "华音电器")
    ship(laptop, hub, tmp_path / "s2")
    ship(hub, laptop, tmp_path / "s3")  # the hub acknowledges both files

    laptop = put_back(laptop, tmp_path / "backup.db")
    old_id = laptop.replica_id
    made_here = [f"恢复后企业{i}" for i in range(edits_after_restore)]
    for name in made_here:
        add(laptop, name)
    laptop.enterprises.update(first, address="大旺三路")  # an edit of a row the hub has

    report = ship(hub, laptop, tmp_path / "s4")
    ship(laptop, hub, tmp_path / "s5")
    on_hub = names(hub)
    for name in made_here:
        assert name in on_hub, f"{name} never reached the office"
    assert on_hub["博俊科技"] == "大旺三路"
    assert "华音电器" in on_hub  # the work only the lost disk had is still at the office
    change = report.identity_change
    assert change is not None and change.old_id == old_id
    assert laptop.replica_id == change.new_id != old_id
    assert change.peer_held > change.kept

    ship(hub, laptop, tmp_path / "s6")  # and comes back to the restored laptop
    assert snapshot(laptop) == snapshot(hub)
    # The lost life and the restored one each edited the address: both values are kept.
    assert conflicts_by_field(hub) == {
        ("enterprise", first, "address"): ['"大旺三路"', '"大旺二路"']
    }
    for store in (hub, laptop):
        store.close()


def test_reissued_edits_keep_every_value_and_history(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, laptop = office
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")
    add(laptop, "丢失前的企业")
    ship(laptop, hub, tmp_path / "s2")
    ship(hub, laptop, tmp_path / "s3")
    laptop = put_back(laptop, tmp_path / "backup.db")
    row = add(laptop, "恢复后的企业", "一号")
    laptop.enterprises.update(row, address="二号")
    report = ship(hub, laptop, tmp_path / "s4")
    assert report.identity_change is not None
    # Both ops of the address stay recorded; only the current one is re-issued.
    retired = laptop.db.execute_sql(
        "SELECT field, value, reissued_as FROM retired_op WHERE row_id = ? ORDER BY seq", (row,)
    ).fetchall()
    address = [(v, r is not None) for f, v, r in retired if f == "address"]
    assert address == [('"一号"', False), ('"二号"', True)]
    assert laptop.enterprises.require(row).address == "二号"
    ship(laptop, hub, tmp_path / "s5")
    assert hub.enterprises.require(row).address == "二号"
    for store in (hub, laptop):
        store.close()


def test_a_database_copied_to_a_second_laptop_keeps_both_laptops_work(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, first = office
    copy_db(first, tmp_path / "clone.db")
    second = replica(tmp_path / "clone.db")
    assert second.replica_id == first.replica_id
    add(first, "甲的企业")
    ship(first, hub, tmp_path / "a1")
    add(second, "乙的企业")
    report = ship(hub, second, tmp_path / "b1")
    assert report.identity_change is not None
    ship(second, hub, tmp_path / "b2")
    assert {"甲的企业", "乙的企业"} <= set(names(hub))
    add(first, "甲的第二家")
    ship(first, hub, tmp_path / "a2")  # the original goes on under its id, undisturbed
    assert "甲的第二家" in names(hub)
    for store in (hub, first, second):
        store.close()


def test_a_hub_put_back_from_a_backup_keeps_its_laptops(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, laptop = office
    add(hub, "办公室录入一")
    ship(hub, laptop, tmp_path / "h1")
    copy_db(hub, tmp_path / "hub-backup.db")
    add(hub, "办公室录入二")
    ship(hub, laptop, tmp_path / "h2")
    hub = put_back(hub, tmp_path / "hub-backup.db")
    add(hub, "恢复后录入")
    add(laptop, "外勤录入")
    report = ship(laptop, hub, tmp_path / "l1")
    assert report.identity_change is not None
    assert not report.refused
    back = ship(hub, laptop, tmp_path / "h3")
    assert not back.refused, back.files
    assert sync.identity(laptop).hub_id == hub.replica_id
    ship(laptop, hub, tmp_path / "l2")  # the laptop returns what the restored hub forgot
    expected = {"办公室录入一", "办公室录入二", "恢复后录入", "外勤录入"}
    assert expected <= set(names(hub))
    ship(hub, laptop, tmp_path / "h4")
    assert snapshot(laptop) == snapshot(hub)
    for store in (hub, laptop):
        store.close()


def test_an_ordinary_exchange_keeps_the_replica_id(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, laptop = office
    before = laptop.replica_id
    for round_ in range(3):
        add(laptop, f"企业{round_}")
        ship(laptop, hub, tmp_path / f"up{round_}")
        report = ship(hub, laptop, tmp_path / f"down{round_}")
        assert report.identity_change is None
    assert laptop.replica_id == before
    for store in (hub, laptop):
        store.close()


def test_cli_tells_the_officer_and_status_and_doctor_report_it(
    tmp_path: Path, office: tuple[Store, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    hub, laptop = office
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")
    add(laptop, "丢失前的企业")
    ship(laptop, hub, tmp_path / "s2")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    files = sync.export(hub, outbox, for_peer=laptop.replica_id)
    laptop = put_back(laptop, tmp_path / "backup.db")
    add(laptop, "恢复后的企业")
    path = laptop.path
    laptop.close()
    hub.close()
    capsys.readouterr()

    assert main(["--db", str(path), "sync", "import", str(files[0].path)]) == 0
    out = capsys.readouterr().out
    assert "put back from a copy" in out and "new replica" in out

    assert main(["--db", str(path), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    (change,) = status["identity_changes"]
    assert change["new_id"] == status["replica_id"]

    main(["--db", str(path), "doctor", "--json"])
    doctor = json.loads(capsys.readouterr().out)
    assert doctor["identity_changes"] == status["identity_changes"]
    main(["--db", str(path), "doctor"])
    assert "put back from a copy" in capsys.readouterr().out


@pytest.mark.parametrize("recorded", [True, False], ids=["sent-seq", "nothing-recorded"])
def test_a_file_from_an_older_fieldtui_without_checkpoints(
    tmp_path: Path,
    office: tuple[Store, Store],
    monkeypatch: pytest.MonkeyPatch,
    recorded: bool,
) -> None:
    """Files without checkpoints: noticed when the office holds more of this laptop than it
    ever sent, or (nothing recorded, a database from before) than it holds at all."""
    hub, laptop = office
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")
    for i in range(3):
        add(laptop, f"丢失前{i}")
    ship(laptop, hub, tmp_path / "s2")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    monkeypatch.setattr("fieldtui.sync.exporter.target_checkpoints", lambda db, rid: [])
    files = sync.export(hub, outbox, for_peer=laptop.replica_id)
    laptop = put_back(laptop, tmp_path / "backup.db")
    if not recorded:
        laptop.db.execute_sql("DELETE FROM meta WHERE key = 'sync_sent_seq'")
    add(laptop, "恢复后的企业")
    report = import_(laptop, [files[0].path])
    assert report.identity_change is not None
    ship(laptop, hub, tmp_path / "s3")
    assert "恢复后的企业" in names(hub)
    for store in (hub, laptop):
        store.close()


def test_a_restored_laptop_that_exports_first_gets_through_after_taking_the_hubs_file(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, laptop = office
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")
    add(laptop, "丢失前的企业")
    ship(laptop, hub, tmp_path / "s2")
    laptop = put_back(laptop, tmp_path / "backup.db")
    add(laptop, "恢复后的企业")
    refused = ship(laptop, hub, tmp_path / "s3")
    (outcome,) = refused.files
    assert outcome.status == sync.REFUSED and "import the latest file" in outcome.reason.lower()
    assert ship(hub, laptop, tmp_path / "s4").identity_change is not None
    again = ship(laptop, hub, tmp_path / "s5")
    assert not again.refused
    assert {"丢失前的企业", "恢复后的企业"} <= set(names(hub))
    for store in (hub, laptop):
        store.close()


def test_a_full_file_from_the_office_shows_the_copy_by_its_ops(
    tmp_path: Path, office: tuple[Store, Store]
) -> None:
    hub, laptop = office
    add(laptop, "第一批")
    per_enterprise = own_ops(laptop)
    ship(laptop, hub, tmp_path / "s1")
    copy_db(laptop, tmp_path / "backup.db")
    add(laptop, "第二批")
    ship(laptop, hub, tmp_path / "s2")
    laptop = put_back(laptop, tmp_path / "backup.db")
    add(laptop, "恢复后")
    (full,) = sync.export(hub, tmp_path / "full.fieldsync", full=True)
    report = import_(laptop, [full.path])
    assert not report.refused, report.files
    change = report.identity_change
    assert change is not None
    assert change.kept == per_enterprise  # the first batch: the very same ops there
    assert change.reissued == per_enterprise  # the ops made after the restore
    ship(laptop, hub, tmp_path / "s3")
    assert {"第一批", "第二批", "恢复后"} <= set(names(hub))
    assert {"第一批", "第二批", "恢复后"} <= set(names(laptop))
    for store in (hub, laptop):
        store.close()
