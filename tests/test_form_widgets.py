"""Forms declared from the field schema, with every widget kind the schema names.

Visits, projects and investment activities have no screens yet; the forms here are declared
the way their screens will be (``SCHEMA = VISIT`` and titles, nothing else), and driven by
keyboard alone: an input, a textarea, a select, a multiselect (a visit's topics), a checkbox
(a project's revitalised plant), a picker (the enterprise) and a multipicker (the visiting
officers, kept in the link table). Each shows its error under the field, shows user text as
it is (never markup), and goes through drafts and the conflict-safe save like any field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Checkbox, Input

from fieldtui.domain import records as rec
from fieldtui.domain.forms import form_specs
from fieldtui.domain.schema import ACTIVITY, KINDS, PROJECT, VISIT
from fieldtui.i18n import N_
from fieldtui.store import Store
from fieldtui.store.drafts import get_draft
from fieldtui.store.watch import Change
from fieldtui.ui.screens.form_base import RecordFormScreen
from fieldtui.ui.widgets.form_controls import CodesField, FlagBox, RefField, RefListField
from fieldtui.ui.widgets.record_picker import RecordPicker
from form_support import drafts
from screen_app import ScreenApp, burst, screen_text, wait_for

SIZE = (110, 60)
HAOHAI = "广东浩海环保设备有限公司"
MARKUP_OFFICER = "[b]王五[/b]"


class VisitForm(RecordFormScreen):
    SCHEMA = VISIT
    TITLE_NEW = N_("Visit")
    TITLE_EDIT = N_("Visit")


class ProjectForm(RecordFormScreen):
    SCHEMA = PROJECT
    TITLE_NEW = N_("Project")
    TITLE_EDIT = N_("Project")


class ActivityForm(RecordFormScreen):
    SCHEMA = ACTIVITY
    TITLE_NEW = N_("Investment activity")
    TITLE_EDIT = N_("Investment activity")


@pytest.fixture
def store(tmp_store: Store) -> Store:
    for name in ("张伟", "李四", MARKUP_OFFICER):
        tmp_store.officers.create(rec.Officer(name=name))
    tmp_store.enterprises.create(rec.Enterprise(name=HAOHAI))
    tmp_store.enterprises.create(rec.Enterprise(name="肇庆[red]新材料[/red]有限公司"))
    return tmp_store


def ids_by_name(store: Store, table: str) -> dict[str, str]:
    repo = getattr(store, KINDS[table].repo)
    return {r.name: r.id for r in repo.list()}


def form_of(app: ScreenApp) -> RecordFormScreen:
    screen = app.screen
    assert isinstance(screen, RecordFormScreen), screen
    return screen


async def picked(pilot: Any, app: ScreenApp, form: RecordFormScreen) -> None:
    """Enter in the open picker once its results are in; back on the form."""
    await wait_for(pilot, lambda: isinstance(app.screen, RecordPicker), what="the picker")
    picker = app.screen
    assert isinstance(picker, RecordPicker)
    await wait_for(pilot, lambda: picker.results_for == picker.query_text and picker.items)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen is form, what="back on the form")


def test_every_widget_kind_comes_from_the_schema() -> None:
    widgets = {spec.name: spec.widget for spec in form_specs(VISIT)}
    assert widgets == {
        "date": "input",
        "officer_ids": "multipicker",
        "enterprise_id": "picker",
        "kind": "select",
        "person": "input",
        "person_title": "input",
        "topics": "multiselect",
        "policies": "textarea",
        "summary": "textarea",
        "follow_up": "textarea",
    }
    assert form_specs(VISIT) == VisitForm.FIELDS  # declared: nothing written by hand
    project = {spec.name: spec for spec in ProjectForm.FIELDS}
    assert project["revitalized"].widget == "checkbox" and project["revitalized"].default == "no"
    assert project["enterprise_id"].table == "enterprise"
    assert project["source"].choices is not None and project["source"].default == "attracted"
    officers = {spec.name: spec for spec in ActivityForm.FIELDS}["member_ids"]
    assert (officers.widget, officers.table, officers.link) == ("multipicker", "officer", True)


async def test_a_visit_is_entered_by_keyboard_with_every_widget(store: Store) -> None:
    officers = ids_by_name(store, "officer")
    enterprise = ids_by_name(store, "enterprise")[HAOHAI]
    app = ScreenApp(store, VisitForm)
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        assert app.focused is form.control("date")
        await pilot.press(*"2025-03-05", "tab")
        # The visiting officers: typing on the field opens the picker searching it.
        assert isinstance(app.focused, RefListField)
        burst(pilot, *"zw")
        await picked(pilot, app, form)
        await pilot.press("enter")  # Enter adds another
        await wait_for(pilot, lambda: isinstance(app.screen, RecordPicker))
        burst(pilot, *"ww")  # 王五, whose name looks like markup
        await picked(pilot, app, form)
        assert form.raw()["officer_ids"] == f"{officers['张伟']}、{officers[MARKUP_OFFICER]}"
        await wait_for(pilot, lambda: MARKUP_OFFICER in screen_text(app), what="the names")
        await pilot.press("tab")
        assert isinstance(app.focused, RefField)
        burst(pilot, *"hhhb")
        await picked(pilot, app, form)
        assert form.raw()["enterprise_id"] == enterprise
        await wait_for(pilot, lambda: HAOHAI in screen_text(app))
        await pilot.press("tab", "tab", *"[red]赵六", "tab", "tab")  # kind stays on-site
        assert isinstance(app.focused, CodesField)
        await pilot.press("space", "down", "down", "space")  # operations, construction
        assert form.raw()["topics"] == "operations、construction"
        await pilot.press("tab", "tab", *"[/b]谈了用电")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.results), what="saved")
    (visit,) = store.visits.list()
    assert app.results == [visit.id]
    assert (visit.date, visit.enterprise_id, visit.kind) == (date(2025, 3, 5), enterprise, "onsite")
    assert (visit.person, visit.topics, visit.summary) == (
        "[red]赵六",
        ["operations", "construction"],
        "[/b]谈了用电",
    )
    assert set(store.visit_officers.right_ids(visit.id)) == {
        officers["张伟"],
        officers[MARKUP_OFFICER],
    }
    assert drafts(store) == []


async def test_errors_show_under_pickers_and_nothing_is_saved(store: Store) -> None:
    app = ScreenApp(store, VisitForm)
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.field_message("enterprise_id") != "")
        assert form.field_message("enterprise_id") == "Required"
        assert form.field_message("date") == "Required"
        assert app.focused is form.control("date")  # the first field to correct
        assert form.query_one("#msg-enterprise_id").display
    assert store.visits.count() == 0


async def test_removing_an_officer_keeps_one_added_elsewhere_meanwhile(store: Store) -> None:
    """The multipicker saves link by link: a link added by another process while the form
    was open stays, the one removed here goes, and the open form shows both at once."""
    officers = ids_by_name(store, "officer")
    ent = ids_by_name(store, "enterprise")[HAOHAI]
    visit = store.visits.create(rec.Visit(date=date(2025, 3, 1), enterprise_id=ent)).id
    store.visit_officers.set_right_ids(visit, [officers["张伟"], officers["李四"]])
    app = ScreenApp(store, lambda: VisitForm(visit))
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        field = form.query_one("#officer_ids", RefListField)
        field.focus()
        await pilot.press("down", "delete")  # 李四 goes
        assert field.items == [officers["张伟"]]
        with Store(store.path) as other:  # another window adds 王五 meanwhile
            link = other.visit_officers.link(visit, officers[MARKUP_OFFICER])
        form.outside_change(Change({"visit_officer": frozenset({link})}))  # the app's watcher
        await wait_for(pilot, lambda: officers[MARKUP_OFFICER] in field.items, what="merged")
        assert field.items == [officers["张伟"], officers[MARKUP_OFFICER]]
        assert form.notice == ""  # no conflict: links are saved one by one
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [visit])
    assert set(store.visit_officers.right_ids(visit)) == {
        officers["张伟"],
        officers[MARKUP_OFFICER],
    }


async def test_a_checkbox_a_picker_and_a_select_round_trip_through_a_draft(store: Store) -> None:
    ent = ids_by_name(store, "enterprise")[HAOHAI]
    app = ScreenApp(store, ProjectForm)
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        await pilot.press(*"新厂房", "tab")
        burst(pilot, *"hhhb")
        await picked(pilot, app, form)
        await pilot.press("tab", "tab", "tab")  # planned investment, source: to the checkbox
        assert isinstance(app.focused, FlagBox)
        await pilot.press("space")
        assert form.raw()["revitalized"] == "yes"
        await wait_for(pilot, lambda: len(drafts(store)) == 1, what="the draft")
        await wait_for(pilot, lambda: drafts(store)[0].fields.get("revitalized") == "yes")
    (draft,) = drafts(store)
    assert draft.fields["enterprise_id"] == ent and draft.fields["source"] == "attracted"
    stored = get_draft(store, draft.id)
    app = ScreenApp(store, lambda: ProjectForm(draft=stored))
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        assert form.query_one("#revitalized", Checkbox).value is True
        assert form.query_one("#name", Input).value == "新厂房"
        await wait_for(pilot, lambda: HAOHAI in screen_text(app), what="the enterprise's name")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.results))
    (project,) = store.projects.list()
    assert (project.name, project.enterprise_id, project.revitalized) == ("新厂房", ent, True)
    assert project.source == "attracted"
    assert drafts(store) == []


async def test_codes_a_newer_version_sent_are_kept_and_shown_as_they_are(store: Store) -> None:
    """A kind and a topic this version does not know (from a newer one, by sync): the form
    opens, shows them marked, and saving another field leaves them alone."""
    ent = ids_by_name(store, "enterprise")[HAOHAI]
    visit = store.visits.create(
        rec.Visit(date=date(2025, 3, 1), enterprise_id=ent, kind="drone", topics=["carbon"])
    ).id
    app = ScreenApp(store, lambda: VisitForm(visit))
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready and form.raw()["topics"] == "carbon")
        assert form.raw()["kind"] == "drone" and not form.dirty
        kept = "Not known to this version: kept as it is"
        await wait_for(pilot, lambda: form.field_message("topics") == kept)
        assert form.field_message("kind") == kept
        shown = ("carbon ?", "drone ?")
        await wait_for(pilot, lambda: all(code in screen_text(app) for code in shown))
        form.query_one("#person", Input).value = "钱七"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [visit])
    saved = store.visits.require(visit)
    assert (saved.kind, saved.topics, saved.person) == ("drone", ["carbon"], "钱七")


async def test_keys_typed_fast_on_a_picker_field_all_reach_its_search(store: Store) -> None:
    app = ScreenApp(store, ActivityForm)
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready)
        form.control("enterprise_ids").focus()
        await pilot.pause()
        burst(pilot, *"xcl", "enter")  # 新材料: typed and chosen in one burst
        await wait_for(pilot, lambda: app.screen is form and form.raw()["enterprise_ids"] != "")
        ent = ids_by_name(store, "enterprise")["肇庆[red]新材料[/red]有限公司"]
        assert form.raw()["enterprise_ids"] == ent
        assert app.focused is form.control("enterprise_ids")  # back where it was


async def test_a_picker_changed_here_and_elsewhere_keeps_both_values(store: Store) -> None:
    """A picker, a select and a checkbox save against the heads the form showed, like any
    field: one changed both here and elsewhere becomes a conflict keeping both values; one
    changed only elsewhere shows the new value at once and is left alone by the save."""
    ents = ids_by_name(store, "enterprise")
    other = ents["肇庆[red]新材料[/red]有限公司"]
    project = store.projects.create(rec.Project(name="新厂房", enterprise_id=ents[HAOHAI])).id
    app = ScreenApp(store, lambda: ProjectForm(project))
    async with app.run_test(size=SIZE) as pilot:
        form = form_of(app)
        await wait_for(pilot, lambda: form.ready and form.raw()["enterprise_id"] == ents[HAOHAI])
        form.control("enterprise_id").focus()
        burst(pilot, *"xcl")
        await picked(pilot, app, form)
        assert form.raw()["enterprise_id"] == other
        with Store(store.path) as cli:  # the command line, meanwhile
            cli.projects.update(project, enterprise_id=None, revitalized=True)
        form.outside_change(Change({"project": frozenset({project})}))
        await wait_for(pilot, lambda: form.raw()["revitalized"] == "yes", what="refreshed")
        await wait_for(pilot, lambda: "Enterprise" in form.notice, what="the notice")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.results == [project])
    assert store.projects.conflict_fields(project) == ["enterprise_id"]
    assert store.projects.require(project).revitalized is True
