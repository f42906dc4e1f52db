"""Full and read-only disks, and old schemas: one line naming the cause, exit 1, nothing changed.

A full disk is simulated with SQLite's ``PRAGMA max_page_count`` on the command's connection:
once the database would grow past that many pages SQLite fails exactly as on a full disk
(``SQLITE_FULL``, "database or disk is full") and rolls the transaction back by itself, which
is what made Peewee's own ROLLBACK fail with "cannot rollback - no transaction is active" and
hide the cause.

The end of this file does both on real file systems (a read-only bind mount, a full tmpfs) in
a private mount namespace. Above, a read-only database is also simulated two ways, since tests
run as root, for whom file modes do not stop writes: ``os.access`` reporting the file not
writable (what a write-protected file or disk looks like before SQLite is asked), and SQLite's
``PRAGMA query_only``, which refuses writes with the same ``SQLITE_READONLY`` error a read-only
file gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

import fieldtui.store.db as store_db
from fieldtui.cli import main
from fieldtui.store import Store
from sheet_files import write_csv


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path: Path) -> tuple[int, int]:
    with Store(path) as store:
        ops = store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]
        return int(ops), store.enterprises.count()


def hub(tmp_path: Path) -> Path:
    db = tmp_path / "office.db"
    assert main(["--db", str(db), "sync", "init", "--hub", "--name", "办公室"]) == 0
    return db


def big_sheet(tmp_path: Path, rows: int = 2000) -> Path:
    data: list[list[str]] = [["企业名称", "地址"]]
    data += [[f"测试企业{i}有限公司", "大旺大道" + "号" * 100] for i in range(rows)]
    return write_csv(tmp_path / "many.csv", data)


def with_pragma(monkeypatch: pytest.MonkeyPatch, name: str, value: Callable[[Path], int]) -> None:
    """Every connection the command opens gets ``PRAGMA name = value(path)``."""
    original = store_db.connect

    def connect(path: Path | str) -> SqliteDatabase:
        db = original(path)
        db._pragmas = [*dict(db._pragmas).items(), (name, value(Path(path)))]
        return db

    monkeypatch.setattr(store_db, "connect", connect)


def page_count(path: Path) -> int:
    with Store(path) as store:
        return int(store.db.execute_sql("PRAGMA page_count").fetchone()[0])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# --------------------------------------------------------------------------- full disk


def test_full_disk_during_sheet_import_says_disk_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = hub(tmp_path)
    sheet = big_sheet(tmp_path)
    before = counts(db)
    limit = page_count(db) + 20
    with_pragma(monkeypatch, "max_page_count", lambda _path: limit)
    capsys.readouterr()
    code, _out, err = run(capsys, "--db", str(db), "sheet", "import", "enterprises", str(sheet))
    assert code == 1
    line = one_line(err)
    assert "disk full" in line and str(db) in line
    assert "rollback" not in line
    monkeypatch.undo()
    assert counts(db) == before


def test_full_disk_in_chinese_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = hub(tmp_path)
    sheet = big_sheet(tmp_path)
    limit = page_count(db) + 20
    with_pragma(monkeypatch, "max_page_count", lambda _path: limit)
    capsys.readouterr()
    code, out, err = run(
        capsys, "--lang", "zh", "--json", "--db", str(db), "sheet", "import", "enterprises",
        str(sheet),
    )  # fmt: skip
    assert code == 1
    assert "磁盘已满" in one_line(err)
    assert "磁盘已满" in json.loads(out)["error"]


def test_full_disk_during_demo_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "demo.db"
    Store(db).close()
    limit = page_count(db) + 20
    with_pragma(monkeypatch, "max_page_count", lambda _path: limit)
    code, _out, err = run(capsys, "demo", "--db", str(db), "--size", "40")
    assert code == 1
    assert "disk full" in one_line(err)
    monkeypatch.undo()
    assert counts(db) == (0, 0)


# --------------------------------------------------------------------------- read-only


def not_writable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real_access: Callable[..., bool] = os.access

    def access(target: Any, mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(target) in (path, path.parent):
            return False
        return real_access(target, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize(
    "command",
    [
        ["sheet", "import", "enterprises", "{sheet}"],
        ["sheet", "export", "enterprises", "{out}"],
        ["sync", "status"],
        ["sync", "export", "{outdir}/"],
        ["deleted", "list"],
        ["profile", "set", "张三"],
    ],
)
def test_read_only_database_is_named_by_every_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    db = hub(tmp_path)
    sheet = big_sheet(tmp_path, rows=3)
    before = digest(db)
    not_writable(monkeypatch, db)
    capsys.readouterr()
    argv = [
        a.format(sheet=sheet, out=tmp_path / "out.xlsx", outdir=tmp_path / "stick") for a in command
    ]
    code, _out, err = run(capsys, "--db", str(db), *argv)
    assert code == 1
    line = one_line(err)
    assert "read-only" in line and str(db) in line
    assert digest(db) == before


def test_doctor_works_on_a_read_only_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = hub(tmp_path)
    before = digest(db)
    not_writable(monkeypatch, db)
    capsys.readouterr()
    code, out, err = run(capsys, "--db", str(db), "doctor", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] and data["integrity"] == ["ok"] and data["replica_id"]
    assert digest(db) == before


def test_write_refused_by_sqlite_as_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file opened, then SQLite refused the write itself (SQLITE_READONLY)."""
    db = hub(tmp_path)
    sheet = big_sheet(tmp_path, rows=3)
    before = counts(db)
    with_pragma(monkeypatch, "query_only", lambda _path: 1)
    capsys.readouterr()
    code, _out, err = run(capsys, "--db", str(db), "sheet", "import", "enterprises", str(sheet))
    assert code == 1
    assert "read-only" in one_line(err)
    monkeypatch.undo()
    assert counts(db) == before


