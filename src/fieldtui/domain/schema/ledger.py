"""The ledger's record kinds: officers, enterprises, the yearly assignments, projects.

Field order is column order (the record dataclass, the Peewee model and the sheet agree with
it; ``tests/test_schema.py`` checks). Sheet headers and aliases follow domain.md ("Sheets");
the extra aliases are spellings seen in office ledgers.
"""

from __future__ import annotations

from fieldtui.domain import enums
from fieldtui.domain import records as rec
from fieldtui.domain.schema.coded import Code, Ref, Texts
from fieldtui.domain.schema.core import Field, Kind
from fieldtui.domain.schema.fieldtypes import (
    Day,
    Flag,
    Integer,
    Line,
    Money,
    Multiline,
    Phone,
    Uscc,
)
from fieldtui.i18n import N_

__all__ = ["ASSIGNMENT", "ENTERPRISE", "OFFICER", "PROJECT"]

PHONE_EXAMPLE = "13800138000 / 0758-2722284"

OFFICER = Kind(
    table="officer",
    label=N_("Officer"),
    record=rec.Officer,
    repo="officers",
    title="name",
    fields=(
        Field("name", Line(), N_("Name"), required=True, max_len=40, header="姓名", sheet_width=12),
        Field(
            "phone",
            Phone(),
            N_("Phone"),
            max_len=24,
            header="电话",
            aliases=("联系电话", "手机", "手机号码"),
            placeholder=PHONE_EXAMPLE,
        ),
        Field(
            "unit",
            Line(),
            N_("Unit"),
            max_len=60,
            header="单位",
            aliases=("工作单位", "所在单位"),
            sheet_width=28,
        ),
        Field(
            "role",
            Code(enum=enums.OfficerRole),
            N_("Role"),
            required=True,
            default=enums.OfficerRole.CSO.code,
            header="角色",
            aliases=("职务", "人员类别"),
        ),
        Field("notes", Multiline(), N_("Notes"), form=False),
    ),
)

ENTERPRISE = Kind(
    table="enterprise",
    label=N_("Enterprise"),
    record=rec.Enterprise,
    repo="enterprises",
    title="name",
    form_order=("name", "uscc", "legal_rep", "industry", "scale", "status"),
    detail_order=(
        "uscc",
        "legal_rep",
        "industry",
        "scale",
        "status",
        "employees",
        "contact",
        "phone",
        "revenue_wan",
    ),
    fields=(
        Field(
            "name",
            Line(),
            N_("Enterprise name"),
            required=True,
            header="企业名称",
            aliases=("名称",),
            sheet_width=32,
            search=True,
            width=24,
        ),
        Field(
            "uscc",
            Uscc(),
            N_("Unified social credit code"),
            header="统一社会信用代码",
            aliases=("信用代码", "社会信用代码", "统一信用代码"),
            search=True,
            width=18,
            give_way=2,
            placeholder="91441284MA…",
        ),
        Field(
            "legal_rep",
            Line(),
            N_("Legal representative"),
            header="法定代表人",
            aliases=("法人代表", "法人"),
        ),
        Field(
            "industry",
            Code(enum=enums.Industry, show_code=True),
            N_("Industry section"),
            header="行业门类",
            aliases=("行业", "所属行业"),
            sheet_width=20,
            width=14,
            give_way=1,
        ),
        Field(
            "scale",
            Code(enum=enums.EnterpriseScale),
            N_("Enterprise scale"),
            header="企业规模",
            aliases=("规模",),
        ),
        Field(
            "address",
            Line(),
            N_("Address"),
            header="地址",
            aliases=("企业地址",),
            sheet_width=30,
            search=True,
            wide=True,
        ),
        Field("contact", Line(), N_("Contact person"), header="联系人", search=True),
        Field(
            "phone",
            Phone(),
            N_("Contact phone"),
            header="联系电话",
            aliases=("电话", "联系方式"),
            search=True,
            placeholder=PHONE_EXAMPLE,
        ),
        Field(
            "employees",
            Integer(suffixes=("人",)),
            N_("Employees"),
            header="从业人员",
            aliases=("员工人数", "从业人数"),
            placeholder="120",
        ),
        Field(
            "revenue_wan",
            Money(),
            N_("Last year's revenue (10k yuan)"),
            header="上年营收（万元）",
            aliases=("上年营收", "营业收入（万元）", "revenue"),
            placeholder="5000",
        ),
        Field(
            "status",
            Code(enum=enums.EnterpriseStatus),
            N_("Enterprise status"),
            required=True,
            default=enums.EnterpriseStatus.OPERATING.code,
            header="企业状态",
            aliases=("状态",),
            width=8,
        ),
        Field(
            "tags",
            Texts(),
            N_("Tags"),
            header="标签",
            sheet_width=20,
            placeholder=N_("separate with 、 or ,"),
        ),
        Field("notes", Multiline(), N_("Notes"), header="备注"),
    ),
)

