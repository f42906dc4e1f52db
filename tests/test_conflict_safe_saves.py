"""Saves against what was shown: ``Repo.load`` + ``update(parents=...)`` / ``delete(parents=...)``.

A record read, then changed by someone else (another process on the same database, or a sync
import), then saved from what was read must keep both values as a conflict, locally and after
the next sync, exactly as if the two edits had been made on two laptops.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store, WriteError
from fieldtui.store.repos import Loaded
from sync_support import conflicts_by_field, replica, ship, snapshot


@pytest.fixture
def laptop_and_hub(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "张三")
    ent = hub.enterprises.create(Enterprise(name="广东浩海环保设备有限公司", address="四会市")).id
    ship(hub, laptop, tmp_path / "init", full=True)
    yield laptop, hub, ent
    laptop.close()
    hub.close()


def load(store: Store, row_id: str) -> Loaded[Enterprise]:
    loaded = store.enterprises.load(row_id)
    assert loaded is not None
    return loaded


def test_load_reads_the_record_with_the_heads_of_its_fields(tmp_store: Store) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="甲", address="四会市"))
    tmp_store.enterprises.update(e.id, address="大旺")
    loaded = load(tmp_store, e.id)
    assert loaded.record.address == "大旺"
    op = tmp_store.db.execute_sql(
        "SELECT op_id FROM op WHERE field = 'address' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    assert loaded.heads["address"] == (op,)
    assert "phone" not in loaded.heads  # never written: no op, no head
    assert loaded.heads == tmp_store.enterprises.heads(e.id)
    assert tmp_store.enterprises.load("nope") is None


def test_an_edit_made_by_another_process_since_the_read_becomes_a_conflict(
    laptop_and_hub: tuple[Store, Store, str],
) -> None:
    laptop, hub, ent = laptop_and_hub
    shown = load(laptop, ent)
    with Store(laptop.path) as cli:  # the command line, on the same database
        cli.enterprises.update(ent, address="大旺一路")
    changed = laptop.enterprises.update(ent, parents=shown.heads, address="大旺二路")
    assert changed == ["address"]
    key = ("enterprise", ent, "address")
    assert conflicts_by_field(laptop) == {key: ['"大旺一路"', '"大旺二路"']}
    assert laptop.enterprises.conflict_fields(ent) == ["address"]
    # the shown value is the provisional winner by (hlc, replica, op id): the later save
    assert laptop.enterprises.require(ent).address == "大旺二路"
    ship(laptop, hub, laptop.path.parent / "up")
    assert conflicts_by_field(hub) == {key: ['"大旺一路"', '"大旺二路"']}
    assert snapshot(hub) == snapshot(laptop)


def test_an_edit_from_a_sync_import_since_the_read_becomes_a_conflict(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "张三")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "李四")
    ent = hub.enterprises.create(Enterprise(name="简美实业", phone="13800138000")).id
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "init", full=True)
    shown = load(a, ent)  # a form opens on laptop a
    b.enterprises.update(ent, phone="13900139000")
    ship(b, hub, tmp_path / "up")
    ship(hub, a, tmp_path / "down")  # imported while the form is open
    a.enterprises.update(ent, parents=shown.heads, phone="13700137000")
    key = ("enterprise", ent, "phone")
    expected = {key: ['"13700137000"', '"13900139000"']}
    assert conflicts_by_field(a) == expected
    ship(a, hub, tmp_path / "up2")
    ship(hub, b, tmp_path / "down2")
    for store in (hub, b):
        assert conflicts_by_field(store) == expected
        assert snapshot(store) == snapshot(a)
    for store in (hub, a, b):
        store.close()


def test_saving_what_was_current_is_an_ordinary_edit(tmp_store: Store) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="乙", address="四会市"))
    shown = load(tmp_store, e.id)
    tmp_store.enterprises.update(e.id, parents=shown.heads, address="大旺", phone="13800138000")
    assert tmp_store.enterprises.conflict_fields(e.id) == []
    address_op, phone_op = (
        tmp_store.db.execute_sql(
            "SELECT parents FROM op WHERE field = ? ORDER BY seq DESC LIMIT 1", (f,)
        ).fetchone()[0]
        for f in ("address", "phone")
    )
    assert json.loads(address_op) == list(shown.heads["address"])
    assert json.loads(phone_op) == []


def test_the_same_value_written_by_both_is_no_conflict_and_no_op(tmp_store: Store) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="丙", address="四会市"))
    shown = load(tmp_store, e.id)
    with Store(tmp_store.path) as other:
        other.enterprises.update(e.id, address="大旺")
    before = tmp_store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]
    assert tmp_store.enterprises.update(e.id, parents=shown.heads, address="大旺") == []
    assert tmp_store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0] == before
    assert tmp_store.enterprises.conflict_fields(e.id) == []


def test_a_field_nobody_had_set_written_on_both_sides_is_a_conflict(tmp_store: Store) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="丁"))
    shown = load(tmp_store, e.id)
    with Store(tmp_store.path) as other:
        other.enterprises.update(e.id, contact="王五")
    tmp_store.enterprises.update(e.id, parents=shown.heads, contact="赵六")
    assert tmp_store.enterprises.conflict_fields(e.id) == ["contact"]


def test_an_untouched_field_changed_elsewhere_keeps_the_other_value(tmp_store: Store) -> None:
    e = tmp_store.enterprises.create(Enterprise(name="戊", address="四会市"))
    shown = load(tmp_store, e.id)
    with Store(tmp_store.path) as other:
        other.enterprises.update(e.id, address="大旺")
    tmp_store.enterprises.update(e.id, parents=shown.heads, phone="13800138000")
    saved = tmp_store.enterprises.require(e.id)
    assert (saved.address, saved.phone) == ("大旺", "13800138000")
    assert tmp_store.enterprises.conflict_fields(e.id) == []


def test_an_edit_of_a_record_deleted_since_the_read_is_a_delete_conflict(
    laptop_and_hub: tuple[Store, Store, str],
) -> None:
    laptop, hub, ent = laptop_and_hub
    shown = load(laptop, ent)
    with Store(laptop.path) as cli:
        cli.enterprises.delete(ent)
    with pytest.raises(WriteError):  # without parents a deleted row is refused, as before
        laptop.enterprises.update(ent, address="大旺")
    laptop.enterprises.update(ent, parents=shown.heads, address="大旺")
    assert laptop.enterprises.conflict_fields(ent) == ["_deleted"]
    row = laptop.enterprises.require(ent)
    assert (row.deleted, row.address) == (False, "大旺")  # the later edit is shown
    ship(laptop, hub, laptop.path.parent / "up")
    assert snapshot(hub) == snapshot(laptop)


def test_a_delete_from_what_was_shown_does_not_swallow_a_later_edit(
    laptop_and_hub: tuple[Store, Store, str],
) -> None:
    laptop, hub, ent = laptop_and_hub
    shown = load(laptop, ent)
    with Store(laptop.path) as cli:
        cli.enterprises.update(ent, address="大旺")
    assert laptop.enterprises.delete(ent, parents=shown.seen())
    assert laptop.enterprises.conflict_fields(ent) == ["_deleted"]
    ship(laptop, hub, laptop.path.parent / "up")
    assert hub.enterprises.conflict_fields(ent) == ["_deleted"]
    assert snapshot(hub) == snapshot(laptop)
