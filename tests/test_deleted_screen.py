"""The deleted records area (回收站, Ctrl+G 9): the delete dialogs' promise kept in the app
(issue 8, item 6). Driven by keyboard through the whole app, in Chinese, at 80×24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fieldtui.app import FieldApp
from fieldtui.domain.records import Enterprise, Officer, Problem, Visit
from fieldtui.store import Store
from fieldtui.store.deleted import list_deleted
from fieldtui.ui.screens.deleted import DeletedScreen
from screen_app import op_count, screen_text, wait_for, wait_for_screen
from sheet_files import USCC_OK

pytestmark = pytest.mark.usefixtures("zh")
SIZE = (80, 24)

HAOHAI = "广东浩海环保设备有限公司"
BOJUN = "肇庆博俊科技有限公司"
MARKUP = "[@click=app.quit]x[/]"
MARKUP_COMPANY = "[red]华音[/red]电器"


@pytest.fixture
def store(tmp_store: Store) -> Store:
    """Records of four kinds deleted within one millisecond, in an order that differs from
    their labels' order (the clock is frozen: only the delete ops' order tells them apart)."""
    s = tmp_store
    s.writer.clock._now_ms = lambda: 1_780_000_000_000  # type: ignore[method-assign]
    haohai = s.enterprises.create(Enterprise(name=HAOHAI, uscc=USCC_OK))
    bojun = s.enterprises.create(Enterprise(name=BOJUN))
    officer = s.officers.create(Officer(name="张三", unit="经发局"))
    s.officers.create(Officer(name="李四"))  # a live record: not listed
    visit = s.visits.create(Visit(enterprise_id=bojun.id, date="2025-03-01", summary="了解生产"))
    problem = s.problems.create(Problem(enterprise_id=bojun.id, description="用电容量不足"))
    s.problems.delete(problem.id)
    s.officers.delete(officer.id)
    s.enterprises.delete(haohai.id)
    s.visits.delete(visit.id)
    return s


def make_app(store: Store, tmp_path: Path) -> FieldApp:
    return FieldApp(store, lang="zh", demo_path=tmp_path / "demo.db")


async def open_deleted(pilot: Any) -> DeletedScreen:
    await wait_for_screen(pilot, "LedgerScreen")
    await pilot.press("ctrl+g", "9")
    screen: DeletedScreen = await wait_for_screen(pilot, "DeletedScreen")
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.records, what="records")
    return screen


def labels(screen: DeletedScreen) -> list[str]:
    return [r.label for r in screen.shown]


def test_records_deleted_in_one_second_are_listed_newest_first(store: Store) -> None:
    """Sorted by the delete ops' clock, not by the second shown (then by label)."""
    assert [r.kind for r in list_deleted(store)] == [
        "visits",
        "enterprises",
        "officers",
        "problems",
    ]


async def test_lists_every_kind_newest_first_searches_and_filters(
    store: Store, tmp_path: Path
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_deleted(pilot)
        assert labels(screen) == [
            f"2025-03-01 {BOJUN}",
            HAOHAI,
            "张三",
            f"{BOJUN} · 用电容量不足",
        ]
        shown = screen_text(app)
        # At 80×24 in Chinese: the area's title and sidebar entry, every column but the
        # detail, a 24-cell name whole.
        for text in ("回收站", "9 回收站", "类型", "记录", "删除时间", "删除方", "共4条"):
            assert text in shown, text
        assert HAOHAI in shown and "本数据库" in shown and "走访" in shown and "诉求" in shown

        # Typing searches (pinyin initials too); Escape clears it.
        await pilot.press(*"hhhb")
        await wait_for(pilot, lambda: labels(screen) == [HAOHAI], what="search")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 4, what="search cleared")

        # Ctrl+F: one kind, each with its count; Ctrl+X shows every kind again.
        await pilot.press("ctrl+f")
        await wait_for_screen(pilot, "PickOneDialog")
        assert "企业（1条）" in screen_text(app) and "全部类型（4条）" in screen_text(app)
        await pilot.press("down", "down", "enter")  # every kind, enterprises, officers
        await wait_for_screen(pilot, "DeletedScreen")
        await wait_for(pilot, lambda: labels(screen) == ["张三"], what="officers only")
        assert "人员 · 共1条" in screen_text(app)
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: len(screen.shown) == 4, what="filter cleared")


