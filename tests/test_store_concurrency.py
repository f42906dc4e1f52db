"""Several fieldtui processes on one database (issue 8, item 1), with real processes.

Each test holds the write lock from a helper process, starts ``fieldtui`` commands against
the same database, waits until each says it is waiting (a condition, not a timer), then
lets go. The commands must check and write under one lock: the second import of a file finds
the first one's rows; a command that waits too long refuses in one line, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import fieldtui
from fieldtui import sync
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from fieldtui.store.backups import list_backups
from sheet_files import op_total, write_csv
from sync_support import replica

SRC = str(Path(fieldtui.__file__).resolve().parent.parent)
WAIT = 120.0
"""Generous bound for conditions on a loaded machine; only reached when something is wrong."""
HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


def _env(lock_wait: float) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["FIELDTUI_LOCK_WAIT"] = str(lock_wait)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    env.pop("FIELDTUI_LANG", None)
    return env


@contextmanager
def write_lock_held(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the database's write lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        if holder.poll() is None:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=WAIT)


class Command:
    """A ``fieldtui`` process whose stderr is watched for a line (its waiting notice)."""

    def __init__(self, db: Path, *args: str, lock_wait: float = WAIT) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldtui", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(lock_wait),
        )
        self.err_lines: list[str] = []
        self.said_waiting = False
        self._waiting_or_gone = threading.Event()
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err_lines.append(line)
            if "waiting for it" in line:
                self.said_waiting = True
                self._waiting_or_gone.set()
        self._waiting_or_gone.set()

    def says_it_waits(self) -> bool:
        """Wait until the process says it waits for the lock (or ends without saying so)."""
        self._waiting_or_gone.wait(WAIT)
        return self.said_waiting

    def finish(self) -> tuple[int, str, str]:
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()  # stderr belongs to the reader thread
        self.proc.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        return self.proc.returncode, out, "".join(self.err_lines)


def _enterprise_count(db: Path) -> int:
    with Store(db) as store:
        return store.enterprises.count()


def test_two_sheet_imports_of_one_file_at_once_create_each_row_once(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    Store(db).close()
    rows = [["企业名称", "地址"]] + [[f"并发企业{i:04d}", f"大旺{i}号"] for i in range(2000)]
    sheet = write_csv(tmp_path / "ledger.csv", rows)
    with write_lock_held(db):
        first = Command(db, "--json", "sheet", "import", "enterprises", str(sheet))
        second = Command(db, "--json", "sheet", "import", "enterprises", str(sheet))
        assert first.says_it_waits(), first.err_lines
        assert second.says_it_waits(), second.err_lines
        # The backup is taken under the write lock, so not while the imports wait for it.
        assert list_backups(db) == ([], [])
    results = [first.finish(), second.finish()]
    assert [code for code, _out, _err in results] == [0, 0], results
    created = sorted(json.loads(out)["created"] for _code, out, _err in results)
    assert created == [0, 2000]
    assert all("Traceback" not in err for _code, _out, err in results)
    assert _enterprise_count(db) == 2000
    complete, incomplete = list_backups(db)
    assert len(complete) == 1 and incomplete == []


def _hub_and_file(tmp_path: Path) -> tuple[Path, Path]:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "zhang")
    sync.init_role(laptop, sync.LAPTOP, hub_id=hub.replica_id)
    for i in range(20):
        laptop.enterprises.create(Enterprise(name=f"外勤企业{i}", address=f"{i}号"))
    files = sync.export(laptop, tmp_path / "laptop.fieldsync")
    hub_path = hub.path
    hub.close()
    laptop.close()
    return hub_path, files[0].path


def test_two_sync_imports_of_one_file_at_once_merge_it_once(tmp_path: Path) -> None:
    hub, sync_file = _hub_and_file(tmp_path)
    with write_lock_held(hub):
        first = Command(hub, "--json", "sync", "import", str(sync_file))
        second = Command(hub, "--json", "sync", "import", str(sync_file))
        assert first.says_it_waits(), first.err_lines
        assert second.says_it_waits(), second.err_lines
    results = [first.finish(), second.finish()]
    assert [code for code, _out, _err in results] == [0, 0], results
    statuses = sorted(json.loads(out)["files"][0]["status"] for _c, out, _e in results)
    assert statuses == ["already imported", "imported"]
    assert _enterprise_count(hub) == 20


def test_a_command_waiting_too_long_refuses_in_one_line_and_changes_nothing(
    tmp_path: Path,
) -> None:
    hub, sync_file = _hub_and_file(tmp_path)
    sheet = write_csv(tmp_path / "one.csv", [["企业名称"], ["等待中的企业"]])
    with Store(hub) as store:
        ops_before = op_total(store)
    with write_lock_held(hub):
        for args in (
            ("sync", "import", str(sync_file)),
            ("sheet", "import", "enterprises", str(sheet)),
        ):
            code, out, err = Command(hub, *args, lock_wait=1).finish()
            assert code == 1, (out, err)
            assert "Traceback" not in err and "database is locked" not in err
            last = err.strip().splitlines()[-1]
            assert "another fieldtui process is writing" in last and str(hub) in last
    with Store(hub) as store:
        assert op_total(store) == ops_before
    assert list_backups(hub) == ([], [])
