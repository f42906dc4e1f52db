"""The officers' work records: visits, problems and their history, meetings, investment
activities, the checklists, and the link tables between them.

Field order is column order (link fields, kept in their link tables, sit where their sheet
column goes). Sheet headers follow domain.md ("Sheets").
"""

from __future__ import annotations

from fieldtui.domain import enums
from fieldtui.domain import records as rec
from fieldtui.domain.schema.coded import Code, Codes, Ref, RefList, Texts
from fieldtui.domain.schema.core import Field, Kind
from fieldtui.domain.schema.fieldtypes import Day, Integer, Line, Multiline
from fieldtui.i18n import N_

__all__ = [
    "ACTIVITY",
    "ACTIVITY_ENTERPRISE",
    "ACTIVITY_MEMBER",
    "CHECKLIST_ANSWER",
    "CHECKLIST_ITEM",
    "CHECKLIST_TEMPLATE",
    "MEETING",
    "MEETING_ENTERPRISE",
    "MEETING_PROBLEM",
    "MEETING_PROJECT",
    "PROBLEM",
    "PROBLEM_EVENT",
    "VISIT",
    "VISIT_OFFICER",
]


def _link(table: str, label: str, repo: str, left: tuple[str, str], right: tuple[str, str]) -> Kind:
    """A link table: two references, both required; its row id derives from them."""
    return Kind(
        table=table,
        label=label,
        record=_LINK_RECORDS[table],
        repo=repo,
        links=(f"{left[0]}_id", f"{right[0]}_id"),
        fields=tuple(
            Field(f"{target}_id", Ref(table=target), name, required=True)
            for target, name in (left, right)
        ),
    )


_LINK_RECORDS: dict[str, type[rec.Record]] = {
    "visit_officer": rec.VisitOfficer,
    "meeting_enterprise": rec.MeetingEnterprise,
    "meeting_project": rec.MeetingProject,
    "meeting_problem": rec.MeetingProblem,
    "activity_member": rec.ActivityMember,
    "activity_enterprise": rec.ActivityEnterprise,
}

# --------------------------------------------------------------------------- visits

VISIT = Kind(
    table="visit",
    label=N_("Visit"),
    record=rec.Visit,
    repo="visits",
    fields=(
        Field(
            "date",
            Day(),
            N_("Visit date"),
            required=True,
            null=True,
            header="走访日期",
            aliases=("日期",),
        ),
        Field(
            "officer_ids",
            RefList(table="officer"),
            N_("Officers"),
            link="visit_officer",
            header="走访人",
            key="officer",
            aliases=("走访人员", "首席服务官"),
            sheet_width=16,
        ),
        Field(
            "enterprise_id",
            Ref(table="enterprise"),
            N_("Enterprise"),
            required=True,
            header="企业名称",
            key="enterprise",
            aliases=("走访企业",),
            sheet_width=32,
        ),
        Field(
            "kind",
            Code(enum=enums.VisitKind),
            N_("Kind of visit"),
            required=True,
            default=enums.VisitKind.ONSITE.code,
            header="走访方式",
            aliases=("走访类型", "方式"),
        ),
        Field(
            "person",
            Line(),
            N_("Person met"),
            header="被访人",
            aliases=("被走访人", "接待人"),
        ),
        Field("person_title", Line(), N_("Title of the person met")),
        Field("topics", Codes(enum=enums.VisitTopic), N_("Topics")),
        Field("policies", Multiline(), N_("Policies explained")),
        Field(
            "summary",
            Multiline(),
            N_("Summary"),
            header="走访内容",
            aliases=("走访情况", "内容"),
            sheet_width=40,
        ),
        Field("follow_up", Multiline(), N_("Follow-up")),
    ),
)

VISIT_OFFICER = _link(
    "visit_officer",
    N_("Visit officer"),
    "visit_officers",
    ("visit", N_("Visit")),
    ("officer", N_("Officer")),
)

# --------------------------------------------------------------------------- problems

