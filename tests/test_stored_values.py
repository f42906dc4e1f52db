"""A stored value its field cannot read (an old or foreign write: ``employees = "abc"``, a date
``2024-02-30``) never takes a screen or an export down: it is shown as it is, marked, and the
form lets the user correct it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.domain.forms import check_enterprise, enterprise_form_text
from fieldtui.domain.records import Enterprise, Project
from fieldtui.sheets import export_sheet
from fieldtui.sheets.readers import read_sheet
from fieldtui.store import Store
from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen
from screen_app import ScreenApp, settle, shows

# These tests plant values no writer would store, so the rows differ from their ops on purpose.
pytestmark = pytest.mark.rows_may_differ_from_ops

BAD = {"employees": "abc", "revenue_wan": "lots", "status": "bankrupt!", "tags": "not json"}


def spoil(store: Store, table: str, row_id: str, values: dict[str, str]) -> None:
    """Write column values past the write path, as a damaged or foreign database would hold."""
    sets = ", ".join(f'"{name}" = ?' for name in values)
    store.db.execute_sql(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), row_id))


def bad_enterprise(store: Store) -> str:
    eid = store.enterprises.create(Enterprise(name="肇庆博俊科技有限公司", employees=12)).id
    spoil(store, "enterprise", eid, BAD)
    return eid


def test_the_record_loads_with_the_values_as_stored(tmp_store: Store) -> None:
    eid = bad_enterprise(tmp_store)
    record = tmp_store.enterprises.require(eid)
    assert record.employees == "abc"  # type: ignore[comparison-overlap]
    assert record.revenue_wan == "lots"  # type: ignore[comparison-overlap]
    assert record.status == "bankrupt!"
    assert record.tags == ["not json"]
    pid = tmp_store.projects.create(Project(name="新厂房项目")).id
    spoil(tmp_store, "project", pid, {"signed_on": "2024-02-30", "revitalized": "maybe"})
    project = tmp_store.projects.require(pid)
    assert project.signed_on == "2024-02-30"  # type: ignore[comparison-overlap]


def test_the_form_shows_them_for_correction(tmp_store: Store) -> None:
    record = tmp_store.enterprises.require(bad_enterprise(tmp_store))
    text = enterprise_form_text(record)
    assert text["employees"] == "abc" and text["revenue_wan"] == "lots"
    check = check_enterprise(text)
    assert {"employees", "revenue_wan", "status"} <= set(check.errors)


def test_export_writes_them_as_text(tmp_store: Store, tmp_path: Path) -> None:
    bad_enterprise(tmp_store)
    out = tmp_path / "ledger.csv"
    export_sheet(tmp_store, "enterprises", out)
    rows = read_sheet(out, ("企业台账",)).rows
    cells = [str(c) for c in rows[1][1]]
    assert "abc" in cells and "lots" in cells and "bankrupt!" in cells


async def test_the_detail_screen_marks_them(tmp_store: Store) -> None:
    eid = bad_enterprise(tmp_store)
    app = ScreenApp(tmp_store, lambda: EnterpriseDetailScreen(eid))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await shows(pilot, "abc ?")
        assert await shows(pilot, "lots ?")
        assert await shows(pilot, "bankrupt! ?")
        assert isinstance(app.screen, EnterpriseDetailScreen)
