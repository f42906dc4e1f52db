"""Command palette (Ctrl+P): every area, then every action the current screen offers.

Titles are namespaced by where the action lives: "企业台账：新增" / "Enterprise ledger: New",
"前往：走访记录" / "Go to: Visits", "通用：帮助" / "General: Help" (the colon of the language,
zh-style.md). Listed: bindings with an ``id``
(all of fieldtui's own have one, Textual's built-in keys do not) of the screen and the app, and
those of the focused widget that the footer shows (its actions, not its cursor moves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from fieldtui.i18n import _, labelled, list_separator
from fieldtui.ui.areas import AREAS
from fieldtui.ui.keys import KeyGroups, collect_keys

HIDDEN_ACTIONS = frozenset({"command_palette", "app.command_palette"})


def open_sheet_import(app: Any) -> None:
    """Open the sheet import dialog (imported on use: most sessions never need it)."""
    from fieldtui.ui.screens.sheet_import import SheetImportScreen

    app.push_screen(SheetImportScreen())


def open_conflicts(app: Any) -> None:
    """The conflicts screen, over the sync area (where Escape from it leads)."""
    from fieldtui.ui.screens.conflicts import ConflictsScreen

    async def go() -> None:
        if await app.open_area("sync"):
            await app.push_screen(ConflictsScreen())

    app.run_worker(go(), group="palette")


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], Any]


class FieldCommands(Provider):
    def commands(self) -> Iterator[PaletteCommand]:
        app = self.app
        go_to = _("Go to")
        for area in AREAS:
            yield PaletteCommand(
                labelled(go_to, _(area.title)),
                _("Open the area (keys: Ctrl+G, {key})").format(key=area.key),
                partial(app.run_action, f"app.area({area.id!r})"),
            )
        sheets, import_sheet = _("Sheets"), _("Import a spreadsheet")
        yield PaletteCommand(
            labelled(sheets, import_sheet),
            _("Enterprises, officers, assignments … from .xlsx or .csv"),
            partial(open_sheet_import, app),
        )
        yield PaletteCommand(
            _("{group}: {command}").format(group=_("Sync"), command=_("Conflicts")),
            _("Open conflicts and possible duplicate enterprises, and settle them"),
            partial(open_conflicts, app),
        )
        groups = cast(KeyGroups, app)
        for row in collect_keys(self.screen, groups.key_group):
            if (
                row.binding_id is None
                or row.binding_id.startswith("area.")
                or row.action in HIDDEN_ACTIONS
                or not row.enabled
                # a focused widget's keys: only its footer-worthy actions, not cursor moves
                or (row.node is not self.screen and row.node is not app and not row.show)
            ):
                continue
            yield PaletteCommand(
                labelled(row.group, row.description),
                _("Key: {keys}").format(keys=list_separator().join(row.keys)),
                partial(app.run_action, row.action, row.node),
            )

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    command.run,
                    text=command.title,
                    help=command.help,
                )
