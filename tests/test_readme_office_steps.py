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

from fieldtui import paths, sync
from fieldtui.cli import main
from fieldtui.demo import build_demo
from fieldtui.domain.records import Officer
from fieldtui.sheets import export_sheet
from fieldtui.store import Store
from fieldtui.store.profile import current_officer
from fieldtui.sync import team
from sync_support import snapshot

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
    end = section.find(f"\n{step + 1}. **")
    end = end if end > 0 else section.index("\n#", start)
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


def run_line(line: str, office: Path, stick: str = "E") -> None:
    argv = shlex.split(line.replace(f"{stick}:/", f"{office}/{stick}/"))[1:]
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
    sheets = [c for c in hub_steps if " sheet import " in c]
    assert [shlex.split(c)[5] for c in sheets] == list(SHEETS.values())
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


LAPTOPS = {"张三": "E", "李四": "F", "王五": "G"}


def test_an_office_with_three_laptops_follows_the_readme_with_a_team(
    office: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11, "done when": a hub and three laptops set up by the README's commands exchange
    signed, encrypted files; a conflict settled at the hub reaches every laptop."""
    with Store(office / "source.db") as source:
        for name in ("李四", "王五"):
            source.officers.create(Officer(name=name, unit="经济发展局"))
        export_sheet(source, "officers", office / "人员名单.xlsx")
    for letter in ("F", "G"):
        (office / letter).mkdir()
    for line in step_commands(1):
        run_line(line, office)
    for name, letter in LAPTOPS.items():
        monkeypatch.setenv("FIELDTUI_DB", str(office / f"laptop-{letter}.db"))
        for line in step_commands(2):
            run_line(line.replace("张三", name).replace("E:/", f"{letter}:/"), office, letter)
    capsys.readouterr()

    def laptop(name: str) -> Store:
        return Store(office / f"laptop-{LAPTOPS[name]}.db")

    with laptop("张三") as one:
        enterprise = one.enterprises.list()[0]
        one.enterprises.update(enterprise.id, address="大旺大道1号")
    with laptop("李四") as two:
        two.enterprises.update(enterprise.id, address="大旺大道2号")
    for letter in LAPTOPS.values():  # step 4 on every laptop
        monkeypatch.setenv("FIELDTUI_DB", str(office / f"laptop-{letter}.db"))
        for line in step_commands(4):
            run_line(line.replace("E:/", f"{letter}:/"), office, letter)
    imports, listing = step_commands(5)
    run_line(imports.replace("E:/ F:/ G:/", " ".join(f"{office}/{x}/" for x in "EFG")), office)
    run_line(listing, office)
    with Store(office / "office.db") as hub:
        (conflict,) = sync.list_conflicts(hub.db)
        assert (conflict.row_id, conflict.field) == (enterprise.id, "address")
    resolve = next(c for c in step_commands(7) if "--value" in c)
    run_line(resolve.replace("ROW", enterprise.id), office)
    (send_back,) = step_commands(6)
    run_line(send_back, office)
    outbox = office / "outbox"
    for name, letter in LAPTOPS.items():
        monkeypatch.setenv("FIELDTUI_DB", str(office / f"laptop-{letter}.db"))
        (mine,) = outbox.glob(f"投资促进服务中心-for-{name}-*.fieldsync")
        assert main(["sync", "import", str(mine)]) == 0
    for path in [*outbox.glob("*.fieldsync"), *(office / "E").glob("*.fieldsync")]:
        data = path.read_bytes()
        assert data.startswith(b"FIELDSYNC/2 "), path
        for secret in ("张三", "大旺大道", enterprise.name):
            assert secret.encode() not in data, (path, secret)
    with Store(office / "office.db") as hub:
        expected = snapshot(hub)
        assert not sync.list_conflicts(hub.db)
        assert len(team.team_status(hub).devices) == 3
    for name in LAPTOPS:
        with laptop(name) as store:
            assert store.enterprises.get(enterprise.id).address == "大旺大道18号"
            assert not sync.list_conflicts(store.db)
            assert snapshot(store) == expected
