"""A form's contents survive the app being killed: the real program in a pseudo-terminal.

Each test starts ``fieldtui`` on an empty database in a pty (the first-run profile form has
the focus), types a name, waits until the draft holds it, then ends the process the way a
laptop or a terminal does: SIGKILL (power loss is no gentler), SIGTERM, SIGHUP, or closing
the terminal. The next start on that database must fill the form in again: the restarted
process writes the draft back as its own (its pid), with the name, only once its form holds
it. Everything waits for conditions with generous timeouts; nothing sleeps a fixed time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
NAME = "李明"
TIMEOUT = 60.0


class PtyApp:
    """``fieldtui --db DB`` in its own session with a pty as controlling terminal."""

    def __init__(self, db: Path, env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldtui", "--db", str(db)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Drain the terminal (an app whose output is not read blocks on its writes)."""
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output.extend(data)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close_terminal(self) -> None:
        os.close(self.master)

    def wait_exit(self) -> int:
        return self.proc.wait(timeout=TIMEOUT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        with contextlib.suppress(OSError):
            os.close(self.master)


def wait_until(predicate: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # polling a condition in another process, not a fixed wait


def draft(db: Path) -> tuple[str | None, str] | None:
    """(name typed, owner) of the profile draft, or None."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT json_extract(fields, '$.name'), owner FROM form_draft WHERE kind = 'profile'"
        ).fetchone()
    except sqlite3.OperationalError:  # not created yet
        return None
    finally:
        con.close()
    return (row[0], str(row[1])) if row else None


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "TERM": "xterm-256color",
        "LANG": "zh_CN.UTF-8",
        "FIELDTUI_LANG": "zh",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }


@pytest.fixture
def apps() -> Iterator[list[PtyApp]]:
    started: list[PtyApp] = []
    yield started
    for app in started:
        app.stop()


def start(db: Path, env: dict[str, str], apps: list[PtyApp]) -> PtyApp:
    app = PtyApp(db, env)
    apps.append(app)
    wait_until(lambda: "欢迎".encode() in app.output, "the first-run screen")
    return app


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGHUP", "terminal closed"])
def test_the_form_comes_back_after_the_app_is_killed(
    how: str, tmp_path: Path, env: dict[str, str], apps: list[PtyApp]
) -> None:
    db = tmp_path / "field.db"
    first = start(db, env, apps)
    first.type(NAME)
    wait_until(lambda: (draft(db) or (None,))[0] == NAME, "the draft of the typed name")
    if how == "terminal closed":
        first.close_terminal()
    else:
        os.kill(first.proc.pid, getattr(signal, how))
    code = first.wait_exit()
    if how == "SIGKILL":
        assert code == -signal.SIGKILL
    else:
        assert code != 0  # not a normal quit: the draft stays for the next start
    kept = draft(db)
    assert kept is not None and kept[0] == NAME

    second = start(db, env, apps)
    wait_until(
        lambda: draft(db) == (NAME, f"{os.uname().nodename}:{second.proc.pid}"),
        "the restarted app to hold the restored name",
    )
    wait_until(lambda: NAME.encode() in second.output, "the restored name on the screen")
    os.kill(second.proc.pid, signal.SIGTERM)
    assert second.wait_exit() == 128 + signal.SIGTERM
    assert draft(db) is not None  # still unsaved: still a draft
