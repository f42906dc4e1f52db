"""The Chinese reads like the office's own (zh-style.md), everywhere: the catalog, every
screen and every command.

The rules are :mod:`zh_style`; this file feeds them everything there is to read:

- every zh_CN catalog entry;
- every area of ``fieldtui.ui.areas.AREAS`` and every shot of ``scripts/screenshots.py``
  (plus :data:`EXTRA_SHOTS`: the palette, a confirmation, the filter dialog), rendered in
  Chinese on a demo database. A new screen is checked as soon as it is an area or a shot;
- every command of the command line: its ``--help``, and the runs in :data:`CLI_RUNS`. A new
  command fails :func:`test_every_command_has_a_run` until it has a run there.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fieldtui.domain import enums
from fieldtui.i18n import set_language
from zh_style import CJK, catalog_problems, known_words, text_problems

ROOT = Path(__file__).resolve().parent.parent
DEMO_SIZE = 40


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


i18n_tool = _load("fieldtui_i18n_tool", ROOT / "scripts" / "i18n.py")
screenshots = _load("fieldtui_screenshots", ROOT / "scripts" / "screenshots.py")


# --------------------------------------------------------------------------- allowed words


def _parser() -> argparse.ArgumentParser:
    from fieldtui.cli import build_parser

    return build_parser()


def leaf_commands(parser: argparse.ArgumentParser | None = None) -> list[tuple[str, ...]]:
    """Every command path that runs something: ``("sync", "export")``, ``("doctor",)``."""
    found: list[tuple[str, ...]] = []

    def walk(p: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and path:
            found.append(path)
        for action in subs:
            for name, sub in action.choices.items():
                walk(sub, (*path, name))

    walk(parser or _parser(), ())
    return found


def _cli_words() -> set[str]:
    words: set[str] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        words.add(p.prog)
        for action in p._actions:
            words.update(action.option_strings)
            for attr in ("metavar", "dest"):
                value = getattr(action, attr, None)
                if isinstance(value, str):
                    words.add(value)
            if action.choices:
                words.update(str(c) for c in action.choices)
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)

    walk(_parser())
    return words


def allowed_words() -> frozenset[str]:
    """What may stand in Chinese text as it is: the command line's commands, options and
    choices, the code lists' codes, the table and sheet names."""
    from fieldtui.domain.schema import KINDS as TABLES
    from fieldtui.sheets.registry import KINDS as SHEETS

    codes = [m.code for cls in vars(enums).values() if _is_code_list(cls) for m in cls]
    fields = [f.name for kind in TABLES.values() for f in kind.fields]
    columns = [c.key for kind in SHEETS.values() for c in kind.columns]
    return known_words(_cli_words(), codes, TABLES, SHEETS, fields, columns)


def _is_code_list(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, enums.CodedEnum) and obj is not enums.CodedEnum


ALLOWED = allowed_words()


# --------------------------------------------------------------------------- the checker


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("前往: 企业台账", "ascii-punct"),
        ("文件格式不正确（当前为 '.txt'）", "ascii-punct"),
        ('请填写"姓名"', "ascii-punct"),
        ("删除 (Y)", "hint-space"),
        ("已登记：陈芳 (2594-6827)", "ascii-punct"),
        ("record a visit", None),  # no Chinese on the line: not looked at
        ("走访：record a visit", "english"),
        ("挂点企业363个", "measure-word"),
        ("3个项目，5家企业，2名人员", None),
        ("有2个企业", "measure-word"),
        ("人员名单中有3位人员", "measure-word"),
        ("不是有效日期", "rejected"),
        ("统一社会信用代码校验位应为 G，实为 Z", "rejected"),
        ("输入以搜索", "rejected"),
        ("有2家企业都叫“甲”", "rejected"),
        ("时间线", "rejected"),
        ("保存(S)  删除(Del)  校验文件(F5)  导入(Ctrl+S)", None),
        ("按 Enter 打开，fieldtui sync import 导入", None),
        ("搜索：拼音首字母（如 hhhb）", None),
    ],
)
def test_each_rule_catches_its_example(text: str, rule: str | None) -> None:
    rules = {p.rule for p in text_problems(text, allowed=ALLOWED)}
    assert rules == ({rule} if rule else set())


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("完成，用时 {seconds:.1f} 秒", "number-space"),
        ("共 300 家", "number-space"),
        ("正在导入…", "ellipsis"),
        ("字符 {ch!r} 不允许", "repr"),
        ("{year}年：部分行未通过", "bare-year"),
        ("2026年11月28日；{year}年度", None),
    ],
)
def test_catalog_rules_catch_their_example(text: str, rule: str | None) -> None:
    rules = {p.rule for p in text_problems(text, allowed=ALLOWED, authored=True)}
    assert rules == ({rule} if rule else set())


