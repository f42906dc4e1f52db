"""Issue 10, "done when", end to end: a hub and two laptops set up as the README's "Sync workflow
for an office" says (the command line: a team, sheets, join, enroll, profile), field work on
the laptops, a negative-list revision at the office, and the sticks carried both ways.

On laptop A, in the app at 80×24 in Chinese, officer 张三 picks an enterprise from "my week",
records a visit with two problems and the negative-list self-check from the keyboard (the keys
besides the typed text are counted against the README's figure), then follows one of the
problems to resolution on the problem screen, its whole history shown. Meanwhile the office
rewords one item of the negative list and retires another, and laptop B (李四), not yet
synced, records a visit whose self-check answers the old version, with breaches of exactly
those two items, and its monthly duty check. After A→hub, B→hub, hub→A and hub→B the three
databases hold the same rows, the same problem histories in the same order, both versions of
the list and every answer; old answers still read as the version they answered; nothing is
in conflict or held aside.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.checklists import month_of
from fieldtui.domain.enums import SEED_NEGATIVE_ITEMS, ProblemCategory
from fieldtui.i18n import language, set_language
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.models import Problem as ProblemModel
from fieldtui.store.problems import problem_history
from fieldtui.store.profile import current_officer
from fieldtui.store.visits import is_draft
from fieldtui.ui.screens.my_week_rows import ENTERPRISE, PROBLEM
from invariants import assert_rows_equal_ops
from screen_app import burst, screen_text, wait_for, wait_for_screen
from sync_support import snapshot

HUB_NAME = "投资促进服务中心"
TODAY = date.today()
HAOHAI = "广东浩海环保设备有限公司"
BOJUN = "肇庆博俊科技有限公司"
HUAYIN = "肇庆华音电器有限公司"
RIDE = "四会日德机械有限公司"
SHEETS = {
    "officers": "姓名,单位\n张三,经济发展局\n李四,招商科\n",
    "enterprises": (
        f"企业名称,地址\n{HAOHAI},四会市大旺\n{BOJUN},大旺一路\n{HUAYIN},大旺二路\n{RIDE},大旺三路\n"
    ),
    "assignments": (
        f"年度,首席服务官,企业名称\n{TODAY.year},张三,{HAOHAI}\n{TODAY.year},张三,{BOJUN}\n"
        f"{TODAY.year},李四,{HUAYIN}\n{TODAY.year},李四,{RIDE}\n"
    ),
}
TEXTS = {
    "search": "hhhb",
    "person": "陈志强",
    "title": "总经理",
    "policies": "宣讲稳岗补贴和技改奖补政策",
    "summary": "了解二期扩产进度和用电需求",
    "follow_up": "协调供电局现场踏勘",
    "problem1": "首期用电报装",
    "problem2": "规划验收",
}
README_KEYS = 14
"""The keys besides the text that README "Recording a visit" gives for this visit."""
FIRST_DEADLINE = TODAY + timedelta(days=14)
EXTENDED = TODAY + timedelta(days=28)
REWORDED = "不得以任何形式干扰企业正常生产经营活动"
B_BREACHES = {1: "接受企业安排的工作午餐一次", 6: "要求企业更换供应商，已纠正"}


class Office:
    """The command line as the office and the officers type it, one database each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hub = root / "office" / "office.db"
        self.laptops = {
            "张三": root / "laptop-a" / "fieldtui.db",
            "李四": root / "laptop-b" / "fieldtui.db",
        }
        self.sticks = {"张三": root / "E", "李四": root / "F"}
        self.outbox = root / "outbox"
        for path in (self.hub, *self.laptops.values()):
            path.parent.mkdir(parents=True, exist_ok=True)
        for path in (*self.sticks.values(), self.outbox):
            path.mkdir(parents=True, exist_ok=True)

    def run(self, db: Path, *args: str) -> None:
        """``fieldtui --db DB ARGS``; the command line sets the language of this process from
        the locale, so the app's language (the test's) is put back after it."""
        lang = language()
        try:
            code = main(["--db", str(db), *args])
        finally:
            set_language(lang)
        assert code == 0, f"fieldtui --db {db} {' '.join(args)}"

    def one(self, folder: Path, pattern: str) -> Path:
        (found,) = folder.glob(pattern)
        return found

    def set_up(self) -> None:
        """README steps 1 and 2: the hub with its team and sheets, then each laptop."""
        self.run(self.hub, "sync", "init", "--hub", "--name", HUB_NAME)
        self.run(self.hub, "sync", "team", "create")
        for kind, text in SHEETS.items():
            sheet = self.root / "office" / f"{kind}.csv"
            sheet.write_text(text, encoding="utf-8")
            self.run(self.hub, "sheet", "import", kind, str(sheet))
        for name, db in self.laptops.items():
            stick = self.sticks[name]
            self.run(db, "sync", "init", "--laptop", "--name", name)
            self.run(db, "sync", "team", "join", str(stick))
            self.run(self.hub, "sync", "team", "enroll", str(self.one(stick, f"{name}-join-*")))
            self.run(db, "sync", "import", str(self.one(stick, f"{HUB_NAME}-for-{name}-*")))
            self.run(db, "profile", "set", name)

    def bring_in_and_send_back(self) -> None:
        """README steps 4 to 6: every laptop exports to its stick, the hub imports both
        sticks and writes one file per laptop, each laptop imports its own."""
        for name, db in self.laptops.items():
            self.run(db, "sync", "export", str(self.sticks[name]))
        self.run(self.hub, "sync", "import", *(str(s) for s in self.sticks.values()))
        self.run(self.hub, "sync", "export", str(self.outbox))
        for name, db in self.laptops.items():
            self.run(db, "sync", "import", str(self.one(self.outbox, f"{HUB_NAME}-for-{name}-*")))


