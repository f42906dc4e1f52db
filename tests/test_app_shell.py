"""The shell, driven by keyboard through Pilot on temporary databases (in Chinese)."""

from __future__ import annotations

import dataclasses
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import WorkerCancelled

from fieldtui import app as app_module
from fieldtui import startup
from fieldtui.app import FieldApp
from fieldtui.config import Settings
from fieldtui.domain.records import Officer
from fieldtui.startup import StartupInfo, startup_info
from fieldtui.store import Store
from fieldtui.ui.screens.first_run import FirstRunScreen
from fieldtui.ui.screens.help import HelpScreen
from fieldtui.ui.screens.my_week import MyWeekScreen
from fieldtui.ui.widgets.sidebar import AreaNav
from screen_app import burst, wait_for, wait_for_screen

pytestmark = pytest.mark.usefixtures("zh")
SIZE = (100, 30)


class StubLedger(Screen[None]):
    """Stands in for the ledger area so these tests do not depend on its progress."""

    BINDINGS = [Binding("ctrl+n", "new", "新增", id="ledger.new")]  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__()
        self.new_pressed = 0

    def compose(self) -> ComposeResult:
        yield Static("stub ledger", id="stub")
        yield Footer()

    def action_new(self) -> None:
        self.new_pressed += 1


@pytest.fixture
def stub_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    area = app_module.AREA_BY_ID["ledger"]
    stub = dataclasses.replace(area, screen=f"{__name__}:StubLedger")
    monkeypatch.setitem(app_module.AREA_BY_ID, "ledger", stub)


@pytest.fixture
def store(tmp_store: Store) -> Store:
    """A database that is not empty: one officer."""
    tmp_store.officers.create(Officer(name="张伟", phone="13800138000"))
    return tmp_store


