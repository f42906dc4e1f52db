"""File-path completion for an ``Input``: type a few letters, press → to accept.

Completes one path segment at a time, as a shell does: directories get a trailing separator
so the next segment completes straight away. Only directories and files with one of the
wanted suffixes are offered; hidden entries only when the typed segment starts with a dot.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    def __init__(self, suffixes: Iterable[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(s.lower() for s in suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        head, sep, prefix = value.rpartition(os.sep)
        directory = Path(os.path.expanduser(head + sep if sep else "."))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return None
        for entry in entries:
            name = entry.name
            if not name.startswith(prefix) or name == prefix:
                continue
            if name.startswith(".") and not prefix.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                return value + name[len(prefix) :] + os.sep
            if not self.suffixes or name.lower().endswith(self.suffixes):
                return value + name[len(prefix) :]
        return None
