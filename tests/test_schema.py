"""The field schema: it agrees with the database and the records, and its types parse, check
and show values the same way for every source."""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import BooleanField, ForeignKeyField, IntegerField

from fieldtui.domain import enums
from fieldtui.domain.records import RECORD_TYPES, Record
from fieldtui.domain.schema import (
    ENTERPRISE,
    KINDS,
    OFFICER,
    PROJECT,
    VISIT,
    Code,
    Codes,
    Day,
    Field,
    Flag,
    Integer,
    Money,
    Ref,
    RefList,
    Texts,
    field_of,
    kind_of,
)
from fieldtui.store.convert import to_column
from fieldtui.store.models import SYNCED_MODELS

BOOKKEEPING = ("id", "created_at", "updated_at", "deleted")

# --------------------------------------------------------------------------- agreement


def _record_fields(cls: type[Record]) -> list[str]:
    return [f.name for f in fields(cls) if f.name not in BOOKKEEPING]


def _model_columns(table: str) -> list[str]:
    model = SYNCED_MODELS[table]
    return [f.column_name for f in model._meta.sorted_fields if f.column_name not in BOOKKEEPING]


def test_every_synced_table_has_a_kind() -> None:
    assert list(KINDS) == list(RECORD_TYPES) == list(SYNCED_MODELS)


@pytest.mark.parametrize("table", list(KINDS))
def test_schema_models_and_records_agree_column_for_column(table: str) -> None:
    kind = KINDS[table]
    columns = [f.name for f in kind.columns]
    assert kind.record is RECORD_TYPES[table]
    assert columns == _record_fields(kind.record), "schema vs record dataclass"
    assert columns == _model_columns(table), "schema vs Peewee model"


def _base(tp: Any) -> tuple[Any, bool]:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return tp, False


@pytest.mark.parametrize("table", list(KINDS))
def test_types_nullability_and_defaults_agree(table: str) -> None:
    kind = KINDS[table]
    hints = typing.get_type_hints(kind.record)
    defaults = {
        f.name: f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        for f in fields(kind.record)
    }
    model_fields = {f.column_name: f for f in SYNCED_MODELS[table]._meta.sorted_fields}
    for f in kind.columns:
        tp, optional = _base(hints[f.name])
        where = f"{table}.{f.name}"
        if f.type.is_list:
            assert typing.get_origin(tp) is list, where
        else:
            assert tp is f.type.python, where
        column = model_fields[f.name]
        assert column.null == f.null, f"{where}: model null={column.null}, schema null={f.null}"
        assert optional == (f.null or False), f"{where}: dataclass Optional vs schema null"
        if isinstance(f.type, Integer):
            assert isinstance(column, IntegerField), where
        if isinstance(f.type, Flag):
            assert isinstance(column, BooleanField), where
        if isinstance(f.type, Ref):
            assert isinstance(column, ForeignKeyField), where
            assert f.type.table in KINDS, where
            assert column.rel_model is SYNCED_MODELS[f.type.table], where
        if f.default is not None:
            assert defaults[f.name] == f.default, f"{where}: dataclass default"
            assert column.default == f.encode(f.default), f"{where}: model default"
        elif f.type.is_list:
            assert defaults[f.name] == [] and column.default == "[]", where


def test_link_fields_name_link_tables_and_kinds_name_store_repos(tmp_path: Any) -> None:
    from fieldtui.store import Store

    store = Store(tmp_path / "t.db")
    try:
        for kind in KINDS.values():
            repo = getattr(store, kind.repo)
            assert repo.table == kind.table
            for f in kind.link_fields:
                assert f.link is not None
                link = KINDS[f.link]
                assert link.links is not None and link.links[0] == f"{kind.table}_id"
                target = link.field(link.links[1]).type
                assert isinstance(f.type, RefList) and isinstance(target, Ref)
                assert f.type.table == target.table
    finally:
        store.close()


def test_lookups() -> None:
    assert kind_of("enterprise") is ENTERPRISE
    assert field_of("officer", "phone") is OFFICER.field("phone")
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        kind_of("nope")
    with pytest.raises(ValueError, match="no field 'salary'"):
        field_of("enterprise", "salary")
    with pytest.raises(KeyError):
        ENTERPRISE.field("salary")