def test_a_question_reads_as_a_confirmation() -> None:
    problems = catalog_problems([("Delete {name}?", "删除“{name}”？")])
    assert [p.rule for p in problems] == ["question"]
    assert catalog_problems([("Delete {name}?", "确定删除“{name}”吗？")]) == []


# --------------------------------------------------------------------------- the catalog


def _catalog_pairs() -> Iterator[tuple[str, str]]:
    for message in i18n_tool.read_catalog("zh_CN"):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for index, string in enumerate(strings):
                yield message.id[min(index, 1)], str(string or "")
        else:
            yield message.id, str(message.string or "")


def test_the_catalog_follows_zh_style() -> None:
    problems = catalog_problems(_catalog_pairs(), allowed=ALLOWED)
    assert not problems, "\n".join(map(str, problems))


def test_the_product_has_its_chinese_name() -> None:
    from fieldtui.i18n import pgettext

    set_language("zh")
    assert pgettext("product", "fieldtui") == "首席服务官工作台"


# --------------------------------------------------------------------------- screens


async def _palette(app: Any, pilot: Any) -> None:
    await pilot.press("ctrl+p")


async def _delete_question(app: Any, pilot: Any) -> None:
    app.screen.set_focus(app.screen.query_one("#ledger-table"))
    await pilot.press("escape")  # a search typed by an earlier shot
    await screenshots.settle(pilot, 0.2)
    await pilot.press("delete")


async def _filter_dialog(app: Any, pilot: Any) -> None:
    await pilot.press("ctrl+f")


async def _first_run(app: Any, pilot: Any) -> None:
    from fieldtui.ui.screens.first_run import FirstRunScreen

    await app.push_screen(FirstRunScreen())


async def _drafts(app: Any, pilot: Any) -> None:
    from fieldtui.store.drafts import Draft
    from fieldtui.ui.screens.drafts import DraftsDialog

    draft = Draft(
        id="d1",
        kind="enterprise",
        row_id=None,
        title="肇庆市智盛自动化设备有限公司",
        fields={"name": "肇庆市智盛自动化设备有限公司"},
        saved_at="2026-11-28T09:30:00+08:00",
    )
    await app.push_screen(DraftsDialog([draft]))


EXTRA_SHOTS = [
    screenshots.Shot("palette", area="ledger", prepare=_palette),
    screenshots.Shot("delete-question", area="ledger", prepare=_delete_question),
    screenshots.Shot("ledger-filter", area="ledger", prepare=_filter_dialog),
    screenshots.Shot("first-run", area="home", prepare=_first_run),
    screenshots.Shot("drafts", area="home", prepare=_drafts),
]
"""States no screenshot shows but an officer meets every day."""


def all_shots() -> list[Any]:
    """The screenshot script's shots, one plain shot of every area they leave out, and the
    extra states above."""
    from fieldtui.ui.areas import AREAS

    shots = list(screenshots.SHOTS)
    pictured = {s.area for s in shots if s.prepare is None}
    shots += [screenshots.Shot(f"area-{a.id}", area=a.id) for a in AREAS if a.id not in pictured]
    return shots + EXTRA_SHOTS


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fieldtui.demo import build_demo
    from fieldtui.store import Store

    path = tmp_path_factory.mktemp("zh-demo") / "demo.db"
    with Store(path) as store:
        build_demo(store, size=DEMO_SIZE)
    return path


