"""The sheets of domain.md ("Sheets"): one :class:`SheetKind` per record kind.

Headers and aliases follow domain.md exactly; the extra aliases are spellings seen in office
ledgers. Keys (how a row finds the record it updates) are chosen so re-importing an export
matches every row to the record it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fieldtui.domain import enums
from fieldtui.domain import records as rec
from fieldtui.domain.validators import check_project_dates
from fieldtui.i18n import N_, _
from fieldtui.sheets.cells import (
    LIST_JOINER,
    Cell,
    Context,
    cell_text,
    enum_formatter,
    enum_parser,
    format_flag,
    format_list,
    parse_count,
    parse_day,
    parse_flag,
    parse_line,
    parse_list,
    parse_money,
    parse_multiline,
    parse_phone_cell,
    parse_uscc_cell,
    parse_year,
)
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.spec import Column, Key, SheetKind, Values

# --------------------------------------------------------------------------- references


def _ref_parser(lookup: Callable[[Refs, str], str]) -> Callable[[Cell, Context], str]:
    def parse(cell: Cell, ctx: Context) -> str:
        return lookup(ctx.refs, cell_text(cell))

    return parse


def _refs_parser(lookup: Callable[[Refs, str], str]) -> Callable[[Cell, Context], list[str]]:
    """A list of names; every unknown name is reported, not just the first."""

    def parse(cell: Cell, ctx: Context) -> list[str]:
        ids: list[str] = []
        problems: list[str] = []
        for name in parse_list(cell, ctx):
            try:
                ids.append(lookup(ctx.refs, name))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("; ".join(problems))
        return list(dict.fromkeys(ids))

    return parse


def _ref_formatter(name: Callable[[Refs, str], str]) -> Callable[[Any, Context], Cell]:
    def fmt(value: str, ctx: Context) -> Cell:
        return name(ctx.refs, value)

    return fmt


def _refs_formatter(name: Callable[[Refs, str], str]) -> Callable[[Any, Context], Cell]:
    def fmt(value: list[str], ctx: Context) -> Cell:
        return format_list([name(ctx.refs, v) for v in value], ctx)

    return fmt


officer_ref = _ref_parser(Refs.officer_id)
officer_refs = _refs_parser(Refs.officer_id)
enterprise_ref = _ref_parser(Refs.enterprise_id)
enterprise_refs = _refs_parser(Refs.enterprise_id)
project_ref = _ref_parser(Refs.project_id)
officer_name = _ref_formatter(Refs.officer_name)
officer_names = _refs_formatter(Refs.officer_name)
enterprise_name = _ref_formatter(Refs.enterprise_name)
enterprise_names = _refs_formatter(Refs.enterprise_name)
project_name = _ref_formatter(Refs.project_name)


def _enum(
    key: str, zh: str, field: str, enum: type[enums.CodedEnum], *aliases: str, width: int = 12
) -> Column:
    return Column(
        key, zh, field, enum_parser(enum), enum_formatter(enum), aliases=aliases, width=width
    )


def _day(key: str, zh: str, *aliases: str, required: bool = False) -> Column:
    return Column(key, zh, key, parse_day, required=required, aliases=aliases, width=12)


def _list_column(key: str, zh: str, *aliases: str, width: int = 24) -> Column:
    return Column(key, zh, key, parse_list, format_list, aliases=aliases, width=width)


# --------------------------------------------------------------------------- enterprises


def _enterprise_row_keys(values: Values) -> list[Key]:
    # A row with a USCC also matches a same-named record that has no USCC yet: a ledger first
    # imported without codes and re-imported with them fills them in instead of duplicating.
    if values.get("uscc"):
        return [("uscc", values["uscc"]), ("name_without_uscc", values["name"])]
    return [("name", values["name"])]


def _enterprise_record_keys(e: rec.Enterprise) -> list[Key]:
    keys: list[Key] = [("name", e.name)]
    keys.append(("uscc", e.uscc) if e.uscc else ("name_without_uscc", e.name))
    return keys


ENTERPRISES = SheetKind(
    name="enterprises",
    title=N_("Enterprises"),
    sheet_title="企业台账",
    repo="enterprises",
    record=rec.Enterprise,
    columns=(
        Column("name", "企业名称", "name", parse_line, required=True, aliases=("名称",), width=32),
        Column(
            "uscc",
            "统一社会信用代码",
            "uscc",
            parse_uscc_cell,
            aliases=("信用代码", "社会信用代码", "统一信用代码"),
            width=22,
            as_text=True,
        ),
        Column("legal_rep", "法定代表人", "legal_rep", parse_line, aliases=("法人代表", "法人")),
        _enum("industry", "行业门类", "industry", enums.Industry, "行业", "所属行业", width=20),
        _enum("scale", "企业规模", "scale", enums.EnterpriseScale, "规模"),
        Column("address", "地址", "address", parse_line, aliases=("企业地址",), width=30),
        Column("contact", "联系人", "contact", parse_line),
        Column(
            "phone",
            "联系电话",
            "phone",
            parse_phone_cell,
            aliases=("电话", "联系方式"),
            width=16,
            as_text=True,
        ),
        Column("employees", "从业人员", "employees", parse_count, aliases=("员工人数", "从业人数")),
        Column(
            "revenue_wan",
            "上年营收(万元)",
            "revenue_wan",
            parse_money,
            aliases=("上年营收", "营业收入(万元)", "revenue"),
            width=16,
        ),
        _enum("status", "状态", "status", enums.EnterpriseStatus, "企业状态"),
        _list_column("tags", "标签", width=20),
        Column("notes", "备注", "notes", parse_multiline, width=30),
    ),
    row_keys=_enterprise_row_keys,
    record_keys=_enterprise_record_keys,
    key_names={
        "uscc": N_("USCC"),
        "name": N_("enterprise name"),
        "name_without_uscc": N_("enterprise name"),
    },
    key_fields={"uscc": ("uscc",), "name": ("name",), "name_without_uscc": ("name",)},
)

# --------------------------------------------------------------------------- officers

OFFICERS = SheetKind(
    name="officers",
    title=N_("Officers"),
    sheet_title="人员",
    repo="officers",
    record=rec.Officer,
    columns=(
        Column("name", "姓名", "name", parse_line, required=True, width=12),
        Column(
            "phone",
            "电话",
            "phone",
            parse_phone_cell,
            aliases=("联系电话", "手机", "手机号码"),
            width=16,
            as_text=True,
        ),
        Column("unit", "单位", "unit", parse_line, aliases=("工作单位", "所在单位"), width=28),
        _enum("role", "角色", "role", enums.OfficerRole, "职务", "人员类别"),
    ),
    row_keys=lambda v: [("name", v["name"])],
    record_keys=lambda o: [("name", o.name)],
    key_names={"name": N_("name")},
    key_fields={"name": ("name",)},
)

# --------------------------------------------------------------------------- assignments


def _assignment_key(year: int, officer: str, enterprise: str | None, project: str | None) -> Key:
    return ("assignment", year, officer, enterprise, project)


def _check_assignment(values: Values, ctx: Context) -> list[tuple[str | None, str]]:
    # One target per row, as the assignment plan stores them (store.assignments).
    has_enterprise, has_project = bool(values.get("enterprise_id")), bool(values.get("project_id"))
    if not has_enterprise and not has_project:
        return [(None, _("give the enterprise or the project assigned"))]
    if has_enterprise and has_project:
        return [("project_id", _("give either an enterprise or a project, not both"))]
    return []


def _assignment_exportable(a: rec.Assignment, refs: Refs) -> bool:
    """Only assignments whose officer and targets are live: a re-import could not name others."""
    targets = [a.officer_id, a.enterprise_id, a.project_id]
    indexes = [refs.officers, refs.enterprises, refs.projects]
    return all(t is None or t in idx.live for t, idx in zip(targets, indexes, strict=True))


ASSIGNMENTS = SheetKind(
    name="assignments",
    title=N_("Assignments"),
    sheet_title="分工挂点",
    repo="assignments",
    record=rec.Assignment,
    columns=(
        Column("year", "年度", "year", parse_year, required=True, aliases=("年份",), width=8),
        Column(
            "officer",
            "首席服务官",
            "officer_id",
            officer_ref,
            officer_name,
            required=True,
            aliases=("挂点人员", "服务官", "姓名"),
        ),
        Column(
            "enterprise",
            "企业名称",
            "enterprise_id",
            enterprise_ref,
            enterprise_name,
            aliases=("挂点企业", "企业"),
            width=32,
        ),
        Column(
            "project",
            "项目名称",
            "project_id",
            project_ref,
            project_name,
            aliases=("挂点项目", "项目"),
            width=28,
        ),
        _enum("role", "角色", "role", enums.AssignmentRole, "分工"),
    ),
    row_keys=lambda v: [
        _assignment_key(v["year"], v["officer_id"], v.get("enterprise_id"), v.get("project_id"))
    ],
    record_keys=lambda a: [_assignment_key(a.year, a.officer_id, a.enterprise_id, a.project_id)],
    key_names={"assignment": N_("year, officer and enterprise or project")},
    # By year: a year's plan is replaced as a whole, so the plan needs all of the year's.
    key_fields={"assignment": ("year",)},
    check=_check_assignment,
    exportable=_assignment_exportable,
)

# --------------------------------------------------------------------------- projects

_MILESTONE_FIELDS = (
    "signed_on",
    "land_on",
    "started_on",
    "completed_on",
    "trial_on",
    "production_on",
)


def _check_project(values: Values, ctx: Context) -> list[tuple[str | None, str]]:
    """Impossible milestone dates refuse the row; out-of-order ones only warn (domain.md)."""
    if not any(values.get(f) for f in _MILESTONE_FIELDS):
        return []
    errors: list[tuple[str | None, str]] = []
    for issue in check_project_dates(*(values.get(f) for f in _MILESTONE_FIELDS)):
        if issue.level == "error":
            errors.append((issue.field, issue.message))
        else:
            ctx.warn(issue.message)
    return errors


PROJECTS = SheetKind(
    name="projects",
    title=N_("Projects"),
    sheet_title="项目",
    repo="projects",
    record=rec.Project,
    columns=(
        Column("name", "项目名称", "name", parse_line, required=True, width=32),
        Column(
            "enterprise",
            "企业名称",
            "enterprise_id",
            enterprise_ref,
            enterprise_name,
            aliases=("项目单位", "建设单位"),
            width=32,
        ),
        Column(
            "planned_investment_wan",
            "计划投资(万元)",
            "planned_investment_wan",
            parse_money,
            aliases=("计划投资", "总投资(万元)", "planned_investment"),
            width=16,
        ),
        _enum("source", "项目来源", "source", enums.ProjectSource, "来源"),
        Column(
            "revitalized",
            "盘活厂房",
            "revitalized",
            parse_flag,
            format_flag,
            aliases=("是否盘活厂房",),
            width=10,
        ),
        _day("signed_on", "签约日期", "签约时间"),
        _day("land_on", "供地日期", "供地时间"),
        _day("started_on", "开工日期", "开工时间"),
        _day("completed_on", "竣工日期", "竣工时间"),
        _day("trial_on", "试产日期", "试产时间"),
        _day("production_on", "投产日期", "投产时间"),
    ),
    row_keys=lambda v: [("name", v["name"])],
    record_keys=lambda p: [("name", p.name)],
    key_names={"name": N_("project name")},
    key_fields={"name": ("name",)},
    check=_check_project,
)

__all__ = ["ASSIGNMENTS", "ENTERPRISES", "LIST_JOINER", "OFFICERS", "PROJECTS"]