def test_coded_fields_are_the_code_lists() -> None:
    coded = {(k.table, name): enum for k in KINDS.values() for name, enum in k.coded.items()}
    assert coded[("enterprise", "status")] is enums.EnterpriseStatus
    assert coded[("visit", "topics")] is enums.VisitTopic
    assert len(coded) == 18


# --------------------------------------------------------------------------- one parser


def f(table: str, name: str) -> Field:
    return field_of(table, name)


@pytest.mark.parametrize(
    ("table", "name", "inputs", "value"),
    [
        # a form's text, a sheet's cell, a resolve --value: one parser, one result
        ("enterprise", "employees", ["1,200", 1200, 1200.0, "１２００人", Decimal(1200)], 1200),
        ("enterprise", "revenue_wan", ["5,000.5", 5000.5, Decimal("5000.50"), "5000.5万"], None),
        ("enterprise", "phone", ["138 0013 8000", 13800138000, 13800138000.0], "13800138000"),
        ("enterprise", "uscc", [" 91350100m000100y43"], "91350100M000100Y43"),
        ("enterprise", "status", ["closed", "已注销", "注销", "Deregistered", " 注销 "], "closed"),
        ("enterprise", "tags", ["a、b,a", "a;b"], ["a", "b"]),
        ("project", "signed_on", ["2024-03-05", "2024/3/5", "2024年3月5日", 45356], None),
        ("project", "revitalized", ["是", "yes", "true", 1, True], True),
        ("assignment", "year", ["2025", "2025年", 2025, 2025.0], 2025),
        ("visit", "topics", ["operations, 员工生活"], ["operations", "staff_life"]),
        ("enterprise", "name", ["  浩海\x1b[31m环保\n "], "浩海环保"),
    ],
)
def test_every_source_passes_the_same_parser(
    table: str, name: str, inputs: list[Any], value: Any
) -> None:
    field = f(table, name)
    results = {repr(field.parse(raw).value) for raw in inputs}
    assert len(results) == 1, results
    parsed = field.parse(inputs[0])
    assert parsed.ok
    if value is not None:
        assert parsed.value == value
    # what the column stores reads back as the same value, and checks as valid
    column = field.encode(parsed.value)
    assert field.check_column(column).value == parsed.value
    # the form's text parses back to the same value
    assert field.parse(field.text(parsed.value)).value == parsed.value


@pytest.mark.parametrize(
    ("table", "name", "raw", "says"),
    [
        ("enterprise", "employees", "-3", "negative"),
        ("enterprise", "employees", "12.5", "whole number"),
        ("enterprise", "employees", True, "whole number"),
        ("enterprise", "revenue_wan", "12.345", "2 decimal"),
        ("enterprise", "revenue_wan", date(2024, 1, 1), "Not an amount"),
        ("enterprise", "phone", "12345", "phone"),
        ("enterprise", "uscc", "91350100M000100Y4Z", "check character"),
        ("enterprise", "status", "bankrupt", "closed (已注销, Deregistered)"),
        ("project", "signed_on", "2024-02-30", "No such date"),
        ("project", "signed_on", 12, "Not a date"),
        ("project", "revitalized", "maybe", "yes/no"),
        ("assignment", "year", "1999", "Not a year"),
        ("visit", "topics", "operations, golf", "golf"),
        ("officer", "name", "张" * 41, "At most 40"),
    ],
)
def test_bad_input_gets_a_message(table: str, name: str, raw: Any, says: str) -> None:
    parsed = f(table, name).parse(raw)
    assert parsed.error is not None and says in parsed.error
    assert parsed.value is None


def test_warnings_pass_with_the_value() -> None:
    from fieldtui.domain.validators import org_code_check_char, uscc_check_char

    body = "MA4UXX12"
    wrong = "0" if org_code_check_char(body) != "0" else "1"
    first17 = "91441284" + body + wrong
    uscc = first17 + uscc_check_char(first17)
    parsed = ENTERPRISE.field("uscc").parse(uscc)
    assert parsed.ok and parsed.value == uscc and parsed.warning


def test_blank_is_not_given_not_an_error() -> None:
    for raw in (None, "", "   "):
        parsed = ENTERPRISE.field("name").parse(raw)
        assert parsed.blank and parsed.ok and parsed.value is None
    assert ENTERPRISE.field("tags").parse("、 ,").value == []
    assert ENTERPRISE.field("tags").parse("、 ,").blank


