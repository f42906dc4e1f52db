"""Build a demo database and save SVG screenshots of the main screens, in Chinese.

    python scripts/screenshots.py [--out screenshots] [--size 300] [--width 120 --height 36]

Each screenshot is one :class:`Shot`: an area to open and, when the screen needs more than
that (a form with a message showing, a record's detail), a ``prepare`` coroutine that drives
the app there. A later area adds its screen with one line in :data:`SHOTS`, e.g.
``Shot("visits", area="visits")``. The README embeds the files this writes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from fieldtui.app import FieldApp

Prepare = Callable[["FieldApp", "Pilot[None]"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Shot:
    name: str
    """File name without ``.svg``."""
    area: str
    """The area (``fieldtui.ui.areas``) opened first."""
    prepare: Prepare | None = None
    """Drives the app from the area's screen to what the picture shows."""


async def settle(pilot: Pilot[None], seconds: float = 0.3) -> None:
    """Let workers finish and the screen repaint (tables lay out rows on a later refresh)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        with suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause(seconds)


def busiest_enterprise(app: FieldApp) -> str:
    """An assigned enterprise with the most visits, problems and projects: the fullest
    detail screen."""
    row = app.store.db.execute_sql(
        "SELECT e.id FROM enterprise e WHERE e.deleted = 0 "
        "ORDER BY EXISTS (SELECT 1 FROM assignment a WHERE a.enterprise_id = e.id "
        "  AND a.deleted = 0) DESC, "
        "(SELECT COUNT(*) FROM visit v WHERE v.enterprise_id = e.id AND v.deleted = 0) "
        "+ 2 * (SELECT COUNT(*) FROM problem p WHERE p.enterprise_id = e.id AND p.deleted = 0) "
        "+ 3 * (SELECT COUNT(*) FROM project j WHERE j.enterprise_id = e.id AND j.deleted = 0) "
        "DESC, e.name LIMIT 1"
    ).fetchone()
    return str(row[0])


async def form_with_message(app: FieldApp, pilot: Pilot[None]) -> None:
    """A new enterprise with a mistyped USCC: the inline check-character message shows."""
    from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen

    await app.push_screen(EnterpriseFormScreen())
    await settle(pilot)
    await pilot.press(*"肇庆市智盛自动化设备有限公司")
    await pilot.press("tab")
    await pilot.press(*"91441284MA4UK8XQ3Z")
    await pilot.press("tab")
    await pilot.press(*"陈志强")
    await pilot.press("tab")


async def enterprise_detail(app: FieldApp, pilot: Pilot[None]) -> None:
    from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen

    await app.push_screen(EnterpriseDetailScreen(busiest_enterprise(app)))


async def ledger_search(app: FieldApp, pilot: Pilot[None]) -> None:
    """Pinyin initials in the search box: ``gd`` finds every 广东… enterprise."""
    await pilot.press("g", "d", "z", "n")  # typed on the list: it is the search


async def sheet_import(app: FieldApp, pilot: Pilot[None]) -> None:
    """An office's ledger exported, two rows added (one new, one mistyped), then checked."""
    from openpyxl import load_workbook

    from fieldtui.sheets import export_sheet
    from fieldtui.ui.screens.sheet_import import SheetImportScreen

    path = app.store.path.parent / "企业台账.xlsx"
    export_sheet(app.store, "enterprises", path)
    book = load_workbook(path)
    sheet = book.active
    sheet.append(["肇庆市捷声音响设备有限公司", "91441284MA4UK8XQ3Z", "陈志强", "C", "小型"])
    sheet.append(["肇庆华音新材料有限公司", "", "李海明", "制造业", "中型", "四会市大旺大道8号"])
    book.save(path)
    await app.push_screen(SheetImportScreen("enterprises", str(path)))
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot, 1.0)


