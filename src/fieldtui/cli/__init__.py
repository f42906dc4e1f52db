"""The command line: ``fieldtui [--db PATH] [--lang zh|en] [--json] [COMMAND ...]``.

Each subcommand lives in a module of this package that exposes ``register(subparsers)``;
the parser it adds sets ``func`` to a function ``(args, out) -> int``. Modules load lazily
only as far as argparse needs, so ``fieldtui --demo`` stays quick to start.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fieldtui.cli import argparse_i18n
from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_USAGE, CliError, Output, prefixed
from fieldtui.i18n import N_, _, language, located

if TYPE_CHECKING:
    from fieldtui.config import Settings

COMMAND_MODULES: list[str] = [
    "fieldtui.cli.demo",
    "fieldtui.cli.doctor",
    "fieldtui.cli.profile",
    "fieldtui.cli.sheet",
    "fieldtui.cli.sync",
    "fieldtui.cli.visit",
    "fieldtui.cli.problem",
    "fieldtui.cli.deleted",
    "fieldtui.cli.report",
]
"""Subcommand modules, in the order ``--help`` lists them."""


_DEMO_HELP = N_(
    "use the demo database (the application builds it on first use; commands need it built "
    "by fieldtui demo)"
)


_HEADING = re.compile(r"^(\S[^:\n]*):$", re.MULTILINE)


class _Parser(argparse.ArgumentParser):
    def format_help(self) -> str:
        """argparse ends section titles with an ASCII colon; Chinese takes a full-width one."""
        text = super().format_help()
        return _HEADING.sub(r"\1：", text) if language() == "zh" else text

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(
            _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        )
        raise SystemExit(EXIT_USAGE)


def _launches_app(argv: Sequence[str]) -> bool:
    """True for ``fieldtui [--db PATH] [--lang L] [--json] [--demo]``: no command, no help.

    Then no command module is imported: ``fieldtui`` and ``fieldtui --demo`` start without
    paying for sheets, sync or reports.
    """
    takes_value = {"--db", "--lang"}
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in takes_value:
            skip = True
        elif token in ("-h", "--help") or not token.startswith("-"):
            return False
    return True


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` that only launches the app, command modules are skipped."""
    parser = _Parser(
        prog="fieldtui",
        description=_(
            "Chief service officer workbench: ledger, visits, problems, sync by file. "
            "Without a command it opens the application."
        ),
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_("database file (default: $FIELDTUI_DB or the platform data directory)"),
    )
    parser.add_argument("--lang", choices=("zh", "en"), help=_("interface language"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.add_argument("--demo", action="store_true", help=_(_DEMO_HELP))
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, title=_("commands")
    )
    if argv is not None and _launches_app(argv):
        return parser
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for subparser in sub.choices.values():
        _add_global_options(subparser)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db``, ``--lang``, ``--json`` and ``--demo`` after a subcommand too
    (``fieldtui doctor --json``). Their default is "not given", so the value before the
    subcommand stands unless repeated after it; options a subcommand defines itself are
    left alone.
    """
    options: list[tuple[str, dict[str, object]]] = [
        ("--db", {"metavar": "PATH", "help": _("database file (also before the command)")}),
        ("--lang", {"choices": ("zh", "en"), "help": _("interface language")}),
        ("--json", {"action": "store_true", "help": _("machine-readable output")}),
        ("--demo", {"action": "store_true", "help": _(_DEMO_HELP)}),
    ]
    for flag, kwargs in options:
        if flag not in parser._option_string_actions:
            parser.add_argument(flag, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                _add_global_options(subparser)


def _lang_option(argv: Sequence[str]) -> str | None:
    """The last valid ``--lang`` in ``argv`` (before or after the command), read ahead of
    parsing so the help and argparse's own messages come in that language."""
    found: str | None = None
    for i, token in enumerate(argv):
        value = None
        if token == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif token.startswith("--lang="):
            value = token.split("=", 1)[1]
        if value in ("zh", "en"):
            found = value
    return found


def prepare_language(argv: Sequence[str]) -> tuple[Settings, str | None]:
    """Load the settings file and set the language: ``--lang`` > settings > locale.

    Done before the parser is built, so every help text and usage error is translated.
    Returns the settings and the settings file's error, if it is broken.
    """
    from fieldtui.config import ConfigError, Settings, load_settings, resolve_language
    from fieldtui.i18n import set_language

    try:
        settings, error = load_settings(), None
    except ConfigError as exc:
        settings, error = Settings(), str(exc)
    set_language(resolve_language(_lang_option(argv), settings))
    argparse_i18n.install()
    return settings, error


def _apply_settings(args: argparse.Namespace, settings: Settings, error: str | None) -> None:
    """Hand the settings to the command. A broken settings file is not fatal: the app shows
    the message and starts with defaults, ``doctor`` reports it as a problem, other
    commands warn on stderr."""
    args.settings = settings
    args.settings_error = error
    if (
        error
        and getattr(args, "func", None) is not None
        and not getattr(args, "checks_settings", False)
    ):
        sys.stderr.write(
            prefixed(_("warning: {error} (using default settings)").format(error=error)) + "\n"
        )


def _say_waiting(path: Path, seconds: float) -> None:
    """A command queued behind another process's write says so (on stderr) while it waits."""
    sys.stderr.write(
        prefixed(
            _(
                "{path} is being written by another fieldtui process; waiting for it "
                "(at most {seconds:.0f} s)…"
            ).format(path=path, seconds=seconds)
        )
        + "\n"
    )
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    settings, settings_error = prepare_language(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    _apply_settings(args, settings, settings_error)
    out = Output(as_json=args.json)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from fieldtui.cli.app_cmd import run_app

            return run_app(args, out)
        from fieldtui.store.locking import set_lock_notice

        set_lock_notice(_say_waiting)
        return int(func(args, out))
    except CliError as exc:
        return _fail(out, str(exc), exc.code)
    except KeyboardInterrupt:
        return _fail(out, _("interrupted; nothing more was written"), EXIT_BAD_INPUT)
    except Exception as exc:  # a known failure type from below cli, reported without traceback
        message = _known_failure(exc, args)
        if message is None:
            raise
        return _fail(out, message, EXIT_BAD_INPUT)


def _known_failure(exc: Exception, args: argparse.Namespace) -> str | None:
    """One line for a failure the user can act on (a full or read-only disk, a damaged
    file, a value the store refused), or None for a bug, which keeps its traceback."""
    import sqlite3

    from fieldtui.store import StoreError
    from fieldtui.store.dberrors import causes, explain

    if isinstance(exc, StoreError):
        return str(exc)
    reason = explain(exc)
    if reason is not None:
        # The database's path when SQLite failed, else the file the command was writing.
        in_db = any(isinstance(c, sqlite3.Error) for c in causes(exc))
        where = getattr(args, "db_path", None) if in_db else getattr(exc, "filename", None)
        return located(where, reason) if where else reason
    if isinstance(exc, (ValueError, OSError)):
        return str(exc)
    return None


def _fail(out: Output, message: str, code: int) -> int:
    """The one-line message on stderr; with ``--json`` also an ``{"error"}`` document on
    stdout, unless the command already printed its own."""
    sys.stderr.write(prefixed(message) + "\n")
    if out.as_json and not out.written:
        out.result({"error": message})
    return code