# --------------------------------------------------------------------------- doctor


def old_schema_database(path: Path, last: str) -> None:
    """A database migrated only up to ``last``, as an older fieldtui left it."""
    from playhouse.migrations import Runner

    db = SqliteDatabase(str(path))
    db.connect()
    Runner(db, directory=str(store_db.MIGRATIONS_DIR)).up(target=last)
    db.close()


def test_doctor_reports_a_schema_to_migrate_and_does_not_migrate_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "old.db"
    old_schema_database(db, "0002_sync")
    before = digest(db)
    code, out, err = run(capsys, "--db", str(db), "doctor", "--json")
    assert code == 1, err
    data = json.loads(out)
    assert data["schema_version"] == 2 and data["latest_schema_version"] > 2
    assert any("schema version 2" in p and "migrated" in p for p in data["problems"])
    assert digest(db) == before
    assert not (tmp_path / "backups").exists()  # no migration, so no backup before one
    # The next command that writes migrates it, after a backup.
    assert run(capsys, "--db", str(db), "sync", "status")[0] == 0
    assert run(capsys, "--db", str(db), "doctor")[0] == 0
    assert list((tmp_path / "backups").glob("old-*-before-migration.db"))


# --------------------------------------------------------------------------- real disks
#
# The same two cases on real file systems: a folder bind-mounted read-only, and a 1 MB tmpfs
# that fills up. Both are mounted in a private mount namespace (``unshare --mount
# --map-root-user``, util-linux), which needs no privileges beyond user namespaces and
# leaves the machine's mounts alone; the commands run in a fresh fieldtui process there.


def in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "FIELDTUI_CONFIG": str(tmp_path / "settings.toml"),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-euc", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def fieldtui_cmd(*args: object) -> str:
    return " ".join(shlex.quote(str(a)) for a in (sys.executable, "-m", "fieldtui", *args))


def test_real_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    db = folder / "office.db"
    assert main(["--db", str(db), "sync", "init", "--hub"]) == 0
    sheet = big_sheet(tmp_path, rows=3)
    before = digest(db)
    script = "\n".join(
        [
            f"mount --bind -o ro {folder} {folder}",
            f"{fieldtui_cmd('--db', db, '--json', 'doctor')} > {tmp_path}/doctor.json || true",
            f"{fieldtui_cmd('--db', db, 'sheet', 'import', 'enterprises', sheet)}"
            f" 2> {tmp_path}/import.err || echo import-exit=$?",
        ]
    )
    result = in_namespace(script, tmp_path)
    assert result.returncode == 0, result.stderr
    doctor = json.loads((tmp_path / "doctor.json").read_text(encoding="utf-8"))
    assert doctor["ok"] and doctor["integrity"] == ["ok"]
    assert "import-exit=1" in result.stdout
    assert "read-only" in one_line((tmp_path / "import.err").read_text(encoding="utf-8"))
    assert digest(db) == before


def test_real_full_disk(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "office.db"
    sheet = big_sheet(tmp_path, rows=4000)
    count = (
        f"{sys.executable} -c \"import sqlite3; c = sqlite3.connect('{db}'); "
        f"print('enterprises=%d' % c.execute('SELECT COUNT(*) FROM enterprise').fetchone())\""
    )
    script = "\n".join(
        [
            f"mount -t tmpfs -o size=1m tmpfs {disk}",
            fieldtui_cmd("--db", db, "sync", "init", "--hub"),
            f"{fieldtui_cmd('--db', db, 'sheet', 'import', 'enterprises', sheet)}"
            f" 2> {tmp_path}/import.err || echo import-exit=$?",
            count,
        ]
    )
    result = in_namespace(script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "import-exit=1" in result.stdout
    line = one_line((tmp_path / "import.err").read_text(encoding="utf-8"))
    assert "disk full" in line and "rollback" not in line
    assert "enterprises=0" in result.stdout


def test_real_full_stick_during_sync_export(tmp_path: Path) -> None:
    db = hub(tmp_path)
    with Store(db) as store, store.batch():
        from fieldtui.domain.records import Enterprise

        for i in range(3000):
            store.enterprises.create(Enterprise(name=f"测试企业{i}有限公司", address="号" * 50))
    stick = tmp_path / "stick"
    stick.mkdir()
    script = "\n".join(
        [
            f"mount -t tmpfs -o size=64k tmpfs {stick}",
            f"{fieldtui_cmd('--db', db, 'sync', 'export', f'{stick}/', '--full')}"
            f" 2> {tmp_path}/export.err || echo export-exit=$?",
            f"ls -A {stick} | wc -l | sed 's/^/files=/'",
        ]
    )
    result = in_namespace(script, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "export-exit=1" in result.stdout and "files=0" in result.stdout
    line = one_line((tmp_path / "export.err").read_text(encoding="utf-8"))
    assert "disk full" in line and str(stick) in line
