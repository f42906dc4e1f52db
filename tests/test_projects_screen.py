"""The projects area (Ctrl+G 4) and the project form, driven from the keyboard in the whole
app at 80x24 in Chinese, as an officer uses them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Select

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.profile import set_current_officer
from fieldtui.store.project_list import ProjectRow
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from fieldtui.ui.widgets.virtual_table import VirtualTable
from screen_app import (
    burst,
    on_the_ledger,
    screen_text,
    settle,
    shows,
    wait_for,
    wait_for_screen,
)

HAOHAI = "广东浩海环保设备有限公司"
HUAYIN = "肇庆华音电子有限公司"
EXPANSION = "浩海环保设备扩产项目"
BASE = "华音音响生产基地项目"
MARKUP = "[b]盘活[/b]厂房改造项目"
YEAR = date.today().year


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "projects-ui.db") as s:
        zhang = s.officers.create(rec.Officer(name="张伟", unit="经发局"))
        s.officers.create(rec.Officer(name="李强", unit="招商局"))
        set_current_officer(s, "张伟")
        haohai = s.enterprises.create(rec.Enterprise(name=HAOHAI))
        huayin = s.enterprises.create(rec.Enterprise(name=HUAYIN))
        expansion = s.projects.create(
            rec.Project(
                name=EXPANSION,
                enterprise_id=haohai.id,
                planned_investment_wan=Decimal("5000"),
                source="expansion",
                signed_on=date(2025, 3, 1),
                land_on=date(2025, 5, 10),
                started_on=date(2025, 5, 10),
            )
        )
        s.projects.create(
            rec.Project(
                name=BASE,
                enterprise_id=huayin.id,
                planned_investment_wan=Decimal("12000.5"),
                source="attracted",
                signed_on=date(2026, 1, 15),
            )
        )
        s.projects.create(
            rec.Project(
                name=MARKUP,
                enterprise_id=huayin.id,
                planned_investment_wan=Decimal("800"),
                source="revitalized",
                revitalized=True,
                signed_on=date(2024, 2, 1),
                production_on=date(2024, 9, 1),
            )
        )
        s.assignments.create(
            rec.Assignment(year=YEAR, officer_id=zhang.id, project_id=expansion.id, role="cso")
        )
        yield s


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


def projects_table(app: Any) -> VirtualTable[ProjectRow]:
    return app.screen.query_one("#projects-table", VirtualTable)


def names(app: Any) -> list[str]:
    return [row.name for row in projects_table(app).visible_rows() if row is not None]


async def listed(pilot: Pilot[Any]) -> VirtualTable[ProjectRow]:
    def ready() -> bool:
        screen = pilot.app.screen
        if type(screen).__name__ != "ProjectsScreen":
            return False
        table = projects_table(pilot.app)
        return (
            table.is_loaded
            and table.row_count is not None
            and all(table.visible_rows())
            and screen.search_text == screen.filter.text
        )

    await wait_for(pilot, ready, what="the project list")
    return projects_table(pilot.app)


async def project_list(pilot: Pilot[Any]) -> Any:
    """Go to the projects (Ctrl+G 4) and wait for its rows."""
    await on_the_ledger(pilot)
    await pilot.press("ctrl+g", "4")
    screen = await wait_for_screen(pilot, "ProjectsScreen")
    await listed(pilot)
    return screen


async def shows_only(pilot: Pilot[Any], *wanted: str) -> None:
    await wait_for(pilot, lambda: sorted(names(pilot.app)) == sorted(wanted), what=f"only {wanted}")


def project_id(store: Store, name: str) -> str:
    row = store.db.execute_sql("SELECT id FROM project WHERE name = ?", (name,)).fetchone()
    return str(row[0])


def notified(app: Any, text: str) -> bool:
    return any(text in str(n.message) for n in app._notifications)


# --------------------------------------------------------------------------- the list


async def test_the_list_shows_stages_and_searches_by_pinyin_initials(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        assert projects_table(pilot.app).row_count == 3
        # The project, its enterprise, its stage and its planned investment fit at 80 columns.
        expected = ["项目", "3个", "项目阶段", "投资（万元）", "已开工", "已签约", "已投产"]
        expected += [EXPANSION, "5,000", "12,000.5", "[b]盘活[/b]"]  # markup shown literally
        await wait_for(
            pilot,
            lambda: all(part in screen_text(pilot.app) for part in expected),
            what=f"{expected} in {screen_text(pilot.app)}",
        )
        # The enterprise's pinyin initials (浩海环保), then the project's own (音响生产).
        burst(pilot, *"hhhb")
        await shows_only(pilot, EXPANSION)
        await pilot.press("escape")
        await wait_for(pilot, lambda: projects_table(pilot.app).row_count == 3)
        burst(pilot, *"yxsc")
        await shows_only(pilot, BASE)
        await pilot.press("escape")
        # Part of a name, in Chinese.
        burst(pilot, *"厂房")
        await shows_only(pilot, MARKUP)


async def test_typing_never_runs_a_command(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await project_list(pilot)
        # Letters that are commands elsewhere (n new, f filter, d delete, q quit), digits,
        # space and punctuation: all of them go into the search, in order.
        typed = "nfdq 4[x]/?"
        burst(pilot, *typed)
        await wait_for(pilot, lambda: screen.search_text == typed.strip())
        assert pilot.app.screen is screen
        assert screen.query_one("#projects-search").value == typed
        await wait_for(pilot, lambda: projects_table(pilot.app).row_count == 0)
        assert store.db.execute_sql("SELECT COUNT(*) FROM project").fetchone()[0] == 3


async def test_filters_by_stage_source_officer_and_revitalised(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await project_list(pilot)

        async def filter_with(**values: Any) -> None:
            await pilot.press("ctrl+f")
            dialog = await wait_for_screen(pilot, "ProjectFilterScreen")
            for widget_id, value in values.items():
                if widget_id == "revit":
                    dialog.query_one("#filter-revit", Checkbox).value = value
                    continue
                select = dialog.query_one(f"#filter-{widget_id}", Select)
                await wait_for(pilot, lambda s=select, v=value: any(o[1] == v for o in s._options))
                select.value = value
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, "ProjectsScreen")

        await filter_with(stage="started")
        await shows_only(pilot, EXPANSION)
        assert await shows(pilot, "筛选：已开工")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: projects_table(pilot.app).row_count == 3)

        await filter_with(source="attracted")
        await shows_only(pilot, BASE)
        await pilot.press("ctrl+x")

        zhang = store.db.execute_sql("SELECT id FROM officer WHERE name = '张伟'").fetchone()[0]
        await filter_with(officer=zhang)  # this year's plan: the project 张伟 leads
        await shows_only(pilot, EXPANSION)
        assert await shows(pilot, "张伟")  # the lead officer's column, and the filter line
        await pilot.press("ctrl+x")

        await filter_with(revit=True)
        await shows_only(pilot, MARKUP)
        # The search combines with the filter.
        burst(pilot, *"hy")
        await wait_for(pilot, lambda: screen.search_text == "hy")
        await shows_only(pilot, MARKUP)


async def test_sort_cycles_with_f6_and_reverses_with_ctrl_r(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        screen = await project_list(pilot)
        await pilot.press("f6")  # the stage, furthest first
        await wait_for(pilot, lambda: names(pilot.app) == [MARKUP, EXPANSION, BASE])
        assert await shows(pilot, "按项目阶段排序")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: names(pilot.app) == [BASE, EXPANSION, MARKUP])
        await pilot.press("f6")  # planned investment, largest first
        await wait_for(pilot, lambda: names(pilot.app) == [BASE, EXPANSION, MARKUP])
        assert screen.sort.column == "investment"


# --------------------------------------------------------------------------- the form


async def test_a_new_project_saved_from_the_keyboard(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        ops_before = store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "ProjectFormScreen")
        await wait_for(pilot, lambda: form.ready)
        burst(pilot, *"浩海二期厂房项目")
        await pilot.press("tab")
        # The enterprise: typed on its field, the picker searches by pinyin; Enter chooses.
        burst(pilot, *"hhhb")
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: picker.results_for == "hhhb" and picker.items)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ProjectFormScreen")
        await pilot.press("tab")
        burst(pilot, *"3500.5")
        await pilot.press("tab", "tab", "tab")  # source (招商引资 by default), revitalised
        burst(pilot, *"2026-05-01")
        await pilot.press("tab")
        burst(pilot, *"2026-03-01")  # land before signing: a warning, not a refusal
        await wait_for(pilot, lambda: "早于" in form.field_message("land_on"))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "ProjectsScreen")
        await listed(pilot)
        await wait_for(pilot, lambda: "浩海二期厂房项目" in names(pilot.app))

    pid = project_id(store, "浩海二期厂房项目")
    project = store.projects.require(pid)
    haohai = store.db.execute_sql("SELECT id FROM enterprise WHERE name = ?", (HAOHAI,)).fetchone()[
        0
    ]
    assert project.enterprise_id == haohai
    assert project.planned_investment_wan == Decimal("3500.5")
    assert project.source == "attracted"
    assert project.signed_on == date(2026, 5, 1) and project.land_on == date(2026, 3, 1)
    # Written through the writer: one op per field written, all for the new row.
    ops = store.db.execute_sql("SELECT tbl, row_id FROM op").fetchall()[ops_before:]
    assert ops and all(tbl == "project" and row == pid for tbl, row in ops)


async def test_an_impossible_milestone_date_refuses_the_save(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        await pilot.press("ctrl+n")
        form = await wait_for_screen(pilot, "ProjectFormScreen")
        await wait_for(pilot, lambda: form.ready)
        burst(pilot, *"新项目")
        await wait_for(pilot, lambda: form.raw()["name"] == "新项目")
        form.query_one("#signed_on").focus()
        await wait_for(pilot, lambda: pilot.app.focused is form.query_one("#signed_on"))
        burst(pilot, *"1980-01-01")
        await wait_for(pilot, lambda: "1990" in form.field_message("signed_on"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(pilot.app, "请按提示修改"))
        assert pilot.app.screen is form
    assert store.db.execute_sql("SELECT COUNT(*) FROM project").fetchone()[0] == 3


async def test_an_edit_saves_against_the_heads_shown_and_an_outside_edit_is_a_conflict(
    store: Store, zh: None
) -> None:
    pid = project_id(store, BASE)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        burst(pilot, *"yxsc")
        await shows_only(pilot, BASE)
        await pilot.press("enter")
        form = await wait_for_screen(pilot, "ProjectFormScreen")
        await wait_for(pilot, lambda: form.ready)
        shown = {op for ops in store.projects.heads(pid).values() for op in ops}
        form.query_one("#land_on").focus()
        burst(pilot, *"2026-02-20")
        await wait_for(pilot, lambda: form.dirty)
        # Another process changes a field the officer did not touch, and the one they did.
        with Store(store.path) as other:
            other.projects.update(pid, notes="办公室补充", land_on=date(2026, 2, 1))
        await wait_for(pilot, lambda: "供地日期" in form.notice)
        # Untouched: the new value shows at once.
        await wait_for(pilot, lambda: form.raw()["notes"] == "办公室补充")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(pilot.app, "冲突"))
    assert "land_on" in store.projects.conflict_fields(pid)
    parents = store.db.execute_sql(
        "SELECT parents FROM op WHERE tbl = 'project' AND row_id = ? AND field = 'land_on'"
        " AND value = ?",
        (pid, json.dumps("2026-02-20")),
    ).fetchone()
    assert parents is not None and set(json.loads(parents[0])) <= shown


async def test_enter_on_a_project_milestone_of_the_enterprise_timeline_opens_the_form(
    store: Store, zh: None
) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        ledger = await on_the_ledger(pilot)
        burst(pilot, *"hhhb")
        await wait_for(pilot, lambda: ledger.filter.text == "hhhb")
        await wait_for(pilot, lambda: ledger.table.row_count == 1)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: len(detail.timeline_entries) == 3)
        assert detail.timeline_entries[0].source == "project"
        await pilot.press("enter")
        form = await wait_for_screen(pilot, "ProjectFormScreen")
        await wait_for(pilot, lambda: form.ready)
        assert form.raw()["name"] == EXPANSION
        # The revitalised-plant box is drawn whole (its right edge was cut: ▐X…).
        assert await shows(pilot, "盘活厂房")
        assert "▐X▌" in screen_text(pilot.app) and "▐X…" not in screen_text(pilot.app)
        await pilot.press("escape")
        await wait_for_screen(pilot, "EnterpriseDetailScreen")


# --------------------------------------------------------------------------- delete


async def test_delete_asks_with_cancel_focused_and_deletes_what_was_shown(
    store: Store, zh: None
) -> None:
    pid = project_id(store, MARKUP)
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        burst(pilot, *"厂房")
        await shows_only(pilot, MARKUP)
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, "ConfirmDialog")
        assert await shows(pilot, f"确定删除项目“{MARKUP}”吗？")  # the name literally
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == "no"
        await pilot.press("y")  # no letter confirms
        assert pilot.app.screen is dialog
        await pilot.press("enter")  # Enter on Cancel: nothing deleted
        await wait_for_screen(pilot, "ProjectsScreen")
        assert not store.projects.require(pid).deleted

        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await settle(pilot)  # the question is up and has read what the officer is deleting
        # An edit made elsewhere after the question opened stays, beside the delete.
        with Store(store.path) as other:
            other.projects.update(pid, notes="厂房已交付")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: store.projects.require(pid).deleted)
        await listed(pilot)
        await wait_for(pilot, lambda: projects_table(pilot.app).row_count == 0)
    assert DELETED_FIELD in store.projects.conflict_fields(pid)
    assert store.projects.require(pid).notes == "厂房已交付"


async def test_ctrl_o_imports_a_projects_sheet(store: Store, zh: None) -> None:
    async with make_app(store).run_test(size=(80, 24)) as pilot:
        await project_list(pilot)
        await pilot.press("ctrl+o")
        dialog = await wait_for_screen(pilot, "SheetImportScreen")
        assert dialog.query_one("#sheet-kind", Select).value == "projects"
        await pilot.press("escape")
        await wait_for_screen(pilot, "ProjectsScreen")
