"""The command line's contract: exit codes, one-line errors, ``--json`` that parses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.domain.records import Enterprise, Officer, Visit
from fieldtui.store import Store


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldtui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    Store(path).close()
    return path


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_option_value_exits_2_without_traceback() -> None:
    result = run_cli("--lang", "fr")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--lang" in result.stderr


def test_app_without_a_terminal_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert "needs a terminal" in capsys.readouterr().err


def test_doctor_on_a_fresh_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "doctor"]) == 0
    out = capsys.readouterr().out
    assert str(db) in out
    assert "No problems found." in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "--db", "{db}", "doctor"],
        ["doctor", "--db", "{db}", "--json"],  # global options after the subcommand
    ],
)
def test_doctor_json_parses(db: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main([a.format(db=db) for a in argv]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert data["db"] == str(db)
    assert data["integrity"] == ["ok"]
    assert data["schema_version"] == data["latest_schema_version"] >= 1
    assert data["op_count"] == 0
    assert data["dangling_references"] == []
    assert isinstance(data["replica_id"], str) and data["replica_id"]


def test_doctor_reports_dangling_references(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(db) as store:
        visit = store.visits.create(Visit(enterprise_id="no-such-enterprise"))
    assert main(["doctor", "--db", str(db), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    [dangling] = data["dangling_references"]
    assert (dangling["table"], dangling["column"], dangling["target"]) == (
        "visit",
        "enterprise_id",
        "enterprise",
    )
    assert dangling["examples"] == [visit.id]


def test_doctor_on_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    assert main(["doctor", "--db", str(missing)]) == 1
    assert "no such database" in capsys.readouterr().err
    assert not missing.exists()


def test_doctor_on_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello", encoding="utf-8")
    result = run_cli("doctor", "--db", str(path))
    assert result.returncode == 1
    assert "not an SQLite file" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_reports_a_broken_settings_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Path(os.environ["FIELDTUI_CONFIG"])
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('language = "fr"\n', encoding="utf-8")
    assert main(["doctor", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert "settings:" in captured.out and "'language' = 'fr'" in captured.out
    assert "warning" not in captured.err  # doctor reports it; no second warning


def test_other_commands_warn_about_broken_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Path(os.environ["FIELDTUI_CONFIG"])
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("language = \n", encoding="utf-8")
    assert main(["demo", "--db", str(tmp_path / "d.db"), "--size", "2"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "invalid TOML" in err and str(settings) in err


def test_demo_builds_and_refuses_a_database_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--size", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["db"] == str(path)
    assert data["counts"]["enterprise"] == 4
    assert data["counts"]["officer"] > 0
    assert main(["demo", "--db", str(path), "--size", "4"]) == 1
    assert "already holds data" in capsys.readouterr().err


def test_demo_defaults_to_the_demo_database_not_yours(capsys: pytest.CaptureFixture[str]) -> None:
    from fieldtui import paths

    assert main(["demo", "--size", "2"]) == 0
    assert paths.demo_db().exists()
    assert not Path(os.environ["FIELDTUI_DB"]).exists()
    assert str(paths.demo_db()) in capsys.readouterr().out


def test_demo_size_must_be_positive() -> None:
    result = run_cli("demo", "--size", "0")
    assert result.returncode == 2
    assert "at least 1" in result.stderr


def test_app_start_up_stays_light() -> None:
    """``fieldtui`` / ``--demo`` must not import sheets, sync, reports, openpyxl or pypinyin."""
    code = (
        "import sys\n"
        "from fieldtui.cli import build_parser\n"
        "argv = ['--demo', '--lang', 'zh']\n"
        "build_parser(argv).parse_args(argv)\n"
        "from fieldtui.i18n import set_language; set_language('zh')\n"
        "import fieldtui.app, fieldtui.store, fieldtui.ui.screens.my_week\n"
        "heavy = ('fieldtui.sync', 'fieldtui.sheets', 'fieldtui.reports', 'openpyxl', 'pypinyin')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"


LEDGER_CHILD = r"""
import asyncio, sys
from pathlib import Path
from fieldtui.i18n import set_language
set_language("zh")
from fieldtui.store import Store
from fieldtui.app import FieldApp
from textual.css.query import NoMatches

async def main(db):
    app = FieldApp(Store(Path(db)), lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        def shown():
            screen = app.screen
            if type(screen).__name__ != "LedgerScreen":
                return False
            try:  # the screen may not be composed yet
                table = screen.table
            except NoMatches:
                return False
            return table.is_loaded and table.row_count is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while not shown():
            assert loop.time() < deadline, "the ledger never showed its rows"
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(sorted(m for m in sys.modules if m.startswith("pypinyin")))

asyncio.run(main(sys.argv[1]))
"""


def test_the_ledger_opens_without_pypinyin(tmp_path: Path) -> None:
    """Opening the app on the ledger must not load pypinyin (half a second of CPU on the
    start-up path): the search reads the index, and the officers' pinyin order is only
    for the filter dialog, so they are read when it first opens."""
    db = tmp_path / "light.db"
    with Store(db) as store:
        store.officers.create(Officer(name="张伟"))
        store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    result = subprocess.run(
        [sys.executable, "-c", LEDGER_CHILD, str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_commands_still_register_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "doctor" in out and "demo" in out
