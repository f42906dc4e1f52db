"""The checklists area (6), revising a list from the keyboard, the monthly duty check and the
office's breach list, driven in Chinese at 80×24 on temporary databases."""

from __future__ import annotations

import signal
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from fieldtui.app import FieldApp
from fieldtui.domain.checklists import Answer, month_of
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.drafts import list_drafts
from fieldtui.store.visits import SelfCheckInput, VisitInput, save_visit
from fieldtui.sync.peers import init_role
from fieldtui.ui.screens.checklist_editor import item_lines
from fieldtui.ui.screens.duty_check import previous_month
from screen_app import burst, screen_text, wait_for, wait_for_screen
from week_support import (
    TODAY,
    StubVisitForm,
    Week,
    install_stub_screens,
    seed_week,
)

pytestmark = pytest.mark.usefixtures("zh")
SIZE = (80, 24)
MONTH = month_of(TODAY)


@pytest.fixture
def week(tmp_store: Store) -> Week:
    return seed_week(tmp_store)


@pytest.fixture
def stub_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    install_stub_screens(monkeypatch)


def make_app(store: Store, tmp_path: Path) -> FieldApp:
    return FieldApp(store, lang="zh", demo_path=tmp_path / "demo.db")


async def open_checklists(pilot: Any) -> Any:
    await wait_for_screen(pilot, "MyWeekScreen")
    await pilot.press("ctrl+g", "6")
    screen = await wait_for_screen(pilot, "ChecklistsScreen")
    await wait_for(pilot, lambda: screen.data is not None and screen.items_table.is_loaded)
    return screen


async def open_editor(pilot: Any, key: str) -> Any:
    await pilot.press(key)
    editor = await wait_for_screen(pilot, "ChecklistEditorScreen")
    await wait_for(pilot, lambda: editor.base is not None)
    return editor


# ------------------------------------------------------------------ versions and revising


async def test_the_lists_and_their_versions(tmp_store: Store, week: Week, tmp_path: Path) -> None:
    negative = cl.current_checklist(tmp_store, "negative")
    texts = [*negative.texts[:-1], "不得在企业兼职或领取报酬"]
    cl.revise_checklist(tmp_store, "negative", texts, base_template_id=negative.template_id)
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklists(pilot)
        rows = [(v.checklist.kind, v.checklist.version, v.current) for v in screen.shown]
        assert rows == [("duty", 1, True), ("negative", 2, True), ("negative", 1, False)]
        shown = screen_text(app)
        for text in ("职责清单", "负面清单", "第2版", "现行", "每周到挂点企业现场走访"):
            assert text in shown, text
        await pilot.press("down", "down")  # the old version of the negative list
        await wait_for(pilot, lambda: screen.items and screen.items[-1].text == negative.texts[-1])
        await pilot.press("up")
        await wait_for(pilot, lambda: screen.items[-1].text == "不得在企业兼职或领取报酬")
        # typing searches the items: only versions holding a match stay
        await pilot.press(*"兼职")
        await wait_for(pilot, lambda: [v.checklist.version for v in screen.shown] == [2])
        assert [i.text for i in screen.items] == ["不得在企业兼职或领取报酬"]
        await pilot.press("escape")
        # a revision arriving from elsewhere (a sync import) shows by itself
        duty = cl.current_checklist(tmp_store, "duty")
        with Store(tmp_store.path) as other:
            cl.revise_checklist(other, "duty", duty.texts[1:], base_template_id=duty.template_id)
        await wait_for(pilot, lambda: [v.checklist.version for v in screen.shown][:2] == [2, 1])
        await wait_for(pilot, lambda: "第2版" in screen_text(app))