async def test_every_screen_reads_as_the_office_writes(
    demo_db: Path, tmp_path: Path, zh: None
) -> None:
    from textual.widgets import Header

    from fieldtui.app import FieldApp
    from fieldtui.store import Store
    from screen_app import screen_text

    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    problems: list[str] = []
    seen: list[str] = []
    with Store(db) as store:
        app = FieldApp(store, lang="zh")
        async with app.run_test(size=(120, 36)) as pilot:
            await screenshots.settle(pilot, 0.2)
            assert app.title == "首席服务官工作台"  # the terminal's window title
            for shot in all_shots():
                assert await app.open_area(shot.area), f"area {shot.area} does not open"
                await screenshots.settle(pilot, 0)
                depth = len(app.screen_stack)
                if shot.prepare is not None:
                    await shot.prepare(app, pilot)
                    await screenshots.settle(pilot, 0.2)
                text = screen_text(app)
                _dump(f"screen {shot.name}", text)
                seen.append(shot.name)
                problems += map(str, text_problems(text, f"screen {shot.name}", allowed=ALLOWED))
                header = text.split("\n", 1)[0]
                if app.screen.query(Header) and "首席服务官工作台" not in header:
                    problems.append(f"screen {shot.name}: the title bar lacks 首席服务官工作台")
                while len(app.screen_stack) > depth:
                    app.pop_screen()
                    await screenshots.settle(pilot, 0)
    assert len(seen) == len(all_shots())
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the command line


