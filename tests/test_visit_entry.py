"""Recording a visit from the keyboard, measured: the keys an officer presses besides the text.

Issue 10 item 1: a visit with two problems and the full negative-list self-check, recorded in
the real app from the ledger, counting every key that is not the text typed. The count and
the sequence are what README "Recording a visit" shows; the test asserts both, and what was
saved (the visit, its officer, its topics, two problem records linked to it, nine answers).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from fieldtui.domain import records as rec
from fieldtui.domain.enums import ProblemCategory
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.models import Problem as ProblemModel
from fieldtui.store.visits import is_draft
from screen_app import burst, on_the_ledger, screen_text, wait_for, wait_for_screen

HAOHAI = "广东浩海环保设备有限公司"
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


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "visit-entry.db")
    with s.batch():
        me = s.officers.create(rec.Officer(name="张伟", unit="经发局"))
        s.officers.create(rec.Officer(name="李强"))
        s.enterprises.create(rec.Enterprise(name=HAOHAI))
        for name in ("肇庆博俊科技有限公司", "肇庆华音电器有限公司", "四会日德机械有限公司"):
            s.enterprises.create(rec.Enterprise(name=name))
    s.set_meta("officer_id", me.id)
    return s


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
            self.sequence.append(_key_name(key))


def _key_name(key: str) -> str:
    return "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in key.split("+"))


async def app_on_the_ledger(pilot: Pilot[Any]) -> Any:
    ledger = await on_the_ledger(pilot)
    await wait_for(pilot, lambda: ledger.table.is_loaded and ledger.table.row_count == 4)
    return ledger


def saved_visit(store: Store) -> Any:
    [visit] = store.visits.list()
    return visit


async def test_recording_a_visit_with_two_problems_and_the_self_check_takes_14_keys(
    store: Store, zh: None
) -> None:
    from fieldtui.app import FieldApp

    app = FieldApp(store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        ledger = await app_on_the_ledger(pilot)
        kb = Keyboard(pilot)
        await kb.type(TEXTS["search"])  # typing on the ledger searches it
        await wait_for(pilot, lambda: ledger.table.row_count == 1 and ledger.table.is_loaded)
        await kb.keys("f3")  # a visit to the highlighted enterprise
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
        await kb.keys("ctrl+n", "1")  # a problem: category 1 (the cursor moves on)
        await kb.type(TEXTS["problem1"])
        await kb.keys("ctrl+n", "2")  # another: category 2
        await kb.type(TEXTS["problem2"])
        await wait_for(pilot, lambda: form.checklist is not None)
        await kb.keys("ctrl+t")  # the self-check: every item kept
        assert "已完成" in screen_text(app) or form.self_check.complete
        await kb.keys("ctrl+s")
        await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: len(store.visits.list()) == 1)

    sequence = " ".join(kb.sequence)
    print(f"\nkeys besides the text: {kb.count}\n{sequence}")
    assert kb.count == 14 < 25
    assert sequence == (
        "‹hhhb› F3 ‹陈志强› Tab ‹总经理› Tab 1 3 Tab ‹宣讲稳岗补贴和技改奖补政策› Tab "
        "‹了解二期扩产进度和用电需求› Tab ‹协调供电局现场踏勘› Ctrl+N 1 ‹首期用电报装› "
        "Ctrl+N 2 ‹规划验收› Ctrl+T Ctrl+S"
    )
    assert_recorded(store)


def assert_recorded(store: Store) -> None:
    visit = saved_visit(store)
    haohai = next(e for e in store.enterprises.list() if e.name == HAOHAI)
    me = store.meta("officer_id")
    assert visit.enterprise_id == haohai.id
    assert visit.date == date.today()
    assert visit.kind == "onsite"
    assert visit.person == TEXTS["person"] and visit.person_title == TEXTS["title"]
    assert visit.topics == ["operations", "construction"]
    assert visit.policies == TEXTS["policies"]
    assert visit.summary == TEXTS["summary"]
    assert visit.follow_up == TEXTS["follow_up"]
    assert store.visit_officers.right_ids(visit.id) == [me]
    problems = store.problems.list(ProblemModel.visit == visit.id)
    problems.sort(key=lambda p: p.description)
    categories = [c.code for c in ProblemCategory]
    assert [(p.category, p.description) for p in problems] == sorted(
        [(categories[0], TEXTS["problem1"]), (categories[1], TEXTS["problem2"])],
        key=lambda pair: pair[1],
    )
    assert all(p.enterprise_id == haohai.id and p.status == "new" for p in problems)
    assert all(p.raised_on == visit.date and p.officer_id == me for p in problems)
    check = cl.visit_self_check(store, visit.id)
    assert check.complete and not check.failures
    assert len(check.answers) == len(cl.current_checklist(store, "negative").items) == 9
    assert not is_draft(store, visit.id)


async def test_the_same_keys_typed_as_one_burst_land_where_they_were_meant(
    store: Store, zh: None
) -> None:
    """A fast typist (or tmux send-keys) sends everything before the app handles the first
    key: Tab, Ctrl+N and the digits move the cursor in the order typed, a typo taken back
    with Backspace is taken back, nothing is lost."""
    from fieldtui.app import FieldApp

    app = FieldApp(store, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        ledger = await app_on_the_ledger(pilot)
        burst(pilot, *TEXTS["search"])
        await wait_for(pilot, lambda: ledger.table.row_count == 1 and ledger.table.is_loaded)
        burst(
            pilot,
            "f3", *TEXTS["person"], "x", "backspace", "tab", *TEXTS["title"], "tab",
            "1", "3", "tab",
            *TEXTS["policies"], "tab", *TEXTS["summary"], "tab", *TEXTS["follow_up"],
            "ctrl+n", "1", *TEXTS["problem1"], "ctrl+n", "2", *TEXTS["problem2"], "ctrl+t",
        )  # fmt: skip
        form = await wait_for_screen(pilot, "VisitFormScreen")
        await wait_for(pilot, lambda: form.self_check.complete, what="all kept")
        await wait_for(pilot, lambda: len(form.problem_rows.rows) == 2)
        burst(pilot, "ctrl+s")
        await wait_for_screen(pilot, "LedgerScreen")
        await wait_for(pilot, lambda: len(store.visits.list()) == 1)
    assert_recorded(store)
