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

from fieldtui import sync
from fieldtui.domain import records as rec
from fieldtui.domain.checklists import Answer, month_of
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.assignments import assign
from fieldtui.store.problems import add_note
from fieldtui.store.visits import SelfCheckInput, VisitInput, save_visit
from screen_app import burst, screen_text, wait_for, wait_for_screen
from sync_support import replica, ship

LINK = "[@click=app.quit]x[/]"
CLOSE = "ab[/]c"
COMPANY = "[red]浩海[/red]公司"
PROJECT = "[bold]新厂房[/bold]"
VISIT = "[i]走访[/i]记录"
PROBLEM = "[link=x]用电[/link]"
NOTE = "[red]催办[/red]记录"
ITEM = "[b]不得[/b]收礼"
LUNCH = "[@click=app.quit]午餐[/]"
GONE = "[@click=app.quit]旧厂[/]"
MEETING = "[b]协调会"
JOINT = "[i]联席[/i]会议"
CHAIR = "[b]王局长[/b]"
HUB = "[b]中心[/b]"
LAPTOP = "[i]张伟[/i]的电脑"
HUB_VALUE = "[@click=app.quit]陈志强[/]"
LAPTOP_VALUE = "[red]李海明[/red]"


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
    problem = store.problems.create(
        rec.Problem(
            enterprise_id=enterprise.id,
            raised_on=date(year, 2, 2),
            description=PROBLEM,
            officer_id=linker.id,
            lead_unit="[b]供电局",
            assist_units=["[i]住建局"],
            resolution="[/]",
        )
    )
    add_note(store, problem.id, NOTE, on=date(year, 2, 3), officer_id=closer.id)
    meeting = store.meetings.create(
        rec.Meeting(date=date(year, 3, 1), topic=MEETING, chair="[i]x", decisions="[/]")
    )
    activity = store.activities.create(
        rec.Activity(date=date(year, 3, 2), place="[red]深圳", leads="[/]", notes="[b]")
    )
    store.activity_members.create(rec.ActivityMember(activity_id=activity.id, officer_id=linker.id))
    store.activity_enterprises.create(
        rec.ActivityEnterprise(activity_id=activity.id, enterprise_id=enterprise.id)
    )
    joint = store.meetings.create(
        rec.Meeting(date=date(year, 3, 3), kind="joint", topic=JOINT, chair=CHAIR, notes="[/]")
    )
    store.meeting_enterprises.create(
        rec.MeetingEnterprise(meeting_id=joint.id, enterprise_id=enterprise.id)
    )
    assign(store, year, linker.id, enterprise_id=enterprise.id)
    assign(store, year, closer.id, project_id=project.id, role="assist")
    # the checklists: an item worded like markup, a breach and an unmet duty noted so
    for kind in ("negative", "duty"):
        current = cl.current_checklist(store, kind)
        cl.revise_checklist(
            store, kind, [ITEM, *current.texts[1:]], base_template_id=current.template_id
        )
    neg = cl.current_checklist(store, "negative")
    answers = {**cl.all_answered(neg), neg.items[0].id: Answer("breached", LUNCH)}
    save_visit(
        store,
        VisitInput(
            enterprise.id,
            date.today(),
            (linker.id,),
            summary="[/]",
            self_check=SelfCheckInput(neg.template_id, answers),
        ),
    )
    duty = cl.current_checklist(store, "duty")
    cl.save_duty_check(
        store,
        linker.id,
        month_of(date.today()),
        duty.template_id,
        {duty.items[0].id: Answer("not_done", LUNCH)},
    )
    # Deleted records, for the deleted records area (回收站).
    gone = store.enterprises.create(rec.Enterprise(name=GONE, address="[b]旧址"))
    store.enterprises.delete(gone.id)
    store.meetings.delete(meeting.id)


