"""``fieldtui profile``: a laptop set up from the hub's file chooses its officer (issue 8, 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Officer
from fieldtui.startup import startup_info
from fieldtui.store import Store
from fieldtui.store.profile import ProfileError, current_officer, set_current_officer


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_set_by_name_is_what_the_app_starts_with(tmp_store: Store) -> None:
    zhang = tmp_store.officers.create(Officer(name="张三", unit="经发局"))
    tmp_store.officers.create(Officer(name="李四"))
    assert current_officer(tmp_store) is None
    assert set_current_officer(tmp_store, " 张三 ").id == zhang.id
    assert startup_info(tmp_store, None).officer_id == zhang.id


def test_same_name_is_told_apart_by_the_end_of_the_id(tmp_store: Store) -> None:
    a = tmp_store.officers.create(Officer(name="张伟", unit="经发局"))
    b = tmp_store.officers.create(Officer(name="张伟", unit="招商局"))
    with pytest.raises(ProfileError) as info:
        set_current_officer(tmp_store, "张伟")
    assert "张伟（经发局）" in str(info.value) and "张伟（招商局）" in str(info.value)
    assert b.id[-8:] in str(info.value)
    assert set_current_officer(tmp_store, b.id[-8:]).id == b.id
    assert set_current_officer(tmp_store, a.id).id == a.id


def test_unknown_name_lists_the_officers(tmp_store: Store) -> None:
    with pytest.raises(ProfileError, match="no officers in this database yet"):
        set_current_officer(tmp_store, "张三")
    tmp_store.officers.create(Officer(name="李四", unit="经发局"))
    with pytest.raises(ProfileError, match="李四（经发局）"):
        set_current_officer(tmp_store, "张三")
    assert current_officer(tmp_store) is None


def test_deleted_officer_is_not_chosen(tmp_store: Store) -> None:
    zhang = tmp_store.officers.create(Officer(name="张三"))
    set_current_officer(tmp_store, "张三")
    tmp_store.officers.delete(zhang.id)
    assert current_officer(tmp_store) is None
    with pytest.raises(ProfileError):
        set_current_officer(tmp_store, "张三")


def test_laptop_from_the_hub_file_gets_its_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub_db, laptop_db = tmp_path / "hub.db", tmp_path / "laptop.db"
    with Store(hub_db) as hub:
        sync.init_role(hub, sync.HUB, name="中心")
        hub.officers.create(Officer(name="张三", unit="经发局", phone="13800000000"))
    stick = tmp_path / "E"
    assert main(["--db", str(hub_db), "sync", "export", f"{stick}/", "--full"]) == 0
    assert main(["--db", str(laptop_db), "sync", "init", "--laptop", "--name", "张三"]) == 0
    capsys.readouterr()
    code, out, _err = run(capsys, "--db", str(laptop_db), "sync", "import", str(stick))
    assert code == 0
    assert "fieldtui profile set NAME" in out  # the laptop is reminded to choose its officer
    code, out, _err = run(capsys, "--db", str(laptop_db), "profile")
    assert code == 0 and "No officer chosen" in out
    code, out, _err = run(capsys, "--db", str(laptop_db), "profile", "list")
    assert "张三（经发局）" in out
    code, out, err = run(capsys, "--lang", "zh", "--db", str(laptop_db), "profile", "set", "张三")
    assert code == 0, err
    assert "本数据库的人员已设为“张三（经发局）”" in out
    code, out, _err = run(capsys, "--db", str(laptop_db), "--json", "profile")
    data = json.loads(out)
    assert data["officer"]["name"] == "张三" and data["officer"]["phone"] == "13800000000"
    code, _out, err = run(capsys, "--db", str(laptop_db), "profile", "set", "王五")
    assert code == 1 and "张三（经发局）" in err and "Traceback" not in err