PROBLEM = Kind(
    table="problem",
    label=N_("Problem"),
    record=rec.Problem,
    repo="problems",
    fields=(
        Field(
            "enterprise_id",
            Ref(table="enterprise"),
            N_("Enterprise"),
            required=True,
            header="企业名称",
            key="enterprise",
            sheet_width=32,
        ),
        Field(
            "project_id",
            Ref(table="project"),
            N_("Project"),
            header="项目名称",
            key="project",
            sheet_width=28,
        ),
        Field("visit_id", Ref(table="visit"), N_("Visit")),
        Field(
            "raised_on",
            Day(),
            N_("Raised on"),
            header="提出日期",
            aliases=("提出时间", "反映日期"),
        ),
        Field(
            "category",
            Code(enum=enums.ProblemCategory),
            N_("Category"),
            required=True,
            default=enums.ProblemCategory.OTHER.code,
            header="诉求类别",
            aliases=("问题类别", "类别", "问题类型"),
        ),
        Field(
            "description",
            Multiline(),
            N_("Description"),
            required=True,
            header="诉求内容",
            aliases=("问题描述", "诉求", "问题", "困难问题"),
            sheet_width=40,
        ),
        Field(
            "lead_unit",
            Line(),
            N_("Lead unit"),
            header="主办单位",
            aliases=("责任单位",),
            sheet_width=20,
        ),
        Field(
            "assist_units", Texts(), N_("Assisting units"), header="协办单位", aliases=("配合单位",)
        ),
        Field("deadline", Day(), N_("Deadline"), header="办理时限", aliases=("时限",)),
        Field(
            "status",
            Code(enum=enums.ProblemStatus),
            N_("Status"),
            required=True,
            default=enums.ProblemStatus.NEW.code,
            header="办理状态",
            aliases=("状态",),
        ),
        Field("resolved_on", Day(), N_("Resolved on"), header="办结日期", aliases=("办结时间",)),
        Field(
            "resolution",
            Multiline(),
            N_("Resolution"),
            header="办理结果",
            aliases=("办理情况",),
        ),
        Field(
            "satisfaction",
            Code(enum=enums.Satisfaction),
            N_("Satisfaction"),
            header="满意度",
            aliases=("企业满意度",),
        ),
        Field(
            "officer_id",
            Ref(table="officer"),
            N_("Officer"),
            header="首席服务官",
            key="officer",
            aliases=("跟进人",),
        ),
    ),
)

PROBLEM_EVENT = Kind(
    table="problem_event",
    label=N_("Problem history entry"),
    record=rec.ProblemEvent,
    repo="problem_events",
    fields=(
        Field("problem_id", Ref(table="problem"), N_("Problem"), required=True),
        Field("on", Day(), N_("Date")),
        Field("status", Code(enum=enums.ProblemStatus), N_("Status")),
        Field("note", Multiline(), N_("Note")),
        Field("officer_id", Ref(table="officer"), N_("Officer")),
        Field("kind", Code(enum=enums.ProblemEventKind), N_("Kind of entry")),
        Field("deadline", Day(), N_("New deadline")),
        Field("satisfaction", Code(enum=enums.Satisfaction), N_("Satisfaction")),
    ),
)

# --------------------------------------------------------------------------- meetings

MEETING = Kind(
    table="meeting",
    label=N_("Meeting"),
    record=rec.Meeting,
    repo="meetings",
    fields=(
        Field(
            "date",
            Day(),
            N_("Meeting date"),
            required=True,
            null=True,
            header="会议日期",
            aliases=("日期",),
        ),
        Field(
            "kind",
            Code(enum=enums.MeetingKind),
            N_("Kind of meeting"),
            required=True,
            default=enums.MeetingKind.COORDINATION.code,
            header="会议类型",
            aliases=("类型",),
            sheet_width=18,
        ),
        Field(
            "topic",
            Line(),
            N_("Topic"),
            required=True,
            header="会议主题",
            aliases=("主题", "会议名称"),
            sheet_width=36,
        ),
        Field("chair", Line(), N_("Chair"), header="主持人"),
        Field(
            "departments",
            Texts(),
            N_("Departments present"),
            header="参会单位",
            aliases=("参会部门",),
        ),
        Field(
            "enterprise_ids",
            RefList(table="enterprise"),
            N_("Enterprises involved"),
            link="meeting_enterprise",
            header="涉及企业",
            key="enterprises",
            aliases=("参会企业",),
            sheet_width=32,
        ),
        Field(
            "project_ids",
            RefList(table="project"),
            N_("Projects involved"),
            link="meeting_project",
        ),
        Field(
            "problem_ids",
            RefList(table="problem"),
            N_("Problems discussed"),
            link="meeting_problem",
        ),
        Field("decisions", Multiline(), N_("Decisions")),
        Field("notes", Multiline(), N_("Notes")),
    ),
)

