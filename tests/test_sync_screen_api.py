"""The functions the sync screen calls (issue 11, items 6-7 build on them): progress and
cancel, what an import changed per kind, files already imported, the history of files,
where to export, the overview."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Visit
from fieldtui.store import Store
from fieldtui.sync import dashboard
from sync_support import file_digest, replica


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A hub (closed) and two laptop files: creates, an update, a delete and a visit."""
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    gone = hub.enterprises.create(Enterprise(name="将注销企业")).id
    kept = hub.enterprises.create(Enterprise(name="浩海环保")).id
    laptops = [replica(tmp_path / f"{n}.db", sync.LAPTOP, n) for n in ("zhang", "li")]
    (full,) = sync.export(hub, tmp_path / "full.fieldsync", full=True)
    for laptop in laptops:
        sync.import_files(laptop, [full.path], make_backup=False)
    zhang, li = laptops
    zhang.enterprises.create(Enterprise(name="博俊科技"))
    zhang.enterprises.update(kept, address="大旺大道1号")
    zhang.enterprises.delete(gone)
    li.visits.create(Visit(enterprise_id=kept, summary="走访"))
    paths = [sync.export(lap, tmp_path / f"{lap.path.stem}.fieldsync")[0].path for lap in laptops]
    for store in (hub, *laptops):
        store.close()
    return tmp_path / "hub.db", paths


def test_an_import_reports_each_phase_and_what_changed_per_kind(
    files: tuple[Path, list[Path]],
) -> None:
    hub_path, paths = files
    phases: list[str] = []
    with Store(hub_path) as hub:
        report = sync.import_files(
            hub, paths, make_backup=False, progress=lambda p, d, t: phases.append(p)
        )
        assert phases[:2] == ["read", "read"] and phases[-1] == "merge"
        enterprise = report.tables["enterprise"]
        assert (enterprise.created, enterprise.updated, enterprise.deleted) == (1, 2, 1)
        assert report.tables["visit"].created == 1
        again = sync.import_files(hub, paths, make_backup=False)
        assert [f.path for f in again.already] == paths and not again.tables


@pytest.mark.parametrize("at", ["read", "merge"])
def test_a_cancelled_import_writes_nothing(files: tuple[Path, list[Path]], at: str) -> None:
    hub_path, paths = files
    before = file_digest(hub_path)
    seen: list[str] = []
    with Store(hub_path) as hub:
        report = sync.import_files(
            hub,
            paths,
            progress=lambda p, d, t: seen.append(p),
            cancel=lambda: at in seen,
        )
    assert report.cancelled and report.added == 0 and not report.tables
    assert {f.status for f in report.files} == {sync.CANCELLED}
    assert file_digest(hub_path) == before
    assert not list((hub_path.parent / "backups").glob("hub-*"))  # its backup went too


def test_history_overview_and_export_targets(
    files: tuple[Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub_path, paths = files
    with Store(hub_path) as hub:
        sync.import_files(hub, paths, make_backup=False)
        sync.export(hub, str(tmp_path / "outbox") + "/")
        history = sync.file_history(hub.db)
        assert [h.direction for h in history[:2]] == ["out", "out"]
        assert {h.peer_name for h in history if h.direction == "in"} == {"zhang", "li"}
        assert len(sync.file_history(hub.db, "in")) == 2
        seen = sync.overview(hub)
        assert seen.status.me.role == sync.HUB and not seen.team.in_team
        assert {p.peer.name for p in seen.status.peers} == {"zhang", "li"}
        assert seen.open_conflicts == 0 and seen.held == 0
    stick = tmp_path / "media" / "someone" / "KINGSTON"
    stick.mkdir(parents=True)
    real = dashboard._mounted
    monkeypatch.setattr(dashboard.getpass, "getuser", lambda: "someone")
    monkeypatch.setattr(
        dashboard,
        "_mounted",
        lambda parent: (
            real(tmp_path / "media" / "someone") if parent == Path("/media/someone") else []
        ),
    )
    (drive,) = sync.export_targets()
    assert drive.path == stick and drive.label == "KINGSTON" and drive.free_bytes
