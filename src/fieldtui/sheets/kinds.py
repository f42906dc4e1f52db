"""The sheets of domain.md ("Sheets"): one :class:`SheetKind` per record kind.

Columns, headers and aliases are the field schema's (:mod:`fieldtui.domain.schema`); what is
the sheets' own is here: the worksheet title, how a row finds the record it updates (its
keys) and checks across a row's cells. Keys are chosen so re-importing an export matches every
row to the record it came from.
"""

from __future__ import annotations

from fieldtui.domain import records as rec
from fieldtui.domain import schema
from fieldtui.domain.milestones import MILESTONES, check_project_dates
from fieldtui.i18n import N_, NC_, _
from fieldtui.sheets.cells import LIST_JOINER, Context
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.spec import Key, SheetKind, Values, sheet_columns

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
    title=NC_("sheet", "Enterprises"),
    sheet_title="企业台账",
    repo="enterprises",
    record=rec.Enterprise,
    columns=sheet_columns(schema.ENTERPRISE),
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
    title=NC_("sheet", "Officers"),
    sheet_title="人员名单",
    former_sheet_titles=("人员",),
    repo="officers",
    record=rec.Officer,
    columns=sheet_columns(schema.OFFICER),
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
    title=NC_("sheet", "Assignments"),
    sheet_title="分工挂点",
    repo="assignments",
    record=rec.Assignment,
    columns=sheet_columns(schema.ASSIGNMENT),
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

_MILESTONE_FIELDS = tuple(name for name, _stage in MILESTONES)


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
    title=NC_("sheet", "Projects"),
    sheet_title="项目",
    repo="projects",
    record=rec.Project,
    columns=sheet_columns(schema.PROJECT),
    row_keys=lambda v: [("name", v["name"])],
    record_keys=lambda p: [("name", p.name)],
    key_names={"name": N_("project name")},
    key_fields={"name": ("name",)},
    check=_check_project,
)

__all__ = ["ASSIGNMENTS", "ENTERPRISES", "LIST_JOINER", "OFFICERS", "PROJECTS"]