async def test_revising_a_list_from_the_keyboard_keeps_old_answers_reading_right(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    old = cl.current_checklist(tmp_store, "negative")
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklists(pilot)
        await pilot.press("down")  # the negative list
        await wait_for(pilot, lambda: screen.items[0].text == old.texts[0])
        await pilot.press("tab")  # from the versions to the items
        await wait_for(pilot, lambda: app.focused is screen.items_table)
        await pilot.press("down")  # item 2
        editor = await open_editor(pilot, "f2")
        area = editor.query_one(TextArea)
        assert area.cursor_location == (1, 0)  # on the item highlighted
        # reword item 2: the line replaced, then an item added at the end
        await pilot.press("shift+end")
        await pilot.press(*"不得收受[b]礼品[/b]")
        await pilot.press(*["down"] * len(old.items), "end")  # the end of the last line
        await pilot.press("enter", *"不得参加[@click=app.quit]x[/]活动")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ChecklistsScreen")
        await wait_for(pilot, lambda: screen.shown and screen.shown[1].checklist.version == 2)
    new = cl.current_checklist(tmp_store, "negative")
    assert new.version == 2 and new.template_id != old.template_id
    assert new.texts == (
        old.texts[0],
        "不得收受[b]礼品[/b]",
        *old.texts[2:],
        "不得参加[@click=app.quit]x[/]活动",
    )
    # the visit answered before still reads the version it answered
    check = cl.visit_self_check(tmp_store, week.breach_visit)
    assert check.checklist.template_id == old.template_id and check.complete
    assert check.failures[0][0].text == old.texts[0]
    assert [b.version for b in cl.breaches(tmp_store)] == [1]


async def test_adding_and_retiring_items(tmp_store: Store, week: Week, tmp_path: Path) -> None:
    old = cl.current_checklist(tmp_store, "duty")
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklists(pilot)
        editor = await open_editor(pilot, "ctrl+n")  # a new line at the end, the cursor on it
        assert editor.query_one(TextArea).cursor_location == (len(old.items), 0)
        await pilot.press(*"按时参加月度例会", "ctrl+s")
        await wait_for_screen(pilot, "ChecklistsScreen")
        await wait_for(pilot, lambda: screen.shown[0].checklist.version == 2)
        assert cl.current_checklist(tmp_store, "duty").texts == (*old.texts, "按时参加月度例会")

        # Delete on an item: asks (Cancel focused), Enter cancels
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is screen.items_table)
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert "确定停用职责清单第1项“每周到挂点企业现场走访”吗？" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ChecklistsScreen")
        assert cl.current_checklist(tmp_store, "duty").version == 2
        # again, Tab to 停用 and Enter
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("tab")
        await wait_for(pilot, lambda: dialog.focused is not None and dialog.focused.id == "yes")
        await pilot.press("enter")
        await wait_for(pilot, lambda: cl.current_checklist(tmp_store, "duty").version == 3)
        await wait_for(pilot, lambda: screen.shown[0].checklist.version == 3)
    assert cl.current_checklist(tmp_store, "duty").texts == (*old.texts[1:], "按时参加月度例会")
    # this month's duty answer, given to version 1, still reads as given
    check = cl.duty_check(tmp_store, week.me, MONTH)
    assert check.checklist.version == 1 and len(check.answers) == 1


async def test_the_editor_refuses_what_cannot_be_saved_and_loses_nothing(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklists(pilot)
        editor = await open_editor(pilot, "f2")
        area = editor.query_one(TextArea)
        area.move_cursor((1, 0))
        await pilot.press("enter")  # an empty line in the middle: item 2 is empty
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "第2项为空" in screen_text(app))
        assert app.screen is editor
        # the office revised the list meanwhile (another window, a sync file)
        duty = cl.current_checklist(tmp_store, "duty")
        with Store(tmp_store.path) as other:
            cl.revise_checklist(
                other, "duty", [*duty.texts, "另一处的修订"], base_template_id=duty.template_id
            )
        mine = [*duty.texts[:2], "只改这一处"]
        area.load_text("\n".join(mine))
        await pilot.press("ctrl+s")
        # nothing saved; what the other revision did is named, the wording stays
        await wait_for(pilot, lambda: "未保存：职责清单已被修订，现为第2版。" in screen_text(app))
        await wait_for(pilot, lambda: "“另一处的修订”" in screen_text(app))
        assert app.screen is editor and area.text == "\n".join(mine)
        assert cl.current_checklist(tmp_store, "duty").version == 2
        # Escape with changes asks; Escape again keeps editing
        await pilot.press("escape")
        await wait_for_screen(pilot, "UnsavedChangesDialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is editor)
        # now seen, Ctrl+S saves the wording over the new version
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ChecklistsScreen")
    current = cl.current_checklist(tmp_store, "duty")
    assert current.version == 3 and list(current.texts) == mine


async def test_a_laptop_shows_the_lists_read_only(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    init_role(tmp_store, "laptop", "张三的电脑")
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklists(pilot)
        await wait_for(pilot, lambda: "本机只读" in screen_text(app))
        for key in ("f2", "ctrl+n", "delete", "enter"):
            await pilot.press(key)
        assert app.screen is screen
        assert "停用事项" not in screen_text(app)  # the footer offers no revision
    assert cl.current_checklist(tmp_store, "duty").version == 1


def test_item_lines() -> None:
    assert item_lines("\n甲\n\n乙\n\n") == ["甲", "", "乙"]
    assert item_lines("") == []


# ------------------------------------------------------------------ the duty check


async def test_the_duty_check_from_my_week(tmp_store: Store, week: Week, tmp_path: Path) -> None:
    duty = cl.current_checklist(tmp_store, "duty")
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        home = await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: home.data is not None and home.table.is_loaded)
        await pilot.press("enter")  # the first row: this month's duty check
        screen = await wait_for_screen(pilot, "DutyCheckScreen")
        await wait_for(pilot, lambda: screen.check is not None)
        assert "已答1/8项" in screen_text(app)

        def answers() -> dict[int, tuple[str, str | None]]:
            check = cl.duty_check(tmp_store, week.me, MONTH)
            return {
                duty.item(i).position: (a.answer, a.note)  # type: ignore[union-attr]
                for i, a in check.answers.items()
            }

        # Enter on item 2: done; Enter again: not done, which asks why (required)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: answers().get(2) == ("done", None))
        await pilot.press("enter")
        dialog = await wait_for_screen(pilot, "NoteDialog")
        await pilot.press("enter")  # empty: refused, the dialog stays
        await wait_for(pilot, lambda: "说明为必填项" in screen_text(app))
        assert app.screen is dialog
        await pilot.press(*"[red]外出招商[/]", "enter")
        await wait_for_screen(pilot, "DutyCheckScreen")
        await wait_for(pilot, lambda: answers().get(2) == ("not_done", "[red]外出招商[/]"))
        await wait_for(pilot, lambda: "[red]外出招商[/]" in screen_text(app))
        # Ctrl+T: the rest done, the answers given stay
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: len(answers()) == 8)
        assert answers()[2] == ("not_done", "[red]外出招商[/]")
        assert answers()[1] == ("done", None)
        await wait_for(pilot, lambda: "已完成；8项中有1项未落实。" in screen_text(app))
        # F3: last month, unanswered; F4 back; F4 again: no further than this month
        await pilot.press("f3")
        await wait_for(pilot, lambda: screen.check and screen.check.month == previous_month(MONTH))
        await wait_for(pilot, lambda: "已答0/8项" in screen_text(app))
        await pilot.press("f4", "f4")
        await wait_for(pilot, lambda: screen.check and screen.check.month == MONTH)
        # an answer changed by another process (another window) shows by itself
        with Store(tmp_store.path) as other:
            cl.save_duty_check(
                other,
                week.me,
                MONTH,
                duty.template_id,
                {duty.items[2].id: Answer("not_done", "另一窗口")},
            )
        await wait_for(pilot, lambda: "另一窗口" in screen_text(app))
        await pilot.press("escape")
        await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: home.rows[0].mark == "已完成")
        assert home.rows[0].detail == "2项未落实"
    assert cl.duty_check(tmp_store, week.me, MONTH).complete


