"""The meetings area (Ctrl+G m) and the meeting form, driven from the keyboard in the whole app
at 80x24 in Chinese, as an officer uses them."""

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
POWER = "浩海首期用电协调会"
SEWER = "排污管道接入联席会议"
MARKUP = "[b]政企[/b]座谈会"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "meetings-ui.db") as s:
        s.officers.create(rec.Officer(name="张伟", unit="经发局"))
        set_current_officer(s, "张伟")
        haohai = s.enterprises.create(rec.Enterprise(name=HAOHAI))
        huayin = s.enterprises.create(rec.Enterprise(name=HUAYIN))
        power = s.meetings.create(
            rec.Meeting(date=date(2026, 3, 5), kind="coordination", topic=POWER, chair="王局长")
        )
        s.meeting_enterprises.create(
            rec.MeetingEnterprise(meeting_id=power.id, enterprise_id=haohai.id)
        )
        sewer = s.meetings.create(
            rec.Meeting(date=date(2026, 4, 10), kind="joint", topic=SEWER, chair="李主任")
        )
        s.meeting_enterprises.create(
            rec.MeetingEnterprise(meeting_id=sewer.id, enterprise_id=huayin.id)
        )
        s.meetings.create(rec.Meeting(date=date(2025, 12, 1), kind="forum", topic=MARKUP))
        yield s


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


def table(app: Any) -> VirtualTable[DatedRow]:
    return app.screen.query_one("#meetings-table", VirtualTable)


def topics(app: Any) -> list[str]:
    return [row.title for row in table(app).visible_rows() if row is not None]


async def listed(pilot: Pilot[Any]) -> VirtualTable[DatedRow]:
    def ready() -> bool:
        screen = pilot.app.screen
        if type(screen).__name__ != "MeetingsScreen":
            return False
        t = table(pilot.app)
        return (
            t.is_loaded
            and t.row_count is not None
            and all(t.visible_rows())
            and screen.search_text == screen.filter.text
        )

    await wait_for(pilot, ready, what="the meeting list")
    return table(pilot.app)


async def meeting_list(pilot: Pilot[Any]) -> Any:
    """Go to the meetings (Ctrl+G m) and wait for its rows."""
    await on_the_ledger(pilot)
    await pilot.press("ctrl+g", "m")
    screen = await wait_for_screen(pilot, "MeetingsScreen")
    await listed(pilot)
    return screen


async def shows_only(pilot: Pilot[Any], *wanted: str) -> None:
    await wait_for(
        pilot, lambda: sorted(topics(pilot.app)) == sorted(wanted), what=f"only {wanted}"
    )


def meeting_id(store: Store, topic: str) -> str:
    row = store.db.execute_sql("SELECT id FROM meeting WHERE topic = ?", (topic,)).fetchone()
    return str(row[0])


def notified(app: Any, text: str) -> bool:
    return any(text in str(n.message) for n in app._notifications)


