"""Teams: signed, encrypted sync files; enrolment at the office; revocation (issue 11, item 5).

Also: files and keys readable by their owner only, and text other databases wrote printed
without the escape sequences it may carry.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from fieldtui.sync import keyfile, team
from fieldtui.sync.crypto import DeviceKeys
from fieldtui.sync.sealed import is_sealed, seal
from fieldtui.sync.trust import Trust
from sync_support import file_digest, replica, snapshot


@dataclass
class Office:
    dir: Path
    hub: Store
    laptops: dict[str, Store]

    def close(self) -> None:
        for store in (self.hub, *self.laptops.values()):
            store.close()


def join(hub: Store, laptop: Store, stick: Path) -> sync.ImportReport:
    """The README's enrolment: request on the laptop, enroll at the hub, import on the laptop."""
    request = team.join_request(laptop, str(stick) + "/")
    enrolled = team.enroll(hub, request.path)
    (file_,) = enrolled.files
    report = sync.import_files(laptop, [file_.path], make_backup=False)
    assert not report.refused, report.files
    return report


@pytest.fixture
def office(tmp_path: Path) -> Office:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    hub.enterprises.create(Enterprise(name="浩海环保设备有限公司"))
    team.create_team(hub)
    laptops = {}
    for name in ("zhang", "li"):
        laptop = replica(tmp_path / f"{name}.db", sync.LAPTOP, name)
        report = join(hub, laptop, tmp_path / f"stick-{name}")
        assert report.joined is not None and report.joined.name == "office"
        laptops[name] = laptop
    return Office(tmp_path, hub, laptops)


def up(office: Office, name: str) -> sync.ImportReport:
    laptop = office.laptops[name]
    (file_,) = sync.export(laptop, str(office.dir / f"up-{name}") + "/")
    return sync.import_files(office.hub, [file_.path], make_backup=False)


def down(office: Office, name: str) -> sync.ImportReport:
    laptop = office.laptops[name]
    (file_,) = sync.export(
        office.hub, str(office.dir / f"down-{name}") + "/", for_peer=laptop.replica_id
    )
    return sync.import_files(laptop, [file_.path], make_backup=False)


def test_a_team_exchanges_sealed_files_that_tell_a_lost_stick_nothing(office: Office) -> None:
    zhang = office.laptops["zhang"]
    zhang.enterprises.create(Enterprise(name="博俊科技有限公司", address="大旺大道18号"))
    (file_,) = sync.export(zhang, str(office.dir / "stick") + "/")
    data = file_.path.read_bytes()
    assert is_sealed(data) and file_.sealed
    for secret in ("博俊科技", "大旺大道", "zhang", "office", zhang.replica_id):
        assert secret.encode() not in data
    report = sync.import_files(office.hub, [file_.path], make_backup=False)
    assert not report.refused and report.files[0].device
    assert "博俊科技有限公司" in {e.name for e in office.hub.enterprises.list()}
    report = down(office, "li")
    assert not report.refused
    assert "博俊科技有限公司" in {e.name for e in office.laptops["li"].enterprises.list()}
    office.close()


