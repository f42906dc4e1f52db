"""What the app asks of a screen that must not be left with unsaved changes.

Quitting (Ctrl+Q), going to another area and a SIGTERM/SIGHUP go through every open screen
that has this shape: the record forms (:class:`~fieldtui.ui.screens.form_base.RecordFormScreen`)
and the other editors that keep typed work (the checklist editor). A changed one is shown and
asks (save, discard or keep editing); on a kill it writes its draft at once.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class LeavesWithChanges(Protocol):
    @property
    def dirty(self) -> bool:
        """Changed since it was opened or last saved."""
        ...

    async def ask_to_leave(self) -> bool:
        """Ask (save, discard, keep editing); True once the screen is gone."""
        ...

    def write_draft_now(self) -> None:
        """Keep the typed work as a draft now, on the calling thread (the app is ending)."""
        ...