def test_previous_month() -> None:
    assert previous_month("2026-01") == "2025-12"
    assert previous_month("2026-12") == "2026-11"


# ------------------------------------------------------------------ the breach list


def breach(store: Store, officer: str, enterprise: str, day: Any, note: str) -> str:
    neg = cl.current_checklist(store, "negative")
    answers = {**cl.all_answered(neg), neg.items[1].id: Answer("breached", note)}
    saved = save_visit(
        store,
        VisitInput(
            enterprise, day, (officer,), self_check=SelfCheckInput(neg.template_id, answers)
        ),
        today=TODAY,
    )
    return saved.visit_id


async def test_the_breach_list(
    tmp_store: Store, week: Week, tmp_path: Path, stub_screens: None
) -> None:
    last_year = TODAY.replace(year=TODAY.year - 1, day=1)
    old = breach(tmp_store, week.me, week.recent, last_year, "[b]收受购物卡[/b]")
    duty = cl.current_checklist(tmp_store, "duty")
    cl.save_duty_check(
        tmp_store,
        week.other,
        MONTH,
        duty.template_id,
        {duty.items[3].id: Answer("not_done", "病假")},
    )
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklists(pilot)
        await pilot.press("f7")
        screen = await wait_for_screen(pilot, "BreachesScreen")
        await wait_for(pilot, lambda: screen.data is not None and screen.table.is_loaded)
        # this year: the colleague's breach, with who, when, which item and the note
        assert [(b.officer, b.visit_id) for b in screen.shown] == [("李四", week.breach_visit)]
        shown = screen_text(app)
        for text in (
            (TODAY - timedelta(3)).isoformat(),
            "李四",
            "1. 不得接受企业",
            "接受工作午餐一次",
            f"{TODAY.year}年度 · 1条",
        ):
            assert text in shown, text
        # F3: last year's
        await pilot.press("f3")
        await wait_for(pilot, lambda: [b.visit_id for b in screen.shown] == [old])
        await wait_for(pilot, lambda: "[b]收受购物卡[/b]" in screen_text(app))
        # Ctrl+F: every year, officer 张三 (the choice made in the dialog)
        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "BreachFilterScreen")
        from textual.widgets import Checkbox, Select

        dialog.query_one("#breach-year", Select).value = Select.NULL
        dialog.query_one("#breach-officer", Select).value = week.me
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "BreachesScreen")
        await wait_for(pilot, lambda: [b.visit_id for b in screen.shown] == [old])
        # every year, everyone, unmet duties too
        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "BreachFilterScreen")
        dialog.query_one("#breach-officer", Select).value = Select.NULL
        dialog.query_one("#breach-duty", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "BreachesScreen")
        await wait_for(pilot, lambda: len(screen.shown) == 3)
        # typing searches; Enter opens the visit
        burst(pilot, *"购物卡")
        await wait_for(pilot, lambda: [b.visit_id for b in screen.shown] == [old])
        await pilot.press("enter")
        await wait_for_screen(pilot, "StubVisitForm")
        assert StubVisitForm.opened == [(old, None)]
        await pilot.press("escape")
        await wait_for_screen(pilot, "BreachesScreen")
        # Escape clears the search, then goes back to the checklists
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.shown) == 3)
        burst(pilot, *"病假")
        await wait_for(pilot, lambda: [b.kind for b in screen.shown] == ["duty"])
        await pilot.press("enter")  # an unmet duty opens that month's duty check
        duty_screen = await wait_for_screen(pilot, "DutyCheckScreen")
        assert (duty_screen.officer_id, duty_screen.month) == (week.other, MONTH)
        await pilot.press("escape")
        await wait_for_screen(pilot, "BreachesScreen")
        await pilot.press("escape", "escape")
        await wait_for_screen(pilot, "ChecklistsScreen")