class Keyboard:
    """Presses keys as an officer does and counts those that are not typed text."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.count = 0
        self.sequence: list[str] = []

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)
        self.sequence.append(f"‹{text}›")

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            self.count += 1
            self.sequence.append(
                "+".join(p.capitalize() if len(p) > 1 else p.upper() for p in key.split("+"))
            )


def enterprise_id(store: Store, name: str) -> str:
    (found,) = [e.id for e in store.enterprises.list() if e.name == name]
    return found


def officer_id(store: Store, name: str) -> str:
    (found,) = [o.id for o in store.officers.list() if o.name == name]
    return found


def rendered(static: Static, width: int = 78) -> str:
    """What a Static shows, as plain text (also the part scrolled out of view)."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(static.content)
    return out.getvalue()


def cursor_row(screen: Any) -> Any:
    return screen.table.cursor_data


async def loaded_week(pilot: Pilot[Any]) -> Any:
    week = await wait_for_screen(pilot, "MyWeekScreen")
    await wait_for(
        pilot,
        lambda: (
            week.data is not None
            and week.data.week is not None
            and week.table.is_loaded
            and any(r.kind == ENTERPRISE for r in week.rows)
        ),
        what="my week with its enterprises",
    )
    return week


# --------------------------------------------------------------------------- laptop A, the app


async def record_the_visit(pilot: Pilot[Any], store: Store) -> Keyboard:
    """From "my week": the enterprise by its pinyin initials, Enter, the visit, Ctrl+S."""
    week = await loaded_week(pilot)
    haohai = enterprise_id(store, HAOHAI)
    assert {r.target for r in week.rows if r.kind == ENTERPRISE} == {
        haohai,
        enterprise_id(store, BOJUN),
    }  # 张三's assigned enterprises, as the hub's plan says
    kb = Keyboard(pilot)
    await kb.type(TEXTS["search"])
    await wait_for(
        pilot,
        lambda: (
            week.search_text == TEXTS["search"]
            and cursor_row(week) is not None
            and (cursor_row(week).kind, cursor_row(week).target) == (ENTERPRISE, haohai)
        ),
        what="浩海 found on my week",
    )
    await kb.keys("enter")  # a visit to the enterprise under the cursor
    form = await wait_for_screen(pilot, "VisitFormScreen")
    await wait_for(pilot, lambda: form.ready and form.focused is form.query_one("#person"))
    await kb.type(TEXTS["person"])
    await kb.keys("tab")
    await kb.type(TEXTS["title"])
    await kb.keys("tab", "1", "3", "tab")  # topics: operations, construction
    await kb.type(TEXTS["policies"])
    await kb.keys("tab")
    await kb.type(TEXTS["summary"])
    await kb.keys("tab")
    await kb.type(TEXTS["follow_up"])
    await kb.keys("ctrl+n", "1")  # a problem raised at the visit: category 1
    await kb.type(TEXTS["problem1"])
    await kb.keys("ctrl+n", "2")  # another: category 2
    await kb.type(TEXTS["problem2"])
    await wait_for(pilot, lambda: form.checklist is not None)
    await kb.keys("ctrl+t")  # the self-check: every item kept
    await wait_for(pilot, lambda: form.self_check.complete, what="the self-check complete")
    await kb.keys("ctrl+s")
    await wait_for_screen(pilot, "MyWeekScreen")
    await wait_for(pilot, lambda: len(store.visits.list()) == 1, what="the visit saved")
    return kb


