"""Domain layer: code lists and input rules, free of UI and storage imports.

Only the names most callers need are re-exported; the rest live in
:mod:`fieldtui.domain.enums`, :mod:`fieldtui.domain.validators` and
:mod:`fieldtui.domain.milestones`.
"""

from fieldtui.domain.enums import (
    ActivityKind,
    AssignmentRole,
    ChecklistAnswer,
    ChecklistKind,
    CodedEnum,
    EnterpriseScale,
    EnterpriseStatus,
    Industry,
    MeetingKind,
    OfficerRole,
    ProblemCategory,
    ProblemStatus,
    ProjectSource,
    ProjectStage,
    Satisfaction,
    VisitKind,
    VisitTopic,
)
from fieldtui.domain.milestones import Issue, check_project_dates, project_stage
from fieldtui.domain.validators import (
    check_phone,
    check_uscc,
    clean_line,
    clean_text,
    format_money_wan,
    parse_bool,
    parse_date,
    parse_money_wan,
    split_list,
)

__all__ = [
    "ActivityKind",
    "AssignmentRole",
    "ChecklistAnswer",
    "ChecklistKind",
    "CodedEnum",
    "EnterpriseScale",
    "EnterpriseStatus",
    "Industry",
    "Issue",
    "MeetingKind",
    "OfficerRole",
    "ProblemCategory",
    "ProblemStatus",
    "ProjectSource",
    "ProjectStage",
    "Satisfaction",
    "VisitKind",
    "VisitTopic",
    "check_phone",
    "check_project_dates",
    "check_uscc",
    "clean_line",
    "clean_text",
    "format_money_wan",
    "parse_bool",
    "parse_date",
    "parse_money_wan",
    "project_stage",
    "split_list",
]
