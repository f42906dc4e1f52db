"""Commands do what they say (issue 8, item 5): ``--demo`` honoured, a mistyped ``--db`` never
made into a database, ``sync export`` never writing a file without its suffix, progress only on
a terminal, mistyped arguments a usage message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui import paths
from fieldtui.cli import main
from fieldtui.cli import progress as cli_progress
from fieldtui.store import Store
from sheet_files import write_csv


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def officers_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "officers.csv", [["姓名", "单位"], ["张三", "经发局"]])


# --------------------------------------------------------------------------- --demo


@pytest.mark.parametrize("where", ["before", "after"])
def test_demo_flag_sends_a_command_to_the_demo_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    real = paths.resolve_db(None)  # $FIELDTUI_DB of the test
    Store(real).close()
    assert run(capsys, "demo", "--size", "3")[0] == 0
    sheet = officers_csv(tmp_path)
    command = ["sheet", "import", "officers", str(sheet)]
    argv = ["--demo", *command] if where == "before" else [*command, "--demo"]
    code, _out, err = run(capsys, *argv)
    assert code == 0, err
    with Store(paths.demo_db()) as demo, Store(real) as mine:
        assert "张三" in {o.name for o in demo.officers.list()}
        assert mine.officers.count() == 0  # the trial import did not touch the real database


def test_demo_flag_without_a_demo_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--demo", "sheet", "import", "officers", str(tmp_path / "x.csv"))
    assert code == 1
    assert str(paths.demo_db()) in err and "fieldtui demo" in err
    assert not paths.demo_db().exists()


# --------------------------------------------------------------------------- --db


MISSING_DB_COMMANDS = [
    ["sheet", "import", "officers", "{sheet}"],
    ["sheet", "import", "officers", "{sheet}", "--dry-run"],
    ["sheet", "export", "officers", "{tmp}/out.xlsx"],
    ["sync", "status"],
    ["sync", "export", "{tmp}/stick/"],
    ["sync", "import", "{tmp}/x.fieldsync"],
    ["sync", "conflicts"],
    ["sync", "resolve", "enterprise", "abc", "name", "--value", "x"],
    ["doctor"],
    ["deleted", "list"],
    ["deleted", "restore", "enterprises", "abcd"],
    ["profile"],
    ["profile", "set", "张三"],
]


@pytest.mark.parametrize("command", MISSING_DB_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_a_missing_database_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "offfice.db"
    sheet = officers_csv(tmp_path)
    argv = [a.format(sheet=sheet, tmp=tmp_path) for a in command]
    code, _out, err = run(capsys, "--db", str(typo), *argv)
    assert code == 1
    assert f"{typo}: no such database" in err and "Traceback" not in err
    assert not typo.exists()
    assert not (tmp_path / "stick").exists()


@pytest.mark.parametrize(
    "command",
    [["sync", "init", "--hub"], ["sync", "init", "--laptop", "--name", "张三"], ["demo"]],
)
def test_sync_init_and_demo_create_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    new = tmp_path / "sub" / "new.db"
    code, _out, err = run(
        capsys, "--db", str(new), *command, *(["--size", "2"] * (command == ["demo"]))
    )
    assert code == 0, err
    assert new.exists()


# --------------------------------------------------------------------------- sync export


@pytest.fixture
def laptop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "laptop.db"
    assert main(["--db", str(db), "sync", "init", "--laptop", "--name", "张三"]) == 0
    capsys.readouterr()
    return db


def test_export_to_a_missing_folder_with_a_slash_creates_it(
    tmp_path: Path, laptop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(laptop), "--json", "sync", "export", f"{tmp_path}/H/")
    assert code == 0, err
    (written,) = json.loads(out)["files"]
    path = Path(written["path"])
    assert path.parent == tmp_path / "H" and path.suffix == ".fieldsync" and path.is_file()


@pytest.mark.parametrize("name", ["H", "stick/outbox", "notes.txt"])
def test_export_never_writes_a_file_without_the_suffix(
    tmp_path: Path, laptop: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _out, err = run(capsys, "--db", str(laptop), "sync", "export", str(tmp_path / name))
    assert code == 1
    assert ".fieldsync" in err and "Traceback" not in err
    assert not (tmp_path / name).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laptop.db", *_wal(tmp_path)]


def _wal(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("laptop.db-"))


def test_export_to_a_named_file_and_an_existing_folder(
    tmp_path: Path, laptop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.fieldsync"
    assert run(capsys, "--db", str(laptop), "sync", "export", str(target))[0] == 0
    assert target.is_file()
    folder = tmp_path / "E"
    folder.mkdir()
    assert run(capsys, "--db", str(laptop), "sync", "export", str(folder))[0] == 0
    assert [p.suffix for p in folder.iterdir()] == [".fieldsync"]


# --------------------------------------------------------------------------- output


def test_json_keeps_chinese_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "hub.db"
    code, out, _err = run(
        capsys, "--db", str(db), "--json", "sync", "init", "--hub", "--name", "投资促进服务中心"
    )
    assert code == 0
    assert "投资促进服务中心" in out and "\\u" not in out


def test_progress_only_on_a_terminal_and_never_with_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["企业名称"], *([f"企业{i}有限公司"] for i in range(300))]
    sheet = write_csv(tmp_path / "e.csv", rows)
    db = tmp_path / "x.db"
    Store(db).close()
    shown: list[tuple[str, float, float | None]] = []
    monkeypatch.setattr(
        cli_progress.ProgressLine,
        "update",
        lambda self, label, done, total=None: shown.append((label, done, total)),
    )
    monkeypatch.setattr(cli_progress, "on_terminal", lambda: False)
    assert (
        run(capsys, "--db", str(db), "sheet", "import", "enterprises", str(sheet), "--dry-run")[0]
        == 0
    )
    assert shown == []
    monkeypatch.setattr(cli_progress, "on_terminal", lambda: True)
    json_run = ["--json", "sheet", "import", "enterprises", str(sheet), "--dry-run"]
    assert run(capsys, "--db", str(db), *json_run)[0] == 0
    assert shown == []
    code, _out, err = run(capsys, "--db", str(db), "sheet", "import", "enterprises", str(sheet))
    assert code == 0, err
    checks = [done for label, done, _total in shown if label == "Checking rows"]
    writes = [done for label, done, _total in shown if label == "Writing rows"]
    assert checks[-1] == 300 and writes and writes == sorted(writes)
    assert shown[-1] == ("Saving", 0, None)  # every row written, then the commit


def test_demo_progress_reaches_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, float, float | None]] = []
    monkeypatch.setattr(
        cli_progress.ProgressLine,
        "update",
        lambda self, label, done, total=None: shown.append((label, done, total)),
    )
    monkeypatch.setattr(cli_progress, "on_terminal", lambda: True)
    assert run(capsys, "demo", "--db", str(tmp_path / "d.db"), "--size", "5")[0] == 0
    assert len(shown) > 3 and shown[-1][1:] == (100.0, 100)


# --------------------------------------------------------------------------- usage


MISTYPED = [
    ["sheet"],
    ["sheet", "import"],
    ["sheet", "import", "enterprise", "x.csv"],
    ["sheet", "import", "enterprises"],
    ["sheet", "export", "enterprises"],
    ["sheet", "import", "enterprises", "x.csv", "--dryrun"],
    ["sheet", "columns", "widgets"],
    ["sync"],
    ["sync", "init"],
    ["sync", "init", "--hub", "--laptop"],
    ["sync", "export"],
    ["sync", "import"],
    ["sync", "resolve", "enterprise", "x", "name"],
    ["sync", "resolve", "enterprise", "x", "name", "--take", "a", "--value", "b"],
    ["sync", "conflicts", "--table"],
    ["sync", "statu"],
    ["demo", "--size", "x"],
    ["demo", "--size", "0"],
    ["demo", "--seed", "1.5"],
    ["doctor", "extra"],
    ["deleted"],
    ["deleted", "list", "widgets"],
    ["deleted", "restore", "enterprises"],
    ["profile", "set"],
    ["profile", "sett", "x"],
    ["--lang", "fr", "doctor"],
    ["--db"],
    ["nonsense"],
]


@pytest.mark.parametrize("argv", MISTYPED, ids=" ".join)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mistyped_arguments_give_usage_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], lang: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--lang", lang, *argv] if "--lang" not in argv else argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("usage:" if lang == "en" or "--lang" in argv else "用法：")


def test_mistyped_arguments_in_a_real_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fieldtui", "sheet", "import", "enterprise", "x.csv"],
        capture_output=True,
        text=True,
        env={"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("用法：")
    assert "无效的选择" in result.stderr and "Traceback" not in result.stderr