MEETING_ENTERPRISE = _link(
    "meeting_enterprise",
    N_("Meeting enterprise"),
    "meeting_enterprises",
    ("meeting", N_("Meeting")),
    ("enterprise", N_("Enterprise")),
)
MEETING_PROJECT = _link(
    "meeting_project",
    N_("Meeting project"),
    "meeting_projects",
    ("meeting", N_("Meeting")),
    ("project", N_("Project")),
)
MEETING_PROBLEM = _link(
    "meeting_problem",
    N_("Meeting problem"),
    "meeting_problems",
    ("meeting", N_("Meeting")),
    ("problem", N_("Problem")),
)

# --------------------------------------------------------------------------- activities

ACTIVITY = Kind(
    table="activity",
    label=N_("Investment activity"),
    record=rec.Activity,
    repo="activities",
    fields=(
        Field(
            "date",
            Day(),
            N_("Date"),
            required=True,
            null=True,
            header="日期",
            aliases=("活动日期",),
        ),
        Field(
            "kind",
            Code(enum=enums.ActivityKind),
            N_("Kind of activity"),
            required=True,
            default=enums.ActivityKind.TRIP_OUT.code,
            header="类型",
            aliases=("活动类型",),
        ),
        Field(
            "place",
            Line(),
            N_("Place or visiting party"),
            required=True,
            header="地点",
            aliases=("地点/来访客商", "来访客商"),
            sheet_width=24,
        ),
        Field(
            "member_ids",
            RefList(table="officer"),
            N_("Team members"),
            link="activity_member",
            header="参与人员",
            key="members",
            aliases=("参加人员", "小分队成员"),
            sheet_width=20,
        ),
        Field(
            "enterprise_ids",
            RefList(table="enterprise"),
            N_("Enterprises visited or received"),
            link="activity_enterprise",
            header="拜访企业",
            key="enterprises",
            aliases=("接待企业", "拜访/接待企业"),
            sheet_width=32,
        ),
        Field("leads", Multiline(), N_("Leads")),
        Field("notes", Multiline(), N_("Notes"), header="备注"),
    ),
)

ACTIVITY_MEMBER = _link(
    "activity_member",
    N_("Activity member"),
    "activity_members",
    ("activity", N_("Investment activity")),
    ("officer", N_("Officer")),
)
ACTIVITY_ENTERPRISE = _link(
    "activity_enterprise",
    N_("Activity enterprise"),
    "activity_enterprises",
    ("activity", N_("Investment activity")),
    ("enterprise", N_("Enterprise")),
)

# --------------------------------------------------------------------------- checklists

CHECKLIST_TEMPLATE = Kind(
    table="checklist_template",
    label=N_("Checklist version"),
    record=rec.ChecklistTemplate,
    repo="checklist_templates",
    title="title",
    fields=(
        Field(
            "kind",
            Code(enum=enums.ChecklistKind),
            N_("Checklist"),
            required=True,
            default=enums.ChecklistKind.DUTY.code,
        ),
        Field("version", Integer(low=1), N_("Version"), required=True, default=1),
        Field("title", Line(), N_("Title"), default=""),
        Field("effective_from", Day(), N_("Effective from")),
    ),
)

CHECKLIST_ITEM = Kind(
    table="checklist_item",
    label=N_("Checklist item"),
    record=rec.ChecklistItem,
    repo="checklist_items",
    fields=(
        Field("template_id", Ref(table="checklist_template"), N_("Checklist"), required=True),
        Field("position", Integer(), N_("Position"), default=0),
        Field("text", Line(), N_("Item"), required=True, max_len=500),
    ),
)

CHECKLIST_ANSWER = Kind(
    table="checklist_answer",
    label=N_("Checklist answer"),
    record=rec.ChecklistAnswer,
    repo="checklist_answers",
    fields=(
        Field("item_id", Ref(table="checklist_item"), N_("Item"), required=True),
        Field("officer_id", Ref(table="officer"), N_("Officer"), required=True),
        Field("visit_id", Ref(table="visit"), N_("Visit")),
        Field("month", Line(), N_("Month"), max_len=7),
        Field(
            "answer",
            Code(enum=enums.ChecklistAnswer),
            N_("Answer"),
            required=True,
            default=enums.ChecklistAnswer.KEPT.code,
        ),
        Field("note", Multiline(), N_("Note")),
    ),
)
