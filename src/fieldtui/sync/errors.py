"""The errors sync raises: each message says what is wrong in words an office can act on."""

from __future__ import annotations

from pathlib import Path

from fieldtui.i18n import located


class SyncError(Exception):
    """A sync operation refused: wrong role, unknown peer, no such conflict."""


class SyncFileError(SyncError):
    """A sync file refused before anything was written; names the file and the problem."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(located(path, reason))
        self.path = Path(path)
        self.reason = reason
