"""Driving the sync area and its dialogs in Pilot tests: an office with a team, fake removable
drives, and a gate that holds an import at one phase while the test looks or cancels."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fieldtui import sync
from fieldtui.app import FieldApp
from fieldtui.domain.records import Officer
from fieldtui.store import Store
from fieldtui.sync import Drive, team
from fieldtui.ui.screens import sync_data, sync_import
from screen_app import screen_text, wait_for, wait_for_screen
from sync_support import replica

SIZE = (80, 24)


def make_app(store: Store, tmp_path: Path) -> FieldApp:
    return FieldApp(store, lang="zh", demo_path=tmp_path / "demo.db")


def fake_drives(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> None:
    """These folders are the mounted removable drives the dialogs offer first."""
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    drives = [Drive(path=f, label=f.name, free_bytes=8 * 1024**3) for f in folders]
    monkeypatch.setattr(sync_data, "export_targets", lambda: list(drives))


@dataclass
class Office:
    dir: Path
    hub: Store
    laptops: dict[str, Store]

    def close(self) -> None:
        for store in (self.hub, *self.laptops.values()):
            store.close()


def team_office(
    tmp_path: Path, names: Sequence[str] = ("zhang", "li"), roster: Sequence[str] = ()
) -> Office:
    """A hub with a team and laptops enrolled the README's way (each imported its file).

    ``roster``: officers the hub has before the laptops join (the README loads the sheets
    first), so each laptop starts on its areas, not on the first-run screen."""
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    team.create_team(hub)
    for officer in roster:
        hub.officers.create(Officer(name=officer))
    laptops = {}
    for name in names:
        laptop = replica(tmp_path / f"{name}.db", sync.LAPTOP, name)
        request = team.join_request(laptop, str(tmp_path / f"join-{name}") + "/")
        (enrolled,) = team.enroll(hub, request.path).files
        report = sync.import_files(laptop, [enrolled.path], make_backup=False)
        assert report.joined is not None and not report.refused
        laptops[name] = laptop
    return Office(tmp_path, hub, laptops)


async def open_sync(pilot: Any) -> Any:
    """Ctrl+G 5 from the ledger; the sync screen once its data is shown."""
    await wait_for_screen(pilot, "LedgerScreen")
    await pilot.press("ctrl+g", "5")
    screen = await wait_for_screen(pilot, "SyncScreen")
    await wait_for(pilot, lambda: screen.view is not None, what="sync view")
    return screen


async def export_here(pilot: Any, folder: Path) -> Any:
    """Ctrl+E, the folder typed, Enter; returns the dialog once it has written."""
    await pilot.press("ctrl+e")
    dialog = await wait_for_screen(pilot, "ExportDialog")
    path = dialog.query_one("#export-path")
    dialog.set_focus(path)
    path.value = str(folder)
    await pilot.press("enter")
    await wait_for(pilot, lambda: dialog.written or dialog.message, what="export done")
    return dialog


async def import_here(pilot: Any, *paths: Path) -> Any:
    """Ctrl+O, each path (file or folder) added by Enter, Ctrl+S; returns the dialog done."""
    await pilot.press("ctrl+o")
    dialog = await wait_for_screen(pilot, "ImportDialog")
    box = dialog.query_one("#import-path")
    for path in paths:
        dialog.set_focus(box)
        box.value = str(path)
        await pilot.press("enter")
    await wait_for(pilot, lambda: len(dialog.files) >= len(paths), what="files added")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: dialog.state == "done", timeout=60, what="import done")
    return dialog


class Gate:
    """Holds the dialog's import at ``phase`` (its worker thread waits) until released.

    ``reached`` is set once the import got there; the progress message of that phase has
    been posted to the dialog by then.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, phase: str) -> None:
        self.phase = phase
        self.reached = threading.Event()
        self.release = threading.Event()
        self.phases: list[str] = []
        original = sync_import.import_files

        def gated(store: Store, paths: Any, **kwargs: Any) -> sync.ImportReport:
            progress = kwargs.pop("progress", None)

            def tell(phase: str, done: int, total: int) -> None:
                self.phases.append(phase)
                if progress is not None:
                    progress(phase, done, total)
                if phase == self.phase and not self.reached.is_set():
                    self.reached.set()
                    assert self.release.wait(60), "the test never released the import"

            return original(store, paths, progress=tell, **kwargs)

        monkeypatch.setattr(sync_import, "import_files", gated)


def shown(app: Any, *texts: str) -> list[str]:
    """Which of ``texts`` are not on the screen (for one assert with a useful message)."""
    screen = screen_text(app)
    return [t for t in texts if t not in screen]