def test_references_resolve_through_the_caller() -> None:
    class Names:
        def ref_id(self, table: str, text: str) -> str:
            if text == "张三":
                return f"{table}-1"
            raise ValueError(f"No {table} named {text}")

        def ref_name(self, table: str, row_id: str) -> str:
            return "张三" if row_id == f"{table}-1" else row_id

    officer = f("problem", "officer_id")
    assert officer.parse("张三", Names()).value == "officer-1"
    assert officer.parse("李四", Names()).error == "No officer named 李四"
    assert officer.parse("0190f5d2-aaaa-7bbb-8ccc-123456789abc").ok  # an id without resolver
    assert officer.parse("not an id!").error is not None
    officers = VISIT.field("officer_ids")
    both = officers.parse("李四、王五", Names()).error
    assert both == "No officer named 李四; No officer named 王五"
    assert officers.show(["officer-1"], "zh", Names()).text == "张三"
    assert officers.cell(["officer-1"], "zh", Names()) == "张三"


# --------------------------------------------------------------------------- stored values


@pytest.mark.parametrize(
    ("table", "name", "column"),
    [
        ("enterprise", "employees", "abc"),
        ("enterprise", "employees", -1),
        ("enterprise", "revenue_wan", "lots"),
        ("enterprise", "revenue_wan", "1.234"),
        ("enterprise", "uscc", "91350100M000100Y4Z"),
        ("enterprise", "uscc", "91350100m000100y43"),
        ("enterprise", "phone", "12"),
        ("enterprise", "status", "bank rupt!"),
        ("enterprise", "status", None),
        ("enterprise", "name", ""),
        ("enterprise", "tags", "not json"),
        ("enterprise", "tags", '{"a": 1}'),
        ("assignment", "year", "2025"),
        ("assignment", "year", 99),
        ("project", "signed_on", "2024-02-30"),
        ("project", "signed_on", "2024/3/5"),
        ("project", "revitalized", 2),
        ("visit", "topics", '["ok", "not a code!"]'),
        ("officer", "name", "张" * 41),
        ("assignment", "officer_id", "has spaces in it"),
    ],
)
def test_stored_values_that_do_not_fit_are_named(table: str, name: str, column: Any) -> None:
    assert f(table, name).check_column(column).error


@pytest.mark.parametrize(
    ("table", "name", "column", "value"),
    [
        ("enterprise", "employees", 12, 12),
        ("enterprise", "revenue_wan", "1200", Decimal("1200")),
        ("enterprise", "revenue_wan", 1200, Decimal("1200")),
        ("enterprise", "status", "relocated_abroad", "relocated_abroad"),  # a newer code is kept
        ("enterprise", "industry", None, None),
        ("enterprise", "tags", '["重点"]', ["重点"]),
        ("project", "revitalized", 1, True),
        ("project", "signed_on", "2024-02-29", date(2024, 2, 29)),
    ],
)
def test_stored_values_that_fit_are_read(table: str, name: str, column: Any, value: Any) -> None:
    parsed = f(table, name).check_column(column)
    assert parsed.ok and parsed.value == value


def test_display_never_raises_and_marks_what_does_not_fit() -> None:
    employees = ENTERPRISE.field("employees")
    assert employees.show(1200, "zh").text == "1,200"
    assert employees.show("abc", "zh") == employees.show("abc", "en")
    assert not employees.show("abc", "zh").ok and employees.show("abc", "zh").text == "abc"
    status = ENTERPRISE.field("status")
    assert status.show("closed", "zh").text == "已注销"
    assert status.show("closed", "en").text == "Deregistered"
    assert status.show("partial", "zh").text == "半停产"
    unknown = status.show("relocated_abroad", "zh")  # a newer version's code
    assert unknown.text == "relocated_abroad" and not unknown.ok
    assert ENTERPRISE.field("industry").show("C", "zh").text == "C 制造业"
    assert ENTERPRISE.field("revenue_wan").show(Decimal("12345.5"), "zh").text == "12,345.5"
    assert ENTERPRISE.field("notes").show(None, "zh").text == ""
    assert PROJECT.field("signed_on").show("2024-02-30", "zh").ok is False
    assert ENTERPRISE.field("tags").show(["a", "b"], "zh").text == "a、b"


