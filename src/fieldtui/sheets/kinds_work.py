"""Sheets of the officers' work records: visits, problems, meetings, investment activities.

These records have no natural identifier, so each kind's key is the combination of cells an
office would call "the same entry" (a visit: date, enterprise and kind). Officers and
enterprises named in these sheets must already exist (domain.md, Sheets).
"""

from __future__ import annotations

from fieldtui.domain import enums
from fieldtui.domain import records as rec
from fieldtui.i18n import N_, _
from fieldtui.sheets.cells import Context, parse_day, parse_line, parse_multiline
from fieldtui.sheets.kinds import (
    _day,
    _enum,
    _list_column,
    enterprise_name,
    enterprise_names,
    enterprise_ref,
    enterprise_refs,
    officer_name,
    officer_names,
    officer_ref,
    officer_refs,
    project_name,
    project_ref,
)
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.spec import Column, SheetKind, Values


def _live_enterprise(record: rec.Visit | rec.Problem, refs: Refs) -> bool:
    return record.enterprise_id in refs.enterprises.live


VISITS = SheetKind(
    name="visits",
    title=N_("Visits"),
    sheet_title="走访记录",
    repo="visits",
    record=rec.Visit,
    columns=(
        Column("date", "走访日期", "date", parse_day, required=True, aliases=("日期",), width=12),
        Column(
            "officer",
            "走访人",
            "officer_ids",
            officer_refs,
            officer_names,
            aliases=("走访人员", "首席服务官"),
            link="visit_officers",
            width=16,
        ),
        Column(
            "enterprise",
            "企业名称",
            "enterprise_id",
            enterprise_ref,
            enterprise_name,
            required=True,
            aliases=("走访企业",),
            width=32,
        ),
        _enum("kind", "走访方式", "kind", enums.VisitKind, "走访类型", "方式"),
        Column("person", "被访人", "person", parse_line, aliases=("被走访人", "接待人")),
        Column(
            "summary",
            "走访内容",
            "summary",
            parse_multiline,
            aliases=("走访情况", "内容"),
            width=40,
        ),
    ),
    row_keys=lambda v: [("visit", v["date"], v["enterprise_id"], v.get("kind", "onsite"))],
    record_keys=lambda r: [("visit", r.date, r.enterprise_id, r.kind)],
    key_names={"visit": N_("date, enterprise and kind of visit")},
    key_fields={"visit": ("date", "enterprise_id")},
    exportable=_live_enterprise,
)


def _check_problem(values: Values, ctx: Context) -> list[tuple[str | None, str]]:
    raised, resolved = values.get("raised_on"), values.get("resolved_on")
    if raised and resolved and resolved < raised:
        return [("resolved_on", _("Resolved before it was raised"))]
    return []


PROBLEMS = SheetKind(
    name="problems",
    title=N_("Problems"),
    sheet_title="问题台账",
    repo="problems",
    record=rec.Problem,
    columns=(
        Column(
            "enterprise",
            "企业名称",
            "enterprise_id",
            enterprise_ref,
            enterprise_name,
            required=True,
            width=32,
        ),
        Column("project", "项目名称", "project_id", project_ref, project_name, width=28),
        _day("raised_on", "提出日期", "提出时间", "反映日期"),
        _enum("category", "问题类别", "category", enums.ProblemCategory, "类别", "问题类型"),
        Column(
            "description",
            "问题描述",
            "description",
            parse_multiline,
            required=True,
            aliases=("问题", "困难问题", "诉求内容"),
            width=40,
        ),
        Column("lead_unit", "主办单位", "lead_unit", parse_line, aliases=("责任单位",), width=20),
        _list_column("assist_units", "协办单位", "配合单位"),
        _day("deadline", "办理时限", "时限"),
        _enum("status", "办理状态", "status", enums.ProblemStatus, "状态"),
        _day("resolved_on", "办结日期", "办结时间"),
        Column(
            "resolution", "办理结果", "resolution", parse_multiline, aliases=("办理情况",), width=30
        ),
        _enum("satisfaction", "满意度", "satisfaction", enums.Satisfaction, "企业满意度"),
        Column(
            "officer", "首席服务官", "officer_id", officer_ref, officer_name, aliases=("跟进人",)
        ),
    ),
    row_keys=lambda v: [("problem", v["enterprise_id"], v["description"])],
    record_keys=lambda r: [("problem", r.enterprise_id, r.description)],
    key_names={"problem": N_("enterprise and problem description")},
    key_fields={"problem": ("enterprise_id", "description")},
    check=_check_problem,
    exportable=_live_enterprise,
)

MEETINGS = SheetKind(
    name="meetings",
    title=N_("Meetings"),
    sheet_title="协调会议",
    repo="meetings",
    record=rec.Meeting,
    columns=(
        Column("date", "会议日期", "date", parse_day, required=True, aliases=("日期",), width=12),
        _enum("kind", "会议类型", "kind", enums.MeetingKind, "类型", width=18),
        Column(
            "topic",
            "会议主题",
            "topic",
            parse_line,
            required=True,
            aliases=("主题", "会议名称"),
            width=36,
        ),
        Column("chair", "主持人", "chair", parse_line),
        _list_column("departments", "参会单位", "参会部门"),
        Column(
            "enterprises",
            "涉及企业",
            "enterprise_ids",
            enterprise_refs,
            enterprise_names,
            aliases=("参会企业",),
            link="meeting_enterprises",
            width=32,
        ),
    ),
    row_keys=lambda v: [("meeting", v["date"], v["topic"])],
    record_keys=lambda r: [("meeting", r.date, r.topic)],
    key_names={"meeting": N_("date and topic")},
    key_fields={"meeting": ("date", "topic")},
)

ACTIVITIES = SheetKind(
    name="activities",
    title=N_("Investment activities"),
    sheet_title="招商活动",
    repo="activities",
    record=rec.Activity,
    columns=(
        Column("date", "日期", "date", parse_day, required=True, aliases=("活动日期",), width=12),
        _enum("kind", "类型", "kind", enums.ActivityKind, "活动类型"),
        Column(
            "place",
            "地点",
            "place",
            parse_line,
            required=True,
            aliases=("地点/来访客商", "来访客商"),
            width=24,
        ),
        Column(
            "members",
            "参与人员",
            "member_ids",
            officer_refs,
            officer_names,
            aliases=("参加人员", "小分队成员"),
            link="activity_members",
            width=20,
        ),
        Column(
            "enterprises",
            "拜访企业",
            "enterprise_ids",
            enterprise_refs,
            enterprise_names,
            aliases=("接待企业", "拜访/接待企业"),
            link="activity_enterprises",
            width=32,
        ),
        Column("notes", "备注", "notes", parse_multiline, width=30),
    ),
    row_keys=lambda v: [("activity", v["date"], v.get("kind", "trip_out"), v["place"])],
    record_keys=lambda r: [("activity", r.date, r.kind, r.place)],
    key_names={"activity": N_("date, kind and place")},
    key_fields={"activity": ("date", "kind", "place")},
)