def conflict(hub: Store, folder: Path) -> None:
    """The database made a hub, and a laptop's file in: both changed the contact person of
    the enterprise COMPANY, so the sync area lists the laptop and the conflicts screen a
    conflict whose record name and values all look like markup."""
    sync.init_role(hub, sync.HUB, name=HUB)
    laptop = replica(folder / "laptop.db", sync.LAPTOP, LAPTOP)
    try:
        ship(hub, laptop, folder / "down")
        (company,) = [e for e in hub.enterprises.list() if e.name == COMPANY]
        hub.enterprises.update(company.id, contact=HUB_VALUE)
        laptop.enterprises.update(company.id, contact=LAPTOP_VALUE)
        ship(laptop, hub, folder / "up")
    finally:
        laptop.close()
    assert len(sync.list_conflicts(hub.db)) == 1


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "markup.db")
    seed(s)
    conflict(s, tmp_path)
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
        # The officers are read when the dialog first opens; their names arrive as read.
        await wait_for(pilot, lambda: len(officer_select._options) > 1, what="officers")
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

        # Visits (走访记录): the list, its filter dialog, a visit's form, the enterprise picker.
        await pilot.press("ctrl+g", "2")
        visits = await wait_for_screen(pilot, "VisitsScreen")
        await wait_for(pilot, lambda: visits.table.is_loaded and visits.table.row_count == 2)
        await showing(pilot, COMPANY)
        await pilot.press("ctrl+f")
        visit_filters = await wait_for_screen(pilot, "VisitFilterScreen")
        visit_officers = visit_filters.query_one("#filter-officer", Select)
        await wait_for(pilot, lambda: len(visit_officers._options) == 3)
        visit_officers.expanded = True
        await showing(pilot, LINK, CLOSE)
        await pilot.press("escape")
        await back_to(pilot, "VisitsScreen")
        await pilot.press("end", "enter")  # the older visit, the one with every field filled
        visit_form = await wait_for_screen(pilot, "VisitFormScreen")
        await wait_for(pilot, lambda: visit_form.ready and visit_form.checklist is not None)
        await showing(pilot, COMPANY, "[b]王五", "[i]经理", "[u]政策", VISIT)
        await back_to(pilot, "VisitsScreen")
        await pilot.press("ctrl+n")  # a new visit: the enterprise picker opens at once
        picker = await wait_for_screen(pilot, "SeededPicker")
        await wait_for(pilot, lambda: picker.results_for is not None)
        await showing(pilot, COMPANY)
        await back_to(pilot, "VisitFormScreen")
        await back_to(pilot, "VisitsScreen")

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
        await walk_problems(pilot)
        await walk_projects(pilot)
        await walk_meetings(pilot)
        await walk_activities(pilot)
        # The checklists, the breach list and the duty check (of the officer named LINK).
        await pilot.press("ctrl+g", "6")
        lists = await wait_for_screen(pilot, "ChecklistsScreen")
        await wait_for(pilot, lambda: lists.data is not None)
        await showing(pilot, ITEM)
        await pilot.press("f2")
        editor = await wait_for_screen(pilot, "ChecklistEditorScreen")
        await wait_for(pilot, lambda: editor.base is not None)
        await showing(pilot, ITEM)
        await back_to(pilot, "ChecklistsScreen")
        await pilot.press("tab", "delete")  # retiring the item asks, quoting it
        await wait_for_screen(pilot, "ConfirmDialog")
        await showing(pilot, ITEM)
        await back_to(pilot, "ChecklistsScreen")
        await pilot.press("f7")
        found = await wait_for_screen(pilot, "BreachesScreen")
        await wait_for(pilot, lambda: found.data is not None)
        await showing(pilot, LINK, LUNCH[:6])
        if size[0] >= 100:  # at 80 columns the enterprise gives way to the item and note
            await showing(pilot, COMPANY)
        await pilot.press("ctrl+f")
        await wait_for_screen(pilot, "BreachFilterScreen")
        await pilot.press("tab")
        found_filter = pilot.app.screen
        officer = found_filter.query_one("#breach-officer", Select)
        officer.expanded = True
        await showing(pilot, LINK, CLOSE)
        await pilot.press("escape", "escape")
        await wait_for_screen(pilot, "BreachesScreen")
        await back_to(pilot, "ChecklistsScreen")
        linker = store.db.execute_sql("SELECT id FROM officer WHERE name = ?", (LINK,)).fetchone()
        app.officer_id = str(linker[0])
        await pilot.press("ctrl+d")
        duty = await wait_for_screen(pilot, "DutyCheckScreen")
        await wait_for(pilot, lambda: duty.check is not None)
        await showing(pilot, ITEM, LUNCH)
        await pilot.press("f2")
        await wait_for_screen(pilot, "NoteDialog")
        await showing(pilot, ITEM, LUNCH)
        await back_to(pilot, "DutyCheckScreen")
        await back_to(pilot, "ChecklistsScreen")

        # My week of that officer: the enterprise, its problem, the duty check.
        await pilot.press("ctrl+g", "0")
        week = await wait_for_screen(pilot, "MyWeekScreen")
        await wait_for(pilot, lambda: week.data is not None and week.data.week is not None)
        await showing(pilot, COMPANY, PROBLEM, LINK)
        burst(pilot, *"[/]")
        await wait_for(pilot, lambda: week.search_text == "[/]")
        await pilot.press("escape")

        await walk_sync(pilot)
        assert app.is_running  # nothing crashed, nothing quit
        assert not [n for n in app._notifications if n.severity == "error"]


