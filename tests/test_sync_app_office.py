"""Issue 11's "Done when", from the app: an office with a hub and three laptops (a team, set
up the README's way) exchanges signed, encrypted files only through the sync screen
(Ctrl+G 5: Ctrl+E export, Ctrl+O import), a conflict is settled on the hub's conflicts
screen (Ctrl+K), and every laptop ends with the resolution and no open conflict. Real
files in temporary folders; in Chinese, at 80×24."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from fieldtui.ui.screens.conflicts import ConflictsScreen
from invariants import assert_rows_equal_ops
from screen_app import screen_text, wait_for, wait_for_screen
from sync_ui_support import SIZE, export_here, import_here, make_app, open_sync, team_office

pytestmark = pytest.mark.usefixtures("zh")

LAPTOPS = ("张三", "李四", "王五")
NAME = "广东浩海环保设备有限公司"


async def hub_sends(hub: Store, tmp_path: Path, folder: Path) -> dict[str, Path]:
    """The hub's sync screen writes one file per laptop into ``folder``: {laptop: file}."""
    folder.mkdir()
    app = make_app(hub, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        dialog = await export_here(pilot, folder)
        assert not dialog.message, dialog.message
        written = {f.target_name: Path(f.path) for f in dialog.written}
        assert all(f.sealed for f in dialog.written)
    assert set(written) == set(LAPTOPS)
    return written


async def laptop_imports(laptop: Store, tmp_path: Path, file: Path) -> str:
    """The laptop's sync screen imports its file; the summary shown."""
    app = make_app(laptop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        dialog = await import_here(pilot, file)
        assert dialog.report is not None and not dialog.report.refused, dialog.summary
        return str(dialog.summary)


async def laptop_exports(laptop: Store, tmp_path: Path, stick: Path) -> Path:
    """The laptop's sync screen writes its file onto its stick."""
    stick.mkdir()
    app = make_app(laptop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        dialog = await export_here(pilot, stick)
        (written,) = dialog.written
        assert written.sealed and not dialog.message
    return Path(written.path)


def open_conflicts(store: Store) -> list[tuple[str, str]]:
    return [(c.row_id, c.field) for c in sync.list_conflicts(store.db)]


async def test_an_office_syncs_from_the_app_and_a_conflict_settled_at_the_hub_reaches_all(
    tmp_path: Path,
) -> None:
    office = team_office(tmp_path, LAPTOPS, roster=LAPTOPS)
    hub, laptops = office.hub, office.laptops
    try:
        row = hub.enterprises.create(Enterprise(name=NAME, address="旧地址"))

        # The office sends the ledger out: each laptop imports the file written for it.
        out = await hub_sends(hub, tmp_path, tmp_path / "outbox-1")
        for name, laptop in laptops.items():
            summary = await laptop_imports(laptop, tmp_path, out[name])
            assert "新建：1家企业" in summary, summary
            assert laptop.enterprises.require(row.id).address == "旧地址"

        # In the field, two officers change one address differently; every laptop exports
        # onto its own stick, signed and encrypted: a lost stick shows no name.
        laptops["张三"].enterprises.update(row.id, address="张三改的地址")
        laptops["李四"].enterprises.update(row.id, address="李四改的地址")
        sticks = [
            await laptop_exports(laptop, tmp_path, tmp_path / f"stick-{name}")
            for name, laptop in laptops.items()
        ]
        for stick in sticks:
            data = stick.read_bytes()
            assert NAME.encode() not in data and "改的地址".encode() not in data

        # At the office: all three sticks in one import, then the conflict is settled on the
        # conflicts screen by keeping 李四's value, then a file for every laptop.
        app = make_app(hub, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_sync(pilot)
            dialog = await import_here(pilot, *(s.parent for s in sticks))
            assert "冲突：新增1个，解决0个，未解决1个" in dialog.summary, dialog.summary
            assert len(dialog.report.files) == 3
            await pilot.press("escape")
            await wait_for_screen(pilot, "SyncScreen")
            await pilot.press("ctrl+k")
            conflicts: ConflictsScreen = await wait_for_screen(pilot, "ConflictsScreen")
            await wait_for(pilot, lambda: len(conflicts.items) == 1, what="the conflict")
            item = conflicts.items[0]
            assert (item.row_id, item.field_label) == (row.id, "地址")
            assert {c.by for c in item.choices} == {"张三", "李四"}
            await wait_for(pilot, lambda: "李四改的地址" in screen_text(app), what="values")
            await pilot.press("enter")
            await wait_for(pilot, lambda: conflicts.focused is conflicts.values_table)
            wanted = next(n for n, c in enumerate(item.choices) if c.by == "李四")
            while conflicts.values_table.cursor_row != wanted:
                up = conflicts.values_table.cursor_row > wanted
                await pilot.press("up" if up else "down")
            await pilot.press("enter")
            await wait_for(pilot, lambda: not open_conflicts(hub), what="settled")
            await wait_for(pilot, lambda: not conflicts.items, what="list emptied")
            await pilot.press("escape")
            await wait_for_screen(pilot, "SyncScreen")
            await wait_for(pilot, lambda: "无未解决的冲突" in screen_text(app), what="area")
            assert screen.view is not None
            (tmp_path / "outbox-2").mkdir()
            dialog = await export_here(pilot, tmp_path / "outbox-2")
            out = {f.target_name: Path(f.path) for f in dialog.written}
        assert hub.enterprises.require(row.id).address == "李四改的地址"
        assert_rows_equal_ops(hub)

        # Every laptop imports its file and ends with the resolution, nothing left open.
        for name, laptop in laptops.items():
            summary = await laptop_imports(laptop, tmp_path, out[name])
            assert laptop.enterprises.require(row.id).address == "李四改的地址", name
            assert not open_conflicts(laptop), (name, summary)
            assert_rows_equal_ops(laptop)
    finally:
        office.close()
