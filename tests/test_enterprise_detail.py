"""The enterprise detail screen: fields, officers by year, timeline, edit and delete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input

from fieldtui.domain.records import Enterprise, Officer, Problem, Project, Visit
from fieldtui.store import Store
from fieldtui.store.assignments import assign
from fieldtui.store.enterprises import enterprise_timeline
from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen
from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from screen_app import ScreenApp, op_count, screen_text, settle, shows, type_text, wait_for_screen


def seed(store: Store, name: str = "广东浩海环保设备有限公司", notes: str = "备注") -> str:
    e = store.enterprises.create(
        Enterprise(
            name=name,
            uscc="91350100M000100Y43",
            industry="C",
            scale="small",
            status="building",
            employees=1200,
            revenue_wan=Decimal("5480.5"),
            tags=["环保", "设备"],
            notes=notes,
        )
    )
    wang = store.officers.create(Officer(name="王敏")).id
    li = store.officers.create(Officer(name="李强")).id
    assign(store, 2023, li, enterprise_id=e.id)
    assign(store, 2024, wang, enterprise_id=e.id)
    assign(store, 2024, li, enterprise_id=e.id, role="assist")
    visit = store.visits.create(
        Visit(date=date(2024, 3, 5), enterprise_id=e.id, kind="onsite", summary="了解扩产计划")
    )
    store.visit_officers.link(visit.id, wang)
    store.problems.create(
        Problem(
            enterprise_id=e.id,
            raised_on=date(2024, 3, 5),
            category="factors",
            description="首期用电",
            status="resolved",
            resolved_on=date(2024, 4, 1),
        )
    )
    store.projects.create(
        Project(
            name="新厂房项目",
            enterprise_id=e.id,
            signed_on=date(2023, 6, 1),
            land_on=date(2023, 9, 1),
        )
    )
    return e.id


def detail_app(store: Store, enterprise_id: str, lang: str = "en") -> ScreenApp:
    return ScreenApp(store, lambda: EnterpriseDetailScreen(enterprise_id), lang=lang)


def test_timeline_query_orders_newest_first(tmp_store: Store) -> None:
    eid = seed(tmp_store)
    entries = enterprise_timeline(tmp_store, eid)
    assert [(e.on.isoformat(), e.source) for e in entries] == [
        ("2024-04-01", "problem_resolved"),
        ("2024-03-05", "visit"),
        ("2024-03-05", "problem"),
        ("2023-09-01", "project"),
        ("2023-06-01", "project"),
    ]
    assert entries[1].extra == "王敏"


async def test_detail_shows_fields_officers_and_timeline(tmp_store: Store, zh: None) -> None:
    eid = seed(tmp_store)
    app = detail_app(tmp_store, eid, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await shows(pilot, "新厂房项目")
        text = screen_text(app)
        for expected in (
            "广东浩海环保设备有限公司",
            "91350100M000100Y43",
            "C 制造业",
            "小型",
            "在建",
            "1,200",
            "5,480.5",
            "环保、设备",
            "2024年度",
            "王敏（牵头）、李强（协助）",
            "2023年度",
            "首期用电",
            "了解扩产计划",
            "签约",
        ):
            assert expected in text, expected
        table = app.screen.query_one("#timeline", DataTable)
        assert table.row_count == 5
        assert app.focused is table
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("end")
        assert table.cursor_row == 4


async def test_edit_from_detail_reloads(tmp_store: Store) -> None:
    eid = seed(tmp_store)
    app = detail_app(tmp_store, eid)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EnterpriseFormScreen)
        form.query_one("#contact", Input).focus()
        await type_text(pilot, "赵六")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseDetailScreen)
        assert await shows(pilot, "赵六")
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [True]


async def test_delete_from_detail_is_a_tombstone(tmp_store: Store) -> None:
    eid = seed(tmp_store)
    before = op_count(tmp_store, eid)
    app = detail_app(tmp_store, eid)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("escape")
        await wait_for_screen(pilot, "EnterpriseDetailScreen")
        # Letters typed on the timeline run nothing (e, d used to edit and delete).
        await pilot.press(*"edry")
        assert isinstance(app.screen, EnterpriseDetailScreen)
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("y")  # no letter confirms
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("left", "enter")
        await settle(pilot)
    assert app.results == [True]
    record = tmp_store.enterprises.require(eid)
    assert record.deleted
    assert op_count(tmp_store, eid) == before + 1  # one `_deleted` op, nothing else


async def test_missing_enterprise_closes_with_a_message(tmp_store: Store) -> None:
    app = detail_app(tmp_store, "no-such-id")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.results == [False]


NASTY = ["ab[/]c", "[red]x", "[/]", "back\\slash\\", "emoji 🏭 厂", "[link=x]y[/link]"]


@pytest.mark.parametrize("text", NASTY)
async def test_user_text_is_shown_exactly_on_the_detail_screen(tmp_store: Store, text: str) -> None:
    eid = seed(tmp_store, name=text, notes=f"note {text}")
    tmp_store.visits.create(
        Visit(date=date(2024, 5, 1), enterprise_id=eid, summary=f"visit {text}")
    )
    app = detail_app(tmp_store, eid)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert await shows(pilot, f"visit {text}")
        shown = screen_text(app)
        assert app.screen.sub_title == text
    assert text in shown
    assert f"note {text}" in shown
    assert f"visit {text}" in shown
