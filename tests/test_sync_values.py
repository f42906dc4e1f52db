"""``sync resolve --value``: values are checked for their field and stored as the column does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain import enums
from fieldtui.domain.records import Enterprise
from fieldtui.domain.schema import KINDS
from fieldtui.store import Store
from fieldtui.store.models import SYNCED_MODELS
from fieldtui.sync.values import (
    CODED_FIELDS,
    check_values,
    column_value,
    hard_limit,
    value_problem,
)
from sync_support import file_digest, replica, ship


@pytest.mark.parametrize(
    ("table", "field", "typed", "stored"),
    [
        ("enterprise", "status", "注销", "closed"),
        ("enterprise", "status", "Deregistered", "closed"),
        ("enterprise", "status", "closed", "closed"),
        ("enterprise", "industry", "", None),
        ("enterprise", "employees", " 15 ", 15),
        ("enterprise", "revenue_wan", "1,200万元", "1200"),
        ("enterprise", "uscc", "91441284ma4jurq20m", "91441284MA4JURQ20M"),
        ("enterprise", "phone", "138 0013 8000", "13800138000"),
        ("enterprise", "address", "大旺大道1号", "大旺大道1号"),
        ("enterprise", "notes", "", None),
        ("enterprise", "tags", "重点; 外资", '["重点", "外资"]'),
        ("project", "signed_on", "2024年3月5日", "2024-03-05"),
        ("project", "revitalized", "是", 1),
        ("visit", "topics", "operations, 员工生活", '["operations", "staff_life"]'),
        ("problem_event", "status", "已办结", "resolved"),
    ],
)
def test_values_are_stored_as_the_column_holds_them(
    table: str, field: str, typed: str, stored: object
) -> None:
    assert column_value(table, field, typed) == stored


@pytest.mark.parametrize(
    ("table", "field", "typed", "says"),
    [
        ("enterprise", "status", "bogus", "closed (已注销, Deregistered)"),
        ("visit", "topics", "operations, golf", "staff_life (员工生活, Staff life)"),
        ("enterprise", "employees", "many", "whole number"),
        ("project", "signed_on", "2024-13-01", "No such date"),
        ("project", "land_on", "soon", "YYYY-MM-DD"),
        ("enterprise", "revenue_wan", "lots", "Not an amount"),
        ("enterprise", "uscc", "123", "18 characters"),
        ("enterprise", "phone", "12", "Not a valid phone number"),
        ("enterprise", "name", "   ", "required"),
        ("enterprise", "status", "", "required"),
        ("project", "revitalized", "maybe", "yes/no"),
        ("enterprise", "salary", "1", "no field 'salary'"),
    ],
)
def test_bad_values_are_refused_naming_the_field(
    table: str, field: str, typed: str, says: str
) -> None:
    with pytest.raises(ValueError) as exc:
        column_value(table, field, typed)
    assert says in str(exc.value)
    if field != "salary":
        assert f"{table}.{field}" in str(exc.value)


@pytest.mark.parametrize(
    ("table", "field", "value", "says"),
    [
        ("enterprise", "employees", "abc", "whole number"),
        ("assignment", "year", "2025", "Not a year"),
        ("project", "signed_on", "2024-02-30", "No such date"),
        ("enterprise", "uscc", "91350100M000100Y4Z", "check character"),
        ("enterprise", "status", "bank rupt", "Not a code"),
        ("enterprise", "name", None, "empty"),
        ("enterprise", "notes", "x" * 10_001, "At most 10000"),
        ("enterprise", "_deleted", 2, "0 or 1"),
    ],
)
def test_received_values_that_do_not_fit_are_named(
    table: str, field: str, value: object, says: str
) -> None:
    problem = value_problem(table, field, value)  # type: ignore[arg-type]
    assert problem is not None and says in problem and f"{table}.{field}" in problem


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("enterprise", "employees", 12),
        ("enterprise", "status", "partial"),  # a code of this version
        ("enterprise", "status", "relocated_abroad"),  # a newer version's code
        ("enterprise", "notes", None),
        ("enterprise", "tags", '["重点"]'),
        ("enterprise", "created_at", "2024-01-01T00:00:00"),
        ("enterprise", "_deleted", 1),
        ("project", "revitalized", 0),
    ],
)
def test_received_values_that_fit_pass(table: str, field: str, value: object) -> None:
    assert value_problem(table, field, value) is None  # type: ignore[arg-type]


def test_coded_fields_name_real_fields_and_enums() -> None:
    for (table, field), enum in CODED_FIELDS.items():
        assert field in SYNCED_MODELS[table]._meta.fields, (table, field)
        assert issubclass(enum, enums.CodedEnum)


@pytest.fixture
def hub_with_conflict(tmp_path: Path) -> tuple[Path, Store, str]:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    a = replica(tmp_path / "a.db", sync.LAPTOP, "张三")
    b = replica(tmp_path / "b.db", sync.LAPTOP, "李四")
    ent = hub.enterprises.create(Enterprise(name="肇庆博俊科技有限公司")).id
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "init", full=True)
    a.enterprises.update(ent, status="building")
    b.enterprises.update(ent, status="trial")
    for laptop in (a, b):
        ship(laptop, hub, tmp_path / "up")
        laptop.close()
    assert [c.field for c in sync.list_conflicts(hub.db)] == ["status"]
    path = hub.path
    hub.close()
    return path, hub, ent


def test_cli_refuses_a_bad_value_and_changes_nothing(
    hub_with_conflict: tuple[Path, Store, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _hub, ent = hub_with_conflict
    before = file_digest(path)
    args = ["--db", str(path), "sync", "resolve", "enterprise", ent, "status"]
    assert main([*args, "--value", "bankrupt"]) == 1
    err = capsys.readouterr().err
    assert "enterprise.status" in err and "bankrupt" in err
    assert "operating (在产, Operating)" in err and "Nothing was changed" in err
    assert file_digest(path) == before


def test_cli_stores_the_code_of_a_label(
    hub_with_conflict: tuple[Path, Store, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _hub, ent = hub_with_conflict
    args = ["--db", str(path), "sync", "resolve", "enterprise", ent, "status"]
    assert main([*args, "--value", "停产"]) == 0
    assert "status = “suspended”" in capsys.readouterr().out
    store = Store(path)
    try:
        assert store.enterprises.require(ent).status == "suspended"
        assert sync.list_conflicts(store.db) == []
    finally:
        store.close()


# -- a whole file's values at once (sync.values.check_values) ---------------------------------

_COLUMNS = [
    *sorted((k.table, f.name) for k in KINDS.values() for f in k.columns),
    ("enterprise", "created_at"),
    ("visit", "updated_at"),
    ("problem", "_deleted"),
]
_TEXTS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "a\nb", "a\tb", "x\x1by", "\x85", "2024-02-30", "operating"]),
    st.sampled_from(["01a2-b3", "id:1.2_x", "a" * 64, "a" * 65, "[]", '["重点"]', '["a", 1]']),
    st.text(alphabet="长a ", min_size=150, max_size=260),
)
_VALUES = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.integers(0, 3000), _TEXTS)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_COLUMNS), _VALUES),
        min_size=1,
        max_size=40,
    )
)
def test_checking_a_files_values_at_once_agrees_with_one_by_one(
    picks: list[tuple[tuple[str, str], object]],
) -> None:
    ops = [
        [f"op{i}", "r", i + 1, 1, table, "row", field, value, []]
        for i, ((table, field), value) in enumerate(picks)
        if field != "_deleted" or value in (0, 1)
    ]
    found = check_values(ops)
    too_long = [
        i
        for i, op in enumerate(ops, 1)
        if isinstance(op[7], str) and len(op[7]) > hard_limit(op[4], op[6])
    ]
    if found.too_long is not None:
        assert too_long and found.too_long[0] in too_long
        return
    assert not too_long
    expected = {
        op[0]: problem
        for op in ops
        if (problem := value_problem(op[4], op[6], op[7])) is not None  # type: ignore[arg-type]
    }
    assert found.held == expected
