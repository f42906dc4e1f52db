"""``fieldtui [--db PATH] [--lang zh|en]`` and ``fieldtui --demo``: run the application.

The language is set (by ``cli.main``) before ``fieldtui.app`` is imported, because binding
descriptions are translated when the UI classes are defined. A broken settings file does not
stop the app: it starts with defaults and shows the message.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from fieldtui import paths
from fieldtui.cli.common import EXIT_OK, CliError, Output, db_path
from fieldtui.config import Settings
from fieldtui.i18n import _, language

if TYPE_CHECKING:
    from fieldtui.store import Store


def app_db_path(args: argparse.Namespace) -> Path:
    """``--demo`` opens the demo database (``--db`` moves it); otherwise the usual database."""
    if getattr(args, "demo", False):
        return Path(args.db).expanduser() if args.db else paths.demo_db()
    return db_path(args)


def run_app(args: argparse.Namespace, out: Output) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CliError(
            "the application needs a terminal; for scripts use a subcommand (fieldtui --help)"
        )
    settings: Settings = getattr(args, "settings", None) or Settings()
    error = getattr(args, "settings_error", None)
    from fieldtui.store import Store

    path = app_db_path(args)
    store = Store(path)
    try:
        if args.demo:
            ensure_demo(store, sys.stderr)
        from fieldtui.app import FieldApp

        app = FieldApp(
            store,
            settings=settings,
            lang=language(),
            demo_path=path if args.demo else None,
            notices=[error] if error else [],
        )
        app.run()
    finally:
        store.close()
    return app.return_code or EXIT_OK


def ensure_demo(store: Store, stream: TextIO) -> None:
    """Build the demo data into an empty database, telling the user it takes a moment."""
    if not store.is_empty():
        return
    from fieldtui.demo import build_demo

    stream.write(_("Building the demo database at {path} (first use)…").format(path=store.path))
    stream.write("\n")
    started = time.perf_counter()
    build_demo(store)
    stream.write(_("Done in {seconds:.1f} s.").format(seconds=time.perf_counter() - started))
    stream.write("\n")
