"""The visits list (area 2) and the visit form beyond the key count: drafts, breaches, edits
that write only what changed, drafts that survive a restart, the enterprise detail's timeline,
filters, and user text shown as data, in Chinese at 80×24.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store import checklists as cl
from fieldtui.store.drafts import list_drafts
from fieldtui.store.visits import SelfCheckInput, VisitInput, is_draft, save_visit
from screen_app import ScreenApp, burst, on_the_ledger, screen_text, wait_for, wait_for_screen

TODAY = date.today()
HAOHAI = "广东浩海环保设备有限公司"
BOJUN = "肇庆博俊科技有限公司"
LINK = "[@click=app.quit]x[/]"
CLOSE = "ab[/]c"


class Zone:
    def __init__(self, store: Store) -> None:
        self.s = store
        with store.batch():
            self.me = store.officers.create(rec.Officer(name="张伟", unit="经发局")).id
            self.li = store.officers.create(rec.Officer(name="李强")).id
            self.haohai = store.enterprises.create(rec.Enterprise(name=HAOHAI)).id
            self.bojun = store.enterprises.create(rec.Enterprise(name=BOJUN)).id
        store.set_meta("officer_id", self.me)
        neg = cl.current_checklist(store, "negative")
        self.all_kept = SelfCheckInput(neg.template_id, cl.all_answered(neg))
        self.visits: dict[str, str] = {}
        for name, enterprise, days, kind, officer, complete, summary in [
            ("newest", self.haohai, 1, "onsite", self.me, True, "了解用电需求"),
            ("draft", self.bojun, 3, "phone", self.li, False, "电话了解招工"),
            ("old", self.haohai, 40, "policy", self.me, True, "宣讲惠企政策"),
            ("older", self.bojun, 70, "onsite", self.li, True, "项目建设进度"),
        ]:
            saved = save_visit(
                store,
                VisitInput(
                    enterprise_id=enterprise,
                    date=TODAY - timedelta(days=days),
                    officer_ids=(officer,),
                    kind=kind,
                    person="陈经理",
                    summary=summary,
                    self_check=self.all_kept if complete else None,
                ),
            )
            self.visits[name] = saved.visit_id


@pytest.fixture
def zone(tmp_store: Store) -> Zone:
    return Zone(tmp_store)


def make_app(store: Store) -> Any:
    from fieldtui.app import FieldApp

    return FieldApp(store, lang="zh")


async def visits_screen(pilot: Pilot[Any]) -> Any:
    await on_the_ledger(pilot)
    await pilot.press("ctrl+g", "2")
    screen = await wait_for_screen(pilot, "VisitsScreen")
    await wait_for(pilot, lambda: screen.table.is_loaded and screen.table.row_count is not None)
    return screen


def shown_ids(screen: Any) -> list[str]:
    return [row.id for row in screen.table.visible_rows() if row is not None]


async def showing(pilot: Pilot[Any], screen: Any, ids: list[str]) -> None:
    await wait_for(
        pilot,
        lambda: (
            screen.table.is_loaded
            and screen.table.row_count == len(ids)
            and shown_ids(screen) == ids
        ),
        what=f"rows {ids}",
    )


# --------------------------------------------------------------------------- the list


async def test_the_list_shows_the_newest_first_marks_drafts_and_searches(
    zone: Zone, zh: None
) -> None:
    v = zone.visits
    async with make_app(zone.s).run_test(size=(80, 24)) as pilot:
        screen = await visits_screen(pilot)
        await showing(pilot, screen, [v["newest"], v["draft"], v["old"], v["older"]])
        text = screen_text(pilot.app)
        for title in ("日期", "企业", "走访方式", "走访人", "自查", "4次"):
            assert title in text, title
        draft_line = next(line for line in text.splitlines() if "肇庆博俊" in line)
        assert "草稿" in draft_line  # the draft, marked
        assert sum("草稿" in line for line in text.splitlines()) == 1
        burst(pilot, *"hhhb")  # typing searches: the enterprise by its pinyin initials
        await showing(pilot, screen, [v["newest"], v["old"]])
        await pilot.press("escape")
        await showing(pilot, screen, [v["newest"], v["draft"], v["old"], v["older"]])
        await pilot.press("ctrl+r")  # oldest first
        await showing(pilot, screen, [v["older"], v["old"], v["draft"], v["newest"]])


async def test_filters_by_officer_enterprise_month_kind_and_drafts(zone: Zone, zh: None) -> None:
    v = zone.visits
    month = (TODAY - timedelta(days=40)).strftime("%Y-%m")
    async with make_app(zone.s).run_test(size=(80, 24)) as pilot:
        screen = await visits_screen(pilot)
        await showing(pilot, screen, [v["newest"], v["draft"], v["old"], v["older"]])

        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "VisitFilterScreen")
        await wait_for(pilot, lambda: len(dialog.query_one("#filter-officer", Select)._options) > 2)
        dialog.query_one("#filter-draft", Select).value = "drafts"
        await pilot.press("ctrl+s")
        await showing(pilot, screen, [v["draft"]])
        assert "仅草稿" in screen_text(pilot.app)

        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "VisitFilterScreen")
        dialog.query_one("#filter-draft", Select).value = Select.NULL
        dialog.query_one("#filter-officer", Select).value = zone.me
        await pilot.press("ctrl+s")
        await showing(pilot, screen, [v["newest"], v["old"]])
        assert "人员：张伟" in screen_text(pilot.app)

        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "VisitFilterScreen")
        dialog.query_one("#filter-month", Input).value = "2026年13月"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "2026年13月" in screen_text(pilot.app))
        assert pilot.app.screen is dialog  # a wrong month is said, nothing applied
        dialog.query_one("#filter-month", Input).value = month
        dialog.query_one("#filter-kind", Select).value = "policy"
        await pilot.press("ctrl+s")
        await showing(pilot, screen, [v["old"]])

        await pilot.press("ctrl+x")  # clear the filters
        await showing(pilot, screen, [v["newest"], v["draft"], v["old"], v["older"]])

        # The enterprise, picked by its pinyin initials.
        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "VisitFilterScreen")
        dialog.set_focus(dialog.query_one("#filter-enterprise"))
        await pilot.press("enter")
        picker = await wait_for_screen(pilot, "RecordPicker")
        burst(pilot, *"bj", "enter")
        await wait_for(pilot, lambda: pilot.app.screen is dialog)
        assert BOJUN in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await showing(pilot, screen, [v["draft"], v["older"]])
        assert BOJUN in screen_text(pilot.app)
        del picker


async def test_enter_opens_the_visit_ctrl_n_picks_the_enterprise_delete_asks(
    zone: Zone, zh: None
) -> None:
    v = zone.visits
    async with make_app(zone.s).run_test(size=(80, 24)) as pilot:
        screen = await visits_screen(pilot)
        await showing(pilot, screen, [v["newest"], v["draft"], v["old"], v["older"]])
        await pilot.press("down", "enter")
        form = await wait_for_screen(pilot, "VisitFormScreen")
        await wait_for(pilot, lambda: form.ready)
        assert form.row_id == v["draft"]
        assert "草稿" in form.title  # a draft says so at the top
        assert form.query_one("#person", Input).value == "陈经理"
        assert BOJUN in screen_text(pilot.app)
        await pilot.press("escape")  # unchanged: leaves without asking
        await wait_for_screen(pilot, "VisitsScreen")

        # A new visit from the list: the enterprise picker opens at once.
        burst(pilot, "ctrl+n", *"hhhb", "enter", *"王总")
        form = await wait_for_screen(pilot, "VisitFormScreen")
        await wait_for(pilot, lambda: form.query_one("#person", Input).value == "王总")
        assert form.raw()["enterprise_id"] == zone.haohai
        assert form.raw()["officer_ids"] == zone.me
        assert form.raw()["date"] == TODAY.isoformat()
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "VisitsScreen")
        await wait_for(pilot, lambda: len(zone.s.visits.list()) == 5)
        await wait_for(pilot, lambda: screen.table.row_count == 5)
        new = next(x for x in zone.s.visits.list() if x.person == "王总")
        assert is_draft(zone.s, new.id)  # no self-check yet

        # Delete asks, Cancel focused; the destructive button is Tab then Enter.
        await wait_for(pilot, lambda: screen.table.cursor_data is not None)
        target = screen.table.cursor_data.id
        await pilot.press("delete")
        await wait_for_screen(pilot, "ConfirmDialog")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: zone.s.visits.require(target).deleted)
        await wait_for(pilot, lambda: screen.table.row_count == 4)


# --------------------------------------------------------------------------- the form


def form_app(store: Store, officer: str | None, **kwargs: Any) -> ScreenApp:
    from fieldtui.ui.screens.registry import make_screen

    app = ScreenApp(store, lambda: make_screen("visit_form", **kwargs), lang="zh")
    app.officer_id = officer
    return app


async def ready_form(pilot: Pilot[Any]) -> Any:
    form = await wait_for_screen(pilot, "VisitFormScreen")
    await wait_for(pilot, lambda: form.ready and form.checklist is not None)
    return form


async def test_without_the_self_check_a_visit_is_a_draft_and_says_so(zone: Zone, zh: None) -> None:
    app = form_app(zone.s, zone.me, enterprise_id=zone.bojun)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await pilot.press(*"刘主任")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results != [])
        notes = [n.message for n in app._notifications]
    [saved_id] = app.results
    assert is_draft(zone.s, saved_id)
    assert "已保存为草稿：负面清单自查尚未完成。" in notes
    assert form.saved is not None and form.saved.draft

    app = form_app(zone.s, zone.me, visit_id=saved_id)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await wait_for(
            pilot, lambda: "已答0/9项" in str(form.query_one("#self-check-state").content)
        )
        await pilot.press("ctrl+t", "ctrl+s")
        await wait_for(pilot, lambda: app.results != [])
    assert not is_draft(zone.s, saved_id)


async def test_a_breach_needs_a_note_and_is_saved_with_it(zone: Zone, zh: None) -> None:
    app = form_app(zone.s, zone.me, enterprise_id=zone.haohai)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await pilot.press("ctrl+t")
        third = list(form.self_check.rows.values())[2]
        form.set_focus(third.toggle)
        await pilot.press("space")  # kept → breached: the cursor goes to its note
        await wait_for(pilot, lambda: form.focused is third.note)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "有违反时必须填写说明" in screen_text(app))
        assert app.results == [] and not zone.s.visits.list(include_deleted=True)[4:]
        assert form.focused is third.note
        await pilot.press(*"企业代付停车费已退还")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results != [])
    [saved_id] = app.results
    check = cl.visit_self_check(zone.s, saved_id)
    assert check.complete
    [(item, answer)] = check.failures
    assert item.position == 3 and answer.note == "企业代付停车费已退还"
    assert not is_draft(zone.s, saved_id)


async def test_an_edit_writes_only_what_was_changed(zone: Zone, zh: None) -> None:
    """A field changed elsewhere after the form loaded, and not touched here, keeps the
    other value: saving the summary does not write the person back."""
    visit_id = zone.visits["old"]
    app = form_app(zone.s, zone.me, visit_id=visit_id)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        zone.s.visits.update(visit_id, person="王五")  # elsewhere, after the form loaded
        summary = form.query_one("#summary")
        form.set_focus(summary)
        await pilot.press("end", *"企业满意")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results != [])
    visit = zone.s.visits.require(visit_id)
    assert visit.person == "王五"
    assert visit.summary == "宣讲惠企政策企业满意"
    assert zone.s.visits.conflict_fields(visit_id) == []
    assert zone.s.visit_officers.right_ids(visit_id) == [zone.me]
    assert cl.visit_self_check(zone.s, visit_id).complete


async def test_a_new_visit_kept_as_a_draft_comes_back_whole(zone: Zone, zh: None) -> None:
    """Typed into, never saved (the app killed): the draft holds the fields, the problem
    rows and the answers, and the restored form saves them."""
    app = form_app(zone.s, zone.me, enterprise_id=zone.haohai)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await pilot.press(*"陈志强", "tab", "tab", "2")
        await pilot.press("ctrl+n", "1", *"首期用电报装", "ctrl+t")
        await wait_for(
            pilot,
            lambda: (
                (d := list_drafts(zone.s, "visit"))
                and "首期用电报装" in (d[0].fields.get("problems") or "")
                and d[0].fields.get("self_check")
            ),
            what="the draft written",
        )
    [draft] = list_drafts(zone.s, "visit")
    assert draft.fields["person"] == "陈志强" and draft.fields["topics"] == "expansion"
    assert draft.title.startswith(HAOHAI)

    app = form_app(zone.s, zone.me, draft=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await wait_for(pilot, lambda: len(form.problem_rows.rows) == 1 and form.self_check.complete)
        assert form.query_one("#person", Input).value == "陈志强"
        assert HAOHAI in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results != [])
    [saved_id] = app.results
    visit = zone.s.visits.require(saved_id)
    assert visit.topics == ["expansion"] and visit.person == "陈志强"
    assert [p.description for p in zone.s.problems.list() if p.visit_id == saved_id] == [
        "首期用电报装"
    ]
    assert not is_draft(zone.s, saved_id)
    assert list_drafts(zone.s, "visit") == []


async def test_the_detail_screen_starts_a_visit_and_its_timeline_opens_one(
    zone: Zone, zh: None
) -> None:
    async with make_app(zone.s).run_test(size=(80, 24)) as pilot:
        ledger = await on_the_ledger(pilot)
        await wait_for(pilot, lambda: ledger.table.is_loaded and ledger.table.row_count == 2)
        burst(pilot, *"hhhb")
        await wait_for(pilot, lambda: ledger.table.row_count == 1 and ledger.table.is_loaded)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await wait_for(pilot, lambda: len(detail.timeline_entries) == 2)
        await pilot.press("f3")
        form = await ready_form(pilot)
        assert form.row_id is None and form.raw()["enterprise_id"] == zone.haohai
        await pilot.press("escape")
        await wait_for_screen(pilot, "EnterpriseDetailScreen")
        await pilot.press("down", "enter")  # the second entry: the older visit
        form = await ready_form(pilot)
        assert form.row_id == zone.visits["old"]
        assert form.query_one("#summary").text == "宣讲惠企政策"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_user_text_is_shown_as_typed_on_the_list_form_and_filter(
    tmp_store: Store, zh: None, size: tuple[int, int]
) -> None:
    s = tmp_store
    with s.batch():
        linker = s.officers.create(rec.Officer(name=LINK)).id
        closer = s.officers.create(rec.Officer(name=CLOSE)).id
        company = s.enterprises.create(rec.Enterprise(name="[red]浩海[/red]公司")).id
    s.set_meta("officer_id", linker)
    saved = save_visit(
        s,
        VisitInput(
            enterprise_id=company,
            date=TODAY,
            officer_ids=(linker, closer),
            person="[b]王五",
            person_title="[i]经理",
            summary="[i]走访[/i]记录",
            follow_up="[/]跟进",
            problems=(),
        ),
    )
    from fieldtui.store.problems import ProblemInput, create_problem

    create_problem(
        s,
        ProblemInput(
            enterprise_id=company,
            category="factors",
            description="[link=x]用电[/link]",
            visit_id=saved.visit_id,
            raised_on=TODAY,
            officer_id=linker,
        ),
    )
    async with make_app(s).run_test(size=size) as pilot:
        screen = await visits_screen(pilot)
        await wait_for(pilot, lambda: screen.table.row_count == 1)
        await wait_for(pilot, lambda: "[red]浩海[/red]" in screen_text(pilot.app))
        await pilot.press("ctrl+f")
        dialog = await wait_for_screen(pilot, "VisitFilterScreen")
        select = dialog.query_one("#filter-officer", Select)
        await wait_for(pilot, lambda: len(select._options) == 3)
        select.expanded = True
        await wait_for(pilot, lambda: LINK in screen_text(pilot.app))
        assert CLOSE in screen_text(pilot.app)
        await pilot.press("escape", "escape")
        await wait_for_screen(pilot, "VisitsScreen")
        await pilot.press("enter")
        form = await ready_form(pilot)
        await wait_for(pilot, lambda: "[red]浩海[/red]公司" in screen_text(pilot.app))
        text = screen_text(pilot.app)
        for shown in ("[b]王五", "[i]经理", LINK, CLOSE, "[i]走访[/i]记录"):
            assert shown in text, shown
        form.query_one("#follow_up").focus()
        await wait_for(pilot, lambda: "[/]跟进" in screen_text(pilot.app))
        form.query_one("#problems-existing").scroll_visible(animate=False)
        await wait_for(pilot, lambda: "[link=x]用电[/link]" in screen_text(pilot.app))
        await pilot.press("escape")
        await wait_for_screen(pilot, "VisitsScreen")
        assert pilot.app.is_running
        assert not [n for n in pilot.app._notifications if n.severity == "error"]


async def test_what_the_visits_service_refuses_is_shown_at_its_field(zone: Zone, zh: None) -> None:
    """The enterprise deleted by someone else while the visit was typed: the save is refused
    in one line at the enterprise, nothing is written, and nothing typed is lost."""
    app = form_app(zone.s, zone.me, enterprise_id=zone.bojun)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await ready_form(pilot)
        await pilot.press(*"刘主任", "ctrl+n", "1", *"招工难")
        zone.s.enterprises.delete(zone.bojun)
        visits_before = len(zone.s.visits.list())
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "不存在或已删除" in form.field_message("enterprise_id"))
        assert app.results == [] and len(zone.s.visits.list()) == visits_before
        assert form.query_one("#person", Input).value == "刘主任"
        assert [r.description for r in form.problem_rows.texts()] == ["招工难"]
        assert any(n.title == "保存失败" for n in app._notifications)


async def test_a_visit_recorded_from_the_command_line_shows_on_the_open_list(
    zone: Zone, zh: None
) -> None:
    """``fieldtui visit add`` in another terminal (another connection): the list follows."""
    async with make_app(zone.s).run_test(size=(80, 24)) as pilot:
        screen = await visits_screen(pilot)
        await wait_for(pilot, lambda: screen.table.row_count == 4)
        with Store(zone.s.path) as other:
            save_visit(
                other,
                VisitInput(
                    enterprise_id=zone.bojun, date=TODAY, officer_ids=(zone.li,), summary="电话回访"
                ),
            )
        await wait_for(pilot, lambda: screen.table.row_count == 5, what="the new visit listed")
        await wait_for(
            pilot,
            lambda: any(
                TODAY.isoformat() in line and "肇庆博俊" in line and "草稿" in line
                for line in screen_text(pilot.app).splitlines()
            ),
        )