async def test_the_list_newest_first_and_searched_by_pinyin(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        await wait_for(pilot, lambda: topics(pilot.app) == [SEWER, POWER, MARKUP])
        expected = ["会议", "3次", "项目专题协调会", "联席会议", "2026-03-05", MARKUP]
        await wait_for(
            pilot,
            lambda: all(part in screen_text(pilot.app) for part in expected),
            what=f"{expected} in {screen_text(pilot.app)}",
        )
        # The sidebar names the area by its letter.
        assert "m 会议" in screen_text(pilot.app)
        # The enterprise's pinyin initials (浩海环保), then the topic's own (排污管道).
        burst(pilot, *"hhhb")
        await shows_only(pilot, POWER)
        await pilot.press("escape")
        await wait_for(pilot, lambda: table(pilot.app).row_count == 3)
        burst(pilot, *"pwgd")
        await shows_only(pilot, SEWER)
        await pilot.press("escape")
        burst(pilot, *"座谈")
        await shows_only(pilot, MARKUP)


async def test_typing_never_runs_a_command(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await meeting_list(pilot)
        typed = "nfdqma 4[x]/?"
        burst(pilot, *typed)
        await wait_for(pilot, lambda: screen.search_text == typed.strip())
        assert pilot.app.screen is screen
        assert screen.query_one("#meetings-search").value == typed
        await wait_for(pilot, lambda: table(pilot.app).row_count == 0)
        assert store.db.execute_sql("SELECT COUNT(*) FROM meeting").fetchone()[0] == 3


async def test_filters_by_kind_month_and_chair(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)

        async def filter_with(**values: str) -> Any:
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
            return dialog

        await filter_with(kind="joint")
        await wait_for_screen(pilot, "MeetingsScreen")
        await shows_only(pilot, SEWER)
        assert await shows(pilot, "筛选：联席会议")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: table(pilot.app).row_count == 3)

        await filter_with(month="2026年3月")
        await wait_for_screen(pilot, "MeetingsScreen")
        await shows_only(pilot, POWER)
        assert await shows(pilot, "2026-03-01～2026-03-31")
        await pilot.press("ctrl+x")

        await filter_with(since="2026-01-01")  # a range open at its end
        await wait_for_screen(pilot, "MeetingsScreen")
        await shows_only(pilot, POWER, SEWER)
        await pilot.press("ctrl+x")

        await filter_with(person="李主任")
        await wait_for_screen(pilot, "MeetingsScreen")
        await shows_only(pilot, SEWER)
        await pilot.press("ctrl+x")

        # A date that cannot be read: said in the dialog, which stays; nothing filtered.
        dialog = await filter_with(until="2026-13-40")
        await wait_for(pilot, lambda: "日期格式不正确" in screen_text(pilot.app))
        assert pilot.app.screen is dialog
        await pilot.press("escape")
        await wait_for_screen(pilot, "MeetingsScreen")
        assert table(pilot.app).row_count == 3


async def test_sort_by_date_reverses_with_ctrl_r(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await meeting_list(pilot)
        await pilot.press("ctrl+r")  # oldest first
        await wait_for(pilot, lambda: topics(pilot.app) == [MARKUP, POWER, SEWER])
        assert await shows(pilot, "按日期排序")
        await pilot.press("f6")  # the kind
        await wait_for(pilot, lambda: screen.sort.column == "kind")


async def test_a_new_meeting_saved_from_the_keyboard_with_an_enterprise(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        ops_before = set(store.db.execute_sql("SELECT op_id FROM op").fetchall())
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "MeetingFormScreen")
        await wait_for(pilot, lambda: form.ready)
        assert form.raw()["date"] == date.today().isoformat()  # a new meeting is dated today
        await pilot.press("ctrl+u")
        burst(pilot, *"2026-05-20")
        await pilot.press("tab", "tab")  # the kind (项目专题协调会 by default), the topic
        burst(pilot, *"浩海挡土墙建设协调会")
        await pilot.press("tab")
        burst(pilot, *"陈副主任")
        await pilot.press("tab")
        burst(pilot, *"住建局,供电局")  # (the harness cannot send 、: no key name)
        await pilot.press("tab")
        # The enterprises involved: typed on the field, the picker searches by pinyin.
        burst(pilot, *"hhhb")
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: picker.results_for == "hhhb" and picker.items)
        await pilot.press("enter")
        await wait_for_screen(pilot, "MeetingFormScreen")
        await wait_for(pilot, lambda: HAOHAI in screen_text(pilot.app))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "MeetingsScreen")
        await listed(pilot)
        await wait_for(pilot, lambda: "浩海挡土墙建设协调会" in topics(pilot.app))

    mid = meeting_id(store, "浩海挡土墙建设协调会")
    meeting = store.meetings.require(mid)
    assert meeting.date == date(2026, 5, 20) and meeting.kind == "coordination"
    assert meeting.chair == "陈副主任" and meeting.departments == ["住建局", "供电局"]
    haohai = store.db.execute_sql("SELECT id FROM enterprise WHERE name = ?", (HAOHAI,)).fetchone()
    links = store.db.execute_sql(
        "SELECT enterprise_id FROM meeting_enterprise WHERE meeting_id = ? AND deleted = 0",
        (mid,),
    ).fetchall()
    assert links == [(haohai[0],)]
    # Written through the writer: ops for the new row and its link, nothing else.
    ops = [
        tbl
        for op_id, tbl in store.db.execute_sql("SELECT op_id, tbl FROM op").fetchall()
        if (op_id,) not in ops_before
    ]
    assert set(ops) == {"meeting", "meeting_enterprise"}


