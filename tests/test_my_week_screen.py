"""My week (area 0), driven by keyboard in Chinese at 80×24: what it lists and in which
order, what Enter opens, typing as search, other processes' changes, and the first screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from fieldtui.app import FieldApp
from fieldtui.config import Settings
from fieldtui.domain.records import Officer
from fieldtui.store import Store
from fieldtui.store import problems as ps
from fieldtui.ui.screens.my_week_rows import DRAFT, DUTY, ENTERPRISE, HEADING, PROBLEM
from screen_app import burst, screen_text, wait_for, wait_for_screen
from week_support import (
    TODAY,
    StubProblem,
    StubVisitForm,
    Week,
    install_stub_screens,
    seed_week,
    visible,
)

pytestmark = pytest.mark.usefixtures("zh")
SIZE = (80, 24)


@pytest.fixture
def week(tmp_store: Store) -> Week:
    return seed_week(tmp_store)


@pytest.fixture
def stub_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    install_stub_screens(monkeypatch)


def make_app(store: Store, tmp_path: Path, **kwargs: Any) -> FieldApp:
    return FieldApp(store, lang="zh", demo_path=tmp_path / "demo.db", **kwargs)


async def loaded_week(pilot: Any) -> Any:
    screen = await wait_for_screen(pilot, "MyWeekScreen")
    await wait_for(pilot, lambda: screen.data is not None and screen.table.is_loaded)
    return screen


async def test_my_week_is_the_first_screen_with_its_sections_in_order(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        assert app.current_mode == "home"
        rows = screen.rows
        kinds = [r.kind for r in rows]
        assert kinds == [
            DUTY,
            HEADING,
            DRAFT,
            HEADING,
            PROBLEM,
            PROBLEM,
            HEADING,
            ENTERPRISE,
            ENTERPRISE,
            ENTERPRISE,
        ]
        # the duty check: one of eight answered this month
        assert rows[0].mark == "未完成" and rows[0].detail == "已答1/8项"
        assert rows[0].item == f"{TODAY.year}年{TODAY.month}月职责清单自查"
        assert rows[2].target == week.draft and rows[2].mark == "草稿"
        # problems by deadline, the overdue one marked
        assert [r.target for r in rows[4:6]] == [week.late, week.soon]
        assert rows[4].mark == "超期" and rows[4].level == 2
        assert rows[5].mark == "待交办" and rows[5].level == 0
        # enterprises: never visited first, then the longest unvisited; past 7 days marked
        assert [r.target for r in rows[7:]] == [week.never, week.colleague, week.recent]
        assert [r.mark for r in rows[7:]] == ["待走访", "待走访", ""]
        assert [r.detail for r in rows[7:]] == ["从未走访", "9天前", "2天前"]
        assert rows[8].when == (TODAY - timedelta(9)).isoformat()
        shown = screen_text(app)
        for text in (
            "本周工作",
            "张三 · 待走访2家 · 超期1条",
            "未办结诉求（2条，超期1条）",
            f"{TODAY.year}年度挂点企业（3家，待走访2家）",
            "广东浩海环保设备有限公司",
            "全区：企业4家",
        ):
            assert text in shown, text
        # the cursor starts on the duty check, a row Enter acts on
        assert screen.table.cursor_row == 0


async def test_the_visit_interval_comes_from_the_settings(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    app = make_app(tmp_store, tmp_path, settings=Settings(visit_interval_days=10))
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        marks = {r.target: r.mark for r in screen.rows if r.kind == ENTERPRISE}
        assert marks == {week.never: "待走访", week.colleague: "", week.recent: ""}


async def test_enter_opens_what_each_row_is_about(
    tmp_store: Store, week: Week, tmp_path: Path, stub_screens: None
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)

        async def enter_on(kind: str, target: str | None) -> None:
            index = next(
                i for i, r in enumerate(screen.rows) if (r.kind, r.target) == (kind, target)
            )
            screen.table.cursor_row = index
            await pilot.press("enter")

        await enter_on(ENTERPRISE, week.colleague)  # a new visit to it
        await wait_for_screen(pilot, "StubVisitForm")
        assert StubVisitForm.opened == [(None, week.colleague)]
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")

        await enter_on(DRAFT, week.draft)  # the draft itself
        await wait_for_screen(pilot, "StubVisitForm")
        assert StubVisitForm.opened[-1] == (week.draft, None)
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")

        await enter_on(PROBLEM, week.late)
        await wait_for_screen(pilot, "StubProblem")
        assert StubProblem.opened == [week.late]
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")

        await enter_on(DUTY, f"{TODAY:%Y-%m}")
        duty = await wait_for_screen(pilot, "DutyCheckScreen")
        assert duty.officer_id == week.me and duty.month == f"{TODAY:%Y-%m}"
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")

        # Ctrl+N on an enterprise: a visit to it; Enter on a heading: nothing
        await enter_on(HEADING, None)
        assert type(app.screen).__name__ == "MyWeekScreen"
        index = next(i for i, r in enumerate(screen.rows) if r.target == week.recent)
        screen.table.cursor_row = index
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "StubVisitForm")
        assert StubVisitForm.opened[-1] == (None, week.recent)
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_a_screen_still_missing_is_a_message_not_a_crash(
    tmp_store: Store, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldtui.ui.screens import registry

    monkeypatch.delitem(registry.SCREENS, "visit_form", raising=False)
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        screen.table.cursor_row = len(screen.rows) - 1
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any("走访登记暂不可用" in n.message for n in app._notifications)
        )
        assert app.screen is screen


async def test_typing_searches_and_enter_starts_a_visit_to_the_match(
    tmp_store: Store, week: Week, tmp_path: Path, stub_screens: None
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        # Pinyin initials of 浩海环保, typed fast: its overdue problem matches too (and is
        # listed first), but Enter starts a visit to the enterprise.
        burst(pilot, *"hhhb", "enter")
        await wait_for_screen(pilot, "StubVisitForm")
        assert StubVisitForm.opened == [(None, week.never)]
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")
        # the search shows the enterprise and its overdue problem, with their headings
        assert screen.search_text == "hhhb"
        assert [(r.kind, r.target) for r in screen.rows if r.kind != HEADING] == [
            (PROBLEM, week.late),
            (ENTERPRISE, week.never),
        ]
        await pilot.press("escape")  # clears the search
        await wait_for(pilot, lambda: len(screen.rows) == 10)
        await pilot.press(*"王经理")  # the person met on the draft
        await wait_for(pilot, lambda: [r.kind for r in screen.rows] == [HEADING, DRAFT])
        assert screen.table.cursor_row == 1


async def test_other_processes_changes_appear(tmp_store: Store, week: Week, tmp_path: Path) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        # another process (the CLI's sync import, say) adds a problem for me
        with Store(tmp_store.path) as other:
            ps.create_problem(
                other,
                ps.ProblemInput(
                    week.recent,
                    "other",
                    "招工难",
                    raised_on=TODAY - timedelta(days=10),
                    deadline=TODAY - timedelta(days=3),
                    officer_id=week.me,
                ),
                today=TODAY,
            )
        await wait_for(
            pilot, lambda: any(r.item == "招工难" for r in screen.rows), what="the new problem"
        )
        await wait_for(pilot, lambda: "超期2条" in screen_text(app))
        row = next(r for r in screen.rows if r.item == "招工难")
        assert row.mark == "超期"
        assert any(r.item == "招工难" for r in visible(screen.table))


async def test_without_a_current_officer_it_shows_the_zone_and_starts_on_the_ledger(
    tmp_store: Store, tmp_path: Path
) -> None:
    tmp_store.officers.create(Officer(name="张伟"))
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await pilot.press("ctrl+g", "0")
        screen = await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: screen.data is not None)
        assert screen.has_class("-office")
        await wait_for(pilot, lambda: "fieldtui profile set" in screen_text(app))
        shown = screen_text(app)
        assert "概览" in shown and "本周走访" not in shown
        await wait_for(pilot, lambda: "未办结诉求" in screen_text(app))
        # typing goes nowhere harmful, and no command needs an officer
        await pilot.press(*"abc", "enter", "ctrl+d", "ctrl+n")
        assert app.screen is screen
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_first_run_then_my_week(tmp_store: Store, tmp_path: Path) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "FirstRunScreen")
        await pilot.press(*"陈芳")
        await pilot.press("ctrl+s")
        screen = await loaded_week(pilot)
        assert not screen.has_class("-office")
        await wait_for(pilot, lambda: f"{TODAY.year}年度没有分给您的挂点企业。" in screen_text(app))


async def test_ctrl_down_goes_from_section_to_section(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded_week(pilot)
        kinds = []
        for _ in range(4):
            await pilot.press("ctrl+down")
            kinds.append(screen.rows[screen.table.cursor_row].kind)
        assert kinds == [DRAFT, PROBLEM, ENTERPRISE, ENTERPRISE]
        await pilot.press("ctrl+up")
        assert screen.rows[screen.table.cursor_row].kind == PROBLEM