YEAR = Integer(
    low=2000,
    high=2100,
    suffixes=("年",),
    grouping=False,
    invalid=N_("Not a year: {value}"),
    strict_range=True,
)
"""A plan year, as offices write it (``2025`` or ``2025年``)."""

ASSIGNMENT = Kind(
    table="assignment",
    label=N_("Assignment"),
    record=rec.Assignment,
    repo="assignments",
    fields=(
        Field(
            "year", YEAR, N_("Year"), required=True, header="年度", aliases=("年份",), sheet_width=8
        ),
        Field(
            "officer_id",
            Ref(table="officer"),
            N_("Officer"),
            required=True,
            header="首席服务官",
            key="officer",
            aliases=("挂点人员", "服务官", "姓名"),
        ),
        Field(
            "enterprise_id",
            Ref(table="enterprise"),
            N_("Enterprise"),
            header="企业名称",
            key="enterprise",
            aliases=("挂点企业", "企业"),
            sheet_width=32,
        ),
        Field(
            "project_id",
            Ref(table="project"),
            N_("Project"),
            header="项目名称",
            key="project",
            aliases=("挂点项目", "项目"),
            sheet_width=28,
        ),
        Field(
            "role",
            Code(enum=enums.AssignmentRole),
            N_("Role"),
            required=True,
            default=enums.AssignmentRole.CSO.code,
            header="角色",
            aliases=("分工",),
        ),
    ),
)


def _milestone(name: str, label: str, header: str) -> Field:
    # Offices head the column 签约日期 or 签约时间 alike.
    return Field(name, Day(), label, header=header, aliases=(header[:-2] + "时间",))


PROJECT = Kind(
    table="project",
    label=N_("Project"),
    record=rec.Project,
    repo="projects",
    title="name",
    fields=(
        Field(
            "name",
            Line(),
            N_("Project name"),
            required=True,
            header="项目名称",
            sheet_width=32,
        ),
        Field(
            "enterprise_id",
            Ref(table="enterprise"),
            N_("Enterprise"),
            header="企业名称",
            key="enterprise",
            aliases=("项目单位", "建设单位"),
            sheet_width=32,
        ),
        Field(
            "planned_investment_wan",
            Money(),
            N_("Planned investment (10k yuan)"),
            header="计划投资（万元）",
            aliases=("计划投资", "总投资（万元）", "planned_investment"),
        ),
        Field(
            "source",
            Code(enum=enums.ProjectSource),
            N_("Source"),
            required=True,
            default=enums.ProjectSource.ATTRACTED.code,
            header="项目来源",
            aliases=("来源",),
        ),
        Field(
            "revitalized",
            Flag(),
            N_("Revitalised plant"),
            default=False,
            header="盘活厂房",
            aliases=("是否盘活厂房",),
        ),
        _milestone("signed_on", N_("Signing date"), "签约日期"),
        _milestone("land_on", N_("Land supply date"), "供地日期"),
        _milestone("started_on", N_("Construction start date"), "开工日期"),
        _milestone("completed_on", N_("Completion date"), "竣工日期"),
        _milestone("trial_on", N_("Trial production date"), "试产日期"),
        _milestone("production_on", N_("Production date"), "投产日期"),
        Field("activity_id", Ref(table="activity"), N_("Investment activity")),
        Field("notes", Multiline(), N_("Notes")),
    ),
)
