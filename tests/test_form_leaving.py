"""The whole app around a changed form: every way out asks, drafts come back at start, and
other processes' changes reach open lists and forms within a second (issue 7 items 4 and 6).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from fieldtui.app import FieldApp
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, get_draft, save_draft
from fieldtui.ui.screens.drafts import DraftsDialog
from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog
from fieldtui.ui.widgets.sidebar import AreaNav
from form_support import draft_field, drafts, focus_field
from screen_app import screen_text, settle, type_text, wait_for

SIZE = (100, 30)


@pytest.fixture
def store(tmp_store: Store) -> Store:
    """Not a first run: one officer and one enterprise."""
    tmp_store.officers.create(Officer(name="张伟"))
    tmp_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    return tmp_store


def make_app(store: Store, tmp_path: Path) -> FieldApp:
    return FieldApp(store, demo_path=tmp_path / "demo.db", lang="en")


async def changed_form(pilot: Any, app: FieldApp, name: str = "肇庆新厂") -> EnterpriseFormScreen:
    """The ledger, then a new enterprise form with a name typed."""
    await wait_for(pilot, lambda: app.current_mode == "ledger")
    form = EnterpriseFormScreen()
    await app.push_screen(form)
    await wait_for(pilot, lambda: form.ready)
    await type_text(pilot, name)
    await wait_for(pilot, lambda: form.dirty)
    return form


async def test_ctrl_q_on_a_changed_form_asks_and_keep_stays(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await changed_form(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press(*"skd ")  # no letter answers the question
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # keep editing (also what Enter does: it has the focus)
        await wait_for(pilot, lambda: app.screen is form)
        assert app.return_code is None  # still running
        assert form.raw()["name"] == "肇庆新厂"


async def test_ctrl_q_save_writes_the_form_then_quits(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await changed_form(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("ctrl+s")  # save, as in the form
        await wait_for(pilot, lambda: app.return_code is not None)
    assert [e.name for e in store.enterprises.list() if e.name == "肇庆新厂"] == ["肇庆新厂"]
    assert drafts(store) == []


async def test_ctrl_q_discard_quits_and_leaves_no_draft(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await changed_form(pilot, app)
        await wait_for(pilot, lambda: draft_field(store, "name") == "肇庆新厂")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("left", "enter")  # discard: one button left of "keep editing"
        await wait_for(pilot, lambda: app.return_code is not None)
    assert drafts(store) == []
    assert store.enterprises.count() == 1


async def test_switching_area_from_a_changed_form_asks(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await changed_form(pilot, app)
        await app.run_action("area('home')")  # what the area keys and Ctrl+G's picker run
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("enter")  # keep editing has the focus
        await wait_for(pilot, lambda: app.screen is form)
        assert app.current_mode == "ledger"
        app.post_message(AreaNav.Selected("home"))  # a click in the sidebar
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("left", "enter")  # discard
        await wait_for(pilot, lambda: app.current_mode == "home")
        await app.run_action("area('ledger')")
        await wait_for(pilot, lambda: app.current_mode == "ledger")
        assert not isinstance(app.screen, EnterpriseFormScreen)  # discarded
    assert drafts(store) == []


async def test_going_to_an_area_from_the_palette_asks(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await changed_form(pilot, app)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen is not form)
        await type_text(pilot, "Go to: My week")
        await wait_for(pilot, lambda: "Go to: My week" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.current_mode == "home")
    assert store.enterprises.count() == 2  # saved on the way out


async def test_a_clean_form_leaves_without_asking(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "ledger")
        form = EnterpriseFormScreen()
        await app.push_screen(form)
        await wait_for(pilot, lambda: form.ready)
        await app.run_action("area('home')")
        await wait_for(pilot, lambda: app.current_mode == "home")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None)


# --------------------------------------------------------------------------- drafts at start


def left_draft(store: Store, row_id: str | None = None, name: str = "四会新材料") -> None:
    """A draft another (dead) process left behind."""
    fields: dict[str, str | None] = {"name": name, "status": "operating", "notes": ""}
    save_draft(
        store,
        Draft(
            id="left",
            kind="enterprise",
            row_id=row_id,
            title=name,
            fields=fields,
            base={"name": "", "status": "operating", "notes": ""},
            owner="another-laptop:4242",
        ),
    )


async def test_a_draft_left_by_a_crash_is_offered_and_restored(
    store: Store, tmp_path: Path
) -> None:
    left_draft(store)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog))
        await wait_for(pilot, lambda: "四会新材料" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EnterpriseFormScreen))
        form = app.screen
        assert isinstance(form, EnterpriseFormScreen)
        await wait_for(pilot, lambda: form.ready)
        assert form.query_one("#name", Input).value == "四会新材料"
        assert form.dirty and app.current_mode == "ledger"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EnterpriseFormScreen))
    assert "四会新材料" in [e.name for e in store.enterprises.list()]
    assert drafts(store) == []


async def test_a_left_draft_can_wait_or_be_discarded(store: Store, tmp_path: Path) -> None:
    left_draft(store)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog))
        await pilot.press("escape")  # later
        await wait_for(pilot, lambda: not isinstance(app.screen, DraftsDialog))
    assert get_draft(store, "left") is not None  # kept for the next start
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog))
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # Cancel: nothing lost
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog))
        assert get_draft(store, "left") is not None
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("tab", "enter")  # the destructive button, reached on purpose
        await wait_for(pilot, lambda: get_draft(store, "left") is None)


async def test_a_draft_of_a_running_window_is_not_offered(store: Store, tmp_path: Path) -> None:
    save_draft(store, Draft(id="open", kind="enterprise", title="别的窗口"))  # this process
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "ledger")
        await pilot.pause()
        assert not isinstance(app.screen, DraftsDialog)


# --------------------------------------------------------------------------- outside changes


def outside(path: Path, change: Callable[[Store], object]) -> None:
    """A write through another connection, as another process makes it."""
    with Store(path) as other:
        change(other)


async def test_other_processes_changes_reach_lists_and_forms_within_a_second(
    store: Store, tmp_path: Path
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "广东浩海环保设备有限公司" in screen_text(app))
        # Another process, e.g. `fieldtui sheet import` in another terminal (a thread here,
        # so that this test's own database work does not hold up the app's event loop).
        await asyncio.to_thread(
            outside,
            store.path,
            lambda s: s.enterprises.create(Enterprise(name="肇庆外部导入有限公司")),
        )
        took = await wait_for(pilot, lambda: "肇庆外部导入有限公司" in screen_text(app), every=0.02)
        assert took < 1.0
        ent = next(e for e in store.enterprises.list() if e.name.startswith("广东浩海")).id
        form = EnterpriseFormScreen(ent)
        await app.push_screen(form)
        await wait_for(pilot, lambda: form.ready)
        await settle(pilot)  # the form has shown its fields
        await asyncio.to_thread(
            outside, store.path, lambda s: s.enterprises.update(ent, address="大旺大道18号")
        )
        took = await wait_for(pilot, lambda: form.raw()["address"] == "大旺大道18号", every=0.02)
        assert took < 1.0
        await focus_field(pilot, form, "contact")
        await type_text(pilot, "王五")  # now a field changed here and elsewhere
        await asyncio.to_thread(
            outside, store.path, lambda s: s.enterprises.update(ent, contact="赵六")
        )
        took = await wait_for(pilot, lambda: "Contact person" in form.notice, every=0.02)
        assert took < 1.0