def make_app(store: Store, tmp_path: Path, **kwargs: Any) -> FieldApp:
    return FieldApp(store, demo_path=tmp_path / "demo.db", **kwargs)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    for _ in range(rounds):
        with suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def text(app: FieldApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_opens_on_the_ledger_with_the_sidebar(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StubLedger)
        assert app.current_mode == "ledger"
        shown = text(app)
        for title in ("本周工作", "企业台账", "清单", "人员", "分工挂点"):
            assert title in shown
        nav = app.screen.query_one(AreaNav)
        assert nav.current == "ledger"


async def test_opens_on_home_without_a_ledger(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    area = dataclasses.replace(app_module.AREA_BY_ID["ledger"], screen="fieldtui.nowhere:Nothing")
    monkeypatch.setitem(app_module.AREA_BY_ID, "ledger", area)
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        shown = text(app)
        assert "企业" in shown and "本月走访" in shown
        # the officer count, loaded by a worker
        assert app.screen.query_one("#value-officers", Static).render().plain == "1"  # type: ignore[union-attr]
        # an area that cannot be imported: a notification, not a crash
        await pilot.press("ctrl+g", "1")
        await settle(pilot)
        assert isinstance(app.screen, MyWeekScreen)
        assert any("企业台账暂不可用" in n.message for n in app._notifications)


async def test_ctrl_g_then_a_digit_switches_areas(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ledger = app.screen
        assert isinstance(ledger, StubLedger)
        await pilot.press("0")  # a digit alone is not an area key (on lists it is search text)
        await settle(pilot)
        assert app.screen is ledger
        await pilot.press("ctrl+g", "0")
        await wait_for_screen(pilot, "MyWeekScreen")
        assert app.screen.query_one(AreaNav).current == "home"
        await pilot.press("ctrl+g", "1")
        await wait_for(pilot, lambda: app.screen is ledger)  # the area kept its screen
        # Up/Down and Enter choose too; Escape gives the focus back.
        await pilot.press("ctrl+g")
        nav = app.screen.query_one(AreaNav)
        assert app.focused is nav
        await pilot.press("escape")
        assert app.focused is not nav and not nav.can_focus
        await pilot.press("ctrl+g", "up", "enter")
        await wait_for_screen(pilot, "MyWeekScreen")


async def test_ctrl_g_digit_then_typing_searches_the_new_area(store: Store, tmp_path: Path) -> None:
    """``Ctrl+G 1 hhhb`` sent in one burst: the digit opens the ledger (even on its first
    opening, while it is still being built) and the letters are its search."""
    from fieldtui.domain.records import Enterprise

    store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g", "0")
        await wait_for_screen(pilot, "MyWeekScreen")
        burst(pilot, "ctrl+g", "7", *"zw")
        officers = await wait_for_screen(pilot, "OfficersScreen")
        await wait_for(pilot, lambda: officers.search_text == "zw")
        await wait_for(pilot, lambda: [o.name for o in officers.shown] == ["张伟"])
        burst(pilot, "ctrl+g", "1", *"hhhb")
        ledger = await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: ledger.search_input.value == "hhhb")


async def test_ctrl_g_over_a_pushed_screen(store: Store, tmp_path: Path, stub_ledger: None) -> None:
    """A record or form pushed over an area has no sidebar: Ctrl+G shows one while
    choosing, and the area opens; dialogs are answered first (Ctrl+G does nothing)."""
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pushed = Screen[None]()
        await app.push_screen(pushed)
        await pilot.press("ctrl+g")
        nav = pushed.query_one(AreaNav)
        assert nav.display and app.focused is nav
        await pilot.press("escape")
        assert not nav.has_class("-choosing")
        await pilot.press("ctrl+g", "0")
        await wait_for_screen(pilot, "MyWeekScreen")
        from fieldtui.ui.widgets.choice_dialog import ConfirmDialog

        await app.push_screen(ConfirmDialog("t", "m"))
        await pilot.press("ctrl+g", "1")
        assert isinstance(app.screen, ConfirmDialog)


async def test_first_run_creates_the_officer_profile(
    tmp_store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "欢迎使用首席服务官工作台" in text(app)
        # area keys wait until the profile exists
        app.screen.query_one("#save").focus()
        await pilot.press("ctrl+g", "0")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        app.screen.query_one("#name").focus()
        # nothing typed: the name is required
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "必填" in text(app)
        await pilot.press(*"李明", "tab", *"12345", "tab", *"招商一科")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "请填写11位手机号码或带区号的固定电话" in text(app)
        assert tmp_store.officers.count() == 0
        assert app.focused is not None and app.focused.id == "phone"  # where the error is
        await pilot.press(*["backspace"] * 5, *"13912345678", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FirstRunScreen)
        officers = tmp_store.officers.list()
        assert [(o.name, o.phone, o.unit, o.role) for o in officers] == [
            ("李明", "13912345678", "招商一科", "cso")
        ]
        assert tmp_store.meta("officer_id") == officers[0].id
        assert app.officer_id == officers[0].id
        assert isinstance(app.screen, MyWeekScreen)  # the officer's first screen now


async def test_first_run_can_open_the_demo_instead(
    tmp_store: Store, tmp_path: Path, stub_ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "DEMO_SIZE", 5)
    app = make_app(tmp_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("ctrl+o")
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, MyWeekScreen)  # the demo's officer: "my week"
        assert app.store is not tmp_store
        assert app.store.path == tmp_path / "demo.db"
        assert app.store.enterprises.count() == 5
        assert tmp_store.is_empty()  # the user's own database is untouched


async def test_f1_shows_the_keys_of_the_screen(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = text(app)
        assert "快捷键：企业台账" in shown
        for needle in ("^n", "新增", "ledger.new", "f1", "帮助", "app.help", "^q", "退出", "^g"):
            assert needle in shown, needle
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StubLedger)


async def palette_entries(pilot: Pilot[Any], query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    if query:
        await pilot.press(*query)

    def listed() -> bool:
        options = pilot.app.screen.query_one(CommandList).options
        texts = [str(getattr(o.prompt, "plain", o.prompt)) for o in options]
        return bool(texts) and (not query or any(query in t for t in texts))

    await wait_for(pilot, listed, what="the palette's commands")
    await settle(pilot)
    options = pilot.app.screen.query_one(CommandList).options
    return [str(getattr(o.prompt, "plain", o.prompt)) for o in options]


async def test_palette_lists_namespaced_commands(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ledger = app.screen
        entries = await palette_entries(pilot)
        for expected in (
            "前往：本周工作",
            "前往：企业台账",
            "企业台账：新增",
            "通用：帮助",
            "通用：退出",
        ):
            assert any(expected in e for e in entries), (expected, entries)
        assert not any("命令面板" in e for e in entries)
        await pilot.press("escape")
        await settle(pilot)
        # choosing a command runs the action on its screen
        entries = await palette_entries(pilot, "新增")
        assert any("企业台账：新增" in e for e in entries)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ledger
        assert isinstance(ledger, StubLedger) and ledger.new_pressed == 1


async def test_keymap_override_from_settings(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    settings = Settings(keys={"app.help": "f2", "area.home": "f9", "app.command_palette": "f10"})
    app = make_app(store, tmp_path, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        await wait_for_screen(pilot, "HelpScreen")
        await wait_for(pilot, lambda: "f2" in text(app))
        await wait_for(pilot, lambda: "f10" in text(app))  # the help follows the keymap
        await pilot.press("escape")
        await wait_for_screen(pilot, "StubLedger")
        await pilot.press("ctrl+g", "0")  # remapped: the sidebar's key for my week is F9
        await settle(pilot)
        assert isinstance(app.screen, StubLedger)
        await pilot.press("escape", "ctrl+g", "f9")
        await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: " f9 本周工作" in text(app))
        await pilot.press("f10")
        await wait_for_screen(pilot, "CommandPalette")


async def test_broken_settings_are_shown_not_fatal(
    store: Store, tmp_path: Path, stub_ledger: None
) -> None:
    app = make_app(store, tmp_path, notices=["settings.toml: invalid TOML"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StubLedger)
        assert any("invalid TOML" in n.message for n in app._notifications)


def test_startup_info_resolves_the_officer(store: Store, tmp_store: Store) -> None:
    officer_id = store.officers.list()[0].id
    assert startup_info(store, None) == StartupInfo(False, None, None)
    assert startup_info(store, "张伟").officer_id == officer_id
    assert startup_info(store, officer_id).officer_id == officer_id
    store.set_meta("officer_id", officer_id)
    missing = startup_info(store, "王五")
    assert missing.officer_id == officer_id
    assert missing.warning is not None and "王五" in missing.warning


async def test_help_at_80_columns_shows_every_binding_id_in_full(
    store: Store, tmp_path: Path
) -> None:
    """Issue 7: at 80×24 F1 cut ids ("table.page_do…"); they are what a user copies into
    the settings file. Scrolled through, every id of the ledger's keys is shown whole."""
    app = make_app(store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, "HelpScreen")
        ids = {row.binding_id for row in help_screen.rows if row.binding_id}
        assert {"ledger.new", "ledger.clear_search", "table.page_down", "app.go_to"} <= ids
        scroll = help_screen.query_one("#help-scroll")
        seen = ""
        for _ in range(20):
            await pilot.pause()
            seen += text(app)
            if scroll.scroll_y >= scroll.max_scroll_y:
                break
            scroll.scroll_to(y=scroll.scroll_y + scroll.size.height - 1, animate=False)
        missing = [binding_id for binding_id in ids if binding_id not in seen]
        assert not missing


async def test_the_demo_database_says_so_in_the_title(tmp_path: Path) -> None:
    """Started with ``--demo`` (the app opens the demo file), every screen's title says it."""
    demo = tmp_path / "demo.db"
    with Store(demo) as store:
        store.officers.create(Officer(name="张伟"))
        app = FieldApp(store, demo_path=demo)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_screen(pilot, "LedgerScreen")
            await wait_for(pilot, lambda: "企业台账 · 演示数据库" in text(app))
            await pilot.press("ctrl+g", "7")
            await wait_for_screen(pilot, "OfficersScreen")
            await wait_for(pilot, lambda: "人员 · 演示数据库" in text(app))
    with Store(tmp_path / "own.db") as store:
        store.officers.create(Officer(name="张伟"))
        app = FieldApp(store, demo_path=demo)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_screen(pilot, "LedgerScreen")
            await wait_for(pilot, lambda: "企业台账" in text(app))
            assert "演示数据库" not in text(app)


async def test_a_key_that_arrives_as_the_app_closes_is_dropped() -> None:
    """Keys still queued when the last screen has gone (the app quitting, a test ending)
    used to raise ScreenStackError out of the key hook and crash the app on its way out."""
    from textual import events
    from textual.app import App

    from fieldtui.ui.keys import take_key_first

    handled: list[events.Event] = []

    async def handle(event: events.Event) -> None:
        handled.append(event)

    app: App[None] = App()  # never started: no screen at all
    assert await take_key_first(app, events.Key("a", "a"), handle) is True
    assert await take_key_first(app, events.Key("alt+a", "a"), handle) is True
    assert handled == []
