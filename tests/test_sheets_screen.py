"""The import screen: check (dry run) first, confirm, progress, cancel, plain-text errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fieldtui import sheets
from fieldtui.sheets import ImportSummary
from fieldtui.store import Store
from fieldtui.ui.screens import sheet_import
from fieldtui.ui.screens.sheet_import import SheetImportScreen
from screen_app import ScreenApp, screen_text, settle
from sheet_files import op_total, write_csv


def officers_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "officers.csv",
        [["姓名", "角色"], ["张三", "首席服务官"], ["[red]李四[/]", "staff"], ["王五", "[b]boss"]],
    )


async def test_preview_then_confirm_imports(tmp_store: Store, tmp_path: Path) -> None:
    f = officers_file(tmp_path)
    app = ScreenApp(tmp_store, lambda: SheetImportScreen("officers", str(f)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Preview only" in text
        assert "Row 4, 角色:" in text and "[b]boss" in text  # user text shown as typed
        assert op_total(tmp_store) == 0  # the check wrote nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Imported." in screen_text(app)
        assert sorted(o.name for o in tmp_store.officers.list()) == ["[red]李四[/]", "张三"]
        await pilot.press("escape")
        await settle(pilot)
    [result] = app.results
    assert isinstance(result, ImportSummary)
    assert (result.created, result.refused, result.written) == (2, 1, True)


async def test_unreadable_file_is_shown_and_nothing_changes(
    tmp_store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    app = ScreenApp(tmp_store, lambda: SheetImportScreen("enterprises", str(bad)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        assert "bad.xlsx" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing to confirm
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]
    assert op_total(tmp_store) == 0


async def test_cancel_during_import_rolls_back(
    tmp_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = officers_file(tmp_path)
    real = sheets.import_sheet

    def cancel_while_writing(*args: Any, **kwargs: Any) -> ImportSummary:
        if not kwargs.get("dry_run"):
            # What pressing Escape does mid-write: the flag the worker's import checks.
            screen = app.screen
            assert isinstance(screen, SheetImportScreen)
            screen.action_cancel()
        return real(*args, **kwargs)

    monkeypatch.setattr(sheet_import, "import_sheet", cancel_while_writing)
    app = ScreenApp(tmp_store, lambda: SheetImportScreen("officers", str(f)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Cancelled" in screen_text(app)
        assert op_total(tmp_store) == 0 and tmp_store.officers.count() == 0
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


async def test_path_completion(tmp_store: Store, tmp_path: Path) -> None:
    (tmp_path / "台账").mkdir()
    write_csv(tmp_path / "台账" / "人员名单.csv", [["姓名"], ["甲"]])
    (tmp_path / "台账" / "notes.docx").write_text("x")
    app = ScreenApp(tmp_store, lambda: SheetImportScreen("officers", str(tmp_path) + "/台"))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):  # → accepts "台账/", then the only sheet inside it
            await pilot.press("right")
            await settle(pilot)
        value = app.screen.query_one("#sheet-path").value  # type: ignore[attr-defined]
        assert value == str(tmp_path / "台账" / "人员名单.csv")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert tmp_store.officers.count() == 1


async def test_chinese_screen(tmp_store: Store, tmp_path: Path, zh: None) -> None:
    f = officers_file(tmp_path)
    app = ScreenApp(tmp_store, lambda: SheetImportScreen("officers", str(f)), lang="zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "导入表格" in text and "第4行" in text and "校验结果" in text


async def test_palette_opens_the_import_screen(tmp_store: Store, tmp_path: Path) -> None:
    from textual.screen import Screen

    from fieldtui.ui.commands import open_sheet_import

    app = ScreenApp(tmp_store, lambda: Screen())
    async with app.run_test(size=(100, 40)) as pilot:
        open_sheet_import(app)
        await settle(pilot)
        assert isinstance(app.screen, SheetImportScreen)
        assert app.screen.query_one("#sheet-kind").value == "enterprises"  # type: ignore[attr-defined]