CLI_RUNS: dict[tuple[str, ...], list[list[str]]] = {
    ("demo",): [["demo", "--db", "{tmp}/fresh.db", "--size", "5"], ["demo", "--db", "{db}"]],
    ("doctor",): [["doctor"]],
    ("profile", "show"): [["profile", "show"]],
    ("profile", "list"): [["profile", "list"]],
    ("profile", "set"): [["profile", "set", "陈芳"], ["profile", "set", "查无此人"]],
    ("sheet", "columns"): [["sheet", "columns"]],
    ("sheet", "export"): [["sheet", "export", "enterprises", "{tmp}/企业台账.xlsx"]],
    ("sheet", "import"): [
        ["sheet", "import", "enterprises", "{tmp}/企业台账.xlsx", "--dry-run"],
        ["sheet", "import", "enterprises", "{tmp}/bad.csv"],
        ["sheet", "import", "enterprises", "{tmp}/notes.txt"],
    ],
    ("visit", "add"): [
        [
            "visit",
            "add",
            "--enterprise",
            "{enterprise}",
            "--kind",
            "电话",
            "--summary",
            "了解首期用电",
            "--problem",
            "要素保障:首期用电未落实",
            "--all-kept",
        ],
        ["visit", "add", "--enterprise", "{enterprise}", "--date", "2024-13-01"],
        ["visit", "add", "--enterprise", "{enterprise}", "--breach", "99:吃饭"],
    ],
    ("visit", "list"): [["visit", "list", "--limit", "5"], ["visit", "list", "--month", "3月"]],
    ("problem", "add"): [
        [
            "problem",
            "add",
            "--enterprise",
            "{enterprise}",
            "--category",
            "融资",
            "--description",
            "流动资金贷款难",
            "--deadline",
            "2030-01-31",
        ],
    ],
    ("problem", "status"): [
        ["problem", "status", "{problem}", "assigned", "--lead-unit", "金融工作局"],
        ["problem", "status", "{problem}", "已办结"],
        ["problem", "status", "{problem}", "bogus"],
    ],
    ("problem", "extend"): [
        ["problem", "extend", "{problem}", "2030-03-31", "--reason", "银行审批周期长"],
        ["problem", "extend", "{problem}", "2020-01-01", "--reason", "x"],
    ],
    ("problem", "follow-up"): [["problem", "follow-up", "{problem}", "满意"]],
    ("problem", "show"): [["problem", "show", "{problem}"], ["problem", "show", "zzzzzzzz"]],
    ("problem", "list"): [["problem", "list", "--limit", "5"], ["problem", "list", "--overdue"]],
    ("deleted", "list"): [["deleted", "list"]],
    ("deleted", "restore"): [
        ["deleted", "restore", "enterprises", "{deleted}"],
        ["deleted", "restore", "enterprises", "0"],
    ],
    ("report", "summary"): [
        ["report", "summary", "--from", "{year}-01-01", "--to", "{year}-12-31"],
        ["report", "summary", "--from", "{year}-01-01", "--to", "{year}-12-31", "--format", "md"],
        ["report", "summary", "--from", "{year}-12-31", "--to", "{year}-01-01"],
    ],
    ("report", "monthly"): [
        ["report", "monthly", "--month", "{year}-11"],
        ["report", "monthly", "--month", "{year}-11", "--officer", "陈芳", "--format", "md"],
        ["report", "monthly", "--month", "{year}-11", "--format", "csv", "-o", "{tmp}/月报.csv"],
        ["report", "monthly", "--month", "{year}-11", "-o", "{tmp}/月报.xlsx"],
        ["report", "monthly", "--month", "{year}-13"],
    ],
    ("report", "ranking"): [
        ["report", "ranking", "--year", "{year}"],
        ["report", "ranking", "--year", "{year}", "--format", "md"],
        ["report", "ranking", "--year", "{year}", "--format", "xlsx"],
        ["report", "ranking", "--year", "{year}", "-o", "{tmp}/nowhere/评选.md"],
        ["report", "ranking", "--year", "{year}", "--weight", "速度=3"],
    ],
    ("sync", "init"): [
        ["sync", "init", "--hub", "--name", "投资促进服务中心"],
        ["sync", "init", "--laptop", "--name", "陈芳", "--db", "{tmp}/laptop.db"],
        ["sync", "init", "--laptop"],
    ],
    ("sync", "export"): [
        ["sync", "export", "{tmp}/out/", "--full"],
        ["sync", "export", "{tmp}/up/", "--db", "{tmp}/laptop.db"],
        ["sync", "export", "{tmp}/nowhere"],
    ],
    ("sync", "import"): [
        ["sync", "import", "{tmp}/out/", "--db", "{tmp}/laptop.db"],
        ["sync", "import", "{tmp}/up/"],
        ["sync", "import", "{tmp}/notes.txt"],
    ],
    ("sync", "status"): [["sync", "status"], ["sync", "status", "--db", "{tmp}/laptop.db"]],
    ("sync", "conflicts"): [["sync", "conflicts"]],
    ("sync", "held"): [["sync", "held"], ["sync", "held", "--all"]],
    ("sync", "resolve"): [
        ["sync", "resolve", "enterprise", "{enterprise_id}", "status", "--value", "半停产"],
        ["sync", "resolve", "enterprise", "{enterprise_id}", "status", "--value", "倒闭"],
    ],
    ("sync", "team", "create"): [
        ["sync", "team", "create", "--name", "肇庆高新区投促中心"],
        ["sync", "team", "create", "--db", "{tmp}/laptop.db"],
    ],
    ("sync", "team", "join"): [["sync", "team", "join", "{tmp}/join/", "--db", "{tmp}/laptop.db"]],
    ("sync", "team", "enroll"): [["sync", "team", "enroll", "{join}"]],
    ("sync", "team", "status"): [
        ["sync", "team", "status"],
        ["sync", "team", "status", "--db", "{tmp}/laptop.db"],
    ],
    ("sync", "team", "revoke"): [
        ["sync", "team", "revoke", "陈芳"],
        ["sync", "team", "revoke", "张三"],
    ],
}
"""Example runs of every command, in order, on one demo database (``{db}``), with Chinese
output. Runs that are refused are here on purpose: their messages are output too."""