async def test_the_note_dialog_keeps_markup_as_text(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    """An item worded ``[@click=app.quit]x[/]`` by the office shows as typed in the duty check
    and its note dialog (a link there would quit the app)."""
    duty = cl.current_checklist(tmp_store, "duty")
    cl.revise_checklist(
        tmp_store,
        "duty",
        ["[@click=app.quit]x[/]", "ab[/]c", *duty.texts[2:]],
        base_template_id=duty.template_id,
    )
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        home = await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: home.data is not None)
        await pilot.press("ctrl+d")
        screen = await wait_for_screen(pilot, "DutyCheckScreen")
        await wait_for(pilot, lambda: screen.check is not None)
        # this month's answer went to version 1; last month has none: the new version shows
        await pilot.press("f3")
        await wait_for(pilot, lambda: "[@click=app.quit]x[/]" in screen_text(app))
        await pilot.press("down")
        await wait_for(pilot, lambda: "2. ab[/]c" in screen_text(app))
        await pilot.press("up", "f2")
        dialog = await wait_for_screen(pilot, "NoteDialog")
        assert "1. [@click=app.quit]x[/]" in screen_text(app)
        dialog.query_one(Input).value = "[/]"
        await pilot.press("enter")
        await wait_for_screen(pilot, "DutyCheckScreen")
        await wait_for(pilot, lambda: "说明：[/]" in screen_text(app))
        assert app.is_running


# ------------------------------------------------------------------ typed work is never lost


async def test_quitting_or_leaving_with_a_changed_revision_asks(
    tmp_store: Store, week: Week, tmp_path: Path
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklists(pilot)
        editor = await open_editor(pilot, "ctrl+n")
        await pilot.press(*"按时参加例会")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "UnsavedChangesDialog")
        await pilot.press("escape")  # keep editing
        await wait_for(pilot, lambda: app.screen is editor)
        assert app.is_running
        await pilot.press("ctrl+g", "0")  # another area: asks too
        await wait_for_screen(pilot, "UnsavedChangesDialog")
        await pilot.press("ctrl+s")  # save, then go
        await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: cl.current_checklist(tmp_store, "duty").version == 2)
        await wait_for(pilot, lambda: list_drafts(tmp_store) == [])
    assert cl.current_checklist(tmp_store, "duty").texts[-1] == "按时参加例会"


async def test_a_revision_being_typed_survives_the_app_being_killed(
    tmp_store: Store, week: Week, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldtui.store import drafts as drafts_module

    # The draft looks left by another process (this test's own would be "still open").
    monkeypatch.setattr(drafts_module, "this_process", lambda: "another-laptop:1")
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklists(pilot)
        await open_editor(pilot, "ctrl+n")
        await pilot.press(*"按时参加例会")
        app.terminated(signal.SIGTERM)  # a shutdown: the draft is written at once
        assert [d.fields["text"] for d in list_drafts(tmp_store, "checklist")] == [
            "\n".join([*cl.current_checklist(tmp_store, "duty").texts, "按时参加例会"])
        ]
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "DraftsDialog")
        assert "清单修订 · 职责清单" in screen_text(app)
        await pilot.press("enter")  # restore
        editor = await wait_for_screen(pilot, "ChecklistEditorScreen")
        await wait_for(pilot, lambda: editor.base is not None)
        assert editor.area.text.endswith("\n按时参加例会")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ChecklistsScreen")
        await wait_for(pilot, lambda: list_drafts(tmp_store) == [])
    assert cl.current_checklist(tmp_store, "duty").texts[-1] == "按时参加例会"
