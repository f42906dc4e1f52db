"""The form base, driven through its forms: saves against what was shown, drafts, leaving.

Issue 7 items 4-6 and issue 8 item 6. Waits are for conditions, never fixed sleeps.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.widgets import Input

from fieldtui import sync
from fieldtui.domain.forms import enterprise_form_text
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, get_draft, save_draft
from fieldtui.store.watch import Change
from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen
from fieldtui.ui.screens.form_base import RecordFormScreen
from fieldtui.ui.screens.officer_form import OfficerFormScreen
from fieldtui.ui.widgets.choice_dialog import UnsavedChangesDialog
from form_support import draft_field, drafts, focus_field
from screen_app import ScreenApp, settle, type_text, wait_for
from sync_support import conflicts_by_field, replica, ship, snapshot

SIZE = (100, 40)


def form_of(app: ScreenApp) -> RecordFormScreen:
    screen = app.screen
    assert isinstance(screen, RecordFormScreen)
    return screen


# --------------------------------------------------------------------------- saves vs. heads


async def test_a_form_saved_after_another_process_changed_the_field_keeps_both(
    tmp_path: Path,
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "张三")
    ent = hub.enterprises.create(Enterprise(name="简美实业", address="四会市")).id
    ship(hub, laptop, tmp_path / "init", full=True)
    app = ScreenApp(laptop, lambda: EnterpriseFormScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        assert form.raw()["address"] == "四会市"
        with Store(laptop.path) as cli:  # the command line, while the form is open
            cli.enterprises.update(ent, address="大旺一路")
        await focus_field(pilot, form, "address")
        await type_text(pilot, "东门")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [ent])
        assert any("conflict" in n.message for n in app._notifications)
    key = ("enterprise", ent, "address")
    both = {key: ['"四会市东门"', '"大旺一路"']}
    assert conflicts_by_field(laptop) == both
    ship(laptop, hub, tmp_path / "up")
    assert conflicts_by_field(hub) == both
    assert snapshot(hub) == snapshot(laptop)
    for store in (hub, laptop):
        store.close()


async def test_a_form_opened_before_a_sync_import_keeps_both_values(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "张三")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "李四")
    ent = hub.enterprises.create(Enterprise(name="博俊科技", phone="13800138000")).id
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "init", full=True)
    b.enterprises.update(ent, phone="13900139000")
    ship(b, hub, tmp_path / "up")
    app = ScreenApp(a, lambda: EnterpriseFormScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        ship(hub, a, tmp_path / "down")  # the sync import, while the form is open
        assert a.enterprises.require(ent).phone == "13900139000"
        phone = form.query_one("#phone", Input)
        phone.focus()
        phone.value = "13700137000"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [ent])
    expected = {("enterprise", ent, "phone"): ['"13700137000"', '"13900139000"']}
    assert conflicts_by_field(a) == expected
    ship(a, hub, tmp_path / "up2")
    assert conflicts_by_field(hub) == expected
    assert snapshot(hub) == snapshot(a)
    for store in (hub, a, b):
        store.close()


async def test_an_untouched_field_never_overwrites_an_outside_change(tmp_store: Store) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="日德实业", address="四会市")).id
    app = ScreenApp(tmp_store, lambda: EnterpriseFormScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        with Store(tmp_store.path) as cli:
            cli.enterprises.update(ent, address="大旺")
        await focus_field(pilot, form, "contact")
        await type_text(pilot, "王五")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [ent])
    saved = tmp_store.enterprises.require(ent)
    assert (saved.address, saved.contact) == ("大旺", "王五")
    assert tmp_store.enterprises.conflict_fields(ent) == []


async def test_an_open_form_follows_outside_changes_and_says_what_both_changed(
    tmp_store: Store,
) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="华音电器", phone="13800138000")).id
    other = tmp_store.enterprises.create(Enterprise(name="别家")).id
    app = ScreenApp(tmp_store, lambda: EnterpriseFormScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        form.outside_change(Change({"enterprise": frozenset({other})}))  # another record
        await settle(pilot)
        assert form.notice == "" and not form.dirty
        # a field not touched here shows the stored value, and saving will leave it alone
        with Store(tmp_store.path) as cli:
            cli.enterprises.update(ent, phone="13900139000")
        form.outside_change(Change({"enterprise": frozenset({ent})}))
        await wait_for(pilot, lambda: form.raw()["phone"] == "13900139000")
        assert form.notice == "" and not form.dirty
        # a field changed here and elsewhere: said, and kept as a conflict on save
        await focus_field(pilot, form, "contact")
        await type_text(pilot, "王五")
        with Store(tmp_store.path) as cli:
            cli.enterprises.update(ent, contact="赵六")
        form.outside_change(Change(None))
        await wait_for(pilot, lambda: "Contact person" in form.notice)
        assert form.raw()["contact"] == "王五"
        with Store(tmp_store.path) as cli:
            cli.enterprises.delete(ent)
        form.outside_change(Change(None))
        await wait_for(pilot, lambda: "deleted elsewhere" in form.notice)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [ent])
    assert tmp_store.enterprises.conflict_fields(ent) == ["_deleted", "contact"]
    assert tmp_store.enterprises.require(ent).phone == "13900139000"


# --------------------------------------------------------------------------- drafts


async def test_typing_keeps_a_draft_that_saving_removes(tmp_store: Store) -> None:
    app = ScreenApp(tmp_store, EnterpriseFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "浩海 ab[/]c")
        await wait_for(pilot, lambda: draft_field(tmp_store, "name") == "浩海 ab[/]c")
        (draft,) = drafts(tmp_store)
        assert (draft.kind, draft.row_id, draft.title) == ("enterprise", None, "浩海 ab[/]c")
        assert tmp_store.is_empty()  # a draft is not a record, and makes no op
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.results))
    assert drafts(tmp_store) == []
    assert tmp_store.enterprises.require(app.results[0]).name == "浩海 ab[/]c"


async def test_discarding_or_undoing_the_changes_removes_the_draft(tmp_store: Store) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="格绿朗", contact="李四")).id
    app = ScreenApp(tmp_store, lambda: EnterpriseFormScreen(ent))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        await focus_field(pilot, form, "contact")
        await type_text(pilot, "光")
        await wait_for(pilot, lambda: draft_field(tmp_store, "contact") == "李四光")
        (draft,) = drafts(tmp_store)
        assert draft.row_id == ent and draft.base["contact"] == "李四"
        assert draft.heads == tmp_store.enterprises.heads(ent)
        await pilot.press("backspace")  # back to what the form showed: no draft needed
        await wait_for(pilot, lambda: drafts(tmp_store) == [])
        await type_text(pilot, "光")
        await wait_for(pilot, lambda: len(drafts(tmp_store)) == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("left", "enter")  # discard: one button left of "keep editing"
        await wait_for(pilot, lambda: app.results == [None] and drafts(tmp_store) == [])
    assert tmp_store.enterprises.require(ent).contact == "李四"


async def test_a_restored_edit_saves_against_what_it_had_shown(tmp_store: Store) -> None:
    ent = tmp_store.enterprises.create(Enterprise(name="捷声音响", address="四会市")).id
    shown = tmp_store.enterprises.load(ent)
    assert shown is not None
    base = enterprise_form_text(shown.record)
    typed = {**base, "address": "四会市北门"}
    save_draft(
        tmp_store,
        Draft(
            id="d1",
            kind="enterprise",
            row_id=ent,
            title="捷声音响",
            fields=typed,
            base=base,
            heads=shown.heads,
        ),
    )
    tmp_store.enterprises.update(ent, address="大旺")  # changed after the crash
    draft = get_draft(tmp_store, "d1")
    app = ScreenApp(tmp_store, lambda: EnterpriseFormScreen(draft=draft))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        assert form.raw()["address"] == "四会市北门"
        assert form.dirty
        await wait_for(pilot, lambda: "Address" in form.notice)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [ent])
    assert conflicts_by_field(tmp_store) == {
        ("enterprise", ent, "address"): ['"四会市北门"', '"大旺"']
    }
    assert drafts(tmp_store) == []


async def test_a_kill_signal_writes_the_draft_at_once(tmp_store: Store, tmp_path: Path) -> None:
    import signal

    from fieldtui.app import FieldApp

    tmp_store.officers.create(Officer(name="张伟"))
    app = FieldApp(tmp_store, demo_path=tmp_path / "demo.db")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "ledger")
        await app.push_screen(EnterpriseFormScreen())
        await type_text(pilot, "肇庆新厂")
        app.terminated(signal.SIGTERM)  # before the typing pause that writes the draft
        assert draft_field(tmp_store, "name") == "肇庆新厂"
    assert app.return_code == 128 + signal.SIGTERM


# --------------------------------------------------------------------------- officers


async def test_an_officer_with_an_existing_name_warns_with_the_unit_hint(
    tmp_store: Store, zh: None
) -> None:
    tmp_store.officers.create(Officer(name="张伟", unit="经发局"))
    app = ScreenApp(tmp_store, OfficerFormScreen, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        form.query_one("#unit", Input).value = "招商一科"
        await type_text(pilot, "张 伟")
        await pilot.press("tab")  # leaving the name checks it
        await wait_for(pilot, lambda: "经发局" in form.field_message("name"))
        message = form.field_message("name")
        assert "张 伟（招商一科）" in message and "改名" not in message
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.results == []  # the first save stops at the warning
        assert tmp_store.officers.count() == 1
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.results))
    assert sorted(o.unit or "" for o in tmp_store.officers.list()) == ["招商一科", "经发局"]


async def test_first_run_phone_message_fits_one_line_at_80x24(tmp_store: Store, zh: None) -> None:
    from fieldtui.ui.screens.first_run import FirstRunScreen

    app = ScreenApp(tmp_store, FirstRunScreen, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "李明")
        await pilot.press("tab", *"12345")
        form = form_of(app)
        await wait_for(pilot, lambda: form.field_message("phone") != "")
        message = form.query_one("#msg-phone")
        assert message.size.height == 1
        assert message.content_size.width >= len(form.field_message("phone"))


# --------------------------------------------------------------------------- module seams


def test_enterprise_detail_and_form_do_not_import_each_other() -> None:
    screens = Path(__file__).resolve().parent.parent / "src" / "fieldtui" / "ui" / "screens"

    def imports(name: str) -> set[str]:
        tree = ast.parse((screens / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        return found

    assert "fieldtui.ui.screens.enterprise_form" not in imports("enterprise_detail")
    assert "fieldtui.ui.screens.enterprise_detail" not in imports("enterprise_form")


@pytest.mark.parametrize("kind", ["enterprise", "officer"])
def test_every_draft_kind_has_a_form_that_restores_it(kind: str) -> None:
    from fieldtui.ui.screens.registry import FORMS, screen_class

    cls = screen_class(FORMS[kind].screen)
    assert issubclass(cls, RecordFormScreen)
    assert getattr(cls, "KIND", None) == kind


def test_merge_outside_takes_untouched_fields_and_names_the_disputed_ones() -> None:
    from fieldtui.ui.screens.form_outside import merge_outside

    shown = {"name": ("n1",), "phone": ("p1",), "contact": ("c1",), "_deleted": ()}
    base = {"name": "甲", "phone": "1", "contact": "李", "notes": ""}
    typed = {"name": "甲", "phone": "1", "contact": "王", "notes": "x"}
    now = {"name": ("n1",), "phone": ("p2",), "contact": ("c2",), "_deleted": ("d1",)}
    stored = {"name": "甲", "phone": "2", "contact": "赵", "notes": ""}
    merge = merge_outside(list(base), shown, base, typed, now, stored, True)
    assert (merge.refreshed, merge.disputed, merge.deleted) == (["phone"], ["contact"], True)
    assert merge.texts == {"phone": "2"} and merge.heads == {"phone": ("p2",)}
    # typed to what is stored anyway: nothing to dispute
    same = merge_outside(["contact"], shown, base, {"contact": "赵"}, now, stored, False)
    assert (same.refreshed, same.disputed, same.deleted) == (["contact"], [], False)


async def test_the_officer_form_and_the_first_run_profile_share_fields_and_limits(
    tmp_store: Store,
) -> None:
    from fieldtui.ui.screens.first_run import FirstRunScreen

    assert FirstRunScreen.FIELDS == OfficerFormScreen.FIELDS
    app = ScreenApp(tmp_store, OfficerFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = form_of(app)
        limits = {n: form.query_one(f"#{n}", Input).max_length for n in ("name", "phone", "unit")}
    assert limits == {"name": 40, "phone": 24, "unit": 60}  # as the first-run screen had
