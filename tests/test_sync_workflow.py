"""The README's "Sync workflow for an office", end to end through the CLI: one hub, three
laptops (four databases), sticks carried back and forth, ending with identical ledgers and the
conflicts listed on the hub, then settled everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldtui.cli import main
from fieldtui.store import Store
from sync_support import snapshot

LEDGER = """企业名称,地址,联系人
广东浩海环保设备有限公司,四会市大旺,陈经理
博俊科技,大旺一路,李经理
华音电器,大旺二路,王经理
"""

OFFICERS = ("张三", "李四", "王五")


class Office:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.err = ""
        self.hub = root / "office" / "hub.db"
        self.laptops = {name: root / name / "fieldtui.db" for name in OFFICERS}
        for path in (self.hub, *self.laptops.values()):
            path.parent.mkdir(parents=True, exist_ok=True)

    def run(self, db: Path, *args: str, expect: int = 0) -> str:
        code = main(["--db", str(db), *args])
        out = self.capsys.readouterr()
        assert code == expect, out.err + out.out
        self.err = out.err
        return out.out

    def json(self, db: Path, *args: str) -> Any:
        return json.loads(self.run(db, *args, "--json"))

    def stick(self, name: str) -> Path:
        path = self.root / "sticks" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def laptop_store(self, name: str) -> Store:
        return Store(self.laptops[name])

    def enterprise_id(self, db: Path, name: str) -> str:
        with Store(db) as s:
            (e,) = [x for x in s.enterprises.list(include_deleted=True) if x.name == name]
            return e.id


def ledger(db: Path) -> dict[str, Any]:
    with Store(db) as s:
        return snapshot(s)


def test_office_workflow_with_a_hub_and_three_laptops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    o = Office(tmp_path, capsys)

    # 1. The office makes its database the hub and loads its ledger.
    o.run(o.hub, "sync", "init", "--hub", "--name", "投资促进服务中心")
    sheet = tmp_path / "ledger.csv"
    sheet.write_text(LEDGER, encoding="utf-8")
    o.run(o.hub, "sheet", "import", "enterprises", str(sheet))
    hub_id = o.json(o.hub, "sync", "status")["replica_id"]

    # 2. A file with everything for the new laptops.
    new = o.json(o.hub, "sync", "export", str(o.stick("office")), "--full")["files"][0]
    assert new["full"] and new["ops"] > 0

    # 3. Each laptop: init, import the office file (learns its hub).
    for name, db in o.laptops.items():
        o.run(db, "sync", "init", "--laptop", "--name", name)
        result = o.json(db, "sync", "import", new["path"])
        assert result["files"][0]["status"] == "imported"
        assert o.json(db, "sync", "status")["hub_id"] == hub_id

    # 4. Field work: two officers edit the same address, one deletes what another edits.
    haohai = o.enterprise_id(o.hub, "广东浩海环保设备有限公司")
    bojun = o.enterprise_id(o.hub, "博俊科技")
    with o.laptop_store("张三") as s:
        s.enterprises.update(haohai, address="大旺大道8号")
        s.enterprises.update(bojun, contact="李总")
    with o.laptop_store("李四") as s:
        s.enterprises.update(haohai, address="大旺大道18号")
    with o.laptop_store("王五") as s:
        s.enterprises.delete(bojun)

    # 5. Laptops export to their sticks; 王五's first stick is lost on the way.
    for name, db in o.laptops.items():
        o.run(db, "sync", "export", str(o.stick(name)))
    for lost in o.stick("王五").iterdir():
        lost.unlink()
    with o.laptop_store("王五") as s:
        s.enterprises.update(o.enterprise_id(o.laptops["王五"], "华音电器"), employees=80)
    o.run(o.laptops["王五"], "sync", "export", str(o.stick("王五")))

    # 6. The hub imports every stick at once (a directory stands for its files).
    sticks = [str(o.stick(n)) for n in OFFICERS]
    result = o.json(o.hub, "sync", "import", *sticks)
    assert [f["status"] for f in result["files"]] == ["imported"] * 3
    assert result["backup"]
    # Importing the same sticks again changes nothing.
    again = o.json(o.hub, "sync", "import", *sticks)
    assert [f["status"] for f in again["files"]] == ["already imported"] * 3

    # 7. The conflicts are listed on the hub, with every kept value.
    listed = o.json(o.hub, "sync", "conflicts")
    kinds = {(c["label"], c["kind"]) for c in listed["conflicts"]}
    assert kinds == {("广东浩海环保设备有限公司", "field"), ("博俊科技", "delete")}
    address = next(c for c in listed["conflicts"] if c["kind"] == "field")
    assert sorted(h["value"] for h in address["heads"]) == ["大旺大道18号", "大旺大道8号"]
    assert {h["replica_name"] for h in address["heads"]} == {"张三", "李四"}
    text = o.run(o.hub, "sync", "conflicts")
    assert "大旺大道8号" in text and "fieldtui sync resolve" in text

    # 8. The hub writes one file per laptop; each laptop imports its own.
    out = o.json(o.hub, "sync", "export", str(o.stick("outbox")))
    assert sorted(f["target_name"] for f in out["files"]) == sorted(OFFICERS)
    for f in out["files"]:
        o.run(o.laptops[f["target_name"]], "sync", "import", f["path"])

    # 9. Four identical ledgers, the same conflicts everywhere.
    hub_ledger = ledger(o.hub)
    for db in o.laptops.values():
        assert ledger(db) == hub_ledger
    assert len(hub_ledger["conflict"]) == 2

    # 10. The office settles both conflicts; the settlement travels like any edit.
    take_address = next(h for h in address["heads"] if h["value"] == "大旺大道18号")
    o.run(
        o.hub, "sync", "resolve", "enterprise", haohai, "address", "--take", take_address["op_id"]
    )
    delete = next(c for c in listed["conflicts"] if c["kind"] == "delete")
    keep = next(h for h in delete["heads"] if h["kind"] == "edit")
    o.run(o.hub, "sync", "resolve", "enterprise", bojun, "_deleted", "--take", keep["op_id"][-8:])
    assert o.json(o.hub, "sync", "conflicts")["count"] == 0
    out = o.json(o.hub, "sync", "export", str(o.stick("outbox")))
    for f in out["files"]:
        o.run(o.laptops[f["target_name"]], "sync", "import", f["path"])
    hub_ledger = ledger(o.hub)
    assert hub_ledger["conflict"] == []
    for name, db in o.laptops.items():
        assert ledger(db) == hub_ledger, name
        assert o.json(db, "sync", "conflicts")["count"] == 0
    with Store(o.hub) as s:
        assert s.enterprises.require(haohai).address == "大旺大道18号"
        assert not s.enterprises.require(bojun).deleted
        assert s.enterprises.require(bojun).contact == "李总"

    # 11. Status shows the three laptops, nothing pending for any of them.
    status = o.json(o.hub, "sync", "status")
    assert status["role"] == "hub" and status["open_conflicts"] == 0
    assert sorted(p["name"] for p in status["peers"]) == sorted(OFFICERS)
    # The laptops' next files only carry what the hub has not acknowledged: nothing.
    for name, db in o.laptops.items():
        (f,) = o.json(db, "sync", "export", str(o.stick(name)))["files"]
        assert f["ops"] == 0, name


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    o = Office(tmp_path, capsys)
    o.run(o.hub, "sync", "export", str(tmp_path / "x.fieldsync"), expect=1)
    assert f"{o.hub}: no such database" in o.err
    assert not o.hub.exists()  # a mistyped --db is not made into an empty database
    Store(o.hub).close()
    o.run(o.hub, "sync", "export", str(tmp_path / "x.fieldsync"), expect=1)
    assert "no sync role" in o.err
    o.run(o.hub, "sync", "init", "--hub")
    o.run(o.hub, "sync", "init", "--laptop", expect=1)
    assert "already the hub" in o.err
    o.run(o.hub, "sync", "export", str(tmp_path / "x.fieldsync"), expect=1)
    assert "one file per laptop" in o.err
    o.run(o.hub, "sync", "export", str(tmp_path / "nodir"), expect=1)
    assert "no laptops known yet" in o.err
    o.run(o.hub, "sync", "import", str(tmp_path), expect=1)
    assert "no .fieldsync files" in o.err
    o.run(o.hub, "sync", "conflicts", "--table", "nope", expect=1)
    assert "unknown table" in o.err
    o.run(o.hub, "sync", "resolve", "enterprise", "x", "name", "--value", "y", expect=1)
    assert "no open conflict" in o.err
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(o.hub), "sync", "init"])
    assert exc.value.code == 2
