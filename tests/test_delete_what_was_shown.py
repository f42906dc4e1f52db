"""A delete from a list or a detail screen supersedes what the officer saw, and no more: an
edit made elsewhere meanwhile (a sync import, the command line, another window) is kept beside
the delete as a conflict instead of vanishing under it (issue 7 item 5, for every delete)."""

from __future__ import annotations

from typing import Any

from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store.models import DELETED_FIELD
from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog
from screen_app import ScreenApp, settle, wait_for, wait_for_screen

SIZE = (120, 40)


def edit_elsewhere(store: Store, change: Any) -> None:
    with Store(store.path) as other:  # another process's connection
        change(other)


async def confirm(pilot: Any) -> None:
    await pilot.press("tab", "enter")  # Cancel has the focus: the delete button, on purpose


async def test_a_detail_screen_deletes_what_it_showed(tmp_store: Store) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司")).id
    app = ScreenApp(tmp_store, lambda: EnterpriseDetailScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: screen.record is not None)
        edit_elsewhere(tmp_store, lambda s: s.enterprises.update(ent, phone="13800138000"))
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await confirm(pilot)
        await wait_for(pilot, lambda: app.results == [True], what="deleted")
    assert DELETED_FIELD in tmp_store.enterprises.conflict_fields(ent)
    assert tmp_store.enterprises.require(ent).phone == "13800138000"  # the edit is kept


async def test_a_detail_screen_delete_with_nothing_unseen_is_a_plain_delete(
    tmp_store: Store,
) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司")).id
    app = ScreenApp(tmp_store, lambda: EnterpriseDetailScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: screen.record is not None)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await confirm(pilot)
        await wait_for(pilot, lambda: app.results == [True])
    assert tmp_store.enterprises.require(ent).deleted
    assert tmp_store.enterprises.conflict_fields(ent) == []


async def test_the_ledger_deletes_what_it_showed_when_it_asked(tmp_store: Store) -> None:
    from fieldtui.app import FieldApp

    tmp_store.officers.create(Officer(name="张伟"))
    ent = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司")).id
    app = FieldApp(tmp_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        ledger = await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: ledger.table.cursor_data is not None)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await settle(pilot)  # the question is up and has read what the officer is deleting
        edit_elsewhere(tmp_store, lambda s: s.enterprises.update(ent, contact="李四"))
        await confirm(pilot)
        await wait_for(pilot, lambda: tmp_store.enterprises.require(ent).deleted)
    assert DELETED_FIELD in tmp_store.enterprises.conflict_fields(ent)
    assert tmp_store.enterprises.require(ent).contact == "李四"


async def test_the_roster_deletes_what_it_showed_when_it_asked(tmp_store: Store) -> None:
    from fieldtui.app import FieldApp

    officer = tmp_store.officers.create(Officer(name="张伟")).id
    app = FieldApp(tmp_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await pilot.press("ctrl+g", "7")
        roster = await wait_for_screen(pilot, "OfficersScreen")
        await wait_for(pilot, lambda: len(roster.shown) == 1)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await settle(pilot)
        edit_elsewhere(tmp_store, lambda s: s.officers.update(officer, unit="经发局"))
        await confirm(pilot)
        await wait_for(pilot, lambda: tmp_store.officers.require(officer).deleted)
    assert DELETED_FIELD in tmp_store.officers.conflict_fields(officer)
    assert tmp_store.officers.require(officer).unit == "经发局"


async def test_the_plan_removes_what_it_showed_when_it_asked(tmp_store: Store) -> None:
    from datetime import date

    from fieldtui.app import FieldApp
    from fieldtui.store.assignments import assign

    officer = tmp_store.officers.create(Officer(name="张伟")).id
    ent = tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司")).id
    assign(tmp_store, date.today().year, officer, enterprise_id=ent)
    (row,) = tmp_store.assignments.list()
    app = FieldApp(tmp_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await pilot.press("ctrl+g", "8")
        plan = await wait_for_screen(pilot, "AssignmentsScreen")
        await wait_for(pilot, lambda: plan.officer_table.is_loaded and len(plan.shown) == 1)
        await pilot.press("tab")  # the officer's assignments
        await wait_for(pilot, lambda: plan.current_row() is not None)
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await settle(pilot)
        edit_elsewhere(tmp_store, lambda s: s.assignments.update(row.id, role="assist"))
        await confirm(pilot)
        await wait_for(pilot, lambda: tmp_store.assignments.require(row.id).deleted)
    assert DELETED_FIELD in tmp_store.assignments.conflict_fields(row.id)
