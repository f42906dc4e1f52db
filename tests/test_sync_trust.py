"""Files crafted to pass every checksum (issue 11, items 1-4).

Laptop A is the attacker (or a broken laptop): it takes its own valid file apart, changes what
it likes and recomputes every hash. Laptop B's valid file goes into the same ``sync import``.
Each crafted file is refused in one line naming it (or, for a value that does not fit its field,
the value is held aside and named), exit status 1, no traceback; B's work still goes in, and the
database is what importing B's file alone (plus, for held values, the rest of A's file) makes.
"""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Assignment, Enterprise, Officer, Project
from fieldtui.store import Store
from fieldtui.store.ids import new_id
from fieldtui.sync import limits
from invariants import assert_rows_equal_ops
from sync_craft import pack, unpack
from sync_support import replica, snapshot

GOOD_USCC = "91441284MA4UXX123W"


@dataclass
class Office:
    dir: Path
    hub: Path
    hub_id: str
    a_id: str
    b_id: str
    ent: str
    """An enterprise the hub made (both laptops hold it)."""
    a_ent: str
    """The enterprise laptop A made (in A's file)."""
    a_file: bytes
    b_file: bytes

    def a(self) -> tuple[dict[str, Any], list[list[Any]]]:
        manifest, ops = unpack(self.a_file)
        manifest["file_id"] = new_id()
        return manifest, ops

    def a_op(self, ops: list[list[Any]], table: str, field: str) -> list[Any]:
        return next(op for op in ops if op[4] == table and op[6] == field)


def _uscc() -> str:
    from fieldtui.domain.validators import uscc_check_char

    body = "91441284MA4UXX12"
    body += "3"
    return body + uscc_check_char(body)


@pytest.fixture
def office(tmp_path: Path) -> Office:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "zhang")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "li")
    ent = hub.enterprises.create(Enterprise(name="浩海环保")).id
    officer = hub.officers.create(Officer(name="张三")).id
    full = sync.export(hub, tmp_path / "full.fieldsync", full=True)[0].path
    for laptop in (a, b):
        sync.import_files(laptop, [full], make_backup=False)
    a_ent = a.enterprises.create(
        Enterprise(
            name="博俊科技",
            uscc=_uscc(),
            employees=12,
            revenue_wan=Decimal("100"),
            status="operating",
        )
    ).id
    a.enterprises.update(ent, address="大旺大道1号")
    a.projects.create(Project(name="博俊二期", enterprise_id=a_ent, signed_on=date(2024, 3, 5)))
    a.assignments.create(Assignment(year=2025, officer_id=officer, enterprise_id=a_ent))
    b.enterprises.create(Enterprise(name="智盛自动化"))
    a_file = sync.export(a, tmp_path / "a.fieldsync")[0].path.read_bytes()
    b_file = sync.export(b, tmp_path / "b.fieldsync")[0].path.read_bytes()
    office = Office(
        tmp_path, hub.path, hub.replica_id, a.replica_id, b.replica_id, ent, a_ent, a_file, b_file
    )
    for store in (hub, a, b):
        store.close()
    return office


def state(path: Path) -> dict[str, Any]:
    """What a database holds that an import may change (rows, conflicts, ops, peers, files)."""
    with Store(path) as store:
        db = store.db
        assert_rows_equal_ops(store)
        return {
            "replica_id": store.replica_id,
            "rows": snapshot(store),
            "ops": sorted(str(r[0]) for r in db.execute_sql("SELECT op_id FROM op")),
            "peers": sorted(
                tuple(r) for r in db.execute_sql("SELECT replica_id, role, name FROM sync_peer")
            ),
            "files": sorted(
                str(r[0])
                for r in db.execute_sql("SELECT file_id FROM sync_file WHERE direction='in'")
            ),
        }


def reference(office: Office, *goods: bytes) -> dict[str, Any]:
    """The state importing only ``goods`` into a copy of the hub gives."""
    copy = office.dir / f"ref-{new_id()}.db"
    src, dst = sqlite3.connect(office.hub), sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    paths = []
    for i, data in enumerate(goods):
        path = office.dir / f"ref-good-{i}.fieldsync"
        path.write_bytes(data)
        paths.append(path)
    with Store(copy) as store:
        report = sync.import_files(store, paths, make_backup=False)
        assert not report.refused, report.files
    return state(copy)