async def step(pilot: Pilot[Any], key: str, dialog: str, *typed: str | tuple[str, ...]) -> Any:
    """Open a step's dialog, type into its fields (a tuple of keys is pressed as keys),
    ``Ctrl+S``, and wait for the problem screen again."""
    problem_screen = pilot.app.screen
    await pilot.press(key)
    await wait_for_screen(pilot, dialog)
    for part in typed:
        if isinstance(part, tuple):
            await pilot.press(*part)
        else:
            burst(pilot, *part)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: pilot.app.screen is problem_screen, what=f"{dialog} closed")
    return problem_screen


async def follow_the_problem(pilot: Pilot[Any], store: Store) -> str:
    """From "my week": the problem found by its words, Enter; every step of the workflow on
    its key; the whole history on the screen, newest first."""
    week = await loaded_week(pilot)
    await pilot.press("escape")  # clears the visit's search
    await wait_for(pilot, lambda: week.search_text == "")
    burst(pilot, *TEXTS["problem1"])
    await wait_for(
        pilot,
        lambda: (
            cursor_row(week) is not None
            and (cursor_row(week).kind, cursor_row(week).item) == (PROBLEM, TEXTS["problem1"])
        ),
        what="the new problem on my week",
    )
    await pilot.press("enter")
    screen = await wait_for_screen(pilot, "ProblemScreen")
    await wait_for(pilot, lambda: screen.ready and screen.problem is not None and screen.history)
    pid: str = screen.problem.id
    assert screen.problem.description == TEXTS["problem1"] and screen.problem.status == "new"

    await step(pilot, "f3", "StatusDialog", ("tab",), "供电局")  # assigned, to its lead unit
    await wait_for(pilot, lambda: screen.problem.status == "assigned")
    await step(pilot, "f4", "ExtendDialog", FIRST_DEADLINE.isoformat(), ("tab",), "约定两周内报装")
    await wait_for(pilot, lambda: screen.problem.deadline == FIRST_DEADLINE)
    await step(pilot, "f3", "StatusDialog")  # in progress: the first step from assigned
    await wait_for(pilot, lambda: screen.problem.status == "in_progress")
    await step(pilot, "f4", "ExtendDialog", EXTENDED.isoformat(), ("tab",), "线路改造需停电审批")
    await wait_for(pilot, lambda: screen.problem.deadline == EXTENDED)
    await step(pilot, "f6", "NoteDialog", "已电话催办供电局")
    await wait_for(pilot, lambda: len(screen.history) == 6)
    await step(pilot, "f3", "StatusDialog", ("tab",), "已完成报装并送电")  # resolved
    await wait_for(pilot, lambda: screen.problem.status == "resolved")
    await step(pilot, "f7", "FollowUpDialog", ("tab",), "企业对办理进度满意")  # 满意 first
    await wait_for(pilot, lambda: screen.problem.satisfaction == "satisfied")

    await wait_for(pilot, lambda: len(screen.history) == 8, what="eight history entries")
    shown = rendered(screen.query_one("#problem-history", Static))
    newest_first = [
        "回访：满意",
        "企业对办理进度满意",
        "已完成报装并送电",
        "已电话催办供电局",
        f"延期至{EXTENDED.isoformat()}",
        "线路改造需停电审批",
        "办理中",
        f"延期至{FIRST_DEADLINE.isoformat()}",
        "约定两周内报装",
        "已交办",
        "待交办",
    ]
    positions = [shown.index(part) for part in newest_first]
    assert positions == sorted(positions), shown
    assert shown.count(TODAY.isoformat()) == 8 and "张三" in shown
    state = rendered(screen.query_one("#problem-state", Static))
    assert "已办结" in state and "满意" in state
    assert not screen.dirty
    await pilot.press("escape")
    await wait_for_screen(pilot, "MyWeekScreen")
    return pid


