"""``fieldtui visit`` and ``fieldtui problem``: scripted field work, with the CLI's contract
(exit codes, one-line messages naming the option, ``--json``, Chinese with --lang zh)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldtui.cli import main
from fieldtui.domain.enums import SEED_NEGATIVE_ITEMS
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store

USCC = "91350100M000100Y43"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    with Store(path) as s:
        with s.batch():
            zhang = s.officers.create(Officer(name="张三", unit="投促中心"))
            s.officers.create(Officer(name="李四"))
            s.enterprises.create(Enterprise(name="广东浩海环保设备有限公司", uscc=USCC))
            s.enterprises.create(Enterprise(name="肇庆博俊科技有限公司"))
        s.set_meta("officer_id", zhang.id)
    return path


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys
        self.err = ""

    def run(self, *args: str, expect: int = 0) -> str:
        code = main(["--db", str(self.db), *args])
        out = self.capsys.readouterr()
        assert code == expect, out.err + out.out
        self.err = out.err
        return out.out

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))

    def fails(self, *args: str, code: int = 1) -> str:
        before = ops(self.db)
        try:
            result = main(["--db", str(self.db), *args])
        except SystemExit as exc:  # argparse's usage errors
            result = int(exc.code or 0)
        out = self.capsys.readouterr()
        assert result == code, out.err + out.out
        assert ops(self.db) == before, "a refused command wrote something"
        assert "Traceback" not in out.err
        if code == 1:
            assert len(out.err.strip().splitlines()) == 1, out.err  # one line
        return out.err


def ops(db: Path) -> int:
    with Store(db) as s:
        return int(s.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


@pytest.fixture
def cli(db: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db, capsys)


def test_visit_add_with_problems_and_the_self_check(cli: Cli) -> None:
    data = cli.json(
        "visit",
        "add",
        "--enterprise",
        "广东浩海环保设备有限公司",
        "--date",
        "2026/3/2",
        "--kind",
        "电话",
        "--person",
        "陈经理",
        "--title",
        "总经理",
        "--summary",
        "了解二期用电需求",
        "--problem",
        "factors:首期用电",
        "--problem",
        "审批服务：规划验收：补材料",
        "--officer",
        "张三",
        "--officer",
        "李四",
        "--all-kept",
    )
    assert (data["date"], data["kind"], data["enterprise"]) == (
        "2026-03-02",
        "phone",
        "广东浩海环保设备有限公司",
    )
    assert data["officers"] == ["张三", "李四"]
    assert [(p["category"], p["description"]) for p in data["problems"]] == [
        ("factors", "首期用电"),
        ("approval", "规划验收：补材料"),
    ]
    assert data["self_check"]["complete"] and not data["draft"]
    assert data["self_check"]["breaches"] == []
    listed = cli.json("visit", "list", "--enterprise", USCC)
    assert listed["count"] == 1 and listed["visits"][0]["problems"] == 2


def test_visit_add_with_a_breach_and_as_a_draft(cli: Cli) -> None:
    data = cli.json("visit", "add", "--enterprise", USCC, "--breach", "2:企业赠送礼品一份，已退回")
    assert data["officers"] == ["张三"]  # the current officer by default
    assert data["self_check"]["complete"]
    assert data["self_check"]["breaches"] == [
        {"item": 2, "text": SEED_NEGATIVE_ITEMS[1], "note": "企业赠送礼品一份，已退回"}
    ]
    by_text = cli.json("visit", "add", "--enterprise", USCC, "--breach", "报销:报销了油费")
    assert by_text["self_check"]["breaches"][0]["item"] == 3
    draft = cli.json("visit", "add", "--enterprise", "肇庆博俊科技有限公司", "--summary", "草稿")
    assert draft["draft"] and not draft["self_check"]["complete"]
    drafts = cli.json("visit", "list", "--drafts")
    assert [v["id"] for v in drafts["visits"]] == [draft["visit_id"]]
    assert cli.json("visit", "list", "--complete")["count"] == 2
    text = cli.run("visit", "list", "--officer", "张三")
    assert "draft" in text and "3 of 3 visit(s)" in text


def test_visit_add_refusals_name_the_option_and_write_nothing(cli: Cli, db: Path) -> None:
    assert "--enterprise" in cli.fails("visit", "add", "--enterprise", "不存在的公司")
    assert "--date" in cli.fails("visit", "add", "--enterprise", USCC, "--date", "2026-02-30")
    assert "--date" in cli.fails("visit", "add", "--enterprise", USCC, "--date", "2099-01-01")
    assert "--kind" in cli.fails("visit", "add", "--enterprise", USCC, "--kind", "飞行")
    err = cli.fails("visit", "add", "--enterprise", USCC, "--problem", "x:y", "--all-kept")
    assert "--problem #1" in err
    assert "--problem #2" in cli.fails(
        "visit", "add", "--enterprise", USCC, "--problem", "other:a", "--problem", "nocolon"
    )
    assert "--breach" in cli.fails("visit", "add", "--enterprise", USCC, "--breach", "99:x")
    assert "--breach" in cli.fails("visit", "add", "--enterprise", USCC, "--breach", "不得:x")
    assert "--breach" in cli.fails("visit", "add", "--enterprise", USCC, "--breach", "2:")
    assert "--officer" in cli.fails("visit", "add", "--enterprise", USCC, "--officer", "王五")
    cli.fails("visit", "add", "--enterprise", USCC, "--all-kept", "--breach", "1:x", code=2)
    assert "--month" in cli.fails("visit", "list", "--month", "2026-13")
    with Store(db) as s:
        s.set_meta("officer_id", "")
    assert "--officer" in cli.fails("visit", "add", "--enterprise", USCC)


def test_problem_add_status_extend_follow_up_show_and_list(cli: Cli) -> None:
    added = cli.json(
        "problem",
        "add",
        "--enterprise",
        USCC,
        "--category",
        "生产要素",
        "--description",
        "首期用电",
        "--deadline",
        "2099-12-31",
        "--raised-on",
        "2026-03-01",
    )
    end = added["id"][-8:]
    assert (added["status"], added["officer"]) == ("new", "张三")
    assert "--lead-unit" in cli.fails("problem", "status", end, "assigned")
    cli.run("problem", "status", end, "已交办", "--lead-unit", "供电局", "--on", "2026-03-02")
    cli.run("problem", "status", end, "in_progress")
    extended = cli.json("problem", "extend", end, "2100-01-31", "--reason", "需报市级审批")
    assert extended["deadline"] == "2100-01-31"
    assert "STATUS" in cli.fails("problem", "status", end, "待交办")  # back a step: a reason
    assert "--resolution" in cli.fails("problem", "status", end, "resolved")
    cli.run("problem", "status", end, "resolved", "--note", "已送电")
    shown = cli.json("problem", "follow-up", end, "基本满意", "--note", "电话回访")
    assert (shown["status"], shown["satisfaction"], shown["resolution"]) == (
        "resolved",
        "basic",
        "已送电",
    )
    history = cli.json("problem", "show", end)["history"]
    assert [(h["kind"], h["status"]) for h in history] == [
        ("status", "new"),
        ("status", "assigned"),
        ("status", "in_progress"),
        ("extension", None),
        ("status", "resolved"),
        ("follow_up", None),
    ]
    assert history[3]["note"] == "需报市级审批" and history[5]["satisfaction"] == "basic"
    assert history[1]["on"] == "2026-03-02"

    late = cli.json(
        "problem",
        "add",
        "--enterprise",
        "肇庆博俊科技有限公司",
        "--category",
        "other",
        "--description",
        "排污接口",
        "--raised-on",
        "2026-01-05",
        "--deadline",
        "2026-01-20",
        "--officer",
        "李四",
    )
    overdue = cli.json("problem", "list", "--overdue")
    assert [p["id"] for p in overdue["problems"]] == [late["id"]]
    assert overdue["problems"][0]["overdue"]
    assert cli.json("problem", "list", "--officer", "李四")["count"] == 1
    assert cli.json("problem", "list", "--status", "已办结")["count"] == 1
    assert cli.json("problem", "list", "--open", "--text", "排污")["count"] == 1
    assert "2 of 2 problem(s)" in cli.run("problem", "list")


def test_problem_refusals(cli: Cli) -> None:
    assert "--category" in cli.fails(
        "problem", "add", "--enterprise", USCC, "--category", "天气", "--description", "x"
    )
    assert "--description" in cli.fails(
        "problem", "add", "--enterprise", USCC, "--category", "other", "--description", " "
    )
    assert "ID" in cli.fails("problem", "status", "ffffffff", "assigned")
    assert "--status" in cli.fails("problem", "list", "--status", "完成")
    cli.fails("problem", "status", code=2)


def test_missing_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    assert main(["--db", str(missing), "visit", "list"]) == 1
    assert "no such database" in capsys.readouterr().err
    assert not missing.exists()


def test_messages_in_chinese(cli: Cli, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "zh", "--db", str(db), "visit", "add", "--enterprise", "不存在"])
    err = capsys.readouterr().err
    assert code == 1 and "--enterprise" in err and "企业" in err
    code = main(
        ["--lang", "zh", "--db", str(db), "visit", "add", "--enterprise", USCC, "--all-kept"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "已记录走访" in out and "未违反" in out


def test_an_extension_needs_its_reason(cli: Cli) -> None:
    added = cli.json(
        "problem", "add", "--enterprise", USCC, "--category", "other", "--description", "x"
    )
    assert "--reason" in cli.fails("problem", "extend", added["id"], "2099-01-01", "--reason", " ")
    assert "DEADLINE" in cli.fails("problem", "extend", added["id"], "明天", "--reason", "等")
