"""The sync area (同步, Ctrl+G 5) and its export and import dialogs (issue 11, item 6), driven
by keyboard through the whole app, in Chinese, at 80×24."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.sync import exporter
from fieldtui.ui.screens.sync_text import changes_lines, count_of
from screen_app import screen_text, wait_for, wait_for_screen
from sync_support import file_digest, replica, ship, snapshot
from sync_ui_support import (
    SIZE,
    Gate,
    export_here,
    fake_drives,
    import_here,
    make_app,
    open_sync,
    shown,
    team_office,
)

pytestmark = pytest.mark.usefixtures("zh")


def files_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.fieldsync")) if folder.exists() else []


@pytest.fixture
def office(tmp_path: Path) -> Any:
    """A hub (team) with one laptop; the laptop created, changed and deleted records."""
    o = team_office(tmp_path, ("zhang",))
    hub, zhang = o.hub, o.laptops["zhang"]
    gone = hub.enterprises.create(Enterprise(name="将注销企业"))
    kept = hub.enterprises.create(Enterprise(name="浩海环保"))
    down = sync.export(hub, str(tmp_path / "first") + "/", for_peer=zhang.replica_id)
    sync.import_files(zhang, [f.path for f in down], make_backup=False)
    zhang.enterprises.create(Enterprise(name="博俊科技"))
    zhang.enterprises.update(kept.id, address="大旺大道1号")
    zhang.enterprises.delete(gone.id)
    zhang.visits.create(Visit(enterprise_id=kept.id, summary="走访"))
    yield o
    o.close()


async def test_the_area_shows_role_team_peers_and_files(office: Any, tmp_path: Path) -> None:
    hub = office.hub
    sync.import_files(
        hub,
        [f.path for f in sync.export(office.laptops["zhang"], str(tmp_path / "up") + "/")],
        make_backup=False,
    )
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await wait_for(pilot, lambda: "zhang" in screen_text(app), what="the laptop listed")
        missing = shown(
            app,
            "5 同步",
            "本数据库：中心库“office”",
            "团队“office”（第1版密钥）",
            "无未解决的冲突",
            "待发送",
            "最近收到",
            "最近发出",
            "导入",
            "导出",
            "变更数",
        )
        assert not missing, missing
        assert [p.name for p in screen.shown_peers] == ["zhang"]
        assert {f.direction for f in screen.shown_files} == {"in", "out"}
        # Typing searches both lists; Escape clears it.
        every = len(screen.shown_files)
        await pilot.press(*"for")
        await wait_for(
            pilot,
            lambda: {f.direction for f in screen.shown_files} == {"out"},
            what="file search",
        )
        assert screen.shown_peers == []  # no laptop is called "for"
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown_files) == every, what="search cleared")


async def test_export_to_a_drive_then_missing_and_write_protected_folders_give_one_line(
    office: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "media" / "KINGSTON"
    fake_drives(monkeypatch, stick)
    zhang = office.laptops["zhang"]
    app = make_app(zhang, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        history = len(screen.shown_files)
        # The drive is offered first: Enter on it writes the laptop's file there.
        await pilot.press("ctrl+e")
        dialog = await wait_for_screen(pilot, "ExportDialog")
        await wait_for(pilot, lambda: dialog.places, what="drives")
        assert "KINGSTON" in screen_text(app) and "可用8.0 GB" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.written, what="written")
        (written,) = files_in(stick)
        assert written.name.startswith("zhang-") and dialog.written[0].sealed
        assert "已写出1个文件" in screen_text(app) and "已签名并加密" in screen_text(app)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")
        await wait_for(pilot, lambda: len(screen.shown_files) == history + 1, what="history")
        assert screen.shown_files[0].direction == "out" and screen.shown_files[0].peer == "office"

        # A folder that does not exist: one line, nothing written anywhere.
        before = file_digest(zhang.path)
        dialog = await export_here(pilot, tmp_path / "no-such-stick")
        assert dialog.message == f"文件夹不存在：{tmp_path / 'no-such-stick'}"
        assert not (tmp_path / "no-such-stick").exists()
        assert file_digest(zhang.path) == before

        # A write-protected one (the file system refuses the write): one line naming it.
        protected = tmp_path / "locked"
        protected.mkdir()

        def refuse(*args: Any, **kwargs: Any) -> None:
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(exporter, "write_sync_file", refuse)
        dialog.set_focus(dialog.query_one("#export-path"))
        dialog.query_one("#export-path").value = str(protected)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "无法写入" in dialog.message, what="refused")
        assert "\n" not in dialog.message and str(protected) in dialog.message
        assert "写保护" in dialog.message
        assert files_in(protected) == []
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")
        assert app.is_running


async def test_the_hub_exports_one_file_per_laptop_or_one_laptops_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = team_office(tmp_path, ("zhang", "li"))
    for name, laptop in office.laptops.items():
        laptop.enterprises.create(Enterprise(name=f"{name}的企业"))
        files = sync.export(laptop, str(tmp_path / f"up-{name}") + "/")
        sync.import_files(office.hub, [f.path for f in files], make_backup=False)
    app = make_app(office.hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await wait_for(pilot, lambda: len(screen.shown_peers) == 2, what="laptops")
        (tmp_path / "outbox-all").mkdir()
        dialog = await export_here(pilot, tmp_path / "outbox-all")
        assert {f.target_name for f in dialog.written} == {"zhang", "li"}
        assert len(files_in(tmp_path / "outbox-all")) == 2
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")
        # Enter on a laptop: that laptop's file only.
        (tmp_path / "outbox-li").mkdir()
        await pilot.press("down", "enter")  # the second laptop listed
        dialog = await wait_for_screen(pilot, "ExportDialog")
        target = screen.shown_peers[screen.peers_table.cursor_row]
        assert dialog.peer_id == target.replica_id
        box = dialog.query_one("#export-path")
        dialog.set_focus(box)
        box.value = str(tmp_path / "outbox-li")
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.written, what="one file")
        assert [f.target_name for f in dialog.written] == [target.name]
        assert len(files_in(tmp_path / "outbox-li")) == 1
    office.close()


async def test_import_shows_progress_and_a_summary_per_kind_and_other_screens_follow(
    office: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = office.hub
    stick = tmp_path / "stick"
    sync.export(office.laptops["zhang"], str(stick) + "/")
    gate = Gate(monkeypatch, "merge")
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ledger = await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: ledger.table.row_count == 2, what="ledger")
        await open_sync(pilot)
        await pilot.press("ctrl+o")
        dialog = await wait_for_screen(pilot, "ImportDialog")
        box = dialog.query_one("#import-path")
        box.value = str(stick)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(dialog.files) == 1, what="the stick's file")
        await pilot.press("ctrl+s")
        await wait_for(pilot, gate.reached.is_set, what="merging")
        await wait_for(pilot, lambda: "正在合并" in screen_text(app), what="progress shown")
        assert gate.phases[:1] == ["read"]
        gate.release.set()
        await wait_for(pilot, lambda: dialog.state == "done", what="done")
        summary = dialog.summary
        for line in (
            "导入完成。",
            "新建：1家企业、1次走访",
            "修改：1家企业",
            "删除：1家企业",
        ):
            assert line in summary, (line, summary)
        # The file named in quotes, with no space a summary would wrap at.
        (imported,) = [f.path.name for f in dialog.report.files]
        assert f"已导入“{imported}”（来自“zhang”）" in summary, summary
        await pilot.press("escape")
        screen = await wait_for_screen(pilot, "SyncScreen")
        await wait_for(pilot, lambda: screen.shown_files[0].direction == "in", what="history")

        # The same file again: imported before, nothing changes.
        dialog = await import_here(pilot, stick)
        assert "1个文件此前已导入（无需处理）" in dialog.summary
        await pilot.press("escape")

        # The ledger, open since start-up, follows by itself (the database watcher).
        await pilot.press("ctrl+g", "1")
        await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: "博俊科技" in screen_text(app), what="new enterprise")
        assert ledger.table.row_count == 2  # one created, one deleted


async def test_cancel_mid_import_leaves_the_database_as_it_was(
    office: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = office.hub
    stick = tmp_path / "stick"
    sync.export(office.laptops["zhang"], str(stick) + "/")
    fake_drives(monkeypatch, stick)
    gate = Gate(monkeypatch, "merge")
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        await pilot.press("ctrl+o")
        dialog = await wait_for_screen(pilot, "ImportDialog")
        await wait_for(pilot, lambda: dialog.places, what="the drive")
        assert "同步文件1个" in screen_text(app)
        await pilot.press("enter")  # the drive's sync files
        await wait_for(pilot, lambda: len(dialog.files) == 1, what="added")
        before, rows = file_digest(hub.path), snapshot(hub)
        await pilot.press("ctrl+s")
        await wait_for(pilot, gate.reached.is_set, what="merging")
        await pilot.press("escape")  # cancel while the merge runs
        await wait_for(pilot, lambda: "正在取消" in screen_text(app), what="cancelling")
        gate.release.set()
        await wait_for(pilot, lambda: dialog.state == "done", what="stopped")
        assert dialog.report is not None and dialog.report.cancelled
        assert "已取消导入：数据库未作任何更改。" in dialog.summary
        assert file_digest(hub.path) == before and snapshot(hub) == rows
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")
    assert "博俊科技" not in {e.name for e in hub.enterprises.list()}


async def test_markup_and_escapes_in_names_from_other_databases_show_as_text(
    tmp_path: Path,
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "[red]中心[/red]")
    hub.officers.create(Officer(name="张三"))  # not an empty database: no first-run screen
    laptop = replica(tmp_path / "evil.db", sync.LAPTOP, "evil")
    # As a crafted file would carry it (``sync init`` itself cleans a name typed).
    laptop.set_meta("sync_name", "ab[/]c\x1b]0;pwned\x07\u202e")
    laptop.enterprises.create(Enterprise(name="[@click=app.quit]x[/]"))
    files = sync.export(laptop, str(tmp_path / "up") + "/")
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        dialog = await import_here(pilot, files[0].path)
        summary = dialog.summary
        # The file's reader drops terminal sequences; what is left is shown escaped.
        assert "“ab[/]c\\u202e”" in summary
        assert "\x1b" not in summary and "\u202e" not in summary
        await pilot.press("escape")
        await wait_for_screen(pilot, "SyncScreen")
        await wait_for(pilot, lambda: screen.shown_peers, what="the laptop")
        text = screen_text(app)
        assert "ab[/]c\\u202e" in text and "\x1b" not in text and "\u202e" not in text
        assert "本数据库：中心库“[red]中心[/red]”" in text
        assert app.is_running
    hub.close()
    laptop.close()


def test_counts_per_kind_use_their_measure_words(zh: None) -> None:
    assert count_of("enterprise", 3) == "3家企业"
    assert count_of("visit", 1) == "1次走访"
    assert count_of("officer", 2) == "2名人员"
    assert count_of("project", 4) == "4个项目"
    assert count_of("problem", 5) == "5条诉求"
    report = sync.ImportReport(
        tables={
            "enterprise": sync.TableChanges(created=2, updated=3, deleted=1, restored=1),
            "visit": sync.TableChanges(created=1),
        }
    )
    assert changes_lines(report) == [
        "新建：2家企业、1次走访",
        "修改：1家企业",
        "删除：1家企业",
        "恢复：1家企业",
    ]


async def test_the_history_shows_a_chinese_office_name_whole_at_80_columns(
    tmp_path: Path,
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "投资促进服务中心")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "张三的笔记本")
    hub.enterprises.create(Enterprise(name="浩海环保"))
    ship(hub, laptop, tmp_path / "down")
    app = make_app(laptop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await wait_for(pilot, lambda: screen.shown_files, what="the history")
        # The way, then the database: the file's name (which holds it too) comes after.
        assert "导入 投资促进服务中心 " in screen_text(app)
        # The role and the team on lines of their own: no separator left hanging.
        assert not [line for line in screen_text(app).splitlines() if line.rstrip().endswith("·")]
        assert "本数据库：外勤笔记本“张三的笔记本”" in screen_text(app)
    hub.close()
    laptop.close()
