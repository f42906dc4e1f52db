"""Merge by op union: conflicts, causality over clocks, deletes, resolution, idempotence, order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.sync.oplog import version_vector
from sync_support import (
    YEAR_MS,
    conflicts_by_field,
    file_digest,
    import_,
    op_ids,
    replica,
    ship,
    snapshot,
)


@dataclass
class Office:
    dir: Path
    hub: Store
    a: Store
    b: Store
    ent: str

    def all(self) -> list[Store]:
        return [self.hub, self.a, self.b]

    def sync_round(self) -> None:
        """Both laptops to the hub, then the hub back to both."""
        for laptop in (self.a, self.b):
            ship(laptop, self.hub, self.dir / "up")
        for laptop in (self.a, self.b):
            ship(self.hub, laptop, self.dir / "down")


def make_office(tmp_path: Path, b_offset_ms: int = 0) -> Office:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "张三")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "李四", offset_ms=b_offset_ms)
    ent = hub.enterprises.create(Enterprise(name="广东浩海环保设备有限公司", address="四会市")).id
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "init", full=True)
    return Office(tmp_path, hub, a, b, ent)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = make_office(tmp_path)
    yield o
    for s in o.all():
        s.close()


def assert_converged(stores: list[Store]) -> None:
    first = snapshot(stores[0])
    for other in stores[1:]:
        assert snapshot(other) == first


def test_first_hub_file_gives_laptops_the_ledger(office: Office) -> None:
    for laptop in (office.a, office.b):
        assert laptop.enterprises.require(office.ent).name == "广东浩海环保设备有限公司"
        assert sync.identity(laptop).hub_id == office.hub.replica_id
    assert_converged(office.all())


def test_concurrent_edits_make_a_conflict_keeping_both_values(tmp_path: Path) -> None:
    office = make_office(tmp_path, b_offset_ms=3600_000)  # b's stamps are later: b is shown
    office.a.enterprises.update(office.ent, address="大旺一路")
    office.b.enterprises.update(office.ent, address="大旺二路")
    office.sync_round()
    key = ("enterprise", office.ent, "address")
    for s in office.all():
        assert conflicts_by_field(s) == {key: ['"大旺一路"', '"大旺二路"']}
        assert s.enterprises.require(office.ent).address == "大旺二路"
    (conflict,) = sync.list_conflicts(office.hub.db)
    shown = [h for h in conflict.heads if h.winner]
    assert [h.value for h in shown] == ["大旺二路"]
    assert {h.replica_name for h in conflict.heads} == {"张三", "李四"}
    assert_converged(office.all())


def test_equal_concurrent_values_are_not_a_conflict(office: Office) -> None:
    office.a.enterprises.update(office.ent, status="suspended")
    office.b.enterprises.update(office.ent, status="suspended")
    office.sync_round()
    for s in office.all():
        assert sync.list_conflicts(s.db) == []
        assert s.enterprises.require(office.ent).status == "suspended"


def test_causally_later_edit_wins_even_with_a_clock_years_behind(tmp_path: Path) -> None:
    office = make_office(tmp_path, b_offset_ms=-5 * YEAR_MS)
    office.a.enterprises.update(office.ent, phone="0758-2722284")
    ship(office.a, office.hub, tmp_path / "up")
    report = ship(office.hub, office.b, tmp_path / "down")
    # The hub's stamps are years ahead of b's wall clock: flagged, never refused.
    (outcome,) = report.files
    assert outcome.status == sync.IMPORTED and outcome.flagged
    assert office.b.enterprises.require(office.ent).phone == "0758-2722284"
    office.b.enterprises.update(office.ent, phone="13800138000")  # b saw a's edit
    office.sync_round()
    for s in office.all():
        assert s.enterprises.require(office.ent).phone == "13800138000"
        assert sync.list_conflicts(s.db) == []
    stamps = dict(
        office.hub.db.execute_sql(
            "SELECT value, hlc FROM op WHERE tbl = 'enterprise' AND field = 'phone'"
        ).fetchall()
    )
    assert stamps['"13800138000"'] < stamps['"0758-2722284"']  # the clocks said otherwise
    assert_converged(office.all())


def test_far_future_stamps_do_not_drag_the_importers_clock(tmp_path: Path) -> None:
    office = make_office(tmp_path, b_offset_ms=10 * YEAR_MS)
    office.b.enterprises.update(office.ent, notes="from the future")
    report = ship(office.b, office.hub, tmp_path / "up")
    (outcome,) = report.files
    assert outcome.status == sync.IMPORTED
    assert [f.name for f in outcome.flagged] == ["李四"] and outcome.flagged[0].ops == 1
    assert office.hub.enterprises.require(office.ent).notes == "from the future"
    before = office.hub.writer.clock.last
    office.hub.enterprises.update(office.ent, address="x")
    assert office.hub.writer.clock.last - before < (24 * 3600 * 1000) << 16


def test_delete_against_concurrent_edit_is_a_conflict(office: Office) -> None:
    office.a.enterprises.update(office.ent, contact="王经理")
    office.b.enterprises.delete(office.ent)
    office.sync_round()
    for s in office.all():
        (conflict,) = sync.list_conflicts(s.db)
        assert conflict.is_delete and conflict.field == "_deleted"
        assert sorted(h.kind for h in conflict.heads) == ["delete", "edit"]
        assert [h.value for h in conflict.heads if h.kind == "edit"] == ["王经理"]
    assert_converged(office.all())


@pytest.mark.parametrize("keep", ["edit", "delete"])
def test_resolving_a_delete_conflict_syncs_and_clears_it_everywhere(
    office: Office, keep: str
) -> None:
    office.a.enterprises.update(office.ent, contact="王经理")
    office.b.enterprises.delete(office.ent)
    office.sync_round()
    (conflict,) = sync.list_conflicts(office.a.db)
    head = next(h for h in conflict.heads if h.kind == keep)
    sync.resolve(office.a, "enterprise", office.ent, "_deleted", take=head.op_id[-8:])
    assert sync.list_conflicts(office.a.db) == []
    office.sync_round()
    for s in office.all():
        assert sync.list_conflicts(s.db) == []
        row = s.enterprises.require(office.ent)
        assert row.deleted == (keep == "delete")
        assert row.contact == "王经理"
    assert_converged(office.all())


def test_resolving_a_field_conflict_syncs_and_clears_it_everywhere(office: Office) -> None:
    office.a.enterprises.update(office.ent, address="大旺一路")
    office.b.enterprises.update(office.ent, address="大旺二路")
    office.sync_round()
    sync.resolve(office.hub, "enterprise", office.ent, "address", value="大旺大道1号")
    office.sync_round()
    for s in office.all():
        assert sync.list_conflicts(s.db) == []
        assert s.enterprises.require(office.ent).address == "大旺大道1号"
    # Later edits are ordinary again.
    office.b.enterprises.update(office.ent, address="大旺大道2号")
    office.sync_round()
    for s in office.all():
        assert s.enterprises.require(office.ent).address == "大旺大道2号"
        assert sync.list_conflicts(s.db) == []
    assert_converged(office.all())


def test_taking_the_shown_value_settles_the_conflict(office: Office) -> None:
    office.a.enterprises.update(office.ent, address="一")
    office.b.enterprises.update(office.ent, address="二")
    office.sync_round()
    (conflict,) = sync.list_conflicts(office.b.db)
    shown = next(h for h in conflict.heads if h.winner)
    sync.resolve(office.b, "enterprise", office.ent, "address", take=shown.op_id)
    office.sync_round()
    for s in office.all():
        assert sync.list_conflicts(s.db) == []
        assert s.enterprises.require(office.ent).address == shown.value


def test_resolve_refuses_unknown_heads_and_conflicts(office: Office) -> None:
    with pytest.raises(sync.SyncError, match="no open conflict"):
        sync.resolve(office.hub, "enterprise", office.ent, "address", take="x")
    office.a.enterprises.update(office.ent, address="一")
    office.b.enterprises.update(office.ent, address="二")
    office.sync_round()
    with pytest.raises(sync.SyncError, match="not one of the conflict's values"):
        sync.resolve(office.hub, "enterprise", office.ent, "address", take="nope")


def test_a_delete_does_not_hide_an_open_field_conflict(office: Office) -> None:
    """The writer keeps the conflict table exactly as merge computes it."""
    office.a.enterprises.update(office.ent, address="一")
    office.b.enterprises.update(office.ent, address="二")
    office.sync_round()
    office.hub.enterprises.delete(office.ent)
    assert set(conflicts_by_field(office.hub)) == {("enterprise", office.ent, "address")}
    office.sync_round()
    assert_converged(office.all())
    office.hub.enterprises.restore(office.ent)
    office.sync_round()
    assert set(conflicts_by_field(office.a)) == {("enterprise", office.ent, "address")}
    assert_converged(office.all())


def test_deleted_row_is_never_resurrected_by_a_stale_file(office: Office) -> None:
    officer = office.a.officers.create(Officer(name="张三", phone="13800138000")).id
    stale_1 = sync.export(office.a, office.dir / "stale1.fieldsync")[0].path
    stale_2 = sync.export(office.a, office.dir / "stale2.fieldsync")[0].path  # same ops again
    import_(office.hub, [stale_1])
    ship(office.hub, office.b, office.dir / "down")
    office.b.officers.delete(officer)
    ship(office.b, office.hub, office.dir / "up")
    assert office.hub.officers.require(officer).deleted
    report = import_(office.hub, [stale_2])
    assert report.files[0].status == sync.IMPORTED and report.added == 0
    assert office.hub.officers.require(officer).deleted
    # Also a database that gets the delete first and the stale ops afterwards.
    fresh = replica(office.dir / "fresh.db", sync.HUB, "fresh")
    full = sync.export(office.hub, office.dir / "full.fieldsync", full=True)[0].path
    import_(fresh, [full], check_roles=False)
    import_(fresh, [stale_1], check_roles=False)
    assert fresh.officers.require(officer).deleted
    office.sync_round()
    for s in office.all():
        assert s.officers.require(officer).deleted
    fresh.close()


def test_second_import_of_a_file_changes_nothing(office: Office) -> None:
    office.a.enterprises.update(office.ent, notes="第一次")
    path = sync.export(office.a, office.dir / "a.fieldsync")[0].path
    first = import_(office.hub, [path])
    assert first.files[0].status == sync.IMPORTED and first.added == 1
    office.hub.close()
    digest = file_digest(office.dir / "hub.db")
    office.hub = replica(office.dir / "hub.db")
    before = snapshot(office.hub)
    again = import_(office.hub, [path, path])
    assert [f.status for f in again.files] == [sync.ALREADY, sync.ALREADY]
    assert again.added == 0 and snapshot(office.hub) == before
    office.hub.close()
    assert file_digest(office.dir / "hub.db") == digest
    office.hub = replica(office.dir / "hub.db")


def test_same_file_twice_in_one_call_is_imported_once(office: Office) -> None:
    office.a.enterprises.update(office.ent, notes="x")
    path = sync.export(office.a, office.dir / "a.fieldsync")[0].path
    report = import_(office.hub, [path, path])
    assert [f.status for f in report.files] == [sync.IMPORTED, sync.ALREADY]


def test_own_file_is_skipped(office: Office) -> None:
    path = sync.export(office.a, office.dir / "a.fieldsync")[0].path
    report = import_(office.a, [path])
    assert report.files[0].status == sync.OWN and not report.refused


def test_import_order_does_not_matter(office: Office) -> None:
    files: list[Path] = []
    office.a.enterprises.update(office.ent, address="A1")
    office.b.enterprises.update(office.ent, address="B1")
    office.b.officers.create(Officer(name="李四"))
    (office.dir / "o").mkdir()  # a folder: each export is a file of its own in it
    files += [f.path for f in sync.export(office.a, office.dir / "o")]
    files += [f.path for f in sync.export(office.b, office.dir / "o")]
    office.sync_round()
    office.a.enterprises.delete(office.ent)
    office.b.enterprises.update(office.ent, contact="c")
    files += [f.path for f in sync.export(office.a, office.dir / "o")]
    files += [f.path for f in sync.export(office.b, office.dir / "o")]
    files += [sync.export(office.hub, office.dir / "o", full=True)[0].path]
    forward = replica(office.dir / "fwd.db", sync.HUB, "fwd")
    backward = replica(office.dir / "bwd.db", sync.HUB, "bwd")
    one_by_one = replica(office.dir / "one.db", sync.HUB, "one")
    import_(forward, files, check_roles=False)
    import_(backward, list(reversed(files)), check_roles=False)
    for path in files[::2] + files[1::2]:
        import_(one_by_one, [path], check_roles=False)
    assert snapshot(forward) == snapshot(backward) == snapshot(one_by_one)
    assert op_ids(forward) == op_ids(backward)
    for s in (forward, backward, one_by_one):
        s.close()


def test_ops_before_their_create_make_a_row_with_defaults(office: Office) -> None:
    office.b.enterprises.update(office.ent, employees=120)
    b_file = sync.export(office.b, office.dir / "b.fieldsync")[0].path
    hub_file = sync.export(office.hub, office.dir / "hub.fieldsync", full=True)[0].path
    observer = replica(office.dir / "obs.db", sync.HUB, "obs")
    import_(observer, [b_file], check_roles=False)
    row = observer.enterprises.require(office.ent)
    assert row.employees == 120 and row.name == "" and row.status == "operating"
    import_(observer, [hub_file], check_roles=False)
    row = observer.enterprises.require(office.ent)
    assert row.name == "广东浩海环保设备有限公司" and row.employees == 120
    observer.close()


def test_copied_database_is_refused_without_change(office: Office, tmp_path: Path) -> None:
    """Two databases with one replica id (a copied file) would corrupt the op log."""
    office.a.close()
    clone_path = tmp_path / "clone.db"
    src = tmp_path / "a.db"
    clone_path.write_bytes(src.read_bytes())
    office.a = replica(src)
    clone = replica(clone_path)
    office.a.enterprises.update(office.ent, notes="original")
    clone.enterprises.update(office.ent, notes="copy")
    ship(office.a, office.hub, tmp_path / "up")
    before = snapshot(office.hub)
    path = sync.export(clone, tmp_path / "clone.fieldsync")[0].path
    report = import_(office.hub, [path])
    assert report.refused and "copied" in report.refused[0].reason
    assert snapshot(office.hub) == before
    clone.close()


def test_version_vector_is_highest_contiguous_seq(office: Office) -> None:
    db = office.hub.db
    db.execute_sql(
        "INSERT INTO op (op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents)"
        " VALUES ('x1', 'r', 1, 0, 'officer', 'o', 'name', '\"a\"', '[]'),"
        " ('x2', 'r', 2, 0, 'officer', 'o', 'name', '\"a\"', '[]'),"
        " ('x4', 'r', 4, 0, 'officer', 'o', 'name', '\"a\"', '[]'),"
        " ('y2', 'q', 2, 0, 'officer', 'o', 'name', '\"a\"', '[]')"
    )
    vector = version_vector(db)
    assert vector["r"] == 2 and "q" not in vector
    assert vector[office.hub.replica_id] > 0


def test_laptop_sends_what_the_hub_has_not_acknowledged(office: Office) -> None:
    office.a.enterprises.update(office.ent, notes="1")
    lost = sync.export(office.a, office.dir / "lost.fieldsync")[0]
    assert lost.ops == 1
    office.a.enterprises.update(office.ent, notes="2")
    again = sync.export(office.a, office.dir / "again.fieldsync")[0]
    assert again.ops == 2  # the lost stick's op travels again
    import_(office.hub, [again.path])
    ship(office.hub, office.a, office.dir / "down")  # the hub's file acknowledges both
    assert sync.export(office.a, office.dir / "none.fieldsync")[0].ops == 0
    office.a.enterprises.update(office.ent, notes="3")
    assert sync.export(office.a, office.dir / "one.fieldsync")[0].ops == 1


def test_hub_writes_each_laptop_its_delta_and_full_writes_everything(office: Office) -> None:
    ship(office.a, office.hub, office.dir / "up")
    ship(office.b, office.hub, office.dir / "up")
    office.a.enterprises.update(office.ent, notes="from a")
    ship(office.a, office.hub, office.dir / "up")
    files = sync.export(office.hub, office.dir / "per-laptop")
    by_target = {f.target_id: f for f in files}
    assert set(by_target) == {office.a.replica_id, office.b.replica_id}
    assert by_target[office.b.replica_id].ops == 1  # only a's new op
    assert by_target[office.a.replica_id].ops == 0  # a has everything; still an acknowledgement
    total = office.hub.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]
    full = sync.export(office.hub, office.dir / "full.fieldsync", full=True)[0]
    assert full.ops == total and full.full


def test_delta_files_give_the_same_result_as_full_files(office: Office) -> None:
    office.a.enterprises.update(office.ent, address="A")
    office.b.enterprises.update(office.ent, address="B")
    office.b.enterprises.create(Enterprise(name="华音"))
    office.sync_round()
    fresh = replica(office.dir / "fresh.db", sync.LAPTOP, "new")
    import_(fresh, [sync.export(office.hub, office.dir / "f.fieldsync", full=True)[0].path])
    assert snapshot(fresh) == snapshot(office.a) == snapshot(office.hub)
    fresh.close()


def test_roles_decide_who_may_send_what(office: Office) -> None:
    a_file = sync.export(office.a, office.dir / "a.fieldsync")[0].path
    report = import_(office.b, [a_file])
    assert report.refused and "only files from its hub" in report.refused[0].reason
    other_hub = replica(office.dir / "other.db", sync.HUB, "other office")
    other_file = sync.export(other_hub, office.dir / "other.fieldsync", full=True)[0].path
    report = import_(office.a, [other_file])
    assert report.refused and "belongs to hub" in report.refused[0].reason
    report = import_(other_hub, [a_file])
    assert report.refused and "another hub" in report.refused[0].reason
    hub_file = sync.export(office.hub, office.dir / "h.fieldsync", full=True)[0].path
    report = import_(other_hub, [hub_file])
    assert report.refused and "imports files from laptops" in report.refused[0].reason
    with pytest.raises(sync.SyncError, match="already a laptop"):
        sync.init_role(office.a, sync.HUB)
    blank = replica(office.dir / "blank.db")
    with pytest.raises(sync.SyncError, match="no sync role"):
        sync.import_files(blank, [hub_file])
    for s in (other_hub, blank):
        s.close()


def test_laptop_learns_its_hub_from_the_first_hub_file(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "l.db", sync.LAPTOP, "王五")
    assert sync.identity(laptop).hub_id is None
    assert sync.export(laptop, tmp_path / "first.fieldsync")[0].full
    ship(hub, laptop, tmp_path / "d", full=True)
    assert sync.identity(laptop).hub_id == hub.replica_id
    explicit = replica(tmp_path / "e.db", sync.LAPTOP, "赵六")
    sync.init_role(explicit, sync.LAPTOP, hub_id="someone-else")
    report = ship(hub, explicit, tmp_path / "d", full=True)
    assert report.refused
    for s in (hub, laptop, explicit):
        s.close()


def test_status_reports_role_vector_peers_and_files(office: Office) -> None:
    office.a.enterprises.update(office.ent, notes="n")
    ship(office.a, office.hub, office.dir / "up")
    st = sync.status(office.hub)
    assert st.me.role == sync.HUB and st.ops == sum(st.vector.values())
    names = {p.peer.name: p for p in st.peers}
    assert set(names) == {"张三"}  # b has not sent a file yet
    assert names["张三"].pending == 0
    assert st.files_in and st.files_in[0].applied == 1
    laptop = sync.status(office.a)
    assert laptop.me.hub_id == office.hub.replica_id
    assert [p.peer.role for p in laptop.peers] == [sync.HUB]


def test_conflict_heads_record_values_as_json(office: Office) -> None:
    office.a.enterprises.update(office.ent, employees=10)
    office.b.enterprises.update(office.ent, employees=20)
    office.sync_round()
    (conflict,) = sync.list_conflicts(office.hub.db, "enterprise")
    assert sorted(h.value for h in conflict.heads) == [10, 20]  # type: ignore[type-var]
    heads = json.loads(office.hub.db.execute_sql("SELECT heads FROM conflict").fetchone()[0])
    assert sorted(heads) == sorted(h.op_id for h in conflict.heads)
    sync.resolve(office.hub, "enterprise", office.ent, "employees", value="15")
    assert office.hub.enterprises.require(office.ent).employees == 15
