"""What every subcommand shares: output (text or ``--json``), errors and exit codes.

Exit status: 0 done, 1 bad input or a refused file (the message names the problem), 2 usage.
No traceback reaches a user for bad input: subcommands raise :class:`CliError` (or the
store's and domain's own errors), and ``main`` turns them into one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fieldtui import paths
from fieldtui.domain.printable import printable
from fieldtui.i18n import _, language
from fieldtui.paths import resolve_db

if TYPE_CHECKING:
    from fieldtui.store import Store

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A refusal the user can act on; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Output:
    """Prints a command's result: JSON documents with ``--json``, readable lines otherwise."""

    as_json: bool = False
    stream: IO[str] = field(default_factory=lambda: sys.stdout)
    written: bool = False
    """A result was printed (``main`` then prints no JSON error document of its own)."""

    def result(self, data: Mapping[str, Any], text: str | None = None) -> None:
        """The command's result: ``data`` as JSON, or ``text`` (default: key: value lines)."""
        self.written = True
        if self.as_json:
            json.dump(data, self.stream, ensure_ascii=False, indent=2, default=str)
            self.stream.write("\n")
        elif text is not None:
            self.stream.write(terminal_text(text.removesuffix("\n")) + "\n")
        else:
            for key, value in data.items():
                self.stream.write(terminal_text(f"{key}: {value}") + "\n")

    def line(self, text: str) -> None:
        """Progress or detail for people; suppressed with ``--json`` to keep stdout parseable."""
        if not self.as_json:
            self.stream.write(terminal_text(text) + "\n")


def terminal_text(text: str) -> str:
    """Lines for a terminal: names and values that other people or databases wrote may hold
    control or direction-changing characters, which are shown escaped on every line
    (:func:`fieldtui.domain.printable.printable`), whatever command prints them."""
    return "\n".join(printable(line) for line in text.split("\n"))


def db_path(args: argparse.Namespace) -> Path:
    """``--demo`` names the demo database (``--db`` moves it); else ``--db``, ``$FIELDTUI_DB``
    or the default, as :func:`fieldtui.paths.resolve_db` decides."""
    if getattr(args, "demo", False):
        return Path(args.db).expanduser() if getattr(args, "db", None) else paths.demo_db()
    return resolve_db(getattr(args, "db", None))


def no_such_database(path: Path, demo: bool = False) -> str:
    if demo:
        return _(
            "{path}: the demo database is not built yet; build it with fieldtui demo "
            "(or open it with fieldtui --demo)"
        ).format(path=path)
    return _(
        "{path}: no such database. A new database is made only by fieldtui sync init (the "
        "office hub or a laptop), fieldtui demo or the application's first-run screen "
        "(fieldtui --db PATH); check the path"
    ).format(path=path)


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The command's database. One that does not exist is refused naming the path (a mistyped
    ``--db`` must not quietly become an empty database), unless the command makes databases
    (``create``: ``sync init``). Read-only or full disks are named by the store's errors."""
    from fieldtui.store import Store

    path = db_path(args)
    args.db_path = path
    if not create and not path.exists():
        raise CliError(no_such_database(path, demo=getattr(args, "demo", False)))
    return Store(path)


def prefixed(message: str) -> str:
    """A message on stderr, after the program's name: ``fieldtui：…`` in Chinese."""
    return _("fieldtui: {message}").format(message=message)


def quoted(value: object) -> str:
    """A value inside a message: “…” in Chinese (zh-style.md), '…' in English."""
    return f"“{value}”" if language() == "zh" else f"'{value}'"


def label_lines(rows: Sequence[tuple[str, str]]) -> list[str]:
    """``label: value`` lines with the values aligned, by display width (Chinese is 2 cells)."""
    from rich.cells import cell_len

    width = max((cell_len(label) for label, _value in rows), default=0)
    sep = "：" if language() == "zh" else ": "
    return [f"{label}{sep}{' ' * (width - cell_len(label))}{value}" for label, value in rows]
