"""Sheets of the officers' work records: visits, problems, meetings, investment activities.

These records have no natural identifier, so each kind's key is the combination of cells an
office would call "the same entry" (a visit: date, enterprise and kind). Officers and
enterprises named in these sheets must already exist (domain.md, Sheets).
"""

from __future__ import annotations

from fieldtui.domain import records as rec
from fieldtui.domain import schema
from fieldtui.i18n import N_, NC_, _
from fieldtui.sheets.cells import Context
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.spec import SheetKind, Values, sheet_columns


def _live_enterprise(record: rec.Visit | rec.Problem, refs: Refs) -> bool:
    return record.enterprise_id in refs.enterprises.live


VISITS = SheetKind(
    name="visits",
    title=NC_("sheet", "Visits"),
    sheet_title="走访记录",
    repo="visits",
    record=rec.Visit,
    columns=sheet_columns(schema.VISIT),
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
    title=NC_("sheet", "Problems"),
    sheet_title="诉求台账",
    former_sheet_titles=("问题台账",),
    repo="problems",
    record=rec.Problem,
    columns=sheet_columns(schema.PROBLEM),
    row_keys=lambda v: [("problem", v["enterprise_id"], v["description"])],
    record_keys=lambda r: [("problem", r.enterprise_id, r.description)],
    key_names={"problem": N_("enterprise and problem description")},
    key_fields={"problem": ("enterprise_id", "description")},
    check=_check_problem,
    exportable=_live_enterprise,
)

MEETINGS = SheetKind(
    name="meetings",
    title=NC_("sheet", "Meetings"),
    sheet_title="会议记录",
    former_sheet_titles=("协调会议",),
    repo="meetings",
    record=rec.Meeting,
    columns=sheet_columns(schema.MEETING),
    row_keys=lambda v: [("meeting", v["date"], v["topic"])],
    record_keys=lambda r: [("meeting", r.date, r.topic)],
    key_names={"meeting": N_("date and topic")},
    key_fields={"meeting": ("date", "topic")},
)

ACTIVITIES = SheetKind(
    name="activities",
    title=NC_("sheet", "Investment activities"),
    sheet_title="招商活动",
    repo="activities",
    record=rec.Activity,
    columns=sheet_columns(schema.ACTIVITY),
    row_keys=lambda v: [("activity", v["date"], v.get("kind", "trip_out"), v["place"])],
    record_keys=lambda r: [("activity", r.date, r.kind, r.place)],
    key_names={"activity": N_("date, kind and place")},
    key_fields={"activity": ("date", "kind", "place")},
)