async def walk_sync(pilot: Any) -> None:
    """The sync area (Ctrl+G 5) with its export and import dialogs, then the conflicts screen
    with its merged-value field: the hub's and the laptop's names, the record and both values
    as typed."""
    await pilot.press("ctrl+g", "5")
    area = await wait_for_screen(pilot, "SyncScreen")
    await wait_for(pilot, lambda: area.view is not None and area.shown_files, what="sync view")
    await showing(pilot, HUB, LAPTOP)
    await pilot.press("ctrl+e")
    export = await wait_for_screen(pilot, "ExportDialog")
    target = export.query_one("#export-for", Select)
    target.expanded = True
    await showing(pilot, LAPTOP)
    await pilot.press("escape")  # closes the list, not the dialog
    await wait_for(pilot, lambda: not target.expanded)
    await back_to(pilot, "SyncScreen")
    await pilot.press("ctrl+o")
    await wait_for_screen(pilot, "ImportDialog")
    await back_to(pilot, "SyncScreen")
    await pilot.press("ctrl+k")
    screen = await wait_for_screen(pilot, "ConflictsScreen")
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.items, what="conflicts")
    await showing(pilot, COMPANY, HUB_VALUE, LAPTOP_VALUE, LAPTOP)
    await pilot.press("enter", "f2")  # to the values, then the merged value
    await wait_for(pilot, lambda: screen.focused is screen.value_input, what="merged value")
    assert screen.value_input.value == LAPTOP_VALUE  # the value shown, to edit, as it is
    await showing(pilot, LAPTOP_VALUE)
    await pilot.press("escape")  # the field closes
    await wait_for(pilot, lambda: screen.focused is screen.values_table, what="values")
    await pilot.press("escape")  # back to the conflicts
    await wait_for(pilot, lambda: screen.focused is screen.table, what="conflicts")
    await back_to(pilot, "SyncScreen")


async def walk_projects(pilot: Any) -> None:
    """The projects (Ctrl+G 4), their filter's officers, a project's form and the delete
    question."""
    await pilot.press("ctrl+g", "4")
    projects = await wait_for_screen(pilot, "ProjectsScreen")
    await wait_for(pilot, lambda: projects.table.is_loaded and projects.table.row_count == 1)
    await showing(pilot, PROJECT, COMPANY)
    burst(pilot, *"[/]")
    await wait_for(pilot, lambda: projects.search_text == "[/]")
    await pilot.press("escape")
    await wait_for(pilot, lambda: projects.table.is_loaded and projects.table.row_count == 1)
    await pilot.press("ctrl+f")
    project_filters = await wait_for_screen(pilot, "ProjectFilterScreen")
    select = project_filters.query_one("#filter-officer", Select)
    await wait_for(pilot, lambda: len(select._options) == 3)  # the prompt and two officers
    select.expanded = True
    await showing(pilot, LINK, CLOSE)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not select.expanded)
    await back_to(pilot, "ProjectsScreen")
    await pilot.press("enter")
    form = await wait_for_screen(pilot, "ProjectFormScreen")
    await wait_for(pilot, lambda: form.ready)
    await showing(pilot, PROJECT, COMPANY)
    await back_to(pilot, "ProjectsScreen")
    await pilot.press("delete")
    await wait_for_screen(pilot, "ConfirmDialog")
    await showing(pilot, PROJECT)
    await back_to(pilot, "ProjectsScreen")


async def walk_dated(
    pilot: Any, key: str, name: str, form_name: str, texts: tuple[str, ...], people: tuple[str, ...]
) -> None:
    """A meetings or activities list (Ctrl+G and its letter), a search typed with brackets,
    its filter's people, a record's form and the delete question."""
    await pilot.press("ctrl+g", key)
    screen = await wait_for_screen(pilot, name)
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.table.row_count == 1)
    await showing(pilot, *texts)
    burst(pilot, *"[/]")
    await wait_for(pilot, lambda: screen.search_text == "[/]")
    await pilot.press("escape")
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.table.row_count == 1)
    await pilot.press("ctrl+f")
    dialog = await wait_for_screen(pilot, "DatedFilterScreen")
    select = dialog.query_one("#filter-person", Select)
    await wait_for(pilot, lambda: len(select._options) == len(people) + 1)  # with the prompt
    select.expanded = True
    await showing(pilot, *people)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not select.expanded)
    await back_to(pilot, name)
    await pilot.press("enter")
    form = await wait_for_screen(pilot, form_name)
    await wait_for(pilot, lambda: form.ready)
    await showing(pilot, *texts)
    await back_to(pilot, name)
    await pilot.press("delete")
    await wait_for_screen(pilot, "ConfirmDialog")
    await showing(pilot, texts[0])
    await back_to(pilot, name)