async def test_restore_asks_with_cancel_focused_then_restores_through_the_writer(
    store: Store, tmp_path: Path
) -> None:
    (enterprise,) = list_deleted(store, "enterprises")
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_deleted(pilot)
        await pilot.press(*"hhhb")
        await wait_for(pilot, lambda: labels(screen) == [HAOHAI], what="search")
        ops = op_count(store)

        # Enter asks; Cancel has the focus, so Enter again cancels and nothing changes.
        await pilot.press("enter")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert dialog.focused is not None and dialog.focused.id == "no"
        assert f"确定恢复企业“{HAOHAI}”吗？" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, "DeletedScreen")
        assert op_count(store) == ops
        assert store.enterprises.require(enterprise.id).deleted

        # F2 asks too; Tab to Restore, Enter: one op (it syncs), the record leaves the list.
        await pilot.press("f2")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: not store.enterprises.require(enterprise.id).deleted)
        await wait_for(pilot, lambda: screen.shown == [], what="restored record gone")
        assert op_count(store) == ops + 1
        assert any(f"已恢复企业“{HAOHAI}”" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 3, what="the others still listed")

        # The ledger, open since start-up, shows it again; its delete question names 回收站.
        await pilot.press("ctrl+g", "1")
        ledger = await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: HAOHAI in screen_text(app), what="restored in the ledger")
        await pilot.press(*"hhhb")
        await wait_for(pilot, lambda: ledger.table.row_count == 1, what="ledger search")
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        assert "可在回收站中恢复" in screen_text(app)
        await pilot.press("escape")
        await wait_for_screen(pilot, "LedgerScreen")
    assert not store.enterprises.require(enterprise.id).deleted


async def test_refused_restore_shows_the_reason_in_one_line(store: Store, tmp_path: Path) -> None:
    (enterprise,) = list_deleted(store, "enterprises")
    store.enterprises.create(Enterprise(name="浩海环保（新录入）", uscc=USCC_OK))
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_deleted(pilot)
        await pilot.press(*"hhhb")
        await wait_for(pilot, lambda: labels(screen) == [HAOHAI], what="search")
        ops = op_count(store)
        await pilot.press("f2")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("tab", "enter")
        await wait_for(
            pilot,
            lambda: any(n.title == "恢复失败" for n in app._notifications),
            what="the refusal",
        )
        (note,) = [n for n in app._notifications if n.title == "恢复失败"]
        assert "\n" not in note.message
        assert "浩海环保（新录入）" in note.message and "统一社会信用代码" in note.message
        assert app.screen is screen and labels(screen) == [HAOHAI]  # still listed
        assert op_count(store) == ops
    assert store.enterprises.require(enterprise.id).deleted


async def test_markup_like_names_show_and_restore_exactly(tmp_store: Store, tmp_path: Path) -> None:
    officer = tmp_store.officers.create(Officer(name=MARKUP, unit="[b]招商科"))
    company = tmp_store.enterprises.create(Enterprise(name=MARKUP_COMPANY))
    tmp_store.officers.delete(officer.id)
    tmp_store.enterprises.delete(company.id)
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_deleted(pilot)
        await wait_for(pilot, lambda: MARKUP in screen_text(app), what="markup name")
        assert MARKUP_COMPANY in screen_text(app)
        await pilot.press("end", "f2")  # the officer, deleted first
        await wait_for_screen(pilot, "ConfirmDialog")
        assert f"确定恢复人员“{MARKUP}”吗？" in screen_text(app)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: labels(screen) == [MARKUP_COMPANY], what="restored")
        assert any(n.message == f"已恢复人员“{MARKUP}”。" for n in app._notifications)
        assert app.is_running  # the link did not quit the app
    assert not tmp_store.officers.require(officer.id).deleted