def test_every_command_has_a_run() -> None:
    missing = [" ".join(c) for c in leaf_commands() if c not in CLI_RUNS]
    assert not missing, "add example runs to CLI_RUNS for: " + ", ".join(missing)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from fieldtui.cli import main

    with suppress(SystemExit):  # usage errors and --help
        main(["--lang", "zh", *argv])
    out = capsys.readouterr()
    return out.out + out.err


def test_every_help_reads_as_the_office_writes(capsys: pytest.CaptureFixture[str]) -> None:
    problems: list[str] = []
    for command in [(), *leaf_commands(), *{c[:1] for c in leaf_commands() if len(c) > 1}]:
        text = _run([*command, "--help"], capsys)
        _dump(f"fieldtui {' '.join(command)} --help", text)
        assert CJK.search(text), f"fieldtui {' '.join(command)} --help is not in Chinese"
        where = f"fieldtui {' '.join(command)} --help"
        problems += map(str, text_problems(text, where, allowed=ALLOWED))
    assert not problems, "\n".join(problems)


def test_every_command_reads_as_the_office_writes(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldtui.domain import records as rec
    from fieldtui.store import Store

    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    (tmp_path / "notes.txt").write_text("不是表格\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text(
        "企业名称,统一社会信用代码,状态\n肇庆某某有限公司,91441284MA4UK8XQ3Z,倒闭\n",
        encoding="utf-8",
    )
    with Store(db) as store:
        enterprise = store.enterprises.list()[0]
        gone = store.enterprises.create(rec.Enterprise(name="肇庆已注销测试有限公司"))
        store.enterprises.delete(gone.id)
    values = {
        "db": str(db),
        "tmp": str(tmp_path),
        "enterprise": enterprise.name,
        "enterprise_id": enterprise.id,
        "deleted": gone.id[-8:],
        "problem": "",
        "join": "",
        "year": str(date.today().year - 1),  # the demo's first, complete year
    }
    problems: list[str] = []
    for command in CLI_RUNS:
        for run in CLI_RUNS[command]:
            argv = [arg.format(**values) for arg in run]
            if "--db" not in argv:
                argv += ["--db", str(db)]
            text = _run(argv, capsys)
            if command == ("problem", "add") and not values["problem"]:
                values["problem"] = _problem_id(text)
            if command == ("sync", "team", "join"):
                values["join"] = str(next((tmp_path / "join").glob("*.fieldjoin")))
            if command == ("sync", "import") and "up" in run[2]:
                _make_conflict(db, tmp_path, enterprise.id, capsys)
            where = "fieldtui " + " ".join(run)
            _dump(where, text)
            echoed = known_words(argv)  # a refused value is quoted back as typed
            problems += map(str, text_problems(text, where, allowed=ALLOWED | echoed))
    assert not problems, "\n".join(problems)


def _dump(where: str, text: str) -> None:
    """``ZH_STYLE_DUMP=FILE`` collects what the commands printed, to read it as an officer."""
    import os

    target = os.environ.get("ZH_STYLE_DUMP")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"$ {where}\n{text}\n")


def _problem_id(text: str) -> str:
    import re

    found = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
    assert found, f"no problem id in: {text}"
    return found.group()[-8:]


def _make_conflict(
    hub: Path, tmp: Path, enterprise_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The laptop and the office change one enterprise's status differently: a conflict."""
    from fieldtui.store import Store

    with Store(tmp / "laptop.db") as laptop:
        laptop.enterprises.update(enterprise_id, status="suspended")
    with Store(hub) as office:
        office.enterprises.update(enterprise_id, status="moved")
    _run(["sync", "export", str(tmp / "up2") + "/", "--db", str(tmp / "laptop.db")], capsys)
    _run(["sync", "import", str(tmp / "up2") + "/", "--db", str(hub)], capsys)
