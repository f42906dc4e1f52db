"""FieldApp: the shell around the areas. Navigation, global keys, help, palette, first run.

Each area of :mod:`fieldtui.ui.areas` is a Textual *mode* whose screen is imported on first
use, so every area keeps its own screen stack (an open form survives a look at another area).
Areas are opened with Ctrl+G and a digit (the sidebar, :mod:`fieldtui.ui.widgets.sidebar`):
digits alone are search text on lists.
Screens reach the store, language and officer through :func:`fieldtui.ui.context.ctx`.
Set the language (:func:`fieldtui.i18n.set_language`) before importing this module: binding
descriptions are translated when their classes are defined.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard, cast

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget

from fieldtui import paths
from fieldtui.config import Settings
from fieldtui.i18n import _, language, product_name
from fieldtui.startup import StartupInfo, open_demo, startup_info
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, abandoned, delete_draft
from fieldtui.store.watch import Change, ChangeWatcher
from fieldtui.ui.areas import AREAS, Area
from fieldtui.ui.commands import FieldCommands
from fieldtui.ui.keys import collect_keys, take_key_first
from fieldtui.ui.screens.drafts import DraftsDialog
from fieldtui.ui.screens.first_run import FirstRunScreen
from fieldtui.ui.screens.form_base import RecordFormScreen
from fieldtui.ui.screens.leaving import LeavesWithChanges
from fieldtui.ui.screens.registry import FORMS, make_screen
from fieldtui.ui.widgets.sidebar import AreaNav, NavEntry

AREA_BY_ID = {area.id: area for area in AREAS}
START_AREAS = ("home", "ledger")
"""The first of these that can be imported is shown after start-up to an officer ("my week");
a database with no current officer (the office) starts on the ledger (the reverse order)."""
WATCH_INTERVAL = 0.25
"""Seconds between two looks for other processes' commits (lists follow within a second)."""


class FieldApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "fieldtui"
    """Shown as :func:`~fieldtui.i18n.product_name` (首席服务官工作台 in Chinese)."""
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {FieldCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help"), id="app.help"),
        Binding(
            "ctrl+p",
            "command_palette",
            _("Command palette"),
            id="app.command_palette",
            priority=True,
            show=False,  # the footer shows it on its right already
        ),
        Binding("ctrl+q", "quit", _("Quit"), id="app.quit", priority=True),
        Binding("ctrl+b", "toggle_sidebar", _("Toggle sidebar"), id="app.sidebar", show=False),
        # Priority: the digit typed right after it must reach the sidebar, not the list.
        Binding("ctrl+g", "go_to", _("Go to an area"), id="app.go_to", priority=True),
    ]

    class Started(Message):
        def __init__(self, info: StartupInfo) -> None:
            super().__init__()
            self.info = info

    class DemoProgress(Message):
        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    class DemoReady(Message):
        def __init__(self, store: Store | None, error: str | None = None) -> None:
            super().__init__()
            self.store = store
            self.error = error

    class DatabaseChanged(Message):
        """Rows changed by a commit of another connection (the CLI, a second window, or
        this app's own workers): lists and detail screens reload, open forms check."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        lang: str | None = None,
        demo_path: Path | None = None,
        notices: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.title = product_name()  # the terminal's window title and screenshots' too
        self.store = store
        self.settings = settings or Settings()
        self.lang = lang or language()
        self.officer_id: str | None = None
        self.demo_path = demo_path or paths.demo_db()
        self.notices = list(notices or [])
        self.is_demo = _same_file(store.path, self.demo_path)
        """The title says so: demo data typed into by mistake would be lost work."""
        self._owned_stores: list[Store] = []
        self.current_area: str | None = None
        self.area_screens: dict[str, Screen[Any]] = {}
        """Each opened area's base screen, by area id."""
        self._watch_stop = threading.Event()
        self._left_drafts: list[Draft] = []
        """Drafts no running fieldtui owns, found at start-up: offered back once."""
        self._drafts_seen: set[str] = set()
        """Drafts offered this session (declined ones wait for the next start)."""
        self._held: list[events.Event] | None = []
        """Keys and pastes that arrived while the app was starting (None once started)."""
        palette_keys = self.settings.keys.get("app.command_palette")
        if palette_keys:
            # The footer shows the palette key from this (class) setting: follow the keymap.
            vars(self)["COMMAND_PALETTE_BINDING"] = palette_keys.split(",")[0]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications never parse markup: they carry names, paths and error messages that
        users typed or files contained, and ``[/]`` in a name must show, not crash."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Keys as they arrive from the terminal: see :func:`fieldtui.ui.keys.take_key_first`.

        Keys typed while the app is still starting (its first screen not up yet: the
        start-up read runs in a worker) are held and handed to that screen once it is, in
        the order typed: an officer who starts typing a search at once loses nothing.
        """
        if (
            self._held is not None
            and isinstance(event, (events.Key, events.Paste))
            and not event.is_forwarded
        ):
            self._held.append(event)
            return
        if not await take_key_first(self, event, self.on_event):
            await super().on_event(event)

    async def release_held_keys(self) -> None:
        """The first screen is up: the keys typed meanwhile reach it, in order."""
        held, self._held = self._held or [], None
        for event in held:
            await self.on_event(event)

    # -- start-up -----------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        for notice in self.notices:
            self.notify(notice, title=_("Settings"), severity="warning", timeout=10)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.terminated, signum)
        self._startup()

    @work(thread=True, exclusive=True, group="startup")
    def _startup(self) -> None:
        self.post_message(self.Started(startup_info(self.store, self.settings.officer)))

    async def on_field_app_started(self, message: Started) -> None:
        info = message.info
        self.officer_id = info.officer_id
        self.watch_database(self.store.path)
        if info.warning:
            self.notify(info.warning, severity="warning", timeout=10)
        self._left_drafts = [d for d in info.drafts if d.kind in FORMS and abandoned(d)]
        if info.empty:
            await self.push_screen(FirstRunScreen())
            await self.release_held_keys()
        else:
            await self.open_start_area()
            await self.release_held_keys()
            self.offer_drafts()

    async def open_start_area(self) -> None:
        order = START_AREAS if self.officer_id else tuple(reversed(START_AREAS))
        for area_id in order:
            if area_id in AREA_BY_ID and await self.open_area(area_id, quiet=True):
                return
        self.notify(_("No area can be opened."), severity="error")

    # -- first run ----------------------------------------------------------------------

    async def on_first_run_screen_profile_created(
        self, message: FirstRunScreen.ProfileCreated
    ) -> None:
        self.officer_id = message.officer_id
        self.pop_screen()
        await self.open_start_area()
        self.offer_drafts()

    def on_first_run_screen_demo_requested(self) -> None:
        self._build_demo(self.demo_path)

    @work(thread=True, exclusive=True, group="demo")
    def _build_demo(self, path: Path) -> None:
        def progress(stage: str, fraction: float) -> None:
            self.post_message(self.DemoProgress(fraction))

        try:
            store = open_demo(path, self.store, progress)
        except Exception as exc:  # shown on the first-run screen; the app goes on
            self.post_message(self.DemoReady(None, f"{path}: {exc}"))
            return
        self.post_message(self.DemoReady(store))

    def on_field_app_demo_progress(self, message: DemoProgress) -> None:
        if isinstance(self.screen, FirstRunScreen):
            self.screen.show_progress(message.fraction)

    async def on_field_app_demo_ready(self, message: DemoReady) -> None:
        screen = self.screen
        if message.store is None:
            if isinstance(screen, FirstRunScreen):
                screen.demo_failed(message.error or "")
            return
        if message.store is not self.store:
            self._owned_stores.append(message.store)
            self.store = message.store
        self.is_demo = True
        self.notify(_("Opened the demo database: {path}").format(path=self.store.path))
        self._startup()
        if isinstance(screen, FirstRunScreen):
            self.pop_screen()

    def on_unmount(self) -> None:
        self._watch_stop.set()
        for store in self._owned_stores:
            store.close()

    # -- other processes' changes -------------------------------------------------------

    def watch_database(self, path: Path) -> None:
        """Follow other processes' commits to ``path`` (replacing any earlier watch).

        A plain daemon thread rather than a worker: it runs for the app's whole life, and a
        worker that never completes would keep ``workers.wait_for_complete()`` waiting.
        """
        self._watch_stop.set()
        self._watch_stop = threading.Event()
        threading.Thread(
            target=self._watch_loop,
            args=(path, self._watch_stop),
            name="fieldtui-watch",
            daemon=True,
        ).start()

    def _watch_loop(self, path: Path, stop: threading.Event) -> None:
        """Poll the database for commits of other connections (``PRAGMA data_version``)."""
        try:
            watcher = ChangeWatcher(path)
        except Exception:  # the app works on; it only stops seeing outside changes
            return
        with watcher:
            while not stop.is_set():
                try:
                    change = watcher.poll()
                except Exception:
                    change = None
                if change is not None:
                    self.post_message(self.DatabaseChanged(change))
                stop.wait(WATCH_INTERVAL)

    def on_field_app_database_changed(self, message: DatabaseChanged) -> None:
        """Every open screen follows: a list refreshes, a detail reloads, a form checks."""
        for _mode, screen in self.open_screens():
            if isinstance(screen, RecordFormScreen):
                screen.outside_change(message.change)
                continue
            refresh = getattr(screen, "refresh_from_outside", None)
            if refresh is None:
                refresh = getattr(screen, "action_reload", None)
            if callable(refresh):
                result = refresh()
                if inspect.isawaitable(result):
                    self.run_worker(result, group="refresh")

    def open_screens(self) -> list[tuple[str, Screen[Any]]]:
        """Every screen of every mode's stack, with its mode (area id, or ``_default``)."""
        stacks: dict[str, list[Screen[Any]]] = getattr(
            self, "_screen_stacks", {self.current_mode: self.screen_stack}
        )
        return [(mode, screen) for mode, stack in stacks.items() for screen in stack]

    def open_forms(self) -> list[tuple[str, LeavingScreen]]:
        """Every open screen that asks before it is left with changes (forms, editors)."""
        return [(m, s) for m, s in self.open_screens() if _asks(s)]

    # -- leaving forms: quitting, switching area, a kill ---------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: every changed form asks first (save, discard or keep editing)."""
        changed = [(m, f) for m, f in self.open_forms() if f.dirty]
        if not changed:
            self.exit()
            return
        self._leave_forms_then(changed, self.exit)

    @work(exclusive=True, group="leave-forms")
    async def _leave_forms_then(
        self, forms: list[tuple[str, LeavingScreen]], then: Callable[[], object]
    ) -> None:
        """Ask each changed form in turn (showing it first); ``then`` once all are settled.

        A worker, because waiting for the officer's answer must not hold the app's queue.
        """
        for mode, form in forms:
            if not form.is_attached or not form.dirty:
                continue
            if mode != self.current_mode:
                await self.switch_mode(mode)
                if mode in AREA_BY_ID:
                    self.current_area = mode
            if self.screen is not form:
                form.pop_until_active()
            if not await form.ask_to_leave():
                return
        result = then()
        if inspect.isawaitable(result):
            await result

    def terminated(self, signum: int) -> None:
        """SIGTERM or SIGHUP (a shutdown, a closed terminal): keep every changed form's
        contents as a draft, written now on this thread (the process is about to end and
        a worker might not get to run), then exit."""
        for _mode, form in self.open_forms():
            try:
                form.write_draft_now()
            except Exception:  # one form's failure must not cost the others their draft
                continue
        self.exit(return_code=128 + signum)

    # -- drafts left by a crash ----------------------------------------------------------

    def offer_drafts(self) -> None:
        """Offer back the forms a crash, kill or closed terminal left (once per session)."""
        drafts = [d for d in self._left_drafts if d.id not in self._drafts_seen]
        if not drafts:
            return

        def answered(answer: tuple[str, str] | None) -> None:
            if answer is None:
                self._drafts_seen.update(d.id for d in drafts)
                return
            action, draft_id = answer
            draft = next(d for d in drafts if d.id == draft_id)
            self._drafts_seen.add(draft_id)
            if action == "restore":
                self.run_worker(self.restore_draft(draft), group="restore-draft")
            else:
                self._discard_draft(draft_id)

        self.push_screen(DraftsDialog(drafts), answered)

    async def restore_draft(self, draft: Draft) -> None:
        """Open the draft's form over its area, filled in as it was; offer the rest after."""
        ref = FORMS[draft.kind]
        if not await self.open_area(ref.area):
            self.notify(_("Cannot open the form of this draft."), severity="error")
            return
        self.push_screen(make_screen(ref.screen, draft=draft), lambda _r: self.offer_drafts())

    @work(thread=True, group="drafts")
    def _discard_draft(self, draft_id: str) -> None:
        delete_draft(self.store, draft_id)
        self.call_from_thread(self.offer_drafts)

    # -- areas --------------------------------------------------------------------------

    async def action_area(self, area_id: str) -> None:
        """Go to an area; a changed form in the current one asks first."""
        changed: list[tuple[str, LeavingScreen]] = [
            (self.current_mode, s) for s in self.screen_stack if _asks(s) and s.dirty
        ]
        if changed and area_id != self.current_area:
            self._leave_forms_then(changed, lambda: self.open_area(area_id))
            return
        await self.open_area(area_id)

    async def open_area(self, area_id: str, *, quiet: bool = False) -> bool:
        """Switch to an area, creating its screen on first use; False if it is unavailable."""
        area = AREA_BY_ID.get(area_id)
        if area is None:
            return False
        if area_id not in self.area_screens:
            try:
                screen = load_screen(area)
            except Exception as exc:  # an area under construction must not crash the app
                if not quiet:
                    self.notify(
                        _("{area} is not available: {error}").format(area=_(area.title), error=exc),
                        severity="error",
                    )
                return False
            self.area_screens[area_id] = screen
            self.add_mode(area_id, _returns(screen))
            screen.call_later(self._add_sidebar, screen, area_id)
        self.current_area = area_id
        await self.switch_mode(area_id)
        return True

    def _add_sidebar(self, screen: Screen[Any], area_id: str) -> None:
        if not screen.query(AreaNav):
            nav = AreaNav(self.nav_entries(), area_id, hint=self.nav_hint(), id="area-nav")
            screen.mount(nav, before=0)

    def nav_entries(self) -> list[NavEntry]:
        keymap = self.settings.keys
        entries = []
        for area in AREAS:
            keys = keymap.get(f"area.{area.id}", area.key)
            key = self.get_key_display(Binding(keys.split(",")[0], ""))
            entries.append(NavEntry(area.id, key, _(area.sidebar_title)))
        return entries

    def nav_hint(self) -> str:
        """The sidebar's first line: Ctrl+G (or its remapped key), then an area's key."""
        keys = self.settings.keys.get("app.go_to", "ctrl+g")
        key = self.get_key_display(Binding(keys.split(",")[0], ""))
        return f"{key} {_('Go to')}"

    async def on_area_nav_selected(self, message: AreaNav.Selected) -> None:
        await self.action_area(message.area_id)

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-no-sidebar")

    async def action_go_to(self) -> None:
        """Ctrl+G: the sidebar takes the focus; an area's key (a digit, or a letter such as
        ``m``; or Up/Down, Enter) opens the area, any other character goes back to the list.

        A screen pushed over an area (a form, a record) gets a sidebar that shows only while
        choosing.
        """
        screen = self.screen
        navs = screen.query(AreaNav)
        if navs:
            nav = navs.first()
        else:
            nav = AreaNav(
                self.nav_entries(),
                self.current_area or "",
                hint=self.nav_hint(),
                id="area-nav",
                classes="-transient",
            )
            await screen.mount(nav, before=0)
        nav.choose()

    # -- help and the palette -----------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def action_help(self) -> None:
        from fieldtui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        rows = collect_keys(self.screen, self.key_group)
        self.push_screen(HelpScreen(rows, self.screen_title(self.screen)))

    def key_group(self, node: DOMNode) -> str:
        """How help and the palette name where a binding lives."""
        if node is self:
            return _("General")
        if isinstance(node, Screen):
            return self.screen_title(node)
        if isinstance(node, Widget):
            return _(node.BINDING_GROUP_TITLE) if node.BINDING_GROUP_TITLE else _("Field")
        return type(node).__name__

    def screen_title(self, screen: Screen[Any]) -> str:
        """An area's title for its base screen; a pushed screen's own title, else its area's."""
        for area_id, base in self.area_screens.items():
            if base is screen:
                return _(AREA_BY_ID[area_id].title)
        area = AREA_BY_ID.get(self.current_area or "")
        return screen.title or (_(area.title) if area else self.title)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = self.screen
        if action in ("area", "go_to"):
            # The first-run screen is the way in: areas wait until it is done. A dialog is
            # answered first (Ctrl+G would open nothing a dialog lets the user reach).
            return not (
                isinstance(screen, FirstRunScreen) or (action == "go_to" and screen.is_modal)
            )
        return True

    def format_title(self, title: str, sub_title: str) -> Content:
        """Every header names the product (首席服务官工作台 in Chinese) before the screen's own
        title, and says so on the demo database."""
        product = product_name()
        content = super().format_title(title, sub_title)
        if title != product:
            content = Content.assemble((product, "bold"), (" · ", "dim"), content)
        if self.is_demo:
            content = Content.assemble(content, (" · " + _("Demo database"), "bold"))
        return content


if TYPE_CHECKING:

    class LeavingScreen(Screen[Any], LeavesWithChanges):
        """A screen that asks before it is left with changes (for the type checker)."""


def _asks(screen: Screen[Any]) -> TypeGuard[LeavingScreen]:
    return isinstance(screen, LeavesWithChanges)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _returns(screen: Screen[Any]) -> Callable[[], Screen[Any]]:
    return lambda: screen


def load_screen(area: Area) -> Screen[Any]:
    """Import an area's screen class from its ``"module:Class"`` path and instantiate it."""
    module_name, _sep, class_name = area.screen.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    screen = cls()
    if not isinstance(screen, Screen):
        raise TypeError(f"{area.screen} is not a Screen")
    return screen