async def breach_list_as_the_office_reads_it(pilot: Pilot[Any]) -> None:
    """``Ctrl+G 6`` the checklists (both versions of the negative list, the new one current),
    ``F7`` the breach list: B's breaches with the items as the version B answered words
    them, though one is retired and the other reworded since."""
    await wait_for(
        pilot,
        lambda: type(pilot.app.screen).__name__ in ("LedgerScreen", "MyWeekScreen"),
        what="the start area",
    )
    await pilot.press("ctrl+g", "6")
    lists = await wait_for_screen(pilot, "ChecklistsScreen")
    await wait_for(pilot, lambda: lists.data is not None and lists.items_table.is_loaded)
    await pilot.press("f7")
    screen = await wait_for_screen(pilot, "BreachesScreen")
    await wait_for(pilot, lambda: screen.data is not None and screen.table.is_loaded)
    await wait_for(pilot, lambda: len(screen.shown) == 2, what="two breaches")
    assert sorted((b.position, b.item, b.version, b.note) for b in screen.shown) == [
        (n, SEED_NEGATIVE_ITEMS[n - 1], 1, note) for n, note in B_BREACHES.items()
    ]
    expected = [f"{n}. {SEED_NEGATIVE_ITEMS[n - 1][:5]}" for n in B_BREACHES]
    expected += [note[:5] for note in B_BREACHES.values()]
    await wait_for(
        pilot,
        lambda: all(text in screen_text(pilot.app) for text in expected),
        what=f"{expected} on the breach list",
    )
    assert REWORDED[:5] not in screen_text(pilot.app)


# --------------------------------------------------------------------------- the test