async def visit_form(app: FieldApp, pilot: Pilot[None]) -> None:
    """A visit to the busiest enterprise being recorded, as README "Recording a visit" types
    it: the person met, topics, what was done, two problems, every self-check item kept."""
    from fieldtui.ui.screens.registry import make_screen

    await app.push_screen(make_screen("visit_form", enterprise_id=busiest_enterprise(app)))
    await settle(pilot)
    await pilot.press(*"陈志强", "tab", *"总经理", "tab", "1", "3", "tab")
    await pilot.press(*"宣讲稳岗补贴和技改奖补政策", "tab", *"了解二期扩产进度和用电需求", "tab")
    await pilot.press(*"协调供电局现场踏勘")
    await pilot.press("ctrl+n", "1", *"首期用电报装", "ctrl+n", "2", *"规划验收")
    await settle(pilot)
    await pilot.press("ctrl+t")
    app.screen.set_focus(app.screen.query_one("#person"))


async def visit_form_problems(app: FieldApp, pilot: Pilot[None]) -> None:
    """The same visit further down: its problems and the self-check, one item breached."""
    await visit_form(app, pilot)
    await settle(pilot)
    screen = app.screen
    rows = list(screen.query_one("#self_check").rows.values())  # type: ignore[attr-defined]
    screen.set_focus(rows[0].toggle)
    await pilot.press("space", *"企业安排工作餐已按标准交纳餐费")
    await settle(pilot)
    screen.query_one("#problems").scroll_visible(top=True, animate=False)


def busiest_problem(app: FieldApp) -> str:
    """The problem with the longest history: the fullest problem screen."""
    row = app.store.db.execute_sql(
        "SELECT p.id FROM problem p WHERE p.deleted = 0 ORDER BY "
        "(SELECT COUNT(*) FROM problem_event e WHERE e.problem_id = p.id AND e.deleted = 0) "
        "DESC, p.raised_on DESC LIMIT 1"
    ).fetchone()
    return str(row[0])


async def problem_screen(app: FieldApp, pilot: Pilot[None]) -> None:
    """A problem with its state line, the end of its form and its history, newest first."""
    from fieldtui.ui.screens.registry import make_screen

    await app.push_screen(make_screen("problem_detail", busiest_problem(app)))
    await settle(pilot)
    app.screen.query_one("#form-body").scroll_end(animate=False, immediate=True)


async def problem_status(app: FieldApp, pilot: Pilot[None]) -> None:
    """F3 on a problem: only the statuses the workflow allows next."""
    await problem_screen(app, pilot)
    await settle(pilot)
    await pilot.press("f3")


async def project_form(app: FieldApp, pilot: Pilot[None]) -> None:
    """A project under construction, its completion typed with a date before its start: the
    milestone order warns under the field (and would not stop a save)."""
    from datetime import date, timedelta

    from fieldtui.ui.screens.registry import make_screen

    row = app.store.db.execute_sql(
        "SELECT id, started_on FROM project WHERE deleted = 0 AND started_on IS NOT NULL"
        " AND completed_on IS NULL AND enterprise_id IS NOT NULL ORDER BY started_on DESC LIMIT 1"
    ).fetchone()
    await app.push_screen(make_screen("project_form", str(row[0])))
    await settle(pilot)
    field = app.screen.query_one("#completed_on")
    app.screen.set_focus(field)
    early = date.fromisoformat(str(row[1])) - timedelta(days=20)
    await pilot.press(*early.isoformat())
    await settle(pilot)
    field.scroll_visible(animate=False, immediate=True)


async def help_screen(app: FieldApp, pilot: Pilot[None]) -> None:
    """F1 on the list itself (not the search box), so the help shows the ledger's own keys."""
    app.screen.set_focus(app.screen.query_one("#ledger-table"))
    await pilot.press("f1")


async def duty_check(app: FieldApp, pilot: Pilot[None]) -> None:
    """This month's duty check: the rest marked done, one duty not met with its reason."""
    from fieldtui.ui.screens.registry import make_screen

    await app.push_screen(make_screen("duty_check", app.officer_id))
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)
    await pilot.press("down", "down", "enter")
    await settle(pilot)
    from textual.widgets import Input

    # (set, not typed: Pilot has no key for a full-width comma)
    app.screen.query_one(Input).value = "外出招商两周，月报延后报送"
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("up")