@given(
    st.one_of(
        st.none(),
        st.text(max_size=30),
        st.integers(),
        st.floats(allow_nan=True),
        st.booleans(),
        st.dates(),
        st.decimals(allow_nan=True),
        st.lists(st.text(max_size=5), max_size=3),
    )
)
def test_no_value_makes_a_field_raise(value: Any) -> None:
    for kind in (ENTERPRISE, PROJECT, VISIT):
        for field in kind.fields:
            field.show(value, "zh")
            field.text(value)
            field.cell(value, "zh")
            field.decode(value if isinstance(value, (str, int)) else None)
            if not isinstance(value, list):
                field.parse(value)
            if value is None or isinstance(value, (str, int)):
                field.check_column(value)


def test_decode_keeps_what_it_cannot_read() -> None:
    assert ENTERPRISE.field("employees").decode("abc") == "abc"
    assert ENTERPRISE.field("employees").decode(12) == 12
    assert ENTERPRISE.field("tags").decode("not json") == ["not json"]
    assert ENTERPRISE.field("tags").decode(None) == []
    assert PROJECT.field("revitalized").decode(1) is True


@pytest.mark.parametrize(
    "value",
    [Decimal("1200"), Decimal("1200.50"), Decimal("0.5"), 12, True, False, date(2024, 1, 2)],
)
def test_encode_matches_the_store(value: Any) -> None:
    field = {
        Decimal: ENTERPRISE.field("revenue_wan"),
        int: ENTERPRISE.field("employees"),
        bool: PROJECT.field("revitalized"),
        date: PROJECT.field("signed_on"),
    }[type(value)]
    assert field.encode(value) == to_column(value)
    assert field.encode(["a"]) == to_column(["a"]) if field.type.is_list else True


def test_type_classes_cover_what_sheets_hold() -> None:
    when = datetime(2024, 3, 5, 0, 0)
    assert PROJECT.field("signed_on").parse(when).value == date(2024, 3, 5)
    assert isinstance(Day().parse(when)[0], date)
    assert Money().parse(5000.5)[0] == Decimal("5000.50")
    assert Code(enum=enums.Industry).parse("C 制造业")[0] == "C"
    assert Codes(enum=enums.VisitTopic).parse("生产经营、生产经营")[0] == ["operations"]
    assert Texts().parse(" a ;\nb ")[0] == ["a", "b"]


# --------------------------------------------------------------------------- forms


def test_officer_form_has_the_first_run_length_limits() -> None:
    from fieldtui.domain.forms import check_officer

    check = check_officer({"name": "张" * 41, "phone": "", "unit": "单" * 61, "role": "cso"})
    assert set(check.errors) == {"name", "unit"}
    assert "40" in check.errors["name"] and "60" in check.errors["unit"]


def test_any_kind_has_a_form_check() -> None:
    from fieldtui.domain.forms import check_form, form_fields, form_text

    assert form_fields(VISIT)[:3] == ("date", "officer_ids", "enterprise_id")
    typed = {
        "date": "2024年3月5日",
        "officer_ids": "0190f5d2-aaaa-7bbb-8ccc-123456789abc",
        "enterprise_id": "0190f5d2-aaaa-7bbb-8ccc-123456789abd",
        "kind": "电话约谈",
        "topics": "生产经营、员工生活",
        "summary": "了解扩产计划",
    }
    check = check_form(VISIT, typed)
    assert check.errors == {"kind": check.checks["kind"].error}  # not a label of any kind
    typed["kind"] = "电话走访"  # the label zh-style.md gives the code phone
    check = check_form(VISIT, typed)
    assert check.ok, check.errors
    assert check.values["kind"] == "phone"
    assert check.values["date"] == date(2024, 3, 5)
    assert check.values["topics"] == ["operations", "staff_life"]
    record = VISIT.record(**{k: v for k, v in check.values.items() if k != "officer_ids"})
    again = check_form(VISIT, form_text(VISIT, record))
    assert {k: v for k, v in again.values.items() if k != "officer_ids"} == {
        k: v for k, v in check.values.items() if k != "officer_ids"
    }
    assert check_form(VISIT, {}).errors.keys() == {"date", "enterprise_id", "kind"}
