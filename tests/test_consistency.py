"""The rows-equal-ops check (``fieldtui.store.consistency``) finds every way a stored row can
drift from its op log, stays quiet on work done through the write path (conflicts included),
and ``fieldtui doctor`` reports what it finds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.store import Store
from fieldtui.store.consistency import ROW, row_mismatches
from fieldtui.store.health import check
from invariants import assert_rows_equal_ops
from sync_support import replica, ship

pytestmark = pytest.mark.rows_may_differ_from_ops  # these tests damage tmp_store on purpose


def _seeded(store: Store) -> tuple[str, str]:
    enterprise = store.enterprises.create(
        Enterprise(name="华音电器", address="大旺", employees=12, tags=["家电"])
    )
    officer = store.officers.create(Officer(name="王敏"))
    visit = store.visits.create(Visit(enterprise_id=enterprise.id, summary="走访"))
    store.visit_officers.link(visit.id, officer.id)
    store.visit_officers.unlink(visit.id, officer.id)
    store.enterprises.update(enterprise.id, address="大旺二路")
    store.officers.delete(officer.id)
    return enterprise.id, officer.id


def _what(store: Store) -> list[tuple[str, str, str]]:
    return [(m.table, m.row_id, m.column) for m in row_mismatches(store.db)]


def test_work_through_the_write_path_passes(tmp_store: Store) -> None:
    _seeded(tmp_store)
    assert row_mismatches(tmp_store.db) == []


def test_a_raw_update_is_found(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    tmp_store.db.execute_sql("UPDATE enterprise SET address = 'x' WHERE id = ?", (eid,))
    [m] = row_mismatches(tmp_store.db)
    assert (m.table, m.row_id, m.column, m.stored, m.expected) == (
        "enterprise",
        eid,
        "address",
        "x",
        "大旺二路",
    )
    assert str(m) == f"enterprise {eid} address: stored 'x', its ops say '大旺二路'"


def test_a_field_nobody_wrote_must_keep_its_default(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    tmp_store.db.execute_sql(
        "UPDATE enterprise SET notes = 'n', legal_rep = '张三' WHERE id = ?", (eid,)
    )
    assert _what(tmp_store) == [("enterprise", eid, "legal_rep"), ("enterprise", eid, "notes")]


def test_a_raw_tombstone_or_restore_is_found(tmp_store: Store) -> None:
    eid, oid = _seeded(tmp_store)
    tmp_store.db.execute_sql("UPDATE enterprise SET deleted = 1 WHERE id = ?", (eid,))
    tmp_store.db.execute_sql("UPDATE officer SET deleted = 0 WHERE id = ?", (oid,))
    assert _what(tmp_store) == [("officer", oid, "deleted"), ("enterprise", eid, "deleted")]


def test_a_row_without_ops_and_ops_without_a_row_are_found(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    tmp_store.db.execute_sql("INSERT INTO officer (id, name) VALUES ('ghost', '幽灵')")
    tmp_store.db.execute_sql("DELETE FROM enterprise WHERE id = ?", (eid,))
    found = row_mismatches(tmp_store.db)
    assert [(m.table, m.row_id, m.column) for m in found] == [
        ("officer", "ghost", ROW),
        ("enterprise", eid, ROW),
    ]
    assert "without ops" in str(found[0]) and "ops but no row" in str(found[1])


def test_ops_of_an_unknown_table_or_column_are_found(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    op = tmp_store.db.execute_sql(
        "SELECT op_id, replica_id, seq, hlc FROM op ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    for n, (tbl, field) in enumerate([("enterprise", "colour"), ("widget", "name")], 1):
        tmp_store.db.execute_sql(
            "INSERT INTO op (op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '\"x\"', '[]')",
            (f"{op[0]}-{n}", op[1], op[2] + n, op[3] + n, tbl, eid, field),
        )
    assert _what(tmp_store) == [("enterprise", eid, "colour"), ("widget", eid, ROW)]


def test_conflicts_must_be_exactly_those_the_ops_imply(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    tmp_store.db.execute_sql(
        "INSERT INTO conflict (tbl, row_id, field, heads, detected_at)"
        " VALUES ('enterprise', ?, 'name', '[\"a\", \"b\"]', '')",
        (eid,),
    )
    tmp_store.db.execute_sql(
        "INSERT INTO conflict (tbl, row_id, field, heads, detected_at)"
        " VALUES ('enterprise', 'nobody', 'name', '[\"a\", \"b\"]', '')"
    )
    found = row_mismatches(tmp_store.db)
    assert [(m.row_id, m.column, m.stored, m.expected) for m in found] == [
        (eid, "conflict:name", ["a", "b"], None),
        ("nobody", "conflict:name", ["a", "b"], None),
    ]


def test_real_conflicts_pass_and_a_lost_one_is_found(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB)
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP)
    eid = hub.enterprises.create(Enterprise(name="日德实业")).id
    ship(hub, laptop, tmp_path / "down")
    hub.enterprises.update(eid, address="甲")
    laptop.enterprises.update(eid, address="乙")
    laptop.enterprises.delete(eid)
    ship(laptop, hub, tmp_path / "up")  # ship() checks rows against ops after the import
    assert {c.field for c in sync.list_conflicts(hub.db)} == {"address", "_deleted"}
    assert_rows_equal_ops(hub)
    hub.db.execute_sql("DELETE FROM conflict WHERE field = 'address'")
    [m] = row_mismatches(hub.db)
    assert (m.row_id, m.column, m.stored) == (eid, "conflict:address", None)
    assert m.expected is not None and len(m.expected) == 2
    hub.close()
    laptop.close()


def test_limit_stops_early(tmp_store: Store) -> None:
    for n in range(5):
        tmp_store.db.execute_sql(f"INSERT INTO officer (id, name) VALUES ('g{n}', 'x')")
    assert len(row_mismatches(tmp_store.db)) == 5
    assert len(row_mismatches(tmp_store.db, limit=2)) == 2


def test_the_helper_names_what_differs(tmp_store: Store) -> None:
    eid, _ = _seeded(tmp_store)
    tmp_store.db.execute_sql("UPDATE enterprise SET employees = 13 WHERE id = ?", (eid,))
    with pytest.raises(AssertionError, match=r"employees: stored 13, its ops say 12"):
        assert_rows_equal_ops(tmp_store)


def test_doctor_reports_rows_that_differ_from_their_ops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    with Store(db) as store:
        eid, _ = _seeded(store)
        assert check(store).problems == []
        store.db.execute_sql("UPDATE enterprise SET name = '改名' WHERE id = ?", (eid,))
        health = check(store)
        assert health.differ_from_ops == [
            f"enterprise {eid} name: stored '改名', its ops say '华音电器'"
        ]
        assert check(store, replay=False).problems == []
    code = main(["--db", str(db), "doctor", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["rows_differing_from_ops"] == health.differ_from_ops
    assert any("differs from its ops" in p and eid in p for p in data["problems"])
