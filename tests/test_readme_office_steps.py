"""The README's office steps 1 and 2 work as written: run its own command lines, in order.

The sheets are exported from a small demo database under the README's file names; ``E:/`` is a
folder standing for the stick, and the ``…`` of a file name the README cannot know is the file
the hub wrote there. Before this, the README imported only the enterprises (the plan it implied
next was refused row by row without its officers and projects), and a laptop set up from the
hub's file had no way to get its officer profile.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from fieldtui import paths
from fieldtui.cli import main
from fieldtui.demo import build_demo
from fieldtui.domain.records import Officer
from fieldtui.sheets import export_sheet
from fieldtui.store import Store
from fieldtui.store.profile import current_officer

README = Path(__file__).resolve().parent.parent / "README.md"
SHEETS = {
    "人员名单.xlsx": "officers",
    "企业台账.xlsx": "enterprises",
    "项目.xlsx": "projects",
    "分工挂点.xlsx": "assignments",
}


def step_commands(step: int) -> list[str]:
    """The ``fieldtui`` lines of the README's numbered office step, comments removed."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Sync workflow for an office") :]
    start = section.index(f"\n{step}. **")
    end = section.index(f"\n{step + 1}. **")
    block = re.search(r"```sh\n(.*?)```", section[start:end], re.S)
    assert block, f"step {step} has no command block"
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line.startswith("fieldtui ")]


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with Store(tmp_path / "source.db") as source:
        build_demo(source, size=30)
        source.officers.create(Officer(name="张三", unit="经济发展局"))
        for name, kind in SHEETS.items():
            export_sheet(source, kind, tmp_path / name)
    (tmp_path / "E").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_line(line: str, office: Path) -> None:
    argv = shlex.split(line.replace("E:/", f"{office}/E/"))[1:]
    argv = [_existing(a) for a in argv]
    code = main(argv)
    assert code == 0, line


def _existing(arg: str) -> str:
    if "…" not in arg:
        return arg
    folder, pattern = arg.rsplit("/", 1)
    (match,) = Path(folder).glob(pattern.replace("…", "*"))
    return str(match)


def test_office_steps_as_written(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub_steps = step_commands(1)
    assert [shlex.split(c)[5] for c in hub_steps[1:]] == list(SHEETS.values())
    for line in hub_steps:
        run_line(line, office)
    out = capsys.readouterr().out
    assert "refused 0" in out and "refused 1" not in out  # every row of every sheet went in
    with Store(office / "source.db") as source, Store(office / "office.db") as hub:
        assert hub.assignments.count() == source.assignments.count() > 0
        assert hub.projects.count() == source.projects.count()

    for line in step_commands(2):
        run_line(line, office)
    with Store(paths.resolve_db(None)) as laptop, Store(office / "office.db") as hub:
        assert laptop.enterprises.count() == hub.enterprises.count()
        officer = current_officer(laptop)
        assert officer is not None and officer.name == "张三"