async def breach_list(app: FieldApp, pilot: Pilot[None]) -> None:
    """The office's breach list, every year, unmet duties too."""
    await pilot.press("f7")
    await settle(pilot)
    await pilot.press("ctrl+f")
    await settle(pilot)
    from textual.widgets import Checkbox, Select

    dialog = app.screen
    dialog.query_one("#breach-year", Select).value = Select.NULL
    dialog.query_one("#breach-duty", Checkbox).value = True
    await pilot.press("ctrl+s")


async def checklist_versions(app: FieldApp, pilot: Pilot[None]) -> None:
    """The negative list's current version highlighted, its older version below it."""
    await pilot.press("down")


async def deleted_records(app: FieldApp, pilot: Pilot[None]) -> None:
    """A few records deleted (the demo has none), the newest first, one highlighted."""
    store = app.store
    row = store.db.execute_sql(
        "SELECT id FROM enterprise WHERE deleted = 0 AND uscc IS NOT NULL ORDER BY name LIMIT 2"
    ).fetchall()
    for (enterprise_id,) in row:
        store.enterprises.delete(str(enterprise_id))
    store.officers.delete(store.officers.list()[-1].id)
    store.visits.delete(store.visits.list()[0].id)
    store.problems.delete(store.problems.list()[0].id)
    await pilot.press("f5")


HUB_NAME = "投资促进服务中心"
LAPTOP_NAMES = ("张伟", "李娜")


def sync_office(app: FieldApp) -> None:
    """The demo database made an office's hub with a team, two laptops enrolled the README's
    way (each imported its first file), then a week's sync: the hub and 张伟 changed the same
    enterprise's address and head count, 李娜 entered a firm the hub also entered (one USCC),
    and both laptops' files came in. Leaves real conflicts and a possible duplicate; done once
    (the demo has no sync role), so either sync shot can be taken alone."""
    import random

    from fieldtui import sync
    from fieldtui.domain.records import Enterprise
    from fieldtui.domain.validators import generate_uscc
    from fieldtui.store import Store
    from fieldtui.sync import team

    store = app.store
    if sync.identity(store).role is not None:
        return
    folder = store.path.parent / "sync-office"
    stick = folder / "U盘"
    stick.mkdir(parents=True, exist_ok=True)
    sync.init_role(store, sync.HUB, name=HUB_NAME)
    team.create_team(store)
    laptops: list[Store] = []
    for name in LAPTOP_NAMES:
        laptop = Store(folder / f"{name}.db")
        sync.init_role(laptop, sync.LAPTOP, name=name)
        request = team.join_request(laptop, f"{stick}/")
        files = [f.path for f in team.enroll(store, request.path).files]
        sync.import_files(laptop, files, make_backup=False)
        laptops.append(laptop)
    firm = busiest_enterprise(app)
    uscc = generate_uscc(random.Random(11))
    store.enterprises.update(firm, address="四会市大旺大道18号", employees=260)
    store.enterprises.create(Enterprise(name="肇庆市智盛自动化设备有限公司", uscc=uscc))
    zhang, li = laptops
    zhang.enterprises.update(firm, address="四会市大旺大道18号之一", employees=285)
    li.enterprises.create(Enterprise(name="智盛自动化", uscc=uscc, contact="陈志强"))
    for laptop in laptops:
        files = [f.path for f in sync.export(laptop, f"{stick}/")]
        laptop.close()
        sync.import_files(store, files, make_backup=False)


async def sync_area(app: FieldApp, pilot: Pilot[None]) -> None:
    """The hub after the laptops' files came in: its team, the laptops, the files."""
    sync_office(app)
    await pilot.press("f5")