async def test_an_outside_edit_while_the_form_is_open_shows_and_becomes_a_conflict(
    store: Store, zh: None
) -> None:
    mid = meeting_id(store, SEWER)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        burst(pilot, *"pwgd")
        await shows_only(pilot, SEWER)
        await pilot.press("enter")
        form = await wait_for_screen(pilot, "MeetingFormScreen")
        await wait_for(pilot, lambda: form.ready)
        form.query_one("#chair").focus()
        await wait_for(pilot, lambda: pilot.app.focused is form.query_one("#chair"))
        burst(pilot, *"甲")
        await wait_for(pilot, lambda: form.dirty)
        with Store(store.path) as other:
            other.meetings.update(mid, chair="何主任", decisions="7月底前完成接驳")
        await wait_for(pilot, lambda: "主持人" in form.notice, what="the changed field named")
        await wait_for(pilot, lambda: form.raw()["decisions"] == "7月底前完成接驳")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(pilot.app, "冲突"))
    assert "chair" in store.meetings.conflict_fields(mid)


async def test_delete_asks_with_cancel_focused_and_shows_the_topic_literally(
    store: Store, zh: None
) -> None:
    mid = meeting_id(store, MARKUP)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        burst(pilot, *"座谈")
        await shows_only(pilot, MARKUP)
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert await shows(pilot, f"确定删除会议“{MARKUP}”吗？")
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == "no"
        await pilot.press("y")
        assert pilot.app.screen is dialog
        await pilot.press("enter")
        await wait_for_screen(pilot, "MeetingsScreen")
        assert not store.meetings.require(mid).deleted

        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await settle(pilot)
        with Store(store.path) as other:
            other.meetings.update(mid, notes="改期")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: store.meetings.require(mid).deleted)
        await listed(pilot)
        await wait_for(pilot, lambda: table(pilot.app).row_count == 0)
    assert DELETED_FIELD in store.meetings.conflict_fields(mid)


async def test_ctrl_o_imports_a_meetings_sheet(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        await pilot.press("ctrl+o")
        dialog = await wait_for_screen(pilot, "SheetImportScreen")
        assert dialog.query_one("#sheet-kind", Select).value == "meetings"
        await pilot.press("escape")
        await wait_for_screen(pilot, "MeetingsScreen")


async def test_ctrl_g_x_types_x_into_the_search(store: Store, zh: None) -> None:
    """Only an area's letter opens it; any other letter after Ctrl+G is search text."""
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await meeting_list(pilot)
        burst(pilot, "ctrl+g", "x")
        await wait_for(pilot, lambda: screen.search_text == "x")
        assert pilot.app.screen is screen
        burst(pilot, "escape", "ctrl+g", "a", *"hhhb")
        activities = await wait_for_screen(pilot, "ActivitiesScreen")
        await wait_for(pilot, lambda: activities.search_text == "hhhb")
        burst(pilot, "ctrl+g", "m")
        assert await wait_for_screen(pilot, "MeetingsScreen") is screen


def test_a_month_or_a_day_bounds_the_filter() -> None:
    from fieldtui.store.dated_list import month_range, parse_bound

    assert month_range("2024年2月") == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_range("2026-13") is None
    assert parse_bound("2026/03", end=True) == date(2026, 3, 31)
    assert parse_bound("2026-3", end=False) == date(2026, 3, 1)
    assert parse_bound("2026年3月5日", end=True) == date(2026, 3, 5)
    assert parse_bound("  ", end=False) is None
    for bad in ("2026-13", "2026-02-30", "三月"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            parse_bound(bad, end=False)


async def test_an_untouched_new_meeting_is_dated_today_and_leaves_without_asking(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await meeting_list(pilot)
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "MeetingFormScreen")
        await wait_for(pilot, lambda: form.ready)
        assert form.raw()["date"] == date.today().isoformat()
        await pilot.press("escape")  # today's date is the baseline: nothing to lose, no question
        await wait_for_screen(pilot, "MeetingsScreen")