async def test_field_work_syncs_between_a_hub_and_two_laptops(
    tmp_path: Path, zh: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldtui.app import FieldApp

    office = Office(tmp_path)
    office.set_up()
    capsys.readouterr()

    # Laptop A: the officer's week, a visit, a problem followed to resolution.
    with Store(office.laptops["张三"]) as a:
        officer = current_officer(a)
        assert officer is not None and officer.name == "张三"
        assert a.assignments.count() == 4 and a.enterprises.count() == 4  # from the hub
        app = FieldApp(a, lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            kb = await record_the_visit(pilot, a)
            problem = await follow_the_problem(pilot, a)
        (visit,) = a.visits.list()
        assert not is_draft(a, visit.id)

    sequence = " ".join(kb.sequence)
    print(f"\nkeys besides the text, from my week: {kb.count}\n{sequence}")
    assert kb.count <= README_KEYS < 25
    assert sequence == (
        "‹hhhb› Enter ‹陈志强› Tab ‹总经理› Tab 1 3 Tab ‹宣讲稳岗补贴和技改奖补政策› Tab "
        "‹了解二期扩产进度和用电需求› Tab ‹协调供电局现场踏勘› Ctrl+N 1 ‹首期用电报装› "
        "Ctrl+N 2 ‹规划验收› Ctrl+T Ctrl+S"
    )

    # Meanwhile the office rewords item 6 of the negative list and retires item 1.
    with Store(office.hub) as hub:
        v1 = cl.current_checklist(hub, "negative")
        assert v1.version == 1 and v1.texts == SEED_NEGATIVE_ITEMS
        texts = list(v1.texts)
        texts[5] = REWORDED
        del texts[0]
        v2 = cl.revise_checklist(hub, "negative", texts, base_template_id=v1.template_id)
        assert v2.version == 2

    # Laptop B has not seen the revision: its visit answers version 1, breaching exactly the
    # two items the office changed; and it answers this month's duty check.
    b_path = office.laptops["李四"]
    breaches = [f"--breach={n}:{note}" for n, note in B_BREACHES.items()]
    office.run(
        b_path, "visit", "add", "--enterprise", HUAYIN, "--person", "王经理",
        "--problem", "labour:招工难", *breaches,
    )  # fmt: skip
    with Store(b_path) as b:
        assert cl.current_checklist(b, "negative").version == 1
        (b_visit,) = b.visits.list()
        duty = cl.current_checklist(b, "duty")
        cl.save_duty_check(
            b, officer_id(b, "李四"), month_of(TODAY), duty.template_id, cl.all_answered(duty)
        )
    capsys.readouterr()

    office.bring_in_and_send_back()
    capsys.readouterr()

    stores = [Store(office.hub), *(Store(p) for p in office.laptops.values())]
    try:
        hub, a, b = stores
        expected = snapshot(hub)
        histories = [problem_history(s, problem) for s in stores]
        for store in stores:
            # The same rows everywhere: visits, problems, their events, templates, answers.
            assert snapshot(store) == expected
            assert_rows_equal_ops(store)
            assert not sync.list_conflicts(store.db)
            assert not sync.held_values(store.db)
            assert sorted(v.id for v in store.visits.list()) == sorted([visit.id, b_visit.id])
            assert not is_draft(store, visit.id) and not is_draft(store, b_visit.id)

            # The visit's problems link to it (and B's to B's).
            linked = store.problems.list(ProblemModel.visit == visit.id)
            assert sorted(p.description for p in linked) == sorted(
                [TEXTS["problem1"], TEXTS["problem2"]]
            )
            categories = {p.description: p.category for p in linked}
            codes = [c.code for c in ProblemCategory]
            assert categories == {TEXTS["problem1"]: codes[0], TEXTS["problem2"]: codes[1]}
            (b_problem,) = store.problems.list(ProblemModel.visit == b_visit.id)
            assert (b_problem.description, b_problem.category) == ("招工难", "labour")

            # The problem followed to resolution, with its history in order.
            followed = store.problems.get(problem)
            assert followed is not None
            assert (followed.status, followed.lead_unit, followed.deadline) == (
                "resolved",
                "供电局",
                EXTENDED,
            )
            assert (followed.resolution, followed.satisfaction) == ("已完成报装并送电", "satisfied")
            assert followed.visit_id == visit.id
            assert [(e.kind, e.status, e.deadline) for e in problem_history(store, problem)] == [
                ("status", "new", None),
                ("status", "assigned", None),
                ("extension", None, FIRST_DEADLINE),
                ("status", "in_progress", None),
                ("extension", None, EXTENDED),
                ("note", None, None),
                ("status", "resolved", None),
                ("follow_up", None, None),
            ]

            # Both versions of the negative list; the revised one is current.
            versions = cl.checklist_versions(store, "negative")
            assert [(c.version, c.texts) for c in versions] == [
                (2, tuple(texts)),
                (1, SEED_NEGATIVE_ITEMS),
            ]
            assert cl.current_checklist(store, "negative").version == 2

            # Past answers read as the version they answered: the retired and the reworded
            # item with their old wording, A's nine "kept" answers complete.
            a_check = cl.visit_self_check(store, visit.id)
            assert (a_check.checklist.version, a_check.complete) == (1, True)
            assert len(a_check.answers) == 9 and not a_check.failures
            b_check = cl.visit_self_check(store, b_visit.id)
            assert (b_check.checklist.version, b_check.complete) == (1, True)
            assert [(i.position, i.text, x.note) for i, x in b_check.failures] == [
                (n, SEED_NEGATIVE_ITEMS[n - 1], note) for n, note in B_BREACHES.items()
            ]
            listed = sorted((x.position, x.item, x.version, x.note) for x in cl.breaches(store))
            assert listed == [
                (n, SEED_NEGATIVE_ITEMS[n - 1], 1, note) for n, note in B_BREACHES.items()
            ]
            month = cl.duty_check(store, officer_id(store, "李四"), month_of(TODAY))
            assert month.complete and not month.failures
        assert histories[0] == histories[1] == histories[2]
        assert len(histories[0]) == 8

        # What the office and laptop A see: the old answers as they were given.
        for store in (hub, a):
            async with FieldApp(store, lang="zh").run_test(size=(80, 24)) as pilot:
                await breach_list_as_the_office_reads_it(pilot)
    finally:
        for store in stores:
            store.close()
