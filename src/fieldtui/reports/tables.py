"""The reports as titled tables, in the interface language: what the md, csv and xlsx
renderers (:mod:`.render`) lay out.

A report is a title and its tables (a Markdown section or a worksheet each) plus one flat
table for CSV, the sheet an office pastes into its own: one row per figure (item, value), or
for the ranking the ranking itself. Cells keep numbers as numbers so a spreadsheet can sum
them; dates stay ISO in tables, as in the text reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fieldtui.domain.enums import (
    CodedEnum,
    MeetingKind,
    ProblemCategory,
    ProjectStage,
    VisitKind,
)
from fieldtui.i18n import _, bracketed, language, list_separator, pgettext
from fieldtui.i18n import month_text as month_words

__all__ = [
    "Cell",
    "Report",
    "Table",
    "date_words",
    "monthly_tables",
    "ranking_tables",
    "summary_tables",
]

Cell = str | int | float | None


@dataclass(slots=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    title: str
    tables: list[Table]
    flat: Table
    """The one table a CSV holds."""
    notes: list[str] = field(default_factory=list)
    """Sentences under the tables (Markdown only)."""


def date_words(iso: str | None) -> str:
    """A date in a sentence: 2026年11月28日 in Chinese, ISO in English."""
    if not iso:
        return "—"
    if language() != "zh":
        return iso
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def _label(enum: type[CodedEnum], code: str) -> str:
    try:
        return enum(code).label(language())
    except ValueError:
        return code


def _item_value() -> list[str]:
    return [pgettext("report column", "Item"), pgettext("report column", "Value")]


def _in(group: str, item: str) -> str:
    return _("{group}: {item}").format(group=group, item=item)


def _figure_names() -> dict[str, str]:
    return {
        "raised": pgettext("problems", "Raised"),
        "resolved": pgettext("problems", "Resolved"),
        "in_progress": pgettext("problems", "In progress"),
        "overdue": pgettext("problems", "Overdue"),
    }


def _visit_rows(visits: dict[str, Any]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [_("Visits made"), visits["total"]],
        [_("Enterprises visited"), visits["enterprises"]],
    ]
    rows += [
        [_in(_("Visits"), _label(VisitKind, kind)), n] for kind, n in visits["by_kind"].items()
    ]
    return rows


def _problem_rows(problems: dict[str, Any]) -> list[list[Cell]]:
    names = _figure_names()
    return [[_in(_("Problems"), names[k]), problems[k]] for k in names]


def _by_category(problems: dict[str, Any]) -> tuple[Table, list[list[Cell]]]:
    """The category table, and the same figures as item/value rows for the flat table."""
    names = _figure_names()
    table = Table(_("Problems by category"), [_("Category"), *names.values()])
    flat: list[list[Cell]] = []
    for code, counts in problems["by_category"].items():
        category = _label(ProblemCategory, code)
        table.rows.append([category, *(counts[k] for k in names)])
        group = _("Problems") + bracketed(category)
        flat += [[_in(group, names[k]), counts[k]] for k in names]
    return table, flat


def summary_tables(data: dict[str, Any]) -> Report:
    inv, proj, meetings = data["investment"], data["projects"], data["meetings"]
    overview = Table(_("Overview"), _item_value())
    overview.rows += _visit_rows(data["visits"])
    overview.rows += _problem_rows(data["problems"])
    overview.rows.append([_("Meetings held"), meetings["total"]])
    overview.rows += [
        [_in(_("Meetings"), _label(MeetingKind, kind)), n]
        for kind, n in meetings["by_kind"].items()
    ]
    overview.rows += [
        [_("Trips out"), inv["trips_out"]],
        [_("Enterprises visited on trips"), inv["enterprises_visited_on_trips"]],
        [_("Receptions"), inv["receptions"]],
        [_("Projects introduced"), inv["projects_introduced"]],
        [_("Planned investment (10,000 yuan)"), inv["planned_investment_wan"]],
        [_("Revitalised plants"), proj["revitalized"]],
        [_("Signed to production in one year"), proj["same_year"]],
        [_("Land to construction, median days"), proj["land_to_start_days_median"]],
        [_("Land to trial production, median days"), proj["land_to_trial_days_median"]],
    ]
    categories, category_rows = _by_category(data["problems"])
    title = _("Summary from {start} to {end}").format(
        start=date_words(data["from"]), end=date_words(data["to"])
    )
    flat = Table(
        pgettext("report title", "Summary"), overview.columns, [*overview.rows, *category_rows]
    )
    return Report(title, [overview, categories], flat)


def monthly_tables(data: dict[str, Any]) -> Report:
    officer = data["officer"]
    who = (
        officer["name"] + (bracketed(officer["unit"]) if officer["unit"] else "")
        if officer
        else _("the whole zone")
    )
    title = _("Monthly visit report, {month}: {who}").format(
        month=month_words(data["month"]), who=who
    )
    overview = Table(_("Overview"), _item_value())
    overview.rows += _visit_rows(data["visits"])
    overview.rows.append([_("Assigned, not visited"), len(data["not_visited"])])
    overview.rows += _problem_rows(data["problems"])
    overview.rows += [
        [_("Project milestones"), len(data["milestones"])],
        [_("Negative-list breaches"), len(data["breaches"])],
    ]
    categories, category_rows = _by_category(data["problems"])
    missing = Table(_("Assigned, not visited"), [_("Enterprise")])
    missing.rows += [[e["name"]] for e in data["not_visited"]]
    milestones = Table(
        _("Project milestones"), [_("Date"), _("Project"), _("Milestone"), _("Enterprise")]
    )
    milestones.rows += [
        [m["date"], m["project"], _label(ProjectStage, m["milestone"]), m["enterprise"]]
        for m in data["milestones"]
    ]
    duty = Table(_("Duty list"), [_("Officer"), _("State"), _("Not done")])
    for d in data["duty"]:
        state = (
            _("complete")
            if d["complete"]
            else _("{answered} of {items} items answered").format(
                answered=d["answered"], items=d["items"]
            )
        )
        not_done = list_separator().join(
            i["item"] + (bracketed(i["note"]) if i["note"] else "") for i in d["not_done"]
        )
        duty.rows.append([d["officer"], state, not_done])
    breaches = Table(
        _("Negative-list breaches"),
        [_("Date"), _("Officer"), _("Enterprise"), pgettext("report column", "Item"), _("Note")],
    )
    breaches.rows += [
        [b["date"], b["officer"], b["enterprise"], b["item"], b["note"]] for b in data["breaches"]
    ]
    flat = Table(_("Monthly report"), overview.columns, [*overview.rows, *category_rows])
    for table in (missing, milestones, duty, breaches):
        flat.rows += [
            [table.title, "  ".join(str(c) for c in row if c not in (None, ""))]
            for row in table.rows
        ]
    notes = [_("Plan for next month: not kept in fieldtui yet; attach it to the report")]
    return Report(title, [overview, categories, missing, milestones, duty, breaches], flat, notes)


def _component_names() -> dict[str, str]:
    return {
        "visits": _("Visits"),
        "resolution": _("Resolved"),
        "on_time": _("On time"),
        "satisfaction": _("Satisfaction"),
        "projects": _("Projects"),
        "monthly_report": _("Monthly report"),
    }


def ranking_tables(data: dict[str, Any]) -> Report:
    names = _component_names()
    percent = bracketed("%")
    table = Table(
        _("Ranking"),
        [
            _("Rank"),
            _("Officer"),
            _("Unit"),
            _("Score"),
            *(name + percent for name in names.values()),
            _("Award"),
        ],
    )
    breaches = Table(
        _("Negative-list breaches"),
        [_("Officer"), _("Date"), _("Enterprise"), pgettext("report column", "Item"), _("Note")],
    )
    for o in data["officers"]:
        measures = o["measures"]
        table.rows.append(
            [
                o["rank"],
                o["officer"],
                o["unit"],
                o["score"],
                *(None if measures[c] is None else round(measures[c] * 100, 1) for c in names),
                _("eligible") if o["eligible"] else _("vetoed"),
            ]
        )
        breaches.rows += [
            [o["officer"], b["date"], b["enterprise"], b["item"], b["note"]] for b in o["breaches"]
        ]
    weights = Table(_("Weights"), [_("Component"), _("Weight")])
    weights.rows += [[names[c], data["weights"][c]] for c in names]
    title = _("Excellent chief service officer ranking, {year}").format(year=data["year"])
    notes = [] if data["officers"] else [_("Nobody was on the year's plan or visited that year.")]
    return Report(title, [table, weights, breaches], table, notes)
