"""Deleted records can be listed and restored, as the delete dialogs promise (issue 8, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Enterprise, Officer, Problem, Visit
from fieldtui.store import Store
from fieldtui.store.deleted import RestoreError, list_deleted, restore_deleted
from sheet_files import USCC_OK, op_total


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(tmp_store: Store) -> Store:
    s = tmp_store
    a = s.enterprises.create(Enterprise(name="广东浩海环保设备有限公司", uscc=USCC_OK))
    b = s.enterprises.create(Enterprise(name="肇庆博俊科技有限公司"))
    s.officers.create(Officer(name="张三", unit="经发局"))
    visit = s.visits.create(Visit(enterprise_id=b.id, date="2025-03-01", summary="了解生产"))
    s.problems.create(Problem(enterprise_id=b.id, description="用电容量不足"))
    s.enterprises.delete(a.id)
    s.visits.delete(visit.id)
    return s


def test_list_names_every_deleted_record_with_when_and_where(store: Store) -> None:
    found = list_deleted(store)
    assert {(r.kind, r.label) for r in found} == {
        ("enterprises", "广东浩海环保设备有限公司"),
        ("visits", "2025-03-01 肇庆博俊科技有限公司"),
    }
    enterprise = next(r for r in found if r.kind == "enterprises")
    assert enterprise.detail == USCC_OK
    assert enterprise.deleted_at and enterprise.deleted_here
    assert enterprise.deleted_by == store.replica_id
    assert [r.kind for r in list_deleted(store, "visits")] == ["visits"]
    assert list_deleted(store, "officers") == []


def test_restore_by_the_end_of_the_id_writes_one_op_that_syncs(store: Store) -> None:
    (deleted,) = list_deleted(store, "enterprises")
    before = op_total(store)
    restored = restore_deleted(store, "enterprises", deleted.id[-6:])
    assert restored.id == deleted.id
    assert op_total(store) == before + 1
    assert not store.enterprises.require(deleted.id).deleted
    assert list_deleted(store, "enterprises") == []
    # The restore is an op like any other: a replica that merges it sees the row live again.
    row = store.db.execute_sql(
        "SELECT field, value FROM op WHERE row_id = ? ORDER BY seq DESC LIMIT 1", (deleted.id,)
    ).fetchone()
    assert tuple(row) == ("_deleted", "0")


def test_restore_refuses_what_it_cannot_do(store: Store) -> None:
    live = store.enterprises.list()[0]
    with pytest.raises(RestoreError, match="not deleted"):
        restore_deleted(store, "enterprises", live.id[-8:])
    with pytest.raises(RestoreError, match="no deleted record"):
        restore_deleted(store, "enterprises", "ffffffff")
    with pytest.raises(RestoreError, match="at least 4"):
        restore_deleted(store, "enterprises", "0")
    with pytest.raises(RestoreError, match="unknown kind"):
        restore_deleted(store, "widgets", "abcd")


def test_ambiguous_end_is_refused(tmp_store: Store) -> None:
    ids = ["00000000-0000-7000-8000-00000000abcd", "00000000-0000-7000-8000-00000001abcd"]
    for row_id in ids:
        tmp_store.officers.create(Officer(id=row_id, name=row_id[-5:]))
        tmp_store.officers.delete(row_id)
    with pytest.raises(RestoreError, match="2 deleted records"):
        restore_deleted(tmp_store, "officers", "abcd")
    assert restore_deleted(tmp_store, "officers", "1abcd").id == ids[1]


def test_enterprise_whose_uscc_was_entered_again_is_not_restored(store: Store) -> None:
    (deleted,) = list_deleted(store, "enterprises")
    store.enterprises.create(Enterprise(name="浩海环保（新录入）", uscc=USCC_OK))
    with pytest.raises(RestoreError, match="same USCC"):
        restore_deleted(store, "enterprises", deleted.id)
    assert store.enterprises.require(deleted.id).deleted


def test_restored_enterprise_is_back_in_the_ledger_search(store: Store) -> None:
    from fieldtui.store.search import search_count

    (deleted,) = list_deleted(store, "enterprises")
    assert search_count(store.db, "浩海") == 0
    restore_deleted(store, "enterprises", deleted.id)
    assert search_count(store.db, "浩海") == 1


def test_restore_travels_to_the_hub(tmp_path: Path) -> None:
    hub = Store(tmp_path / "hub.db")
    laptop = Store(tmp_path / "laptop.db")
    sync.init_role(hub, sync.HUB, name="中心")
    sync.init_role(laptop, sync.LAPTOP, name="张三")
    e = hub.enterprises.create(Enterprise(name="华音电器"))
    hub.enterprises.delete(e.id)
    (full,) = sync.export(hub, tmp_path / "full.fieldsync", full=True)
    sync.import_files(laptop, [full.path])
    restore_deleted(laptop, "enterprises", e.id[-8:])
    (back,) = sync.export(laptop, tmp_path / "back.fieldsync")
    sync.import_files(hub, [back.path])
    assert not hub.enterprises.require(e.id).deleted
    hub.close()
    laptop.close()


def test_cli_list_and_restore(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(store.path)
    code, out, _err = run(capsys, "--db", db, "deleted", "list")
    assert code == 0
    assert "广东浩海环保设备有限公司" in out and "Enterprises: 1 enterprise" in out
    code, out, _err = run(capsys, "--db", db, "--json", "deleted", "list", "enterprises")
    data = json.loads(out)
    assert data["count"] == 1 and "广东浩海环保设备有限公司" in out  # Chinese kept as is
    ref = data["records"][0]["id"][-8:]
    code, out, err = run(capsys, "--db", db, "deleted", "restore", "enterprises", ref)
    assert code == 0, err
    assert "Restored" in out and "travels with the next sync files" in out
    code, _out, err = run(capsys, "--db", db, "deleted", "restore", "enterprises", ref)
    assert code == 1 and "not deleted" in err and "Traceback" not in err


def test_cli_in_chinese(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", "zh", "--db", str(store.path), "deleted", "list")
    assert code == 0
    assert "企业：1家" in out and "走访：1次" in out and "在本数据库删除" in out
    code, out, _err = run(
        capsys, "--lang", "zh", "--db", str(store.path), "deleted", "list", "officers"
    )
    assert out.strip() == "没有已删除的记录。"


def test_names_print_with_their_control_characters_escaped(
    tmp_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name received by sync may hold terminal escapes; every command's text output shows
    them escaped instead of letting them retitle the window or clear the screen."""
    name = "\x1b]0;pwned\x07浩海\u202e环保"
    e = tmp_store.enterprises.create(Enterprise(name=name))
    tmp_store.officers.create(Officer(name="张\x1b[2J三", unit="经发局"))
    tmp_store.enterprises.delete(e.id)
    db = str(tmp_store.path)
    for argv in (("deleted", "list"), ("profile", "list")):
        code, out, _err = run(capsys, "--db", db, *argv)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    _code, out, _err = run(capsys, "--db", db, "deleted", "list")
    assert "\\x1b]0;pwned\\x07浩海\\u202e环保" in out