def test_the_hub_refuses_unsigned_files_and_devices_it_did_not_enrol(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    outsider = replica(office.dir / "outsider.db", sync.LAPTOP, "outsider")
    outsider.enterprises.create(Enterprise(name="外来企业"))
    (plain,) = sync.export(outsider, office.dir / "plain.fieldsync")
    # A device that never enrolled but somehow holds the team key (a copied key file):
    zhang = office.laptops["zhang"]
    keys = keyfile.load(zhang.path)
    assert keys is not None and keys.team is not None
    stranger = DeviceKeys.generate()
    zhang.enterprises.create(Enterprise(name="冒名企业"))
    (real,) = sync.export(zhang, office.dir / "real.fieldsync")
    inner, _info = Trust(office.hub).open(real.path, real.path.read_bytes())
    forged = office.dir / "forged.fieldsync"
    forged.write_bytes(seal(inner, stranger, keys.team.team_id, 1, keys.team.keys[1]))
    path = office.hub.path
    office.close()
    outsider.close()
    before = file_digest(path)
    for bad, says in ((plain.path, "not signed"), (forged, "not enrolled")):
        capsys.readouterr()
        assert main(["--db", str(path), "sync", "import", str(bad)]) == 1
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and str(bad) in err and says in err, err
        assert file_digest(path) == before


def test_a_laptop_takes_files_only_from_its_hub(office: Office) -> None:
    zhang, li = office.laptops["zhang"], office.laptops["li"]
    other_hub = replica(office.dir / "other.db", sync.HUB, "other office")
    team.create_team(other_hub)
    (foreign,) = sync.export(other_hub, office.dir / "foreign.fieldsync", full=True)
    li.enterprises.create(Enterprise(name="李的企业"))
    (from_li,) = sync.export(li, office.dir / "li.fieldsync")
    (tampered_src,) = sync.export(
        office.hub, office.dir / "hub.fieldsync", for_peer=zhang.replica_id
    )
    tampered = office.dir / "tampered.fieldsync"
    data = bytearray(tampered_src.path.read_bytes())
    data[-5] ^= 0x20
    tampered.write_bytes(bytes(data))
    report = sync.import_files(zhang, [foreign.path, from_li.path, tampered], make_backup=False)
    reasons = [f.reason for f in report.files]
    assert [f.status for f in report.files] == [sync.REFUSED] * 3, reasons
    assert "another team" in reasons[0]
    assert "not signed by this laptop's hub" in reasons[1]
    assert "signature" in reasons[2]
    other_hub.close()
    office.close()


def test_a_laptop_cannot_speak_for_another(office: Office) -> None:
    """Laptop zhang signs a file written as li's database: refused, whatever it carries."""
    zhang, li = office.laptops["zhang"], office.laptops["li"]
    li.enterprises.create(Enterprise(name="李的企业"))
    (from_li,) = sync.export(li, office.dir / "li.fieldsync")
    inner, _info = Trust(office.hub).open(from_li.path, from_li.path.read_bytes())
    keys = keyfile.load(zhang.path)
    assert keys is not None and keys.team is not None
    forged = office.dir / "as-li.fieldsync"
    forged.write_bytes(seal(inner, keys.device, keys.team.team_id, 1, keys.team.keys[1]))
    report = sync.import_files(office.hub, [forged], make_backup=False)
    (outcome,) = report.files
    assert outcome.status == sync.REFUSED and "speaks only for itself" in outcome.reason
    assert not up(office, "li").refused  # li itself still gets through
    office.close()


def test_revoking_a_laptop_shuts_it_out_and_renews_the_team_key(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    zhang, li = office.laptops["zhang"], office.laptops["li"]
    revoked = team.revoke(office.hub, "li")
    assert revoked.epoch == 2 and revoked.device.revoked_at
    li.enterprises.create(Enterprise(name="被撤销后的企业"))
    report = up(office, "li")
    assert report.files[0].status == sync.REFUSED and "revoked" in report.files[0].reason
    # The hub writes no file for li any more, and its files are under the new key:
    with pytest.raises(sync.SyncError, match="revoked"):
        sync.export(office.hub, office.dir / "x.fieldsync", for_peer=li.replica_id)
    (hub_file,) = sync.export(office.hub, str(office.dir / "d") + "/", for_peer=zhang.replica_id)
    refused = sync.import_files(li, [hub_file.path], make_backup=False)
    assert refused.files[0].status == sync.REFUSED and "epoch 2" in refused.files[0].reason
    # zhang learns the new key from its next file and writes with it:
    assert not sync.import_files(zhang, [hub_file.path], make_backup=False).refused
    zhang_keys = keyfile.load(zhang.path)
    assert zhang_keys is not None and zhang_keys.team is not None
    assert zhang_keys.team.current == 2
    zhang.enterprises.create(Enterprise(name="撤销后张的企业"))
    assert not up(office, "zhang").refused
    skipped: list[sync.exporter.Skipped] = []
    written = sync.export(office.hub, str(office.dir / "all") + "/", skipped=skipped)
    assert [f.target_name for f in written] == ["zhang"]
    assert [s.target_name for s in skipped] == ["li"]
    path = office.hub.path
    office.close()
    capsys.readouterr()
    assert main(["--db", str(path), "sync", "team", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["epoch"] == 2
    assert {(d["name"], bool(d["revoked_at"])) for d in status["devices"]} == {
        ("zhang", False),
        ("li", True),
    }


def test_an_office_moves_to_a_team_without_losing_unsent_work(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "zhang")
    (full,) = sync.export(hub, tmp_path / "full.fieldsync", full=True)
    sync.import_files(laptop, [full.path], make_backup=False)
    laptop.enterprises.create(Enterprise(name="升级前的企业"))
    (plain,) = sync.export(laptop, tmp_path / "plain.fieldsync")
    team.create_team(hub)
    refused = sync.import_files(hub, [plain.path], make_backup=False)
    assert refused.files[0].status == sync.REFUSED and "not signed" in refused.files[0].reason
    join(hub, laptop, tmp_path / "stick")
    (sealed,) = sync.export(laptop, tmp_path / "sealed.fieldsync")
    assert sealed.sealed
    assert not sync.import_files(hub, [sealed.path], make_backup=False).refused
    assert "升级前的企业" in {e.name for e in hub.enterprises.list()}
    assert snapshot(hub) == snapshot(laptop)
    hub.close()
    laptop.close()


def test_a_missing_key_file_is_named_not_ignored(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    path = office.laptops["zhang"].path
    office.close()
    keyfile.key_path(path).unlink()
    capsys.readouterr()
    assert main(["--db", str(path), "sync", "export", str(office.dir / "x.fieldsync")]) == 1
    err = capsys.readouterr().err
    assert "key file" in err and len(err.splitlines()) == 1


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_databases_backups_and_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "office.db"
        assert main(["--db", str(db), "sync", "init", "--hub"]) == 0
        assert main(["--db", str(db), "sync", "team", "create"]) == 0
        with Store(db) as store:
            store.enterprises.create(Enterprise(name="浩海环保"))
            for suffix in ("", "-wal", "-shm"):
                assert _mode(Path(f"{db}{suffix}")) == 0o600, suffix
        assert _mode(keyfile.key_path(db)) == 0o600
        from fieldtui.store import backups

        backup = backups.take(db, "test")
        assert backup is not None and _mode(backup) == 0o600
        assert _mode(backup.parent) == 0o700
        older = tmp_path / "older.db"
        with Store(older):
            pass
        older.chmod(0o644)
        with Store(older):
            assert _mode(older) == 0o600  # an existing database is narrowed when opened
    finally:
        os.umask(old)


def test_names_from_other_databases_never_reach_the_terminal_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "\x1b]0;pwned\x07张三\x1b[2J\u202e"
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    ent = hub.enterprises.create(Enterprise(name="浩海环保")).id
    a = replica(tmp_path / "a.db", sync.LAPTOP, "a")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "b")
    (full,) = sync.export(hub, tmp_path / "full.fieldsync", full=True)
    for laptop in (a, b):
        sync.import_files(laptop, [full.path], make_backup=False)
    a.enterprises.update(ent, address="一号")
    b.enterprises.update(ent, address="二号")
    (fa,) = sync.export(a, tmp_path / "a.fieldsync")
    (fb,) = sync.export(b, tmp_path / "b.fieldsync")
    # b's file names its laptop with escape sequences (the name is its own to choose):
    from sync_craft import pack, unpack

    manifest, ops = unpack(fb.path.read_bytes())
    manifest["source"]["name"] = evil
    manifest["names"][b.replica_id] = evil
    crafted = tmp_path / "evil.fieldsync"
    crafted.write_bytes(pack(manifest, ops))
    path = hub.path
    for store in (hub, a, b):
        store.close()
    capsys.readouterr()
    main(["--db", str(path), "sync", "import", str(fa.path), str(crafted)])
    with Store(path) as store:
        store.db.execute_sql("UPDATE sync_peer SET name = ? WHERE role = 'laptop'", (evil,))
    for args in (
        ["sync", "conflicts"],
        ["sync", "status"],
        ["sync", "export", str(tmp_path / "outbox") + "/"],
    ):
        capsys.readouterr()
        main(["--db", str(path), *args])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, args
        assert "张三" in text, args