def run_import(
    office: Office, capsys: pytest.CaptureFixture[str], *files: bytes
) -> tuple[int, list[Path], str, str]:
    paths = []
    for i, data in enumerate(files):
        path = office.dir / f"in-{i}-{new_id()[-6:]}.fieldsync"
        path.write_bytes(data)
        paths.append(path)
    capsys.readouterr()
    code = main(["--db", str(office.hub), "sync", "import", *map(str, paths)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, paths, captured.out, captured.err


def refused_in_one_line(err: str, path: Path, *words: str) -> None:
    lines = [line for line in err.splitlines() if str(path) in line]
    assert len(lines) == 1, err
    assert all(w.lower() in lines[0].lower() for w in words), lines[0]


def enterprise(path: Path, row_id: str) -> dict[str, Any] | None:
    with Store(path) as store:
        return store.writer.current("enterprise", row_id)


# -- item 1: values are checked like form input -----------------------------------------------


def _set_value(table: str, field: str, value: Any) -> Callable[[Office], bytes]:
    def craft(office: Office) -> bytes:
        manifest, ops = office.a()
        office.a_op(ops, table, field)[7] = value
        return pack(manifest, ops)

    return craft


HELD = {
    "employees abc": ("enterprise", "employees", "abc", "whole number"),
    "revenue lots": ("enterprise", "revenue_wan", "lots", "amount"),
    "year as text": ("assignment", "year", "2025", "year"),
    "bad uscc": ("enterprise", "uscc", "91441284MA4UXX123Z", "check character"),
    "code with spaces": ("enterprise", "status", "bank rupt", "code"),
    "no such date": ("project", "signed_on", "2024-02-30", "No such date"),
    "too long for its field": ("enterprise", "name", "长" * 300, "At most 200"),
}


@pytest.mark.parametrize("case", list(HELD))
def test_a_bad_value_is_held_aside_and_named_and_the_rest_goes_in(
    office: Office, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    table, field, value, says = HELD[case]
    crafted = _set_value(table, field, value)(office)
    code, (bad, _good), _out, err = run_import(office, capsys, crafted, office.b_file)
    assert code == 1
    lines = [line for line in err.splitlines() if f"{table}.{field}" in line or field in line]
    assert len(lines) == 1, err
    assert says.lower() in lines[0].lower() and str(bad) in lines[0], lines[0]
    with Store(office.hub) as hub:
        assert_rows_equal_ops(hub)
        rows = hub.db.execute_sql(f'SELECT "{field}" FROM "{table}"').fetchall()
        assert value not in [r[0] for r in rows]  # the bad value never reached a row
        names = {e.name for e in hub.enterprises.list()}
        assert "智盛自动化" in names  # B's file went in
        if field != "name":
            assert "博俊科技" in names  # and the rest of A's file
        (held,) = sync.held_values(hub.db)
        assert (held.table, held.field) == (table, field)
        assert str(held.value).rstrip("…") == value[:200]
        assert says.lower() in held.reason.lower()


def test_held_values_are_listed_the_same_on_every_replica(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    crafted = _set_value("enterprise", "employees", "abc")(office)
    run_import(office, capsys, crafted)
    laptop = replica(office.dir / "c.db", sync.LAPTOP, "wang")
    with Store(office.hub) as hub:
        files = sync.export(hub, office.dir / "for-c.fieldsync", full=True)
        report = sync.import_files(laptop, [files[0].path], make_backup=False)
        assert not report.refused
        assert [(h.op_id, h.table, h.field) for h in sync.held_values(laptop.db)] == [
            (h.op_id, h.table, h.field) for h in sync.held_values(hub.db)
        ]
        assert snapshot(laptop) == snapshot(hub)
    laptop.close()
    assert main(["--db", str(office.hub), "sync", "held"]) == 0
    out = capsys.readouterr().out
    assert "employees" in out and "abc" in out and "博俊科技" in out


def test_a_later_good_value_supersedes_a_held_one(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """The laptop that wrote ``abc`` (an older fieldtui) corrects it: its next file carries the
    bad op again and the correction, and the correction shows."""
    manifest, ops = office.a()
    bad = office.a_op(ops, "enterprise", "employees")
    bad[7] = "abc"
    fix = [new_id(), bad[1], max(o[2] for o in ops) + 1, bad[3] + 1, *bad[4:7], 30, [bad[0]]]
    run_import(office, capsys, pack(manifest, ops))
    assert enterprise(office.hub, office.a_ent)["employees"] is None  # type: ignore[index]
    manifest["file_id"] = new_id()
    code, _paths, _out, err = run_import(office, capsys, pack(manifest, [*ops, fix]))
    assert code == 0, err
    assert enterprise(office.hub, office.a_ent)["employees"] == 30  # type: ignore[index]
    with Store(office.hub) as hub:
        assert not sync.list_conflicts(hub.db)


# -- item 2: a laptop speaks only for itself --------------------------------------------------


def _stamped_by(who: str) -> Callable[[Office], bytes]:
    """An edit stamped with B's id at the seq B's next edits will take, or with the hub's id
    just above what the hub holds (which once made the hub take a new identity)."""

    def craft(office: Office) -> bytes:
        manifest, ops = office.a()
        other = {"b": office.b_id, "hub": office.hub_id}[who]
        with Store(office.hub) as hub:
            (top,) = hub.db.execute_sql(
                "SELECT MAX(seq) FROM op WHERE replica_id = ?", (office.hub_id,)
            ).fetchone()
        op = list(office.a_op(ops, "enterprise", "address"))
        op[0], op[1], op[2] = new_id(), other, 5 if who == "b" else top + 1
        return pack(manifest, [*ops, op])

    return craft


@pytest.mark.parametrize("who", ["b", "hub"])
def test_ops_stamped_with_another_replica_are_refused(
    office: Office, capsys: pytest.CaptureFixture[str], who: str
) -> None:
    expected = reference(office, office.b_file)
    code, (bad, _good), _out, err = run_import(
        office, capsys, _stamped_by(who)(office), office.b_file
    )
    assert code == 1
    named = office.b_id if who == "b" else office.hub_id
    refused_in_one_line(err, bad, named)
    assert state(office.hub) == expected
    # the laptop whose id was used is not refused afterwards
    with Store(office.dir / "b.db") as b:
        b.enterprises.create(Enterprise(name="李四的第二家企业"))
        later = sync.export(b, office.dir / "b2.fieldsync")[0].path
    with Store(office.hub) as hub:
        report = sync.import_files(hub, [later], make_backup=False)
        assert not report.refused, report.files
        assert hub.replica_id == office.hub_id


# -- item 3: bounded work per import run ------------------------------------------------------


def test_a_manifest_naming_made_up_replicas_does_not_grow_the_hub(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest, ops = office.a()
    manifest["names"] = {new_id(): f"ghost{i}" for i in range(300)} | manifest["names"]
    manifest["vector"] = {new_id(): 7 for i in range(300)} | manifest["vector"]
    code, _paths, _out, err = run_import(office, capsys, pack(manifest, ops))
    assert code == 0, err
    with Store(office.hub) as hub:
        names = {str(r[0]) for r in hub.db.execute_sql("SELECT name FROM sync_peer")}
        assert not any(n.startswith("ghost") for n in names)
        out = sync.export(hub, office.dir / "outbox/")
        (file_,) = out
        sent, _ops = unpack(file_.path.read_bytes())
        assert len(sent["names"]) <= 3 and len(json.dumps(sent)) < 4000


def test_a_manifest_naming_fifty_thousand_replicas_is_refused(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = reference(office, office.b_file)
    manifest, ops = office.a()
    manifest["names"] = {f"r{i:08d}": "ghost" for i in range(50_000)}
    code, (bad, _good), _out, err = run_import(office, capsys, pack(manifest, ops), office.b_file)
    assert code == 1
    refused_in_one_line(err, bad, "names")
    assert state(office.hub) == expected


def test_a_value_far_beyond_its_fields_limit_refuses_the_file(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = reference(office, office.b_file)
    crafted = _set_value("enterprise", "name", "x" * 5_000)(office)
    code, (bad, _good), _out, err = run_import(office, capsys, crafted, office.b_file)
    assert code == 1
    refused_in_one_line(err, bad, "enterprise.name", "200")
    assert state(office.hub) == expected


def test_files_of_huge_values_take_little_memory(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three files of 1M-character values (each compresses to a few kilobytes) are refused
    without holding them in memory: today's worst case took 4.5 GB for three such files."""
    expected = reference(office, office.b_file)
    crafted = []
    for _ in range(3):
        manifest, ops = office.a()
        note = office.a_op(ops, "enterprise", "name")
        extra = []
        for i in range(8):
            op = list(note)
            op[0], op[2], op[6], op[7] = new_id(), 100 + i, "notes", chr(0x4E00 + i) * 1_000_000
            extra.append(op)
        crafted.append(pack(manifest, [*ops, *extra]))
    paths = []
    for i, data in enumerate([*crafted, office.b_file]):
        path = office.dir / f"huge-{i}.fieldsync"
        path.write_bytes(data)
        paths.append(path)
    with Store(office.hub) as hub:
        tracemalloc.start()
        report = sync.import_files(hub, paths, make_backup=False)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert [f.status for f in report.files] == [sync.REFUSED] * 3 + [sync.IMPORTED]
    assert peak < 40 * 1024 * 1024, peak
    assert state(office.hub) == expected


def test_limits_hold_per_run_not_per_file(
    office: Office, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _m, a_ops = unpack(office.a_file)
    _m, b_ops = unpack(office.b_file)
    monkeypatch.setattr(limits, "RUN_MAX_OPS", len(b_ops) + len(a_ops) - 1)
    expected = reference(office, office.b_file)
    code, (_good, bad), _out, err = run_import(office, capsys, office.b_file, office.a_file)
    assert code == 1
    refused_in_one_line(err, bad, str(len(b_ops) + len(a_ops) - 1))
    assert state(office.hub) == expected
    assert main(["--db", str(office.hub), "sync", "import", str(bad)]) == 0  # on its own: fine


# -- item 4: one bad file never drops the good ones -------------------------------------------


def _nested_payload(office: Office) -> bytes:
    manifest, ops = office.a()
    lines = [json.dumps(op).encode() for op in ops]
    lines[-1] = b"[" * 100_000 + b"]" * 100_000
    return pack(manifest, lines=lines)


def _nested_manifest(office: Office) -> bytes:
    manifest, ops = office.a()
    nested = b'{"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    return pack(manifest, ops, manifest_line=nested)


def _op_id_held_under_another_seq(office: Office) -> bytes:
    manifest, ops = office.a()
    with Store(office.hub) as hub:
        (held,) = hub.db.execute_sql(
            "SELECT op_id FROM op WHERE row_id = ? AND field = 'name'", (office.ent,)
        ).fetchone()
    office.a_op(ops, "enterprise", "address")[0] = held
    return pack(manifest, ops)


def _own_parent(office: Office) -> bytes:
    manifest, ops = office.a()
    op = office.a_op(ops, "enterprise", "address")
    op[8] = [op[0]]
    return pack(manifest, ops)


def _parents_in_a_circle(office: Office) -> bytes:
    manifest, ops = office.a()
    first = office.a_op(ops, "enterprise", "address")
    second = [new_id(), first[1], max(o[2] for o in ops) + 1, first[3] + 1, *first[4:7], "x", []]
    first[8], second[8] = [second[0]], [first[0]]
    return pack(manifest, [*ops, second])


REFUSED = {
    "nested payload": (_nested_payload, "nested"),
    "nested manifest": (_nested_manifest, "nested"),
    "op id held under another seq": (_op_id_held_under_another_seq, "already holds"),
    "own parent": (_own_parent, "parent"),
    "parents in a circle": (_parents_in_a_circle, "parent"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_crafted_file_is_refused_and_the_good_ones_go_in(
    office: Office, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, says = REFUSED[case]
    expected = reference(office, office.b_file)
    code, (bad, _good), out, err = run_import(office, capsys, make(office), office.b_file)
    assert code == 1
    refused_in_one_line(err, bad, says)
    assert "Imported" in out
    assert state(office.hub) == expected
