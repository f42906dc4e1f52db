"""The write path: every change makes exactly the right ops, unchanged saves make none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store, WriteError
from invariants import assert_rows_equal_ops


def ops(store: Store) -> list[dict[str, object]]:
    cur = store.db.execute_sql(
        "SELECT op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents"
        " FROM op ORDER BY seq"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    yield s
    assert_rows_equal_ops(s)
    s.close()


def test_create_writes_one_op_per_given_field_and_created_at(store: Store) -> None:
    e = store.enterprises.create(
        Enterprise(name="浩海环保", uscc="91350100M000100Y43", revenue_wan=Decimal("12.5"))
    )
    log = ops(store)
    fields = sorted(str(o["field"]) for o in log)
    # status and tags carry their defaults explicitly; None fields write nothing.
    assert fields == sorted(["name", "uscc", "revenue_wan", "status", "tags", "created_at"])
    assert all(o["row_id"] == e.id and o["tbl"] == "enterprise" for o in log)
    assert all(json.loads(str(o["parents"])) == [] for o in log)
    assert [o["seq"] for o in log] == list(range(1, len(log) + 1))
    assert {o["replica_id"] for o in log} == {store.replica_id}
    by_field = {o["field"]: json.loads(str(o["value"])) for o in log}
    assert by_field["name"] == "浩海环保"
    assert by_field["revenue_wan"] == "12.5"
    assert e.revenue_wan == Decimal("12.5")


def test_update_writes_only_changed_fields_with_heads_as_parents(store: Store) -> None:
    e = store.enterprises.create(Enterprise(name="甲", address="四会市"))
    before = {o["field"]: o["op_id"] for o in ops(store)}
    changed = store.enterprises.update(e.id, name="甲", address="大旺", employees=30)
    assert sorted(changed) == ["address", "employees"]
    new = ops(store)[len(before) :]
    assert sorted(str(o["field"]) for o in new) == ["address", "employees"]
    address_op = next(o for o in new if o["field"] == "address")
    assert json.loads(str(address_op["parents"])) == [before["address"]]
    employees_op = next(o for o in new if o["field"] == "employees")
    assert json.loads(str(employees_op["parents"])) == []
    assert store.enterprises.require(e.id).address == "大旺"


def test_unchanged_save_writes_no_op(store: Store) -> None:
    e = store.enterprises.create(Enterprise(name="乙", tags=["专精特新"], revenue_wan=Decimal("5")))
    n = len(ops(store))
    assert store.enterprises.save(store.enterprises.require(e.id)) == []
    assert store.enterprises.update(e.id, name="乙", tags=["专精特新"]) == []
    assert len(ops(store)) == n


def test_hlc_and_seq_strictly_increase(store: Store) -> None:
    o = store.officers.create(Officer(name="张三"))
    for i in range(20):
        store.officers.update(o.id, unit=f"科室{i}")
    log = ops(store)
    hlcs = [int(str(x["hlc"])) for x in log]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    assert [x["seq"] for x in log] == list(range(1, len(log) + 1))


def test_delete_is_a_tombstone_whose_parents_are_all_heads(store: Store) -> None:
    e = store.enterprises.create(Enterprise(name="丙"))
    store.enterprises.update(e.id, name="丙二")
    log = ops(store)
    assert store.enterprises.delete(e.id) is True
    assert store.enterprises.delete(e.id) is False  # already deleted: no second op
    tomb = ops(store)[len(log) :]
    assert len(tomb) == 1 and tomb[0]["field"] == "_deleted" and tomb[0]["value"] == "1"
    heads = {o["op_id"] for o in log if o["field"] != "name"} | {log[-1]["op_id"]}
    assert set(json.loads(str(tomb[0]["parents"]))) == heads
    row = store.enterprises.get(e.id)
    assert row is not None and row.deleted
    assert store.enterprises.count() == 0
    with pytest.raises(WriteError):
        store.enterprises.update(e.id, name="丁")
    assert store.enterprises.restore(e.id) is True
    assert not store.enterprises.require(e.id).deleted


def test_batch_is_one_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.batch():
        store.enterprises.create(Enterprise(name="一"))
        store.enterprises.create(Enterprise(name="二"))
        raise RuntimeError("crash mid-way")
    assert store.enterprises.count() == 0
    assert ops(store) == []


def test_reads_in_a_batch_see_its_earlier_writes(store: Store) -> None:
    """Linking the same pair twice in one batch used to insert the link twice and fail the
    whole batch (the buffered first link was invisible to the second's check)."""
    from fieldtui.domain.records import Visit

    o = store.officers.create(Officer(name="王五"))
    e = store.enterprises.create(Enterprise(name="庚"))
    with store.batch():
        v = store.visits.create(Visit(enterprise_id=e.id))
        assert store.visits.get(v.id) is not None
        first = store.visit_officers.link(v.id, o.id)
        assert store.visit_officers.link(v.id, o.id) == first
        store.visit_officers.set_right_ids(v.id, [o.id, o.id])
        made = store.enterprises.create(Enterprise(name="辛"))
        assert [x.name for x in store.enterprises.list(Enterprise_name_is("辛", store))] == ["辛"]
        assert store.enterprises.count() == 2 and made.id
    assert store.visit_officers.right_ids(v.id) == [o.id]
    assert store.visit_officers.count() == 1


def Enterprise_name_is(name: str, store: Store) -> object:
    return store.enterprises.model.name == name


def test_unknown_field_is_refused_and_writes_nothing(store: Store) -> None:
    e = store.enterprises.create(Enterprise(name="戊"))
    n = len(ops(store))
    with pytest.raises(TypeError):
        store.enterprises.update(e.id, colour="red")
    with pytest.raises(WriteError):
        store.writer.update("enterprise", e.id, {"nope": 1})
    with pytest.raises(WriteError):
        store.writer.create("nosuchtable", {})
    assert len(ops(store)) == n


def test_links_are_deterministic_and_tombstoned(store: Store) -> None:
    o = store.officers.create(Officer(name="李四"))
    e = store.enterprises.create(Enterprise(name="己"))
    from fieldtui.domain.records import Visit

    v = store.visits.create(Visit(enterprise_id=e.id))
    first = store.visit_officers.link(v.id, o.id)
    n = len(ops(store))
    assert store.visit_officers.link(v.id, o.id) == first
    assert len(ops(store)) == n  # linking again changes nothing
    assert store.visit_officers.right_ids(v.id) == [o.id]
    assert store.visit_officers.unlink(v.id, o.id)
    assert store.visit_officers.right_ids(v.id) == []
    store.visit_officers.set_right_ids(v.id, [o.id])
    assert store.visit_officers.right_ids(v.id) == [o.id]


def test_replica_id_and_clock_persist_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Store(path) as s:
        rid = s.replica_id
        s.officers.create(Officer(name="王五"))
        last = int(str(ops(s)[-1]["hlc"]))
    with Store(path) as s:
        assert s.replica_id == rid
        s.officers.create(Officer(name="赵六"))
        log = ops(s)
        assert int(str(log[-1]["hlc"])) > last
        assert [o["seq"] for o in log] == list(range(1, len(log) + 1))
