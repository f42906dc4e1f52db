"""The command line: ``fieldtui [--db PATH] [--lang zh|en] [--json] [COMMAND ...]``.

Each subcommand lives in a module of this package that exposes ``register(subparsers)``;
the parser it adds sets ``func`` to a function ``(args, out) -> int``. Modules load lazily
only as far as argparse needs, so ``fieldtui --demo`` stays quick to start.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from fieldtui.cli.common import EXIT_BAD_INPUT, EXIT_USAGE, CliError, Output

COMMAND_MODULES: list[str] = [
    "fieldtui.cli.demo",
    "fieldtui.cli.doctor",
    "fieldtui.cli.sheet",
    "fieldtui.cli.sync",
    "fieldtui.cli.visit",
    "fieldtui.cli.problem",
]
"""Subcommand modules, in the order ``--help`` lists them."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
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
        description="Chief service officer workbench: ledger, visits, problems, sync by file.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: $FIELDTUI_DB or the platform data directory)",
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="interface language")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on the demo database (created on first use)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if argv is not None and _launches_app(argv):
        return parser
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for subparser in sub.choices.values():
        _add_global_options(subparser)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db``, ``--lang`` and ``--json`` after a subcommand too (``fieldtui doctor
    --json``). Their default is "not given", so the value before the subcommand stands unless
    repeated after it; options a subcommand defines itself are left alone.
    """
    options: list[tuple[str, dict[str, object]]] = [
        ("--db", {"metavar": "PATH", "help": "database file (also before the command)"}),
        ("--lang", {"choices": ("zh", "en"), "help": "interface language"}),
        ("--json", {"action": "store_true", "help": "machine-readable output"}),
    ]
    for flag, kwargs in options:
        if flag not in parser._option_string_actions:
            parser.add_argument(flag, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                _add_global_options(subparser)


def _apply_settings(args: argparse.Namespace) -> None:
    """Load the settings file and set the language: ``--lang`` > settings > locale.

    A broken settings file is not fatal here: the app shows the message and starts with
    defaults, ``doctor`` reports it as a problem, other commands warn on stderr.
    """
    from fieldtui.config import ConfigError, Settings, load_settings, resolve_language
    from fieldtui.i18n import set_language

    try:
        settings, error = load_settings(), None
    except ConfigError as exc:
        settings, error = Settings(), str(exc)
    args.settings = settings
    args.settings_error = error
    if (
        error
        and getattr(args, "func", None) is not None
        and not getattr(args, "checks_settings", False)
    ):
        sys.stderr.write(f"fieldtui: warning: {error} (using default settings)\n")
    set_language(resolve_language(args.lang, settings))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    _apply_settings(args)
    out = Output(as_json=args.json)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from fieldtui.cli.app_cmd import run_app

            return run_app(args, out)
        return int(func(args, out))
    except CliError as exc:
        sys.stderr.write(f"fieldtui: {exc}\n")
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write("fieldtui: interrupted\n")
        return EXIT_BAD_INPUT
    except Exception as exc:  # a known failure type from below cli, reported without traceback
        from fieldtui.store import StoreError

        if isinstance(exc, (StoreError, ValueError, OSError)):
            sys.stderr.write(f"fieldtui: {exc}\n")
            return EXIT_BAD_INPUT
        raise
