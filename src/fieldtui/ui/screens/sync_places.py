"""The removable drives a sync dialog offers first, read in a thread worker.

Both sync dialogs (export and import) show the mounted removable drives
(:func:`fieldtui.sync.export_targets`: ``/media``, ``/run/media``, ``/Volumes``, Windows drive
letters) above a path field that completes any other folder or file. A drive is listed by
its label with its free space or the sync files on it; its label came from the stick, so
it is plain text.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from fieldtui.i18n import _, ngettext
from fieldtui.ui.screens.sync_data import Place, places
from fieldtui.ui.screens.sync_text import size_text


class PlacesFound(Message):
    def __init__(self, found: list[Place]) -> None:
        super().__init__()
        self.found = found


def place_label(place: Place, *, files: bool) -> Text:
    """ "KINGSTON (3 sync files) /media/zhang/KINGSTON" or with its free space."""
    text = Text(place.label, style="bold")
    if files:
        detail = ngettext("{n} sync file", "{n} sync files", place.files).format(n=place.files)
    else:
        detail = _("{size} free").format(size=size_text(place.free)) if place.free else ""
    if detail:
        text.append(_(" ({detail})").format(detail=detail))
    text.append("  " + str(place.path), style="dim")
    return text


def look_for_places(screen: Screen[Any]) -> None:
    """Find the drives in a thread worker (a slow stick must not hold the dialog); the screen
    gets a :class:`PlacesFound` message."""

    def find() -> None:
        try:
            found = places()
        except OSError:  # an unreadable mount point: offer none, the path still works
            found = []
        screen.post_message(PlacesFound(found))

    screen.run_worker(find, thread=True, exclusive=True, group="sync-places")


def fill_places(options: OptionList, found: list[Place], *, files: bool) -> None:
    """The drives as options (the list hides itself when there is none)."""
    options.clear_options()
    options.add_options([Option(place_label(p, files=files)) for p in found])
    options.display = bool(found)
    if found:
        options.highlighted = 0
