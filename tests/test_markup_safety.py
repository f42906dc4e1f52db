"""User and synced text is data, never markup: every screen and dialog, walked by keyboard.

Issue 7: an officer named ``ab[/]c`` crashed the app when the ledger's filter opened (its
``Select`` parsed the name as markup), and ``[@click=app.quit]x[/]`` became a link. Here every
record kind's free-text fields hold markup-like text, and the walk opens every area, every
record screen, form, picker and dialog that exists, checking that the text shows exactly as
typed and nothing failed. A new screen belongs in this walk.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store.assignments import assign
from screen_app import burst, screen_text, wait_for, wait_for_screen

LINK = "[@click=app.quit]x[/]"
CLOSE = "ab[/]c"
COMPANY = "[red]浩海[/red]公司"
PROJECT = "[bold]新厂房[/bold]"
VISIT = "[i]走访[/i]记录"
PROBLEM = "[link=x]用电[/link]"
GONE = "[@click=app.quit]旧厂[/]"
MEETING = "[b]协调会"


def seed(store: Store) -> None:
    year = date.today().year
    linker = store.officers.create(rec.Officer(name=LINK, unit="[b]招商科", notes="[/]"))
    closer = store.officers.create(rec.Officer(name=CLOSE, unit="[dim]经发局"))
    enterprise = store.enterprises.create(
        rec.Enterprise(
            name=COMPANY,
            legal_rep="[u]张三",
            address="[blink]大旺大道",
            contact="[on red]李四",
            tags=["[b]环保", "x[/]"],
            notes="备注[/b]",
        )
    )
    project = store.projects.create(
        rec.Project(
            name=PROJECT,
            enterprise_id=enterprise.id,
            signed_on=date(year, 1, 5),
            notes="[red]n",
        )
    )
    store.visits.create(
        rec.Visit(
            date=date(year, 2, 1),
            enterprise_id=enterprise.id,
            person="[b]王五",
            person_title="[i]经理",
            policies="[u]政策",
            summary=VISIT,
            follow_up="[/]跟进",
        )
    )
    store.problems.create(
        rec.Problem(
            enterprise_id=enterprise.id,
            raised_on=date(year, 2, 2),
            description=PROBLEM,
            lead_unit="[b]供电局",
            assist_units=["[i]住建局"],
            resolution="[/]",
        )
    )
    meeting = store.meetings.create(
        rec.Meeting(date=date(year, 3, 1), topic=MEETING, chair="[i]x", decisions="[/]")
    )
    store.activities.create(
        rec.Activity(date=date(year, 3, 2), place="[red]深圳", leads="[/]", notes="[b]")
    )
    assign(store, year, linker.id, enterprise_id=enterprise.id)
    assign(store, year, closer.id, project_id=project.id, role="assist")
    # Deleted records, for the deleted records area (回收站).
    gone = store.enterprises.create(rec.Enterprise(name=GONE, address="[b]旧址"))
    store.enterprises.delete(gone.id)
    store.meetings.delete(meeting.id)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "markup.db")
    seed(s)
    return s


def shown(text: str, screen: str) -> bool:
    """``text`` is on the screen exactly, or cut with "…" by a narrow column (at least its
    first six characters): either way unparsed, never rendered as markup."""
    if text in screen:
        return True
    return any(text[:end] + "…" in screen for end in range(6, len(text)))


async def showing(pilot: Any, *texts: str) -> None:
    for text in texts:
        await wait_for(pilot, lambda text=text: shown(text, screen_text(pilot.app)), what=text)


async def back_to(pilot: Any, name: str) -> Any:
    await pilot.press("escape")
    return await wait_for_screen(pilot, name)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_screen_and_dialog_shows_markup_like_text_exactly(
    store: Store, zh: None, size: tuple[int, int]
) -> None:
    from fieldtui.app import FieldApp

    app = FieldApp(store, lang="zh")
    async with app.run_test(size=size) as pilot:
        # The ledger, and a search typed with brackets in it.
        ledger = await wait_for_screen(pilot, "LedgerScreen")
        await showing(pilot, COMPANY)
        burst(pilot, *"[/]")
        await wait_for(pilot, lambda: ledger.search_input.value == "[/]")
        await pilot.press("escape")
        await wait_for(pilot, lambda: ledger.table.is_loaded and ledger.table.row_count == 1)

        # The filter dialog: officers in a Select (this crashed), opened.
        await pilot.press("ctrl+f")
        filters = await wait_for_screen(pilot, "LedgerFilterScreen")
        officer_select = filters.query_one("#filter-officer", Select)
        officer_select.value = next(v for _label, v in officer_select._options if v != Select.NULL)
        await showing(pilot, CLOSE)
        officer_select.expanded = True
        await showing(pilot, LINK, CLOSE)
        await pilot.press("escape")  # closes the list, not the dialog
        await wait_for(pilot, lambda: not officer_select.expanded)
        assert pilot.app.screen is filters
        await back_to(pilot, "LedgerScreen")

        # The enterprise's record, form and delete question.
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: detail.record is not None)
        await showing(pilot, COMPANY, "[u]张三", "备注[/b]", "[b]环保", VISIT, PROBLEM, LINK)
        await pilot.press("f2")
        form = await wait_for_screen(pilot, "EnterpriseFormScreen")
        await wait_for(pilot, lambda: form.loaded is not None)
        await showing(pilot, "[u]张三", "[blink]大旺大道")
        await back_to(pilot, "EnterpriseDetailScreen")
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await showing(pilot, COMPANY)
        await back_to(pilot, "EnterpriseDetailScreen")
        await back_to(pilot, "LedgerScreen")

        # The roster, an officer's form and delete question.
        await pilot.press("ctrl+g", "7")
        officers = await wait_for_screen(pilot, "OfficersScreen")
        await wait_for(pilot, lambda: len(officers.shown) == 2)
        await showing(pilot, CLOSE)
        await pilot.press("end")
        await pilot.press("enter")
        officer_form = await wait_for_screen(pilot, "OfficerFormScreen")
        await wait_for(pilot, lambda: officer_form.loaded is not None)
        await back_to(pilot, "OfficersScreen")
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await back_to(pilot, "OfficersScreen")
        await showing(pilot, LINK)

        # The plan, its pickers and its remove question.
        await pilot.press("ctrl+g", "8")
        plan = await wait_for_screen(pilot, "AssignmentsScreen")
        await wait_for(pilot, lambda: plan.officer_table.is_loaded and len(plan.shown) == 2)
        await showing(pilot, CLOSE, PROJECT)
        for key, expected in (("ctrl+n", COMPANY), ("ctrl+t", PROJECT)):
            await pilot.press(key)
            picker = await wait_for_screen(pilot, "RecordPicker")
            await wait_for(pilot, lambda picker=picker: picker.results_for is not None)
            await showing(pilot, expected)
            await back_to(pilot, "AssignmentsScreen")
        await pilot.press("tab")  # the right-hand table: the assignment
        await wait_for(pilot, lambda: plan.current_row() is not None)
        await pilot.press("f2")
        picker = await wait_for_screen(pilot, "RecordPicker")
        await wait_for(pilot, lambda: picker.results_for is not None)
        await showing(pilot, PROJECT, LINK, CLOSE)
        await back_to(pilot, "AssignmentsScreen")
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await showing(pilot, PROJECT)
        await back_to(pilot, "AssignmentsScreen")

        # Deleted records (回收站): the list, its kind filter and the restore question.
        await pilot.press("ctrl+g", "9")
        deleted = await wait_for_screen(pilot, "DeletedScreen")
        await wait_for(pilot, lambda: len(deleted.shown) == 2)
        await showing(pilot, GONE, MEETING)
        await pilot.press("ctrl+f")
        await wait_for_screen(pilot, "PickOneDialog")
        await back_to(pilot, "DeletedScreen")
        await pilot.press("f2")
        await wait_for_screen(pilot, "ConfirmDialog")
        await showing(pilot, MEETING)
        await back_to(pilot, "DeletedScreen")
        await pilot.press("down", "enter")
        await wait_for_screen(pilot, "ConfirmDialog")
        await showing(pilot, GONE)
        await back_to(pilot, "DeletedScreen")

        # Help, the palette and the overview.
        await pilot.press("f1")
        await wait_for_screen(pilot, "HelpScreen")
        await back_to(pilot, "DeletedScreen")
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, "CommandPalette")
        await back_to(pilot, "DeletedScreen")
        await pilot.press("ctrl+g", "0")
        await wait_for_screen(pilot, "HomeScreen")

        assert app.is_running  # nothing crashed, nothing quit
        assert not [n for n in app._notifications if n.severity == "error"]