async def walk_meetings(pilot: Any) -> None:
    await walk_dated(pilot, "m", "MeetingsScreen", "MeetingFormScreen", (JOINT, COMPANY), (CHAIR,))


async def walk_activities(pilot: Any) -> None:
    await walk_dated(
        pilot, "a", "ActivitiesScreen", "ActivityFormScreen", ("[red]深圳", COMPANY), (LINK, CLOSE)
    )


async def walk_problems(pilot: Any) -> None:
    """The problem ledger, its filter, a problem's screen with its history, its step
    dialogs and delete questions (from any area: Ctrl+G 3 opens the ledger)."""
    await pilot.press("ctrl+g", "3")
    problems = await wait_for_screen(pilot, "ProblemsScreen")
    await wait_for(pilot, lambda: problems.table.is_loaded and problems.table.row_count == 1)
    await showing(pilot, PROBLEM)
    burst(pilot, *"[/]")
    await wait_for(pilot, lambda: problems.search_input.value == "[/]")
    await pilot.press("escape")
    await wait_for(pilot, lambda: problems.table.is_loaded and problems.table.row_count == 1)
    await pilot.press("ctrl+f")
    problem_filters = await wait_for_screen(pilot, "ProblemFilterScreen")
    for select_id, texts in (
        ("#filter-unit", ["[b]供电局"]),
        ("#filter-officer", [LINK, CLOSE]),
    ):
        select = problem_filters.query_one(select_id, Select)
        count = len(texts) + 1  # and the prompt
        await wait_for(pilot, lambda s=select, n=count: len(s._options) == n)
        select.expanded = True
        await showing(pilot, *texts)
        await pilot.press("escape")
        await wait_for(pilot, lambda s=select: not s.expanded)
    await back_to(pilot, "ProblemsScreen")
    await pilot.press("enter")
    problem = await wait_for_screen(pilot, "ProblemScreen")
    await wait_for(pilot, lambda: problem.ready and len(problem.history) == 1)
    await showing(pilot, PROBLEM, "[b]供电局", "[i]住建局", COMPANY, LINK)
    problem.query_one("#problem-history").focus()
    await showing(pilot, NOTE, CLOSE)
    steps: list[tuple[str, str, tuple[str, ...]]] = [
        ("f3", "StatusDialog", ("[b]供电局",)),  # the lead unit to assign to
        ("f4", "ExtendDialog", ()),
        ("f6", "NoteDialog", ()),
        ("f8", "ConfirmDialog", (PROBLEM,)),
    ]
    for key, dialog, texts in steps:
        await pilot.press(key)
        await wait_for_screen(pilot, dialog)
        await showing(pilot, *texts)
        await back_to(pilot, "ProblemScreen")
    await pilot.press("enter")  # on the history: nothing to open, nothing breaks
    await back_to(pilot, "ProblemsScreen")
    await pilot.press("delete")
    await wait_for_screen(pilot, "ConfirmDialog")
    await showing(pilot, PROBLEM, COMPANY)
    await back_to(pilot, "ProblemsScreen")
    # A new problem: its enterprise and officer pickers.
    await pilot.press("ctrl+n")
    form = await wait_for_screen(pilot, "ProblemFormScreen")
    await wait_for(pilot, lambda: form.ready)
    burst(pilot, "[")  # typed on the enterprise field: its picker, searching "["
    picker = await wait_for_screen(pilot, "TypedPicker")
    await wait_for(pilot, lambda: picker.results_for == "[")
    await showing(pilot, COMPANY)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ProblemFormScreen")
    await showing(pilot, COMPANY)
    form.query_one("#officer_id").focus()
    await pilot.press("enter")
    picker = await wait_for_screen(pilot, "TypedPicker")
    await wait_for(pilot, lambda: picker.results_for == "")
    await showing(pilot, LINK, CLOSE)
    await back_to(pilot, "ProblemFormScreen")
    await pilot.press("escape")  # changed: it asks
    await wait_for_screen(pilot, "UnsavedChangesDialog")
    await pilot.press("shift+tab", "enter")  # discard, reached on purpose
    await wait_for_screen(pilot, "ProblemsScreen")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_problem_screens_show_markup_like_text_exactly(
    store: Store, zh: None, size: tuple[int, int]
) -> None:
    from fieldtui.app import FieldApp

    app = FieldApp(store, lang="zh")
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, "LedgerScreen")
        await walk_problems(pilot)
        assert app.is_running
        assert not [n for n in app._notifications if n.severity == "error"]