async def sync_conflicts(app: FieldApp, pilot: Pilot[None]) -> None:
    """Ctrl+K on the sync screen: the address both sides changed, its values focused."""
    sync_office(app)
    await pilot.press("ctrl+k")
    await settle(pilot)
    items = getattr(app.screen, "shown", [])
    row = next((n for n, item in enumerate(items) if item.field == "address"), 0)
    for _ in range(row):
        await pilot.press("down")
    await settle(pilot)
    await pilot.press("enter")  # to its values: Enter there would keep the highlighted one


SHOTS: list[Shot] = [
    Shot("my-week", area="home"),
    Shot("ledger", area="ledger"),
    Shot("enterprise-form", area="ledger", prepare=form_with_message),
    Shot("enterprise-detail", area="ledger", prepare=enterprise_detail),
    Shot("officers", area="officers"),
    Shot("assignments", area="assignments"),
    Shot("visits", area="visits"),
    Shot("visit-form", area="visits", prepare=visit_form),
    Shot("visit-form-problems", area="visits", prepare=visit_form_problems),
    Shot("problems", area="problems"),
    Shot("problem", area="problems", prepare=problem_screen),
    Shot("problem-status", area="problems", prepare=problem_status),
    Shot("projects", area="projects"),
    Shot("project-form", area="projects", prepare=project_form),
    Shot("meetings", area="meetings"),
    Shot("activities", area="activities"),
    Shot("checklists", area="checklists", prepare=checklist_versions),
    Shot("duty-check", area="checklists", prepare=duty_check),
    Shot("breaches", area="checklists", prepare=breach_list),
    Shot("sheet-import", area="ledger", prepare=sheet_import),
    Shot("help", area="ledger", prepare=help_screen),
    Shot("ledger-search", area="ledger", prepare=ledger_search),  # the search stays typed
    Shot("deleted", area="deleted", prepare=deleted_records),  # it deletes records
    Shot("sync", area="sync", prepare=sync_area),  # the demo becomes an office's hub
    Shot("conflicts", area="sync", prepare=sync_conflicts),
]
"""What to photograph, in README order. Add a line per new screen."""


async def take(shots: list[Shot], db: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from fieldtui.app import FieldApp
    from fieldtui.store import Store

    written: list[Path] = []
    with Store(db) as store:
        app = FieldApp(store, lang="zh")
        async with app.run_test(size=size) as pilot:
            await settle(pilot, 1.0)
            for shot in shots:
                if not await app.open_area(shot.area):
                    print(
                        f"skipped {shot.name}: area {shot.area} is not available", file=sys.stderr
                    )
                    continue
                await settle(pilot)
                depth = len(app.screen_stack)
                if shot.prepare is not None:
                    await shot.prepare(app, pilot)
                    await settle(pilot)
                path = Path(app.save_screenshot(f"{shot.name}.svg", str(out)))
                written.append(path)
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                while len(app.screen_stack) > depth:  # back to the area's own screen
                    app.pop_screen()
                    await settle(pilot, 0)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--size", type=int, default=300, help="demo enterprises")
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--height", type=int, default=36)
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="fieldtui-shots-") as tmp:
        # Nothing from the user's own settings or data may leak into the pictures.
        os.environ["FIELDTUI_CONFIG"] = str(Path(tmp) / "settings.toml")
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        os.environ["FIELDTUI_LANG"] = "zh"
        from fieldtui.i18n import set_language

        set_language("zh")  # before any UI module is imported: bindings translate at import
        from fieldtui.demo import build_demo
        from fieldtui.store import Store

        db = Path(tmp) / "demo.db"
        with Store(db) as store:
            build_demo(store, size=args.size)
        shots = [s for s in SHOTS if not args.only or s.name in args.only]
        args.out.mkdir(parents=True, exist_ok=True)
        written = asyncio.run(take(shots, db, args.out, (args.width, args.height)))
    return 0 if len(written) == len(shots) else 1


if __name__ == "__main__":
    sys.exit(main())
