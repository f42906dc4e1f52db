"""The reports as text for people, in the interface language (zh-style.md: 家/个/名/条/次,
2026年11月, 年度; dates in tables stay ISO)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from fieldtui.cli.common import label_lines
from fieldtui.domain.enums import (
    CodedEnum,
    MeetingKind,
    ProblemCategory,
    ProjectStage,
    VisitKind,
)
from fieldtui.i18n import _, bracketed, language, list_separator
from fieldtui.i18n import month_text as month_words
from fieldtui.reports.tables import date_words

__all__ = ["month_text", "ranking_text", "summary_text"]


def _label(enum: type[CodedEnum], code: str) -> str:
    try:
        return enum(code).label(language())
    except ValueError:
        return code


def _indented(rows: list[tuple[str, str]]) -> list[str]:
    return ["  " + line for line in label_lines(rows)]


def _visits(visits: dict[str, Any]) -> list[str]:
    lines = label_lines(
        [
            (
                _("Visits"),
                _("{n} visits, {enterprises} enterprises").format(
                    n=visits["total"], enterprises=visits["enterprises"]
                ),
            )
        ]
    )
    lines += _indented(
        [
            (_label(VisitKind, kind), _("{n} visits").format(n=n))
            for kind, n in visits["by_kind"].items()
            if n
        ]
    )
    return lines


def _problem_counts(counts: dict[str, Any]) -> str:
    return _(
        "{raised} raised, {resolved} resolved, {in_progress} in progress, {overdue} overdue"
    ).format(**{k: counts[k] for k in ("raised", "resolved", "in_progress", "overdue")})


def _problems(problems: dict[str, Any]) -> list[str]:
    lines = label_lines([(_("Problems"), _problem_counts(problems))])
    lines += _indented(
        [
            (_label(ProblemCategory, code), _problem_counts(counts))
            for code, counts in problems["by_category"].items()
            if any(counts.values())
        ]
    )
    return lines


def _days(value: float | None) -> str:
    return "—" if value is None else _("{n} days").format(n=value)


def summary_text(data: dict[str, Any]) -> str:
    lines = [
        _("Summary from {start} to {end}").format(
            start=date_words(data["from"]), end=date_words(data["to"])
        ),
        "",
        *_visits(data["visits"]),
        *_problems(data["problems"]),
    ]
    meetings = data["meetings"]
    lines += label_lines([(_("Meetings"), _("{n} meetings").format(n=meetings["total"]))])
    lines += _indented(
        [
            (_label(MeetingKind, kind), _("{n} meetings").format(n=n))
            for kind, n in meetings["by_kind"].items()
            if n
        ]
    )
    inv, proj = data["investment"], data["projects"]
    lines += label_lines(
        [
            (
                _("Investment"),
                _(
                    "{trips} trips out visiting {visited} enterprises, {receptions} receptions"
                ).format(
                    trips=inv["trips_out"],
                    visited=inv["enterprises_visited_on_trips"],
                    receptions=inv["receptions"],
                ),
            ),
            (
                _("Projects introduced"),
                _("{n} projects, planned investment {wan} (10,000 yuan)").format(
                    n=inv["projects_introduced"], wan=inv["planned_investment_wan"]
                ),
            ),
            (_("Revitalised plants"), _("{n} projects").format(n=proj["revitalized"])),
            (
                _("Signed to production in one year"),
                _("{n} projects").format(n=proj["same_year"]),
            ),
            (_("Land to construction (median)"), _days(proj["land_to_start_days_median"])),
            (_("Land to trial production (median)"), _days(proj["land_to_trial_days_median"])),
        ]
    )
    return "\n".join(lines)


def month_text(data: dict[str, Any]) -> str:
    officer = data["officer"]
    who = (
        officer["name"] + (bracketed(officer["unit"]) if officer["unit"] else "")
        if officer
        else _("the whole zone")
    )
    lines = [
        _("Monthly visit report, {month}: {who}").format(month=month_words(data["month"]), who=who),
        "",
        *_visits(data["visits"]),
    ]
    missing = data["not_visited"]
    lines += label_lines(
        [(_("Assigned, not visited"), _("{n} enterprises").format(n=len(missing)))]
    )
    if missing:
        lines.append("  " + list_separator().join(e["name"] for e in missing))
    lines += _problems(data["problems"])
    lines += label_lines(
        [(_("Project milestones"), _("{n} milestones").format(n=len(data["milestones"])))]
    )
    for m in data["milestones"]:
        lines.append(
            f"  {m['date']}  {m['project']}  {_label(ProjectStage, m['milestone'])}"
            + (f"  {bracketed(m['enterprise'])}" if m["enterprise"] else "")
        )
    lines.append(_("Duty list:") if data["duty"] else _("Duty list: nobody to answer it"))
    for d in data["duty"]:
        state = (
            _("complete")
            if d["complete"]
            else _("{answered} of {items} items answered").format(
                answered=d["answered"], items=d["items"]
            )
        )
        lines.append("  " + _("{officer}: {state}").format(officer=d["officer"], state=state))
        for item in d["not_done"]:
            note = _(": {note}").format(note=item["note"]) if item["note"] else ""
            lines.append("    " + _("not done: {item}").format(item=item["item"]) + note)
    breaches = data["breaches"]
    lines += label_lines([(_("Negative-list breaches"), _("{n} breaches").format(n=len(breaches)))])
    for b in breaches:
        note = _(": {note}").format(note=b["note"]) if b["note"] else ""
        lines.append(f"  {b['date'] or ''}  {b['officer']}  {b['enterprise']}  {b['item']}{note}")
    lines.append(_("Plan for next month: not kept in fieldtui yet; attach it to the report"))
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (w - cell_len(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def ranking_text(data: dict[str, Any]) -> str:
    from fieldtui.reports.ranking import COMPONENTS

    names = {
        "visits": _("Visits"),
        "resolution": _("Resolved"),
        "on_time": _("On time"),
        "satisfaction": _("Satisfaction"),
        "projects": _("Projects"),
        "monthly_report": _("Monthly report"),
    }
    weights = data["weights"]
    lines = [
        _("Excellent chief service officer ranking, {year}").format(year=data["year"]),
        _("Weights: {weights}").format(
            weights=list_separator().join(f"{names[c]} {weights[c]:g}" for c in COMPONENTS)
        ),
        "",
    ]
    header = [_("Rank"), _("Officer"), _("Score"), *(names[c] for c in COMPONENTS), _("Award")]
    rows = [header]
    for o in data["officers"]:
        rows.append(
            [
                str(o["rank"]),
                o["officer"] + (bracketed(o["unit"]) if o["unit"] else ""),
                f"{o['score']:.1f}",
                *(_percent(o["measures"][c]) for c in COMPONENTS),
                _("eligible") if o["eligible"] else _("vetoed"),
            ]
        )
    lines += _table(rows)
    vetoed = [o for o in data["officers"] if not o["eligible"]]
    if vetoed:
        lines += ["", _("Negative-list breaches (excluded from the award):")]
        for o in vetoed:
            for b in o["breaches"]:
                note = _(": {note}").format(note=b["note"]) if b["note"] else ""
                lines.append(
                    f"  {o['officer']}  {b['date'] or ''}  {b['enterprise']}  {b['item']}{note}"
                )
    if not data["officers"]:
        lines.append(_("Nobody was on the year's plan or visited that year."))
    return "\n".join(lines)
