"""The investment activities area (Ctrl+G a) and the activity form, driven from the keyboard in
the whole app at 80x24 in Chinese, as an officer uses them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store.dated_list import DatedRow
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.profile import set_current_officer
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.virtual_table import VirtualTable
from screen_app import burst, on_the_ledger, screen_text, settle, shows, wait_for, wait_for_screen

HAOHAI = "广东浩海环保设备有限公司"
HUAYIN = "肇庆华音电子有限公司"
SHENZHEN = "深圳宝安区电子企业"
FOSHAN = "佛山顺德家电客商"
MARKUP = "[red]东莞[/red]松山湖"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "activities-ui.db") as s:
        zhang = s.officers.create(rec.Officer(name="张伟", unit="经发局"))
        li = s.officers.create(rec.Officer(name="李强", unit="招商局"))
        set_current_officer(s, "张伟")
        s.enterprises.create(rec.Enterprise(name=HAOHAI))
        huayin = s.enterprises.create(rec.Enterprise(name=HUAYIN))
        trip = s.activities.create(
            rec.Activity(date=date(2026, 3, 5), kind="trip_out", place=SHENZHEN)
        )
        s.activity_members.create(rec.ActivityMember(activity_id=trip.id, officer_id=zhang.id))
        s.activity_enterprises.create(
            rec.ActivityEnterprise(activity_id=trip.id, enterprise_id=huayin.id)
        )
        reception = s.activities.create(
            rec.Activity(date=date(2026, 4, 10), kind="reception", place=FOSHAN)
        )
        s.activity_members.create(rec.ActivityMember(activity_id=reception.id, officer_id=li.id))
        s.activities.create(rec.Activity(date=date(2025, 11, 2), kind="trip_out", place=MARKUP))
        yield s


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


def table(app: Any) -> VirtualTable[DatedRow]:
    return app.screen.query_one("#activities-table", VirtualTable)


def places(app: Any) -> list[str]:
    return [row.title for row in table(app).visible_rows() if row is not None]


async def listed(pilot: Pilot[Any]) -> VirtualTable[DatedRow]:
    def ready() -> bool:
        screen = pilot.app.screen
        if type(screen).__name__ != "ActivitiesScreen":
            return False
        t = table(pilot.app)
        return (
            t.is_loaded
            and t.row_count is not None
            and all(t.visible_rows())
            and screen.search_text == screen.filter.text
        )

    await wait_for(pilot, ready, what="the activity list")
    return table(pilot.app)


async def activity_list(pilot: Pilot[Any]) -> Any:
    """Go to the investment activities (Ctrl+G a) and wait for its rows."""
    await on_the_ledger(pilot)
    await pilot.press("ctrl+g", "a")
    screen = await wait_for_screen(pilot, "ActivitiesScreen")
    await listed(pilot)
    return screen


async def shows_only(pilot: Pilot[Any], *wanted: str) -> None:
    await wait_for(
        pilot, lambda: sorted(places(pilot.app)) == sorted(wanted), what=f"only {wanted}"
    )


def activity_id(store: Store, place: str) -> str:
    row = store.db.execute_sql("SELECT id FROM activity WHERE place = ?", (place,)).fetchone()
    return str(row[0])


def officer_id(store: Store, name: str) -> str:
    return str(store.db.execute_sql("SELECT id FROM officer WHERE name = ?", (name,)).fetchone()[0])


def notified(app: Any, text: str) -> bool:
    return any(text in str(n.message) for n in app._notifications)


async def test_the_list_newest_first_and_searched_by_pinyin(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)
        await wait_for(pilot, lambda: places(pilot.app) == [FOSHAN, SHENZHEN, MARKUP])
        expected = ["招商活动", "3次", "外出招商", "接待客商", "2026-04-10", MARKUP, "a 招商"]
        await wait_for(
            pilot,
            lambda: all(part in screen_text(pilot.app) for part in expected),
            what=f"{expected} in {screen_text(pilot.app)}",
        )
        # The enterprise visited (华音电子), a team member (李强), the place (顺德).
        burst(pilot, *"hydz")
        await shows_only(pilot, SHENZHEN)
        await pilot.press("escape")
        await wait_for(pilot, lambda: table(pilot.app).row_count == 3)
        burst(pilot, *"lq")
        await shows_only(pilot, FOSHAN)
        await pilot.press("escape")
        burst(pilot, *"松山湖")
        await shows_only(pilot, MARKUP)


async def test_typing_never_runs_a_command(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await activity_list(pilot)
        typed = "nfdqam 9[x]/?"
        burst(pilot, *typed)
        await wait_for(pilot, lambda: screen.search_text == typed.strip())
        assert pilot.app.screen is screen
        assert screen.query_one("#activities-search").value == typed
        await wait_for(pilot, lambda: table(pilot.app).row_count == 0)
        assert store.db.execute_sql("SELECT COUNT(*) FROM activity").fetchone()[0] == 3


async def test_filters_by_kind_dates_and_team_member(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)

        async def filter_with(**values: str) -> None:
            await pilot.press("ctrl+f")
            dialog = await wait_for_screen(pilot, "DatedFilterScreen")
            for widget_id, value in values.items():
                widget = dialog.query_one(f"#filter-{widget_id}")
                if isinstance(widget, Input):
                    widget.value = value
                    continue
                assert isinstance(widget, Select)
                await wait_for(pilot, lambda s=widget, v=value: any(o[1] == v for o in s._options))
                widget.value = value
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, "ActivitiesScreen")

        await filter_with(kind="reception")
        await shows_only(pilot, FOSHAN)
        assert await shows(pilot, "筛选：接待客商")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: table(pilot.app).row_count == 3)

        await filter_with(since="2026/3/1", until="2026-03")  # a day, and a month's last day
        await shows_only(pilot, SHENZHEN)
        await pilot.press("ctrl+x")

        await filter_with(person=officer_id(store, "张伟"))
        await shows_only(pilot, SHENZHEN)
        await pilot.press("ctrl+x")

        # The search combines with the filter.
        await filter_with(kind="trip_out")
        await shows_only(pilot, SHENZHEN, MARKUP)
        burst(pilot, *"ssh")
        await shows_only(pilot, MARKUP)


async def test_a_new_activity_saved_from_the_keyboard_with_its_team_and_enterprise(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)
        ops_before = set(store.db.execute_sql("SELECT op_id FROM op").fetchall())
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "ActivityFormScreen")
        await wait_for(pilot, lambda: form.ready)
        burst(pilot, *"2026-06-18")
        await pilot.press("tab", "tab")  # the kind (外出招商 by default), the place
        burst(pilot, *"苏州工业园区")
        await pilot.press("tab")
        # The team: an officer found by pinyin initials.
        burst(pilot, *"zw")
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: picker.results_for == "zw" and picker.items)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ActivityFormScreen")
        await pilot.press("tab")
        # The enterprises visited.
        burst(pilot, *"hhhb")
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: picker.results_for == "hhhb" and picker.items)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ActivityFormScreen")
        await wait_for(pilot, lambda: HAOHAI in screen_text(pilot.app))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ActivitiesScreen")
        await listed(pilot)
        await wait_for(pilot, lambda: "苏州工业园区" in places(pilot.app))

    aid = activity_id(store, "苏州工业园区")
    activity = store.activities.require(aid)
    assert activity.date == date(2026, 6, 18) and activity.kind == "trip_out"
    haohai = store.db.execute_sql("SELECT id FROM enterprise WHERE name = ?", (HAOHAI,)).fetchone()
    assert store.db.execute_sql(
        "SELECT enterprise_id FROM activity_enterprise WHERE activity_id = ? AND deleted = 0",
        (aid,),
    ).fetchall() == [(haohai[0],)]
    assert store.db.execute_sql(
        "SELECT officer_id FROM activity_member WHERE activity_id = ? AND deleted = 0", (aid,)
    ).fetchall() == [(officer_id(store, "张伟"),)]
    ops = [
        tbl
        for op_id, tbl in store.db.execute_sql("SELECT op_id, tbl FROM op").fetchall()
        if (op_id,) not in ops_before
    ]
    assert set(ops) == {"activity", "activity_member", "activity_enterprise"}


async def test_an_outside_edit_while_the_form_is_open_shows_and_becomes_a_conflict(
    store: Store, zh: None
) -> None:
    aid = activity_id(store, FOSHAN)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)
        burst(pilot, *"sd")
        await shows_only(pilot, FOSHAN)
        await pilot.press("enter")
        form = await wait_for_screen(pilot, "ActivityFormScreen")
        await wait_for(pilot, lambda: form.ready)
        form.query_one("#leads").focus()
        await wait_for(pilot, lambda: pilot.app.focused is form.query_one("#leads"))
        burst(pilot, *"有意向落户")
        await wait_for(pilot, lambda: form.dirty)
        with Store(store.path) as other:
            other.activities.update(aid, leads="两家有意向", notes="下月回访")
        await wait_for(pilot, lambda: "招商线索" in form.notice)
        await wait_for(pilot, lambda: form.raw()["notes"] == "下月回访")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(pilot.app, "冲突"))
    assert "leads" in store.activities.conflict_fields(aid)


async def test_delete_asks_with_cancel_focused_and_shows_the_place_literally(
    store: Store, zh: None
) -> None:
    aid = activity_id(store, MARKUP)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)
        burst(pilot, *"松山湖")
        await shows_only(pilot, MARKUP)
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert await shows(pilot, f"确定删除招商活动“{MARKUP}”吗？")
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == "no"
        await pilot.press("y")
        assert pilot.app.screen is dialog
        await pilot.press("escape")
        await wait_for_screen(pilot, "ActivitiesScreen")
        assert not store.activities.require(aid).deleted

        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await settle(pilot)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: store.activities.require(aid).deleted)
        await listed(pilot)
        await wait_for(pilot, lambda: table(pilot.app).row_count == 0)
    assert DELETED_FIELD not in store.activities.conflict_fields(aid)


async def test_ctrl_o_imports_an_activities_sheet(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await activity_list(pilot)
        await pilot.press("ctrl+o")
        dialog = await wait_for_screen(pilot, "SheetImportScreen")
        assert dialog.query_one("#sheet-kind", Select).value == "activities"
        await pilot.press("escape")
        await wait_for_screen(pilot, "ActivitiesScreen")
