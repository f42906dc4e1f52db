"""What every subcommand shares: output (text or ``--json``), errors and exit codes.

Exit status: 0 done, 1 bad input or a refused file (the message names the problem), 2 usage.
No traceback reaches a user for bad input: subcommands raise :class:`CliError` (or the
store's and domain's own errors), and ``main`` turns them into one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fieldtui.paths import resolve_db

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

    def result(self, data: Mapping[str, Any], text: str | None = None) -> None:
        """The command's result: ``data`` as JSON, or ``text`` (default: key: value lines)."""
        if self.as_json:
            json.dump(data, self.stream, ensure_ascii=False, indent=2, default=str)
            self.stream.write("\n")
        elif text is not None:
            self.stream.write(text if text.endswith("\n") else text + "\n")
        else:
            for key, value in data.items():
                self.stream.write(f"{key}: {value}\n")

    def line(self, text: str) -> None:
        """Progress or detail for people; suppressed with ``--json`` to keep stdout parseable."""
        if not self.as_json:
            self.stream.write(text + "\n")


def db_path(args: argparse.Namespace) -> Path:
    return resolve_db(getattr(args, "db", None))
